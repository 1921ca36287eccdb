package report

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/segment-tool/segment/internal/exactsum"
	"github.com/segment-tool/segment/internal/selectk"
)

// RevenueRanks finds Revenue (the revenue concentration: the revenue of
// the top r customers by monetary, for the ranks Revenue needs) in rounds
// over the customers' monetary values: Add every customer's, EndRound,
// until Done. The values at those ranks are found in passes
// (selectk.Passes, the total summed in the first), then one round sums,
// exactly, the values between each two of them. A round's counts can be
// made on parts of the customers apart and merged in any order (Fork,
// Merge, MarshalBinary), as the scale-out runner's job 2 makes them; the
// result is the same, bit for bit.
type RevenueRanks struct {
	stage   int
	ranks   *selectk.Passes
	total   exactsum.Sum
	n       int
	tops    []int // the ranks Revenue holds (revenueRanks), after the first round
	handles []int
	cuts    []float64 // the values at those ranks, ascending and distinct
	// between[j]: the values between cuts j−1 and j (below cut 0 for
	// j = 0, above the last for j = len(cuts)); equal[j]: the values equal
	// to cut j.
	between  []exactsum.Sum
	betweenN []int64
	equal    []int64
	rounds   int
}

// The stages of a RevenueRanks.
const (
	revenueRanksStage = iota // the first round and the passes
	revenueSumsStage         // summing between the values found
	revenueDoneStage
)

// NewRevenueRanks returns an empty search.
func NewRevenueRanks() *RevenueRanks { return &RevenueRanks{ranks: selectk.NewPasses(1)} }

// Add counts customers' monetary values (clamped at 0) in the current
// round.
func (r *RevenueRanks) Add(monetary []float64) {
	switch r.stage {
	case revenueRanksStage:
		first := r.ranks.Passes() == 0
		for _, v := range monetary {
			v = math.Max(v, 0)
			r.ranks.Add(0, v)
			if first {
				r.total.Add(v)
			}
		}
	case revenueSumsStage:
		for _, v := range monetary {
			if math.IsNaN(v) {
				continue // counted nowhere: the round's count check fails
			}
			v = math.Max(v, 0)
			if j, found := slices.BinarySearch(r.cuts, v); found {
				r.equal[j]++
			} else {
				r.between[j].Add(v)
				r.betweenN[j]++
			}
		}
	}
}

// EndRound ends the current round. A round not given the first round's
// values, or a NaN, is an error.
func (r *RevenueRanks) EndRound() error {
	r.rounds++
	switch r.stage {
	case revenueRanksStage:
		first := r.ranks.Passes() == 0
		if err := r.ranks.EndPass(); err != nil {
			return fmt.Errorf("report: revenue: %w", err)
		}
		if first {
			r.n = int(r.ranks.Len(0))
			if r.n == 0 {
				r.stage = revenueDoneStage
				return nil
			}
			r.tops = revenueRanks(r.n)
			r.handles = make([]int, len(r.tops))
			for i, t := range r.tops { // the t-th highest is the (n−t)-th lowest
				r.handles[i] = r.ranks.Want(0, int64(r.n-t))
			}
		}
		if !r.ranks.Done() {
			return nil
		}
		r.cuts = make([]float64, len(r.handles))
		for i, h := range r.handles {
			r.cuts[i] = r.ranks.Value(h)
		}
		slices.Sort(r.cuts)
		r.cuts = slices.Compact(r.cuts)
		r.between, r.betweenN, r.equal = make([]exactsum.Sum, len(r.cuts)+1), make([]int64, len(r.cuts)+1), make([]int64, len(r.cuts))
		r.stage = revenueSumsStage
	case revenueSumsStage:
		var n int64
		for _, x := range slices.Concat(r.betweenN, r.equal) {
			n += x
		}
		if n != int64(r.n) {
			return fmt.Errorf("report: revenue: %d values in the sums' round, %d in the first (a file changed while it was read?)", n, r.n)
		}
		r.stage = revenueDoneStage
	}
	return nil
}

// consistent reports whether a decoded search's parts agree: the ranks
// wanted are Revenue's for its customers, and past the passes the cuts
// are the values found at them.
func (r *RevenueRanks) consistent() bool {
	if r.ranks.Series() != 1 || r.rounds < 0 {
		return false
	}
	if r.ranks.Passes() == 0 || r.n == 0 {
		return len(r.handles) == 0 && (r.ranks.Passes() == 0 || r.n == int(r.ranks.Len(0)))
	}
	if r.n != int(r.ranks.Len(0)) || !slices.Equal(r.tops, revenueRanks(r.n)) ||
		slices.ContainsFunc(r.handles, func(h int) bool { return h < 0 || h >= r.ranks.Wanted() }) {
		return false
	}
	if r.stage == revenueRanksStage {
		return r.cuts == nil
	}
	if !r.ranks.Done() {
		return false
	}
	cuts := make([]float64, len(r.handles))
	for i, h := range r.handles {
		cuts[i] = r.ranks.Value(h)
	}
	slices.Sort(cuts)
	return slices.Equal(slices.Compact(cuts), r.cuts)
}

// Done reports whether Revenue is found.
func (r *RevenueRanks) Done() bool { return r.stage == revenueDoneStage }

// Rounds returns the number of rounds ended.
func (r *RevenueRanks) Rounds() int { return r.rounds }

// Revenue returns the revenue concentration found, once Done.
func (r *RevenueRanks) Revenue() *Revenue {
	rev := &Revenue{n: r.n, total: r.total.Float64(), top: map[int]float64{}}
	if r.n == 0 {
		return rev
	}
	// From the top down, the sum and count of the values above each cut;
	// the top t customers are those above the value at rank t and as
	// many of those equal to it as make t.
	above := make([]*exactsum.Sum, len(r.cuts))
	aboveN := make([]int64, len(r.cuts))
	var acc exactsum.Sum
	var accN int64
	for j := len(r.cuts) - 1; j >= 0; j-- {
		acc.Merge(&r.between[j+1])
		accN += r.betweenN[j+1]
		if j+1 < len(r.cuts) {
			acc.AddTimes(r.cuts[j+1], r.equal[j+1])
			accN += r.equal[j+1]
		}
		above[j], aboveN[j] = acc.Clone(), accN
	}
	for i, t := range r.tops {
		x := r.ranks.Value(r.handles[i])
		j, _ := slices.BinarySearch(r.cuts, x)
		sum := above[j].Clone()
		sum.AddTimes(x, int64(t)-aboveN[j])
		rev.top[t] = sum.Float64()
	}
	return rev
}

// Fork returns a search in the same state as r with nothing counted in
// the current round, sharing nothing with it.
func (r *RevenueRanks) Fork() *RevenueRanks {
	f := &RevenueRanks{stage: r.stage, ranks: r.ranks.Fork(), n: r.n, tops: slices.Clone(r.tops), handles: slices.Clone(r.handles),
		cuts: slices.Clone(r.cuts), rounds: r.rounds}
	if r.ranks.Passes() > 0 {
		f.total = *r.total.Clone() // the first round's: kept, not counted again
	}
	if r.between != nil {
		f.between, f.betweenN, f.equal = make([]exactsum.Sum, len(r.between)), make([]int64, len(r.betweenN)), make([]int64, len(r.equal))
	}
	return f
}

// Merge adds what o counted in the current round to r's counts: o must be
// a Fork of r (or of a search in the same state) given the same round.
func (r *RevenueRanks) Merge(o *RevenueRanks) error {
	if r.stage != o.stage || !slices.Equal(r.cuts, o.cuts) || len(r.between) != len(o.between) {
		return errRevenueState
	}
	switch r.stage {
	case revenueRanksStage:
		if r.ranks.Passes() == 0 {
			r.total.Merge(&o.total)
		}
		return r.ranks.Merge(o.ranks)
	case revenueSumsStage:
		for j := range r.between {
			r.between[j].Merge(&o.between[j])
			r.betweenN[j] += o.betweenN[j]
		}
		for j := range r.equal {
			r.equal[j] += o.equal[j]
		}
	}
	return nil
}

var errRevenueState = errors.New("report: revenue: merging searches in different states")

// revenueState is a RevenueRanks with exported fields, for gob.
type revenueState struct {
	Stage, N, Rounds int
	Ranks, Total     []byte
	Tops, Handles    []int
	Cuts             []float64
	Between          [][]byte
	BetweenN, Equal  []int64
}

// MarshalBinary encodes the search and what the current round counted.
func (r *RevenueRanks) MarshalBinary() ([]byte, error) {
	st := revenueState{Stage: r.stage, N: r.n, Rounds: r.rounds, Tops: r.tops, Handles: r.handles, Cuts: r.cuts, BetweenN: r.betweenN, Equal: r.equal}
	var err error
	if st.Ranks, err = r.ranks.MarshalBinary(); err != nil {
		return nil, err
	}
	if st.Total, err = r.total.MarshalBinary(); err != nil {
		return nil, err
	}
	st.Between = exactsum.MarshalSums(r.between)
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(st); err != nil {
		return nil, fmt.Errorf("report: revenue: %w", err)
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary decodes what MarshalBinary encoded into r.
func (r *RevenueRanks) UnmarshalBinary(b []byte) error {
	var st revenueState
	bad := errors.New("report: revenue: a damaged search")
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		return fmt.Errorf("%w: %w", bad, err)
	}
	if st.Stage < revenueRanksStage || st.Stage > revenueDoneStage || len(st.Handles) != len(st.Tops) ||
		len(st.Between) != len(st.BetweenN) || st.Between != nil && (len(st.Between) != len(st.Cuts)+1 || len(st.Equal) != len(st.Cuts)) {
		return bad
	}
	out := RevenueRanks{stage: st.Stage, n: st.N, rounds: st.Rounds, tops: st.Tops, handles: st.Handles, cuts: st.Cuts, betweenN: st.BetweenN, equal: st.Equal}
	var ranks selectk.Passes
	if err := ranks.UnmarshalBinary(st.Ranks); err != nil {
		return err
	}
	out.ranks = &ranks
	if err := out.total.UnmarshalBinary(st.Total); err != nil {
		return err
	}
	var err error
	if out.between, err = exactsum.UnmarshalSums(st.Between); err != nil {
		return err
	}
	if out.stage == revenueSumsStage && out.between == nil || !out.consistent() {
		return bad
	}
	*r = out
	return nil
}
