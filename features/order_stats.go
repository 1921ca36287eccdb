package features

import (
	"math"
	"slices"

	"github.com/segment-tool/segment/internal/selectk"
)

// orderStats returns the values slices.Sort would put at the 0-based ranks
// of v (any order, each in [0, len(v))), reordering v. It selects them in
// linear time, from the highest rank down, each within the values below
// the previous one; with a NaN in v it sorts instead, as the rank of a NaN
// is defined only by slices.Sort. A zero comes back as +0 (see
// selectk.Select).
func orderStats(v []float64, ranks ...int) []float64 {
	out := make([]float64, len(ranks))
	if slices.ContainsFunc(v, math.IsNaN) {
		slices.Sort(v)
		for i, k := range ranks {
			out[i] = v[k]
		}
		return out
	}
	order := make([]int, len(ranks)) // indexes of ranks, highest rank first
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return ranks[b] - ranks[a] })
	w := v
	for _, i := range order {
		k := ranks[i]
		out[i] = selectk.Select(w, k)
		w = w[:k+1] // the values at ranks ≤ k, with v[k] last
	}
	return out
}

// modeCount returns how many values of v equal its most common value, or,
// when no value is held by more than half of them, some count no larger
// than half. It is the Boyer–Moore majority vote (Boyer & Moore 1991):
// two passes, no copy, v unchanged. NaN equals nothing, not even itself.
func modeCount(v []float64) int {
	var cand float64
	votes := 0
	for _, x := range v {
		switch {
		case votes == 0:
			cand, votes = x, 1
		case x == cand:
			votes++
		default:
			votes--
		}
	}
	n := 0
	for _, x := range v {
		if x == cand {
			n++
		}
	}
	return n
}

// sortedModeCount returns how many values of v equal its most common
// value, sorting v.
func sortedModeCount(v []float64) int {
	slices.Sort(v)
	mode, run := 0, 0
	for i := range v {
		if i > 0 && v[i] == v[i-1] {
			run++
		} else {
			run = 1
		}
		mode = max(mode, run)
	}
	return mode
}
