package features

import (
	"encoding/binary"
	"strings"
)

// A spilled record is a run: consecutive lines (by their position among all
// lines added) of one customer and order, summed as fold would sum them one
// by one. The lines of an order are usually adjacent, so a run replaces two
// or three line records, and the fold of a spilled file looks up a
// customer and an order once per run.
//
// Summing first gives the same state as folding each line, overflow
// included, because a run only holds lines whose terms have the same sign
// in each sum (net, gross, discount, quantity; a returned line's |amount|
// and a refund are never negative): the running sums of the lines then move one way, so
// some line overflows when folded one by one exactly when the run's total
// does. A line that would change a sign, or overflow the run's own sums,
// starts a new run. An overflow found when a run is folded is reported at
// the run's last line: no line outside the run lies between its first and
// last, so the first error among all lines stays the first.

// runSums are the sums of a run's lines, as orderState and prodSums hold
// them.
type runSums struct {
	net, gross, disc, qty, ret fixed
	refund                     fixed // written only when not 0 (spillRefund)
	prem, newQty               fixed
}

// spillRun is a partition's run being gathered.
type spillRun struct {
	open        bool
	first, last int64 // positions of its first and last line
	minT, maxT  int64
	coupon      bool
	sums        runSums
	signs       [4]int8 // of amount, gross, discount and quantity terms: 0 none yet
	cats        []catSpend
	// attrs holds, per attribute, the smallest trimmed non-blank value of
	// the run's lines: what attrStore keeps of an order's values. (A value
	// of blanks only is dropped; attrStore would keep an empty slot per
	// order for it, which no table reads.)
	attrs [numAttrs][]byte
	has   [numAttrs]bool
}

// termSigns returns the signs of a line's terms in the four signed sums;
// a returned line adds only its amount.
func termSigns(r *lineRec, gross fixed) [4]int8 {
	sign := func(v fixed) int8 {
		switch {
		case v > 0:
			return 1
		case v < 0:
			return -1
		}
		return 0
	}
	s := [4]int8{sign(r.net())}
	if r.bought() {
		s[1], s[2], s[3] = sign(gross), sign(r.discount), sign(r.quantity)
	}
	return s
}

// continues reports whether the line at position seq, of the same customer
// and order as the run, can join it: it follows the run's last line and
// keeps every sum's terms of one sign.
func (u *spillRun) continues(seq int64, signs [4]int8) bool {
	if !u.open || seq != u.last+1 {
		return false
	}
	for i, s := range signs {
		if s != 0 && u.signs[i] != 0 && s != u.signs[i] {
			return false
		}
	}
	return true
}

// add adds a checked line at position seq to the run; false, and the run
// unchanged, when one of its sums would overflow. cat is the line's
// category index in the spiller; prem and newQty are the line's terms of
// the product sums.
func (u *spillRun) add(r *lineRec, seq int64, signs [4]int8, gross fixed, cat int32, prem, newQty fixed) bool {
	s := u.sums
	ovf := false
	s.net = s.net.add(r.net(), &ovf)
	if r.returned {
		s.ret = s.ret.add(r.amount.abs(), &ovf)
	}
	s.refund = s.refund.add(r.refunded, &ovf) // never negative: monotone, as ret
	var catGross fixed
	ci := -1
	if r.bought() {
		s.gross = s.gross.add(gross, &ovf)
		s.disc = s.disc.add(r.discount, &ovf)
		s.qty = s.qty.add(r.quantity, &ovf)
		s.prem = s.prem.add(prem, &ovf)
		s.newQty = s.newQty.add(newQty, &ovf)
		catGross = gross
		for i := range u.cats {
			if u.cats[i].cat == cat {
				ci = i
				catGross = u.cats[i].gross.add(gross, &ovf)
				break
			}
		}
	}
	if ovf {
		return false
	}
	if r.bought() {
		if ci < 0 {
			u.cats = append(u.cats, catSpend{cat, catGross})
		} else {
			u.cats[ci].gross = catGross
		}
	}
	if !u.open {
		u.open, u.first, u.minT, u.maxT = true, seq, r.t, r.t
	}
	u.last, u.sums = seq, s
	u.minT, u.maxT = min(u.minT, r.t), max(u.maxT, r.t)
	u.coupon = u.coupon || r.coupon
	for i, v := range signs {
		if v != 0 {
			u.signs[i] = v
		}
	}
	for k, v := range r.attrs {
		if v == "" {
			continue
		}
		if t := strings.TrimSpace(v); t != "" && (!u.has[k] || t < string(u.attrs[k])) {
			u.attrs[k], u.has[k] = append(u.attrs[k][:0], t...), true
		}
	}
	return true
}

// reset empties the run, keeping its buffers.
func (u *spillRun) reset() {
	cats, attrs := u.cats[:0], u.attrs
	*u = spillRun{cats: cats}
	for k := range attrs {
		u.attrs[k] = attrs[k][:0]
	}
}

// appendBody appends the run's sums (the refund when not 0, flagged
// spillRefund by spiller.put), categories and attributes to b (its
// positions, times, flags and ids are written by spiller.put).
func (u *spillRun) appendBody(b []byte, prodSums bool) []byte {
	b = binary.AppendVarint(b, int64(u.sums.net))
	b = binary.AppendVarint(b, int64(u.sums.gross))
	b = binary.AppendVarint(b, int64(u.sums.disc))
	b = binary.AppendVarint(b, int64(u.sums.qty))
	b = binary.AppendVarint(b, int64(u.sums.ret))
	if u.sums.refund != 0 {
		b = binary.AppendVarint(b, int64(u.sums.refund))
	}
	if prodSums {
		b = binary.AppendVarint(b, int64(u.sums.prem))
		b = binary.AppendVarint(b, int64(u.sums.newQty))
	}
	b = binary.AppendUvarint(b, uint64(len(u.cats)))
	for _, c := range u.cats {
		b = binary.AppendUvarint(b, uint64(c.cat))
		b = binary.AppendVarint(b, int64(c.gross))
	}
	for k := range u.attrs {
		b = appendString(b, u.attrs[k]) // empty unless has[k]
	}
	return b
}
