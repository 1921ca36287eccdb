package selectk

import (
	"math"
	"slices"
)

// Passes finds exact order statistics of several series of values that
// can be given again, pass after pass, without holding the values: the
// customers of a store too large for memory, read from files once per
// pass. The first pass counts each series in a histogram of its values'
// binades; each later pass narrows every wanted rank to one bin of the
// range found before (256 bins a pass), until the bin holds one distinct
// value, or few enough values (CollectMax) to gather in one more pass and
// select exactly. Memory is a histogram of 4,096 bins per series during
// the first pass, then a few kilobytes per wanted rank; the number of
// passes grows with the logarithm of the count of values, about three for
// a million values of a continuous feature, two or fewer for integers.
//
// The values found are the series' order statistics exactly, as Select
// gives them (−0 is returned as +0), whatever the order the values come in
// within a pass. Values must not be NaN.
//
// Use: Add every value of every series (the first pass), EndPass, Want the
// ranks, then while !Done, Add every value again and EndPass; Value
// returns a wanted rank's value.
type Passes struct {
	n      []int64       // values of each series (the first pass)
	hist   []*binadeHist // the first pass's histograms, nil once it ended
	wants  [][]int       // the wanted ranks of each series, indexes into targets
	target []rankTarget
	pass   int
}

// CollectMax is the count of values of a bin below which the next pass
// gathers them instead of narrowing further.
const CollectMax = 4096

// binadeBits is the number of top bits of a key the first pass counts:
// the sign and the exponent, one bin per binade.
const binadeBits = 12

// binBits is the number of bits each later pass narrows a range by.
const binBits = 8

type binadeHist struct{ bins [1 << binadeBits]bin }

// bin counts the values of a key range, with the least and the greatest.
type bin struct {
	n        int64
	min, max float64
}

func (b *bin) add(v float64) {
	if b.n == 0 || v < b.min {
		b.min = v
	}
	if b.n == 0 || v > b.max {
		b.max = v
	}
	b.n++
}

// rankTarget is one wanted rank of a series and the key range [lo, hi]
// known to hold its value.
type rankTarget struct {
	rank   int64 // 0-based, in the series' ascending order
	lo, hi uint64
	below  int64 // values of the series whose key is below lo
	shift  uint  // the current pass's bins: (key−lo)>>shift
	bins   []bin
	values []float64 // the range's values, when collecting
	gather bool      // this pass collects the range's values
	done   bool
	value  float64
}

// NewPasses returns the state of a search over m series.
func NewPasses(m int) *Passes {
	return &Passes{n: make([]int64, m), hist: make([]*binadeHist, m), wants: make([][]int, m)}
}

// key maps v to an unsigned integer in the same order (−0 before +0).
func key(v float64) uint64 {
	b := math.Float64bits(v)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

// Add gives the value v of series s to the current pass.
func (p *Passes) Add(s int, v float64) {
	if math.IsNaN(v) {
		panic("selectk: Passes: NaN value")
	}
	k := key(v)
	if p.pass == 0 {
		h := p.hist[s]
		if h == nil {
			h = new(binadeHist)
			p.hist[s] = h
		}
		h.bins[k>>(64-binadeBits)].add(v)
		p.n[s]++
		return
	}
	for _, i := range p.wants[s] {
		t := &p.target[i]
		if t.done || k < t.lo || k > t.hi {
			continue
		}
		if t.gather {
			t.values = append(t.values, v)
		} else {
			t.bins[(k-t.lo)>>t.shift].add(v)
		}
	}
}

// Len returns the count of values of series s: known after the first pass.
func (p *Passes) Len(s int) int64 { return p.n[s] }

// Want asks for the value of 0-based rank r of series s, after the first
// pass; it returns the handle Value takes. It panics if r is out of the
// series' range or the first pass is not over.
func (p *Passes) Want(s int, r int64) int {
	if p.pass != 1 || p.hist == nil || r < 0 || r >= p.n[s] {
		panic("selectk: Passes: Want out of turn or out of range")
	}
	t := rankTarget{rank: r}
	// The binade of rank r, from the first pass's histogram.
	bins := p.hist[s].bins[:]
	for b := range bins {
		if t.below+bins[b].n > r {
			w := uint64(1) << (64 - binadeBits)
			t.lo, t.hi = uint64(b)*w, uint64(b)*w+(w-1)
			t.narrowTo(&bins[b], 64-binadeBits)
			break
		}
		t.below += bins[b].n
	}
	p.target = append(p.target, t)
	p.wants[s] = append(p.wants[s], len(p.target)-1)
	return len(p.target) - 1
}

// narrowTo sets up the next pass over t's range [lo, hi] of width 2^width
// keys, whose count, least and greatest values are b's.
func (t *rankTarget) narrowTo(b *bin, width uint) {
	switch {
	case b.min == b.max: // one distinct value (or keys of +0 and −0)
		t.done, t.value = true, plusZero(b.min)
	case b.n <= CollectMax || width == 0:
		t.gather, t.bins = true, nil
	default:
		t.shift = width - min(width, binBits)
		t.bins = make([]bin, 1<<(width-t.shift))
	}
}

// EndPass ends the current pass.
func (p *Passes) EndPass() {
	if p.pass == 0 {
		p.pass = 1
		return
	}
	if p.pass == 1 {
		p.hist = nil // the Wants are made
	}
	p.pass++
	for i := range p.target {
		t := &p.target[i]
		switch {
		case t.done:
		case t.gather:
			r := int(t.rank - t.below)
			if r < 0 || r >= len(t.values) {
				panic("selectk: Passes: the values changed between passes")
			}
			t.done, t.value, t.values = true, Select(t.values, r), nil
		default:
			for b := range t.bins {
				if t.below+t.bins[b].n > t.rank {
					t.lo += uint64(b) << t.shift
					t.hi = t.lo + (uint64(1)<<t.shift - 1)
					t.narrowTo(&t.bins[b], t.shift)
					break
				}
				t.below += t.bins[b].n
				if b == len(t.bins)-1 {
					panic("selectk: Passes: the values changed between passes")
				}
			}
		}
	}
}

// Done reports whether every wanted rank is found, after the first pass.
func (p *Passes) Done() bool {
	if p.pass == 0 {
		return false
	}
	return !slices.ContainsFunc(p.target, func(t rankTarget) bool { return !t.done })
}

// Passes returns the number of passes ended.
func (p *Passes) Passes() int { return p.pass }

// Value returns the value of the wanted rank of handle i, once Done.
func (p *Passes) Value(i int) float64 {
	if !p.target[i].done {
		panic("selectk: Passes: Value before Done")
	}
	return p.target[i].value
}

// WantMedians wants the middle rank of every series, or the two middle
// ranks of an even count, after the first pass, and returns the function
// that gives series s's median once Done: as Median gives it (the mean of
// the two middle values), NaN for a series without values.
func (p *Passes) WantMedians() func(s int) float64 {
	type middle struct{ lo, hi int } // handles; −1 for none
	mids := make([]middle, len(p.n))
	for s, n := range p.n {
		switch {
		case n == 0:
			mids[s] = middle{-1, -1}
		case n%2 == 1:
			h := p.Want(s, n/2)
			mids[s] = middle{h, h}
		default:
			mids[s] = middle{p.Want(s, n/2-1), p.Want(s, n/2)}
		}
	}
	return func(s int) float64 {
		m := mids[s]
		switch {
		case m.lo < 0:
			return math.NaN()
		case m.lo == m.hi:
			return p.Value(m.lo)
		}
		return (p.Value(m.lo) + p.Value(m.hi)) / 2
	}
}
