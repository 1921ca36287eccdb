package features

import (
	"github.com/segment-tool/segment/internal/selectk"
)

// medianBuckets is the number of buckets of each pass of medianOf.
const medianBuckets = 1 << 16

// medianOf returns the median of the values in every slice of parts, as
// median returns it for their concatenation, without concatenating them:
// a store's purchases are spread over the aggregation's parts, and one
// slice of them all would hold 8 bytes a purchase twice over while it is
// made. Each order statistic is found by narrowing a range of values:
// count the values in 65,536 equal buckets of the range, keep the bucket
// that holds the rank, until the range holds at most 65,536 values, which
// are gathered and selected. Each pass reads every value; a range narrows
// 65,536-fold a pass, so there are at most four.
func medianOf(parts [][]fixed) float64 {
	n := 0
	for _, p := range parts {
		n += len(p)
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
func kthOf(parts [][]fixed, n, k int) fixed {
	lo := parts[firstNonEmpty(parts)][0]
	hi := lo
	for _, p := range parts {
		for _, x := range p {
			lo, hi = min(lo, x), max(hi, x)
		}
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
			for _, x := range p {
				if x >= lo && x <= hi {
					counts[(uint64(x)-uint64(lo))/width]++
				}
			}
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
		for _, x := range p {
			if x >= lo && x <= hi {
				v = append(v, x)
			}
		}
	}
	return selectk.Select(v, k-below)
}

// firstNonEmpty returns the index of the first slice of parts with a
// value; parts must hold one.
func firstNonEmpty(parts [][]fixed) int {
	for i, p := range parts {
		if len(p) > 0 {
			return i
		}
	}
	panic("features: no values")
}
