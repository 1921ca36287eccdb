package features

import (
	"encoding/binary"
	"math"
	"slices"

	"github.com/segment-tool/segment/internal/selectk"
)

// medianBuckets is the number of buckets of each pass of medianOf.
const medianBuckets = 1 << 16

// medianOf returns the median of the values in every slice of parts, as
// median returns it for their concatenation, without concatenating them
// (see medianOfValues).
func medianOf(parts [][]fixed) float64 {
	vals := make([]netValues, len(parts))
	for i, p := range parts {
		vals[i] = netSlice(p)
	}
	return medianOfValues(vals)
}

// medianOfValues returns the median of the values of every part: a
// store's purchases are spread over the aggregation's parts, and one
// slice of them all would hold 8 bytes a purchase twice over while it is
// made. Each order statistic is found by narrowing a range of values:
// count the values in 65,536 equal buckets of the range, keep the bucket
// that holds the rank, until the range holds at most 65,536 values, which
// are gathered and selected. Each pass reads every value; a range narrows
// 65,536-fold a pass, so there are at most four.
func medianOfValues(parts []netValues) float64 {
	n := 0
	for _, p := range parts {
		n += p.count()
	}
	if n == 0 {
		return 0
	}
	m := kthOf(parts, n, n/2)
	if n%2 == 1 {
		return m.float()
	}
	return (kthOf(parts, n, n/2-1).float() + m.float()) / 2
}

// kthOf returns the k-th smallest (from 0) of the n values in parts.
func kthOf(parts []netValues, n, k int) fixed {
	lo, hi := fixed(math.MaxInt64), fixed(math.MinInt64)
	for _, p := range parts {
		p.each(func(x fixed) { lo, hi = min(lo, x), max(hi, x) })
	}
	below, count := 0, n // values below lo, values in [lo, hi]
	var counts []int
	for lo < hi && count > medianBuckets {
		// Unsigned differences: hi−lo may pass the int64 range.
		width := (uint64(hi)-uint64(lo))/medianBuckets + 1
		if counts == nil {
			counts = make([]int, medianBuckets)
		}
		clear(counts)
		for _, p := range parts {
			p.each(func(x fixed) {
				if x >= lo && x <= hi {
					counts[(uint64(x)-uint64(lo))/width]++
				}
			})
		}
		span := uint64(hi) - uint64(lo)
		for b, c := range counts {
			if below+c > k { // offsets from lo, which stay within span
				first := uint64(b) * width
				lo, hi, count = fixed(uint64(lo)+first), fixed(uint64(lo)+min(span, first+width-1)), c
				break
			}
			below += c
		}
	}
	if lo == hi {
		return lo
	}
	v := make([]fixed, 0, count)
	for _, p := range parts {
		p.each(func(x fixed) {
			if x >= lo && x <= hi {
				v = append(v, x)
			}
		})
	}
	return selectk.Select(v, k-below)
}

// netValues is a part's purchase net values, read in passes by
// medianOfValues.
type netValues interface {
	count() int
	each(fn func(fixed))
}

// netSlice is net values in a slice.
type netSlice []fixed

func (s netSlice) count() int { return len(s) }

func (s netSlice) each(fn func(fixed)) {
	for _, x := range s {
		fn(x)
	}
}

// packedNets is net values packed for keeping until the median is found,
// in about a third of a slice's 8 bytes a value: each divided by scale,
// the largest power of ten up to 10⁴ that divides them all (prices in
// cents are multiples of 10⁴ millionths), as a zigzag varint.
type packedNets struct {
	n     int
	scale fixed
	b     []byte
}

// packNets packs v.
func packNets(v []fixed) packedNets {
	scale := fixed(10_000)
	for _, x := range v {
		for scale > 1 && x%scale != 0 {
			scale /= 10
		}
		if scale == 1 {
			break
		}
	}
	b := make([]byte, 0, 3*len(v))
	for _, x := range v {
		b = binary.AppendVarint(b, int64(x/scale))
	}
	return packedNets{n: len(v), scale: scale, b: slices.Clip(b)}
}

func (p packedNets) count() int { return p.n }

func (p packedNets) each(fn func(fixed)) {
	b := p.b
	for len(b) > 0 {
		x, k := binary.Varint(b)
		if k <= 0 {
			panic("features: damaged packed nets")
		}
		fn(fixed(x) * p.scale)
		b = b[k:]
	}
}
