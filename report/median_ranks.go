package report

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"

	"github.com/segment-tool/segment/internal/selectk"
)

// MedianRanks finds the median of each of several series of values (as
// selectk.Median gives it; NaN for a series without values) in rounds:
// Add every value, EndRound, until Done (selectk.Passes: the first round
// counts the values' binades, the next narrow down the middle ranks). A
// round's counts can be made on parts of the values apart and merged in
// any order (Fork, Merge, MarshalBinary), as the scale-out runner's job 2
// makes them; the medians are those of one search, bit for bit.
type MedianRanks struct {
	ranks  *selectk.Passes
	mids   [][2]int  // each series' middle ranks' handles, after the first round
	med    []float64 // each series' median, once Done
	done   bool
	rounds int
}

// NewMedianRanks returns the search of m series.
func NewMedianRanks(m int) *MedianRanks { return &MedianRanks{ranks: selectk.NewPasses(m)} }

// Add counts value v of series s in the current round.
func (r *MedianRanks) Add(s int, v float64) { r.ranks.Add(s, v) }

// EndRound ends the current round. A round not given the first round's
// values, or a NaN, is an error.
func (r *MedianRanks) EndRound() error {
	if r.Done() {
		return nil
	}
	first := r.rounds == 0
	r.rounds++
	if err := r.ranks.EndPass(); err != nil {
		return err
	}
	if first {
		r.mids = r.ranks.WantMedianRanks()
	}
	if r.done = r.ranks.Done(); r.done {
		r.med = make([]float64, len(r.mids))
		for s, m := range r.mids {
			r.med[s] = r.ranks.MedianOf(m)
		}
	}
	return nil
}

// Done reports whether every median is found.
func (r *MedianRanks) Done() bool { return r.done }

// Rounds returns the number of rounds ended.
func (r *MedianRanks) Rounds() int { return r.rounds }

// Median returns series s's median, once Done.
func (r *MedianRanks) Median(s int) float64 { return r.med[s] }

// Series returns the number of series.
func (r *MedianRanks) Series() int { return r.ranks.Series() }

// Len returns the count of values of series s, after the first round.
func (r *MedianRanks) Len(s int) int64 { return r.ranks.Len(s) }

// Fork returns a search in the same state as r with nothing counted in
// the current round, sharing nothing with it.
func (r *MedianRanks) Fork() *MedianRanks {
	f := *r
	f.ranks = r.ranks.Fork()
	return &f // mids and med are never written once set
}

// Merge adds what o counted in the current round to r's counts: o must be
// a Fork of r (or of a search in the same state) given the same round.
func (r *MedianRanks) Merge(o *MedianRanks) error {
	if r.rounds != o.rounds {
		return errMediansState
	}
	if r.Done() {
		return nil
	}
	return r.ranks.Merge(o.ranks)
}

var errMediansState = errors.New("report: medians: merging searches in different states")

// mediansState is a MedianRanks with exported fields, for gob.
type mediansState struct {
	Ranks  []byte
	Mids   [][2]int
	Median []float64
	Done   bool
	Rounds int
}

// MarshalBinary encodes the search and what the current round counted.
func (r *MedianRanks) MarshalBinary() ([]byte, error) {
	b, err := r.ranks.MarshalBinary()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(mediansState{Ranks: b, Mids: r.mids, Median: r.med, Done: r.done, Rounds: r.rounds}); err != nil {
		return nil, fmt.Errorf("report: medians: %w", err)
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary decodes what MarshalBinary encoded into r.
func (r *MedianRanks) UnmarshalBinary(b []byte) error {
	var st mediansState
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		return fmt.Errorf("report: medians: a damaged search: %w", err)
	}
	var ranks selectk.Passes
	if err := ranks.UnmarshalBinary(st.Ranks); err != nil {
		return err
	}
	m := ranks.Series()
	bad := st.Rounds != ranks.Passes() || st.Rounds > 0 && len(st.Mids) != m || st.Done && (len(st.Median) != m || !ranks.Done())
	for _, h := range st.Mids {
		bad = bad || h[0] < -1 || h[0] >= ranks.Wanted() || h[1] < -1 || h[1] >= ranks.Wanted() || (h[0] < 0) != (h[1] < 0)
	}
	if bad {
		return errors.New("report: medians: a damaged search")
	}
	*r = MedianRanks{ranks: &ranks, mids: st.Mids, med: st.Median, done: st.Done, rounds: st.Rounds}
	return nil
}
