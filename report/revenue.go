package report

import (
	"context"
	"math"
	"slices"

	"github.com/segment-tool/segment/internal/exactsum"
)

// paretoPoints is the most points the Pareto curve is drawn with, so that
// the SVG stays small for millions of customers.
const paretoPoints = 1000

// TopShareMarks are the customer shares whose revenue share the summary
// and the Pareto plot give: the top 1 %, 5 % and 20 % by spend.
var TopShareMarks = []float64{0.01, 0.05, 0.20}

// Revenue is what the revenue concentration figures (TopShares and
// ParetoPlot) are made of: the revenue of the r customers with the highest
// monetary, for the ranks r they need (revenueRanks), and the total. Each
// is the exact sum of the customers' monetary values clamped at 0 (net
// refunds count as 0), rounded once: the same bits whether the values were
// sorted in memory (SortRevenue) or found in passes (StreamRevenue).
type Revenue struct {
	n     int
	total float64
	top   map[int]float64 // by rank r: the revenue of the top r customers
}

// curveRanks are the ranks the Pareto curve is drawn at: every step-th
// customer by spend, and the last.
func curveRanks(n int) []int {
	step := max(1, n/paretoPoints)
	var out []int
	for r := step; r <= n; r += step {
		out = append(out, r)
	}
	if len(out) == 0 || out[len(out)-1] != n {
		out = append(out, n)
	}
	return out
}

// topRank is the number of customers in the top share s of n: ⌈s·n⌉.
func topRank(s float64, n int) int {
	return max(min(n, int(math.Ceil(s*float64(n)-1e-9))), 0)
}

// revenueRanks are the ranks Revenue holds: the curve's and the top
// shares', ascending, each once; 0 is left out (no revenue).
func revenueRanks(n int) []int {
	out := curveRanks(n)
	for _, s := range TopShareMarks {
		if r := topRank(s, n); r > 0 {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// SortRevenue returns the Revenue of customers with the given monetary
// values, sorted in memory; monetary is not modified.
func SortRevenue(monetary []float64) *Revenue {
	v := make([]float64, len(monetary))
	var total exactsum.Sum
	for i, m := range monetary {
		v[i] = math.Max(m, 0)
		total.Add(v[i])
	}
	// Ascending, then reversed: a descending sort in a third of the time
	// of one with a comparison function (equal values are the same bits,
	// the clamp having turned −0 into 0).
	slices.Sort(v)
	slices.Reverse(v)
	rev := &Revenue{n: len(v), total: total.Float64(), top: map[int]float64{}}
	var cum exactsum.Sum
	done := 0
	for _, r := range revenueRanks(len(v)) {
		for _, x := range v[done:r] {
			cum.Add(x)
		}
		done = r
		rev.top[r] = cum.Float64()
	}
	return rev
}

// StreamRevenue is SortRevenue over customers that need not fit in
// memory: pass runs over every customer's monetary value once per call,
// calling yield with consecutive runs of them (see StreamProfiles). The
// values at the ranks Revenue needs are found in passes (RevenueRanks),
// then one more pass sums, exactly, the values between each two of them.
func StreamRevenue(ctx context.Context, pass func(yield func(monetary []float64) error) error) (*Revenue, error) {
	return StreamRevenueRanked(ctx, NewRevenueRanks(), pass)
}

// StreamRevenueRanked is StreamRevenue continuing the search r, whose
// rounds were made elsewhere over the same customers (the scale-out
// runner's job 2): the rounds r has not ended are run over pass (none
// when r is done).
func StreamRevenueRanked(ctx context.Context, r *RevenueRanks, pass func(yield func(monetary []float64) error) error) (*Revenue, error) {
	for !r.Done() {
		err := pass(func(m []float64) error {
			r.Add(m)
			return ctx.Err()
		})
		if err != nil {
			return nil, err
		}
		if err := r.EndRound(); err != nil {
			return nil, err
		}
	}
	return r.Revenue(), nil
}

// TopCounts returns, for each share s of TopShareMarks, the number of
// customers TopShares counts in it, ⌈s·n⌉, and n.
func (r *Revenue) TopCounts() (counts []int, n int) {
	for _, s := range TopShareMarks {
		counts = append(counts, topRank(s, r.n))
	}
	return counts, r.n
}

// TopShares returns, for each share s of TopShareMarks (0.05 for the top
// 5 %), the share of revenue that the ⌈s·n⌉ customers with the highest
// monetary bring; NaN shares when the revenue is 0.
func (r *Revenue) TopShares() []float64 {
	out := make([]float64, len(TopShareMarks))
	for i, s := range TopShareMarks {
		out[i] = math.NaN()
		if r.total > 0 {
			out[i] = r.top[topRank(s, r.n)] / r.total // top[0] is absent: 0
		}
	}
	return out
}
