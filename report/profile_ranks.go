package report

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"slices"
)

// ProfileRanks finds the profiles' figures that depend on the order of
// the values, not on their sums: each cluster's and the population's
// median of every feature, and each cluster median's quantile position
// among everyone (ClusterStats.Median, Pos and Ties; Population.Median).
// It works in rounds over the clustered customers: Add every customer,
// EndRound, until Done (the medians narrowed down in passes,
// selectk.Passes, then one round for the positions). A round's counts can
// be made on parts of the customers apart and merged, in any order
// (Fork, Merge, MarshalBinary): the scale-out runner's job 2 runs the
// rounds on its workers, each over its own assignment shards, and the
// results are those of one search, bit for bit.
type ProfileRanks struct {
	d, k   int
	stage  int
	med    *MedianRanks // every series' median: c·d+j, k·d+j everyone
	cuts   []cutCounts
	n      int64 // customers, after the first round
	rounds int   // rounds ended
}

// The stages of a ProfileRanks.
const (
	ranksMedians   = iota // narrowing the medians
	ranksPositions        // counting the values around them
	ranksDone
)

// NewProfileRanks returns the search over customers of d features in k
// clusters.
func NewProfileRanks(d, k int) *ProfileRanks {
	return &ProfileRanks{d: d, k: k, med: NewMedianRanks((k + 1) * d)}
}

// Add counts customers in the current round: labels[i] is customer i's
// cluster, cols[j][i] its feature j. A label outside [0, k) or columns
// of other lengths are an error.
func (r *ProfileRanks) Add(labels []int, cols [][]float64) error {
	if len(cols) != r.d {
		return fmt.Errorf("report: profiles: %d columns, want %d", len(cols), r.d)
	}
	for _, col := range cols {
		if len(col) != len(labels) {
			return fmt.Errorf("report: profiles: a column of %d values for %d customers", len(col), len(labels))
		}
	}
	for _, c := range labels {
		if c < 0 || c >= r.k {
			return fmt.Errorf("report: profiles: cluster %d out of [0, %d)", c, r.k)
		}
	}
	switch r.stage {
	case ranksMedians:
		d, k := r.d, r.k
		for i, c := range labels {
			for j, col := range cols {
				r.med.Add(c*d+j, col[i])
				r.med.Add(k*d+j, col[i])
			}
		}
	case ranksPositions:
		for j, col := range cols {
			r.cuts[j].add(col)
		}
	}
	return nil
}

// EndRound ends the current round. A round not given the first round's
// customers, or a NaN, is an error.
func (r *ProfileRanks) EndRound() error {
	r.rounds++
	switch r.stage {
	case ranksMedians:
		if err := r.med.EndRound(); err != nil {
			return fmt.Errorf("report: profiles: %w", err)
		}
		if r.med.Rounds() == 1 && r.d > 0 {
			r.n = r.med.Len(r.k * r.d)
		}
		if !r.med.Done() {
			return nil
		}
		r.cuts = make([]cutCounts, r.d)
		for j := range r.cuts {
			r.cuts[j] = newCutCounts(r.clusterMedians(j))
		}
		r.stage = ranksPositions
		if r.n == 0 || !slices.ContainsFunc(r.cuts, func(c cutCounts) bool { return len(c.cuts) > 0 }) {
			r.stage = ranksDone // nothing to count
		}
	case ranksPositions:
		for _, c := range r.cuts {
			var n int64
			for _, x := range slices.Concat(c.between, c.equal) {
				n += x
			}
			if len(c.cuts) > 0 && n != r.n {
				return fmt.Errorf("report: profiles: %d values in the positions' round, %d in the first (a file changed while it was read?)", n, r.n)
			}
		}
		r.stage = ranksDone
	}
	return nil
}

// clusterMedians returns feature j's median in each cluster.
func (r *ProfileRanks) clusterMedians(j int) []float64 {
	out := make([]float64, r.k)
	for c := range out {
		out[c] = r.med.Median(c*r.d + j)
	}
	return out
}

// Done reports whether every figure is found.
func (r *ProfileRanks) Done() bool { return r.stage == ranksDone }

// Rounds returns the number of rounds ended.
func (r *ProfileRanks) Rounds() int { return r.rounds }

// Customers returns the number of customers counted, after the first round.
func (r *ProfileRanks) Customers() int64 { return r.n }

// median returns series s's median, once Done.
func (r *ProfileRanks) median(s int) float64 { return r.med.Median(s) }

// setPositions sets every cluster median's quantile position, once Done.
func (r *ProfileRanks) setPositions(stats []ClusterStats) {
	for j := range r.cuts {
		r.cuts[j].setPositions(stats, j, r.n)
	}
}

// Fork returns a search in the same state as r with nothing counted in
// the current round, sharing nothing with it: what a worker counts its
// part of the customers in.
func (r *ProfileRanks) Fork() *ProfileRanks {
	f := *r
	f.med = r.med.Fork()
	f.cuts = make([]cutCounts, len(r.cuts))
	for j, c := range r.cuts {
		f.cuts[j] = newCutCounts(c.cuts)
	}
	return &f
}

// Merge adds what o counted in the current round to r's counts: o must be
// a Fork of r (or of a search in the same state) given the same round.
// o is not changed.
func (r *ProfileRanks) Merge(o *ProfileRanks) error {
	if r.d != o.d || r.k != o.k || r.stage != o.stage || len(r.cuts) != len(o.cuts) {
		return errRanksState
	}
	switch r.stage {
	case ranksMedians:
		return r.med.Merge(o.med)
	case ranksPositions:
		for j := range r.cuts {
			a, b := &r.cuts[j], &o.cuts[j]
			if !slices.Equal(a.cuts, b.cuts) {
				return errRanksState
			}
			for p := range a.between {
				a.between[p] += b.between[p]
			}
			for p := range a.equal {
				a.equal[p] += b.equal[p]
			}
		}
	}
	return nil
}

var errRanksState = errors.New("report: profiles: merging searches in different states")

// ranksState is a ProfileRanks with exported fields, for gob.
type ranksState struct {
	D, K, Stage int
	Rounds      int
	Medians     []byte
	Cuts        []cutState
	N           int64
}

type cutState struct {
	Cuts           []float64
	Between, Equal []int64
}

// MarshalBinary encodes the search and what the current round counted.
func (r *ProfileRanks) MarshalBinary() ([]byte, error) {
	mb, err := r.med.MarshalBinary()
	if err != nil {
		return nil, err
	}
	st := ranksState{D: r.d, K: r.k, Stage: r.stage, Rounds: r.rounds, Medians: mb, N: r.n}
	for _, c := range r.cuts {
		st.Cuts = append(st.Cuts, cutState{Cuts: c.cuts, Between: c.between, Equal: c.equal})
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(st); err != nil {
		return nil, fmt.Errorf("report: profiles: %w", err)
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary decodes what MarshalBinary encoded into r.
func (r *ProfileRanks) UnmarshalBinary(b []byte) error {
	var st ranksState
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		return fmt.Errorf("report: profiles: a damaged search: %w", err)
	}
	series := (st.K + 1) * st.D
	if st.D < 0 || st.K < 1 || st.Stage < ranksMedians || st.Stage > ranksDone || st.Cuts != nil && len(st.Cuts) != st.D {
		return errors.New("report: profiles: a damaged search")
	}
	var med MedianRanks
	if err := med.UnmarshalBinary(st.Medians); err != nil {
		return err
	}
	if med.ranks.Series() != series || st.Stage != ranksMedians && !med.Done() {
		return errors.New("report: profiles: a damaged search")
	}
	out := ProfileRanks{d: st.D, k: st.K, stage: st.Stage, rounds: st.Rounds, med: &med, n: st.N}
	for _, c := range st.Cuts {
		if len(c.Between) != len(c.Cuts)+1 || len(c.Equal) != len(c.Cuts) {
			return errors.New("report: profiles: a damaged search")
		}
		out.cuts = append(out.cuts, cutCounts{cuts: c.Cuts, between: c.Between, equal: c.Equal})
	}
	if out.stage != ranksMedians { // the cuts are the clusters' medians
		if len(out.cuts) != out.d {
			return errors.New("report: profiles: a damaged search")
		}
		for j, c := range out.cuts {
			if !slices.Equal(c.cuts, newCutCounts(out.clusterMedians(j)).cuts) {
				return errors.New("report: profiles: a damaged search")
			}
		}
	}
	*r = out
	return nil
}
