package selectk

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"slices"
)

// A search split over workers (the scale-out runner's): every worker
// counts its part of a pass's values in a Fork of the search, the forks
// are merged (Merge, in any order) into the search, which then ends the
// pass (EndPass) and is sent to the workers again (MarshalBinary) for
// the next. The counts of a pass merge exactly, so the values found are
// those of one search given every value, bit for bit.

// Fork returns a search in the same state as p with nothing counted in
// the current pass: what a worker counts its part of the pass in. The
// fork shares nothing with p.
func (p *Passes) Fork() *Passes {
	st := p.state(false)
	f, err := fromState(st)
	if err != nil { // p's own state is always whole
		panic(err)
	}
	return f
}

// Merge adds the values o counted in the current pass to p's: o must be
// a Fork of p (or of a search in the same state) given the same pass. It is an error when the two are not at the same pass or do not
// count the same ranges. o is not changed.
func (p *Passes) Merge(o *Passes) error {
	if p.pass != o.pass || len(p.n) != len(o.n) {
		return errNotFork
	}
	if o.err != nil && p.err == nil {
		p.err = o.err
	}
	if p.pass == 0 {
		for s, h := range o.hist {
			if h == nil {
				continue
			}
			if p.hist[s] == nil {
				p.hist[s] = new(binadeHist)
			}
			for b := range h.bins {
				p.hist[s].bins[b].merge(&h.bins[b])
			}
			p.n[s] += o.n[s]
		}
		return nil
	}
	for s, rs := range o.ranges {
		if len(rs) != len(p.ranges[s]) {
			return errNotFork
		}
		for _, r := range rs {
			var into *keyRange
			for _, x := range p.ranges[s] {
				if x.lo == r.lo {
					into = x
					break
				}
			}
			if into == nil || into.hi != r.hi || into.gather != r.gather || len(into.bins) != len(r.bins) {
				return errNotFork
			}
			into.gap += r.gap
			for b := range r.bins {
				into.bins[b].merge(&r.bins[b])
			}
			if len(r.values) > 0 {
				into.values = append(into.values, r.values...)
				into.sorted = false
			}
		}
		p.count[s] += o.count[s]
	}
	return nil
}

// errNotFork is Merge's error for searches in different states.
var errNotFork = errors.New("selectk: merging searches in different states")

// merge adds o's values to b's.
func (b *bin) merge(o *bin) {
	if o.n == 0 {
		return
	}
	if b.n == 0 || o.min < b.min {
		b.min = o.min
	}
	if b.n == 0 || o.max > b.max {
		b.max = o.max
	}
	b.n += o.n
}

// MarshalBinary encodes the search: its state and what the current pass
// counted so far (the first pass's histograms sparsely, one bin per binade
// that holds a value).
func (p *Passes) MarshalBinary() ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(p.state(true)); err != nil {
		return nil, fmt.Errorf("selectk: %w", err)
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary decodes what MarshalBinary encoded into p.
func (p *Passes) UnmarshalBinary(b []byte) error {
	var st passesState
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		return fmt.Errorf("selectk: a damaged search: %w", err)
	}
	q, err := fromState(st)
	if err != nil {
		return err
	}
	*p = *q
	return nil
}

// passesState is a Passes with exported fields, for gob. A target's range
// is its index among its series' ranges (−1 for none).
type passesState struct {
	N       []int64
	Hist    [][]histBin // per series: the binades that hold values
	HasHist bool
	Wants   [][]int
	Targets []targetState
	Ranges  [][]rangeState
	Pass    int
	Count   []int64
	Changed bool
}

type histBin struct {
	Index    int
	N        int64
	Min, Max float64
}

type binState struct {
	N        int64
	Min, Max float64
}

type rangeState struct {
	Lo, Hi     uint64
	Shift      uint
	Bins       []binState
	Gather     bool
	Values     []float64
	Gap, Below int64
}

type targetState struct {
	Rank, Below int64
	Series      int
	Range       int
	Done        bool
	Value       float64
}

// state returns p's state, with the current pass's counts when counts is
// set, else with none counted (a Fork's).
func (p *Passes) state(counts bool) passesState {
	st := passesState{Wants: make([][]int, len(p.wants)), Ranges: make([][]rangeState, len(p.ranges)), Pass: p.pass,
		Changed: p.err != nil, HasHist: p.hist != nil}
	if p.pass > 0 || counts {
		st.N = append([]int64(nil), p.n...)
	} else {
		st.N = make([]int64, len(p.n))
	}
	if p.count != nil {
		st.Count = make([]int64, len(p.count))
		if counts {
			copy(st.Count, p.count)
		}
	}
	if p.hist != nil && (counts || p.pass > 0) {
		st.Hist = make([][]histBin, len(p.hist))
		for s, h := range p.hist {
			if h == nil {
				continue
			}
			for i, b := range h.bins {
				if b.n > 0 {
					st.Hist[s] = append(st.Hist[s], histBin{Index: i, N: b.n, Min: b.min, Max: b.max})
				}
			}
		}
	}
	for s, ids := range p.wants {
		st.Wants[s] = append([]int(nil), ids...)
	}
	for s, rs := range p.ranges {
		for _, r := range rs {
			rst := rangeState{Lo: r.lo, Hi: r.hi, Shift: r.shift, Gather: r.gather, Below: r.below}
			rst.Bins = make([]binState, len(r.bins))
			if counts {
				rst.Gap = r.gap
				rst.Values = append([]float64(nil), r.values...)
				for b, x := range r.bins {
					rst.Bins[b] = binState{N: x.n, Min: x.min, Max: x.max}
				}
			}
			st.Ranges[s] = append(st.Ranges[s], rst)
		}
	}
	for s, ids := range p.wants {
		for _, i := range ids {
			t := p.target[i]
			ts := targetState{Rank: t.rank, Below: t.below, Series: s, Range: -1, Done: t.done, Value: t.value}
			for j, r := range p.ranges[s] {
				if r == t.r {
					ts.Range = j
				}
			}
			for len(st.Targets) <= i {
				st.Targets = append(st.Targets, targetState{})
			}
			st.Targets[i] = ts
		}
	}
	return st
}

// fromState makes the Passes of st, checking that its parts agree.
func fromState(st passesState) (*Passes, error) {
	m := len(st.N)
	bad := func() (*Passes, error) { return nil, errors.New("selectk: a damaged search") }
	if len(st.Wants) != m || len(st.Ranges) != m || st.Hist != nil && len(st.Hist) != m || st.Pass < 0 ||
		st.Pass > 0 && len(st.Count) != m || st.Pass == 0 && (st.Count != nil || !st.HasHist) || slices.ContainsFunc(st.N, func(n int64) bool { return n < 0 }) {
		return bad()
	}
	p := &Passes{n: st.N, wants: st.Wants, ranges: make([][]*keyRange, m), pass: st.Pass, count: st.Count}
	if p.wants == nil {
		p.wants = make([][]int, m)
	}
	if st.Changed {
		p.err = ErrChanged
	}
	if st.HasHist {
		p.hist = make([]*binadeHist, m)
		for s, bins := range st.Hist {
			for _, b := range bins {
				if b.Index < 0 || b.Index >= len(binadeHist{}.bins) {
					return bad()
				}
				if p.hist[s] == nil {
					p.hist[s] = new(binadeHist)
				}
				p.hist[s].bins[b.Index] = bin{n: b.N, min: b.Min, max: b.Max}
			}
		}
	}
	for s, rs := range st.Ranges {
		for _, r := range rs {
			kr := &keyRange{lo: r.Lo, hi: r.Hi, shift: r.Shift, gather: r.Gather, values: r.Values, gap: r.Gap, below: r.Below}
			if !r.Gather {
				if r.Hi < r.Lo || r.Shift >= 64 || len(r.Bins) == 0 || uint64(len(r.Bins)-1) != (r.Hi-r.Lo)>>r.Shift {
					return bad()
				}
				kr.bins = make([]bin, len(r.Bins))
				for b, x := range r.Bins {
					kr.bins[b] = bin{n: x.N, min: x.Min, max: x.Max}
				}
			}
			p.ranges[s] = append(p.ranges[s], kr)
		}
	}
	p.target = make([]rankTarget, len(st.Targets))
	for i, t := range st.Targets {
		if t.Series < 0 || t.Series >= m || t.Range >= len(p.ranges[t.Series]) || t.Range < -1 || !t.Done && t.Range < 0 {
			return bad()
		}
		rt := rankTarget{rank: t.Rank, below: t.Below, done: t.Done, value: t.Value}
		if t.Range >= 0 {
			rt.r = p.ranges[t.Series][t.Range]
		}
		p.target[i] = rt
	}
	for _, ids := range p.wants {
		for _, i := range ids {
			if i < 0 || i >= len(p.target) {
				return bad()
			}
		}
	}
	return p, nil
}
