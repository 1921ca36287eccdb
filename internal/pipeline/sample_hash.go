package pipeline

import (
	"cmp"
	"slices"
	"strings"

	"github.com/segment-tool/segment/internal/selectk"
)

// SampleHash is a buyer's sampling hash in a scale-out run: FNV-1a of the
// seed and the id, mixed by SplitMix64's finaliser so that ids alike hash
// apart. It depends on nothing but the seed and the id. The fit's sample
// is the buyers of smallest (SampleHash, id).
func SampleHash(seed uint64, id string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211 // FNV-1a, 64 bits
	z := uint64(offset)
	for i := range 8 { // the seed's bytes, little-endian
		z = (z ^ seed>>(8*i)&0xff) * prime
	}
	for i := range len(id) {
		z = (z ^ uint64(id[i])) * prime
	}
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// SampleRows returns the rows of ids whose (SampleHash, id) are the size
// smallest, in the order of ids: the buyers a scale-out run fits on. Rows
// of the same id and hash are taken in row order. It takes time linear in
// len(ids) (a selection of the size-th smallest hash, not a sort of them
// all) and sorts only the rows at or below it.
func SampleRows(ids []string, seed uint64, size int) []int {
	if size <= 0 {
		return []int{}
	}
	hashes := make([]uint64, len(ids))
	for i, id := range ids {
		hashes[i] = SampleHash(seed, id)
	}
	if size >= len(ids) {
		rows := make([]int, len(ids))
		for i := range rows {
			rows[i] = i
		}
		return rows
	}
	limit := selectk.Select(slices.Clone(hashes), size-1)
	type item struct {
		hash uint64
		row  int
	}
	var items []item // the rows at or below the limit: size and its ties
	for i, h := range hashes {
		if h <= limit {
			items = append(items, item{h, i})
		}
	}
	slices.SortStableFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.hash, b.hash), strings.Compare(ids[a.row], ids[b.row]))
	})
	rows := make([]int, 0, size)
	for _, it := range items[:size] {
		rows = append(rows, it.row)
	}
	slices.Sort(rows)
	return rows
}
