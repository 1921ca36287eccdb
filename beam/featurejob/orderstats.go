package featurejob

import (
	"fmt"
	"math"
	"slices"

	"github.com/segment-tool/segment/features"
)

// Order statistics of many columns at once, exact and independent of the
// order of the inputs, in the two passes of the median (median.go): a
// histogram of coarse buckets per statistic, then the exact values of the
// buckets that hold the ranks wanted. The statistics are the RFM cut
// points (recency, frequency and monetary of the customers with a
// purchase: ranks ⌈j·n/5⌉ − 1) and, for the transform, each candidate
// column of the buyers: its minimum, maximum, lower median and winsorising
// bounds (features.ClipRanks).
//
// A float64 is counted by a key that sorts as the number does (floatKey);
// a coarse bucket drops the key's low coarseShift bits: 64 buckets per
// binade. Pass 2 holds the distinct values of the chosen buckets only.

// coarseShift is the width of a coarse bucket of floatKey.
const coarseShift = 46

// The statistics: statRecency, statFrequency and statMonetary (also the
// top-share cuts of the seed groups), statMaxOrder (big_order's cut), then
// statFirstColumn + j for candidate column j of the transform.
const (
	statRecency = iota
	statFrequency
	statMonetary
	statMaxOrder
	statFirstColumn
)

// rankSpec are the settings the ranks depend on: the transform's
// winsorising share and the seed groups' top shares.
type rankSpec struct {
	Clip                      float64
	Top, VIP, Elite, BigOrder float64
}

// newRankSpec returns the rank settings of c.
func newRankSpec(c *Config) rankSpec {
	r := rankSpec{Clip: c.spec(nil).Clip}
	r.Top, r.VIP, r.Elite, r.BigOrder, _ = c.Thresholds.GroupShares()
	return r
}

// floatKey maps v to an int64 that orders as v does (−0 before +0).
func floatKey(v float64) int64 {
	b := math.Float64bits(v)
	if b>>63 == 1 {
		b = ^b
	} else {
		b |= 1 << 63
	}
	return int64(b ^ 1<<63)
}

// keyFloat inverts floatKey.
func keyFloat(k int64) float64 {
	b := uint64(k) ^ 1<<63
	if b>>63 == 1 {
		b &^= 1 << 63
	} else {
		b = ^b
	}
	return math.Float64frombits(b)
}

// statPoint is one customer's values: Values[i] counts in statistic
// Stats[i].
type statPoint struct {
	Stats  []int32
	Values []float64
}

// statHist counts keys by statistic, sorted by (statistic, key).
type statHist struct {
	Stats  []int32
	Keys   []int64
	Counts []int64
}

// statHistOf counts the (statistic, key) pairs.
func statHistOf(stats []int32, keys []int64) statHist {
	idx := make([]int, len(keys))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return compareStatKey(stats[a], keys[a], stats[b], keys[b]) })
	var h statHist
	for n, i := range idx {
		if n > 0 && stats[i] == h.Stats[len(h.Stats)-1] && keys[i] == h.Keys[len(h.Keys)-1] {
			h.Counts[len(h.Counts)-1]++
			continue
		}
		h.Stats, h.Keys, h.Counts = append(h.Stats, stats[i]), append(h.Keys, keys[i]), append(h.Counts, 1)
	}
	return h
}

func compareStatKey(s1 int32, k1 int64, s2 int32, k2 int64) int {
	switch {
	case s1 != s2:
		return int(s1) - int(s2)
	case k1 < k2:
		return -1
	case k1 > k2:
		return 1
	}
	return 0
}

// mergeStatHist is the CombineFn of statHist.
type mergeStatHist struct{}

// MergeAccumulators adds two histograms.
func (mergeStatHist) MergeAccumulators(a, b statHist) statHist {
	var m statHist
	i, j := 0, 0
	for i < len(a.Keys) || j < len(b.Keys) {
		c := 0
		switch {
		case j == len(b.Keys):
			c = -1
		case i == len(a.Keys):
			c = 1
		default:
			c = compareStatKey(a.Stats[i], a.Keys[i], b.Stats[j], b.Keys[j])
		}
		switch {
		case c < 0:
			m.Stats, m.Keys, m.Counts = append(m.Stats, a.Stats[i]), append(m.Keys, a.Keys[i]), append(m.Counts, a.Counts[i])
			i++
		case c > 0:
			m.Stats, m.Keys, m.Counts = append(m.Stats, b.Stats[j]), append(m.Keys, b.Keys[j]), append(m.Counts, b.Counts[j])
			j++
		default:
			m.Stats, m.Keys, m.Counts = append(m.Stats, a.Stats[i]), append(m.Keys, a.Keys[i]), append(m.Counts, a.Counts[i]+b.Counts[j])
			i, j = i+1, j+1
		}
	}
	return m
}

// coarseStatHist is pass 1: a customer's values counted by coarse bucket.
func coarseStatHist(p statPoint) statHist {
	keys := make([]int64, len(p.Values))
	for i, v := range p.Values {
		keys[i] = floatKey(v) >> coarseShift
	}
	return statHistOf(p.Stats, keys)
}

// statRanks returns the 0-based ranks wanted of statistic stat among its n
// values (n > 0).
// The first four of recency, frequency and monetary are the RFM quintile
// cut points.
func statRanks(stat int32, n int64, spec rankSpec) []int64 {
	switch stat {
	case statMaxOrder:
		return []int64{int64(features.TopRank(int(n), spec.BigOrder))}
	case statRecency, statFrequency, statMonetary: // the RFM quintile cut points, as features.FitRFMCuts
		r := make([]int64, 4)
		for j := int64(1); j <= 4; j++ {
			r[j-1] = (j*n+4)/5 - 1
		}
		if stat == statMonetary {
			for _, share := range []float64{spec.Top, spec.VIP, spec.Elite} {
				r = append(r, int64(features.TopRank(int(n), share)))
			}
		}
		return r
	}
	r := []int64{0, n - 1, (n - 1) / 2}
	if spec.Clip > 0 && spec.Clip < 0.5 {
		lo, hi := features.ClipRanks(int(n), spec.Clip)
		r = append(r, int64(lo), int64(hi))
	}
	return r
}

// statTargets are the ranks wanted, with their coarse bucket and the
// count of the statistic's values in lower buckets.
type statTargets struct {
	N                      []int64 // values of each statistic, by statistic
	Stats                  []int32
	Ranks, Buckets, Before []int64
}

// selectTargetsFn finds the buckets of the ranks wanted from pass 1.
type selectTargetsFn struct{ Spec rankSpec }

// ProcessElement locates the ranks.
func (f *selectTargetsFn) ProcessElement(h statHist) statTargets {
	var t statTargets
	for i, s := range h.Stats {
		for int(s) >= len(t.N) {
			t.N = append(t.N, 0)
		}
		t.N[s] += h.Counts[i]
	}
	start := 0
	for start < len(h.Stats) {
		s := h.Stats[start]
		end := start
		for end < len(h.Stats) && h.Stats[end] == s {
			end++
		}
		for _, r := range statRanks(s, t.N[s], f.Spec) {
			var before int64
			for i := start; i < end; i++ {
				if r < before+h.Counts[i] {
					t.Stats, t.Ranks = append(t.Stats, s), append(t.Ranks, r)
					t.Buckets, t.Before = append(t.Buckets, h.Keys[i]), append(t.Before, before)
					break
				}
				before += h.Counts[i]
			}
		}
		start = end
	}
	return t
}

// exactStatHist is pass 2: a customer's values that fall in a target
// bucket of their statistic, counted by exact key.
func exactStatHist(p statPoint, t statTargets) statHist {
	var stats []int32
	var keys []int64
	for i, v := range p.Values {
		k := floatKey(v)
		for n, s := range t.Stats {
			if s == p.Stats[i] && t.Buckets[n] == k>>coarseShift {
				stats, keys = append(stats, s), append(keys, k)
				break
			}
		}
	}
	return statHistOf(stats, keys)
}

// orderStats are the values at the ranks wanted, with the number of values
// of each statistic.
type orderStats struct {
	N      []int64
	Stats  []int32
	Ranks  []int64
	Values []float64
}

// value returns statistic s's value at rank r.
func (o orderStats) value(s int32, r int64) (float64, bool) {
	for i := range o.Stats {
		if o.Stats[i] == s && o.Ranks[i] == r {
			return o.Values[i], true
		}
	}
	return 0, false
}

// count returns the number of values of statistic s.
func (o orderStats) count(s int32) int64 {
	if int(s) < len(o.N) {
		return o.N[s]
	}
	return 0
}

// resolveStats reads the values at the ranks wanted from pass 2's exact
// counts.
func resolveStats(h statHist, t statTargets) (orderStats, error) {
	o := orderStats{N: t.N, Stats: t.Stats, Ranks: t.Ranks, Values: make([]float64, len(t.Ranks))}
	for n, s := range t.Stats {
		pos, found := t.Before[n], false
		for i := range h.Keys {
			if h.Stats[i] != s || h.Keys[i]>>coarseShift != t.Buckets[n] {
				continue
			}
			if t.Ranks[n] < pos+h.Counts[i] {
				o.Values[n], found = keyFloat(h.Keys[i]), true
				break
			}
			pos += h.Counts[i]
		}
		if !found {
			return o, fmt.Errorf("featurejob: rank %d of statistic %d is not in its bucket: the two passes saw different values", t.Ranks[n], s)
		}
	}
	return o, nil
}
