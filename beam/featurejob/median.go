package featurejob

import (
	"fmt"
	"slices"
)

// The store's median order (features.Table.MedianOrder) is the exact median
// of every purchase's net value, found in two passes without gathering the
// values on one worker: a histogram of coarse buckets (medianShift bits,
// about one currency unit) finds the buckets of the middle ranks, then the
// exact values of those buckets only are counted. Counts are integers and
// the values exact millionths, so neither pass depends on the order of the
// inputs. The same two passes give any exact quantile (RFM cut points).

// medianShift is the width of a coarse bucket: 2²⁰ millionths.
const medianShift = 20

// netList is the purchase nets of a line shard's customers, in millionths
// (rowsFn).
type netList struct{ Values []int64 }

// histogram counts values (or buckets), sorted by key.
type histogram struct {
	Keys   []int64
	Counts []int64
}

// histOf counts keys.
func histOf(keys []int64) histogram {
	slices.Sort(keys)
	var h histogram
	for i, k := range keys {
		if i > 0 && k == keys[i-1] {
			h.Counts[len(h.Counts)-1]++
			continue
		}
		h.Keys, h.Counts = append(h.Keys, k), append(h.Counts, 1)
	}
	return h
}

// mergeHist is the CombineFn of histograms.
type mergeHist struct{}

// MergeAccumulators adds two histograms.
func (mergeHist) MergeAccumulators(a, b histogram) histogram {
	var m histogram
	i, j := 0, 0
	for i < len(a.Keys) || j < len(b.Keys) {
		switch {
		case j == len(b.Keys) || i < len(a.Keys) && a.Keys[i] < b.Keys[j]:
			m.Keys, m.Counts = append(m.Keys, a.Keys[i]), append(m.Counts, a.Counts[i])
			i++
		case i == len(a.Keys) || b.Keys[j] < a.Keys[i]:
			m.Keys, m.Counts = append(m.Keys, b.Keys[j]), append(m.Counts, b.Counts[j])
			j++
		default:
			m.Keys, m.Counts = append(m.Keys, a.Keys[i]), append(m.Counts, a.Counts[i]+b.Counts[j])
			i, j = i+1, j+1
		}
	}
	return m
}

// bucketHist is pass 1: a customer's nets counted by coarse bucket.
func bucketHist(n netList) histogram {
	keys := make([]int64, len(n.Values))
	for i, v := range n.Values {
		keys[i] = v >> medianShift
	}
	return histOf(keys)
}

// medianTarget locates the middle ranks (0-based; one rank twice for an
// odd count) among all N values: their buckets and how many values lie in
// lower buckets.
type medianTarget struct {
	N       int64
	Ranks   []int64
	Buckets []int64
	Before  []int64
}

// selectMedian finds the buckets of the middle ranks from pass 1.
func selectMedian(h histogram) medianTarget {
	var t medianTarget
	for _, c := range h.Counts {
		t.N += c
	}
	if t.N == 0 {
		return t
	}
	t.Ranks = []int64{(t.N - 1) / 2, t.N / 2}
	for _, r := range t.Ranks {
		var before int64
		for i, c := range h.Counts {
			if r < before+c {
				t.Buckets, t.Before = append(t.Buckets, h.Keys[i]), append(t.Before, before)
				break
			}
			before += c
		}
	}
	return t
}

// exactHist is pass 2: a customer's nets in the target buckets, counted by
// value.
func exactHist(n netList, t medianTarget) histogram {
	var keys []int64
	for _, v := range n.Values {
		if slices.Contains(t.Buckets, v>>medianShift) {
			keys = append(keys, v)
		}
	}
	return histOf(keys)
}

// medianOf returns the median from pass 2's exact counts, as
// features.Table.MedianOrder computes it: the middle value's float64, or
// the mean of the two middle values' float64s; 0 without purchases.
func medianOf(h histogram, t medianTarget) (float64, error) {
	if t.N == 0 {
		return 0, nil
	}
	vals := make([]float64, len(t.Ranks))
	for k, r := range t.Ranks {
		pos, found := t.Before[k], false
		for i, v := range h.Keys {
			if v>>medianShift != t.Buckets[k] {
				continue
			}
			if r < pos+h.Counts[i] {
				vals[k], found = float64(v)/1e6, true
				break
			}
			pos += h.Counts[i]
		}
		if !found {
			return 0, fmt.Errorf("featurejob: the median's rank %d is not in its bucket: the two passes saw different purchases", r)
		}
	}
	if t.N%2 == 1 {
		return vals[1], nil
	}
	return (vals[0] + vals[1]) / 2, nil
}
