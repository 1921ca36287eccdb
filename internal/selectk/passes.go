package selectk

import (
	"cmp"
	"errors"
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
// within a pass. A NaN, or a pass not given the first pass's values, is
// EndPass's ErrChanged.
//
// Use: Add every value of every series (the first pass), EndPass, Want the
// ranks, then while !Done, Add every value again and EndPass; Value
// returns a wanted rank's value.
type Passes struct {
	n      []int64       // values of each series (the first pass)
	hist   []*binadeHist // the first pass's histograms, nil once it ended
	wants  [][]int       // the wanted ranks of each series, indexes into target
	target []rankTarget
	// ranges are each series' key ranges that the current pass counts or
	// gathers, sorted by lo: the ranges of one pass are bins of one width
	// (every target narrows once a pass), so two of them are the same
	// range, shared by their targets, or apart.
	ranges [][]*keyRange
	sorted bool // ranges are sorted
	pass   int
	count  []int64 // values of each series in the current pass (after the first)
	err    error   // the first NaN, or values that changed between passes
}

// ErrChanged is EndPass's error when a pass was not given the values of
// the first (a file that changed while it was read, a NaN).
var ErrChanged = errors.New("selectk: a value is NaN, or the values changed between passes (a file changed while it was read?)")

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

// keyRange is a range [lo, hi] of keys of a series that a pass counts in
// bins, (key−lo)>>shift, or gathers.
type keyRange struct {
	lo, hi uint64
	shift  uint
	bins   []bin
	gather bool
	values []float64
	sorted bool // values are sorted
	// gap counts the pass's values between the range before this one (or
	// the least key) and lo; below, at the end of the pass, its values
	// below lo.
	gap, below int64
}

// rankTarget is one wanted rank of a series and the range known to hold
// its value.
type rankTarget struct {
	rank  int64 // 0-based, in the series' ascending order
	r     *keyRange
	below int64 // values of the series whose key is below r.lo
	done  bool
	value float64
}

// NewPasses returns the state of a search over m series.
func NewPasses(m int) *Passes {
	return &Passes{n: make([]int64, m), hist: make([]*binadeHist, m), wants: make([][]int, m), ranges: make([][]*keyRange, m)}
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
		p.err = ErrChanged
		return
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
	p.count[s]++
	if !p.sorted {
		for _, rs := range p.ranges {
			slices.SortFunc(rs, func(a, b *keyRange) int { return cmp.Compare(a.lo, b.lo) })
		}
		p.sorted = true
	}
	rs := p.ranges[s]
	i := 0            // the first range above k
	if len(rs) <= 4 { // a median's one or two ranges: a scan is quicker
		for i < len(rs) && rs[i].lo <= k {
			i++
		}
	} else {
		i, _ = slices.BinarySearchFunc(rs, k, func(r *keyRange, k uint64) int {
			if r.lo <= k {
				return -1
			}
			return 1
		})
	}
	if i > 0 && k <= rs[i-1].hi {
		r := rs[i-1]
		if r.gather {
			r.values = append(r.values, v)
		} else {
			r.bins[(k-r.lo)>>r.shift].add(v)
		}
	} else if i < len(rs) {
		rs[i].gap++
	}
}

// Series returns the number of series.
func (p *Passes) Series() int { return len(p.n) }

// Wanted returns the number of ranks wanted: the handles are 0 to
// Wanted()−1.
func (p *Passes) Wanted() int { return len(p.target) }

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
			p.narrow(s, &t, uint64(b)*w, &bins[b], 64-binadeBits)
			break
		}
		t.below += bins[b].n
	}
	p.target = append(p.target, t)
	p.wants[s] = append(p.wants[s], len(p.target)-1)
	return len(p.target) - 1
}

// narrow moves t of series s to the range of 2^width keys from lo, whose
// count, least and greatest values are b's: its value is found when they
// are one value; else the next pass gathers the range's values or counts
// them in bins, in a range shared with the series' other targets in it.
func (p *Passes) narrow(s int, t *rankTarget, lo uint64, b *bin, width uint) {
	if b.min == b.max { // one distinct value (or keys of +0 and −0)
		t.done, t.value, t.r = true, plusZero(b.min), nil
		return
	}
	for _, r := range p.ranges[s] {
		if r.lo == lo {
			t.r = r
			return
		}
	}
	r := &keyRange{lo: lo, hi: lo + (uint64(1)<<width - 1)}
	if b.n <= CollectMax || width == 0 {
		r.gather = true
	} else {
		r.shift = width - min(width, binBits)
		r.bins = make([]bin, 1<<(width-r.shift))
	}
	p.ranges[s] = append(p.ranges[s], r)
	p.sorted = false
	t.r = r
}

// EndPass ends the current pass. A pass that was not given the first
// pass's values (as many of each series, and at least those the pass
// narrowed on), or a NaN, is ErrChanged: the search stops there.
func (p *Passes) EndPass() error {
	if p.err != nil {
		return p.err
	}
	if p.pass == 0 {
		p.pass = 1
		p.count = make([]int64, len(p.n))
		return nil
	}
	if !slices.Equal(p.count, p.n) {
		p.err = ErrChanged
		return p.err
	}
	clear(p.count)
	for _, rs := range p.ranges { // the values below each range, to check against its targets'
		if !p.sorted {
			slices.SortFunc(rs, func(a, b *keyRange) int { return cmp.Compare(a.lo, b.lo) })
		}
		var below int64
		for _, r := range rs {
			below += r.gap
			r.below = below
			below += int64(len(r.values))
			for _, b := range r.bins {
				below += b.n
			}
		}
	}
	if p.pass == 1 {
		p.hist = nil // the Wants are made
	}
	p.pass++
	old := p.ranges
	p.ranges = make([][]*keyRange, len(old))
	for s, ids := range p.wants {
		for _, i := range ids {
			t := &p.target[i]
			if t.done {
				continue
			}
			r := t.r
			if r.below != t.below {
				p.err = ErrChanged
				return p.err
			}
			if r.gather {
				if !r.sorted {
					slices.Sort(r.values)
					r.sorted = true
				}
				j := int(t.rank - t.below)
				if j < 0 || j >= len(r.values) {
					p.err = ErrChanged
					return p.err
				}
				t.done, t.value, t.r = true, plusZero(r.values[j]), nil
				continue
			}
			for b := range r.bins {
				if t.below+r.bins[b].n > t.rank {
					p.narrow(s, t, r.lo+uint64(b)<<r.shift, &r.bins[b], r.shift)
					break
				}
				t.below += r.bins[b].n
				if b == len(r.bins)-1 {
					p.err = ErrChanged
					return p.err
				}
			}
		}
	}
	return nil
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
	mids := p.WantMedianRanks()
	return func(s int) float64 { return p.MedianOf(mids[s]) }
}

// WantMedianRanks wants the middle rank of every series, or the two middle
// ranks of an even count, after the first pass, and returns each series'
// pair of handles (the same handle twice for an odd count, −1 twice for
// none), for MedianOf.
func (p *Passes) WantMedianRanks() [][2]int {
	mids := make([][2]int, len(p.n))
	for s, n := range p.n {
		switch {
		case n == 0:
			mids[s] = [2]int{-1, -1}
		case n%2 == 1:
			h := p.Want(s, n/2)
			mids[s] = [2]int{h, h}
		default:
			mids[s] = [2]int{p.Want(s, n/2-1), p.Want(s, n/2)}
		}
	}
	return mids
}

// MedianOf returns the median of a series given its pair of handles
// (WantMedianRanks) once Done: as Median gives it, NaN for none.
func (p *Passes) MedianOf(m [2]int) float64 {
	switch {
	case m[0] < 0:
		return math.NaN()
	case m[0] == m[1]:
		return p.Value(m[0])
	}
	return (p.Value(m[0]) + p.Value(m[1])) / 2
}
