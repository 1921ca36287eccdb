package report

import (
	"context"
	"maps"
	"runtime"
	"slices"
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

// ProfilesContext is Profiles, returning ctx.Err() once ctx is done. It
// runs ChunkProfiles over the columns, on GOMAXPROCS goroutines.
func ProfilesContext(ctx context.Context, features []string, cols [][]float64, labels []int, k int, weight []float64, groups map[string][]bool) (Population, []ClusterStats, error) {
	n := len(labels)
	if len(cols) != len(features) || weight != nil && len(weight) != n {
		panic("report: Profiles: shape mismatch")
	}
	for _, v := range cols {
		if len(v) != n {
			panic("report: Profiles: shape mismatch")
		}
	}
	ids := slices.Sorted(maps.Keys(groups))
	chunk := ProfileChunk{Labels: labels, Cols: cols, Weight: weight, Groups: make([][]bool, len(ids))}
	for g, id := range ids {
		if chunk.Groups[g] = groups[id]; len(chunk.Groups[g]) != n {
			panic("report: Profiles: shape mismatch")
		}
	}
	return ChunkProfiles(ctx, features, ids, k, chunk, runtime.GOMAXPROCS(0))
}
