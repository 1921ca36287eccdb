package report

import (
	"context"
	"math"
	"strings"

	"github.com/segment-tool/segment/internal/selectk"
)

// Profiles computes what NameClusters, ClusterAction and the report need to
// describe k clusters against the population of clustered customers: for
// each feature, the population's median and each cluster's median and
// its quantile position among all customers; for each mix_ column, the
// category's share of the spend (weighted by weight[i], each customer's
// spend; nil weighs customers equally); and each cluster's share of
// customers in each group.
//
// cols[j] holds feature j's value for every customer, labels[i] is
// customer i's cluster in [0, k), groups[id][i] whether customer i is in
// group id. Inputs are not modified. Profiles panics if a column, the
// weights or a group is not len(labels) long.
func Profiles(features []string, cols [][]float64, labels []int, k int, weight []float64, groups map[string][]bool) (Population, []ClusterStats) {
	pop, stats, _ := ProfilesContext(context.Background(), features, cols, labels, k, weight, groups)
	return pop, stats
}

// ProfilesContext is Profiles, returning ctx.Err() once ctx is done
// (checked before each feature and each group: a pass over the customers).
func ProfilesContext(ctx context.Context, features []string, cols [][]float64, labels []int, k int, weight []float64, groups map[string][]bool) (Population, []ClusterStats, error) {
	n := len(labels)
	if len(cols) != len(features) || weight != nil && len(weight) != n {
		panic("report: Profiles: shape mismatch")
	}
	members := make([][]int, k)
	for i, l := range labels {
		members[l] = append(members[l], i)
	}
	d := len(features)
	pop := Population{Features: features, Median: make([]float64, d), Share: make([]float64, d), Groups: map[string]float64{}}
	stats := make([]ClusterStats, k)
	for c := range stats {
		stats[c] = ClusterStats{Median: make([]float64, d), Pos: make([]float64, d), Share: make([]float64, d), Groups: map[string]float64{}}
	}
	sorted := make([]float64, n)
	buf := make([]float64, 0, n)
	for j, name := range features {
		if err := ctx.Err(); err != nil {
			return Population{}, nil, err
		}
		v := cols[j]
		if len(v) != n {
			panic("report: Profiles: shape mismatch")
		}
		copy(sorted, v)
		pop.Median[j] = median(sorted)
		isMix := strings.HasPrefix(name, "mix_")
		pop.Share[j] = math.NaN()
		if isMix {
			pop.Share[j] = spendShare(v, weight, nil)
		}
		for c := range stats {
			buf = buf[:0]
			for _, i := range members[c] {
				buf = append(buf, v[i])
			}
			stats[c].Median[j] = median(buf)
			stats[c].Pos[j] = quantilePosition(v, stats[c].Median[j])
			stats[c].Share[j] = math.NaN()
			if isMix {
				stats[c].Share[j] = spendShare(v, weight, members[c])
			}
		}
	}
	for id, in := range groups {
		if err := ctx.Err(); err != nil {
			return Population{}, nil, err
		}
		if len(in) != n {
			panic("report: Profiles: shape mismatch")
		}
		total := 0
		for c := range stats {
			m := 0
			for _, i := range members[c] {
				if in[i] {
					m++
				}
			}
			total += m
			if len(members[c]) > 0 {
				stats[c].Groups[id] = float64(m) / float64(len(members[c]))
			}
		}
		if n > 0 {
			pop.Groups[id] = float64(total) / float64(n)
		}
	}
	return pop, stats, nil
}

// median is the median of the values (the mean of the middle two for an
// even count), NaN for none; it reorders them.
func median(s []float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	return selectk.Median(s)
}

// quantilePosition is the position of v among the values: the share below
// it plus half the share equal to it.
func quantilePosition(values []float64, v float64) float64 {
	if len(values) == 0 || math.IsNaN(v) {
		return math.NaN()
	}
	below, equal := 0, 0
	for _, x := range values {
		if x < v {
			below++
		} else if x == v {
			equal++
		}
	}
	return (float64(below) + float64(equal)/2) / float64(len(values))
}

// spendShare is Σ v·w / Σ w over the given rows (all rows when rows is
// nil): a category's share of the spend when v is each customer's share
// of spend in it and w their spend. Without weights every customer counts
// once.
func spendShare(v, w []float64, rows []int) float64 {
	var num, den float64
	add := func(i int) {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		num += v[i] * wi
		den += wi
	}
	if rows == nil {
		for i := range v {
			add(i)
		}
	} else {
		for _, i := range rows {
			add(i)
		}
	}
	if den <= 0 {
		return math.NaN()
	}
	return num / den
}
