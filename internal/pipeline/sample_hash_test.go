package pipeline

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
)

// TestSampleRows: the rows of the smallest hashes, in row order, ties
// broken by id; the hash depends on the seed and the id only.
func TestSampleRows(t *testing.T) {
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = fmt.Sprintf("c%04d", i)
	}
	rows := SampleRows(ids, 7, 100)
	if len(rows) != 100 || !slices.IsSorted(rows) {
		t.Fatalf("%d rows, sorted %t", len(rows), slices.IsSorted(rows))
	}
	largest := uint64(0)
	in := map[int]bool{}
	for _, r := range rows {
		largest, in[r] = max(largest, SampleHash(7, ids[r])), true
	}
	for i, id := range ids {
		if !in[i] && SampleHash(7, id) < largest {
			t.Fatalf("row %d (%s) left out with a smaller hash than a sampled row", i, id)
		}
	}
	if SampleHash(7, "c0001") == SampleHash(8, "c0001") {
		t.Error("the hash does not depend on the seed")
	}
	// Fixed values: a change would change every scale-out run's sample.
	if got := SampleHash(1, "c0001"); got != 0x16679c717d367637 {
		t.Errorf("SampleHash(1, c0001) = %#x, want %#x", got, uint64(0x16679c717d367637))
	}
	if got := SampleRows(ids, 7, 5000); len(got) != len(ids) {
		t.Errorf("a sample larger than the ids: %d rows", len(got))
	}
}

// TestSampleRowsSorted: the selection takes the rows a sort of every
// (hash, id, row) would, duplicate ids (equal hashes) included, at every
// size.
func TestSampleRowsSorted(t *testing.T) {
	ids := make([]string, 500)
	for i := range ids {
		ids[i] = fmt.Sprintf("c%03d", i%170) // each id two or three times
	}
	type item struct {
		hash uint64
		id   string
		row  int
	}
	items := make([]item, len(ids))
	for i, id := range ids {
		items[i] = item{SampleHash(3, id), id, i}
	}
	slices.SortFunc(items, func(a, b item) int {
		if a.hash != b.hash {
			return cmp.Compare(a.hash, b.hash)
		}
		return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.row, b.row))
	})
	for _, size := range []int{0, 1, 2, 3, 50, 99, 100, 101, 499, 500, 501} {
		var want []int
		for _, it := range items[:min(size, len(items))] {
			want = append(want, it.row)
		}
		slices.Sort(want)
		if got := SampleRows(ids, 3, size); !slices.Equal(got, want) || got == nil {
			t.Fatalf("size %d: %v, want %v", size, got, want)
		}
	}
}
