package data

import (
	"maps"
	"math"
	"slices"
)

// Repeats counts the order lines that repeat an earlier line exactly (the
// same LineHash) while duplicates are kept (KeepDuplicates): two identical
// lines may be two purchases of one item on one day, or an export whose
// rows were written twice (files concatenated, a re-run appended), which
// the report should say. Memory is bounded: the lines counted are those
// whose sample key (a hash of their ids, time and money: sampleKey) has
// Shift low zero bits, at most repeatsCap distinct lines (Shift grows by
// one, dropping half of them, when they are more), so the count is exact
// while Shift is 0 and else an estimate, the sample's count times
// 2^Shift. A line and its copies share their key, so they are counted or
// left out together, and the lines of one order are spread over the keys.
// The result does not depend on the order of the lines, nor on how they
// are split into parts (MergeRepeats).
type Repeats struct {
	Shift int
	// Hashes are the sampled distinct lines' LineHash, ascending, Keys
	// their sample keys and Counts their copies.
	Hashes, Keys []uint64
	Counts       []int64
}

// repeatsCap is the most distinct lines Repeats holds (some 24 bytes
// each, or 50 in the reader's map: a map that stays in a core's cache,
// and few lines hashed before the sample thins). Half of it at least are
// counted once the count is estimated: its relative error is about one
// over the square root of the repeated lines sampled.
const repeatsCap = 1 << 14

// Count returns the number of the used lines that repeat an earlier one:
// exact when Shift is 0, else estimated (see Repeats), and at most used−1
// (an estimate could pass the lines there are).
func (r *Repeats) Count(used int64) int64 {
	var n int64
	for _, c := range r.Counts {
		n += c - 1
	}
	return max(min(n<<r.Shift, used-1), 0)
}

// Estimated reports whether Count(used) is an estimate: a sample's count
// above 0 (none in a sample says none is likely, and nothing is reported).
func (r *Repeats) Estimated(used int64) bool { return r.Shift > 0 && r.Count(used) > 0 }

// maxShift bounds Shift: past it, a sample key of zero would keep a line
// whatever the shift.
const maxShift = 48

// repeatCount is a sampled line's sample key and copies, in the reader.
type repeatCount struct {
	key uint64
	n   int64
}

// repeatSampler is Repeats while lines are read.
type repeatSampler struct {
	shift int
	lines map[uint64]repeatCount
}

// sampleKey returns the key by which a line is sampled: a hash of its
// customer, order and product ids, time, quantity, amount and unit price,
// eight bytes at a time (a multiply-xorshift mix, then murmur3's
// finalizer, so that its low bits are well spread); fixed, so that every
// run and every worker samples the same lines. Copies of a line share it.
func sampleKey(l *OrderLine) uint64 {
	const m = 0x9e3779b97f4a7c15
	h := uint64(len(l.CustomerID))<<40 ^ uint64(len(l.OrderID))<<20 ^ uint64(len(l.ProductID))
	for _, s := range [...]string{l.CustomerID, l.OrderID, l.ProductID} {
		for len(s) >= 8 {
			v := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
				uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
			h = (h ^ v) * m
			h ^= h >> 29
			s = s[8:]
		}
		var v uint64
		for i := 0; i < len(s); i++ {
			v |= uint64(s[i]) << (8 * i)
		}
		h = (h ^ v) * m
		h ^= h >> 29
	}
	for _, v := range [...]uint64{uint64(l.Time.UnixNano()), math.Float64bits(l.Quantity), math.Float64bits(l.Amount), math.Float64bits(l.UnitPrice)} {
		h = (h ^ v) * m
		h ^= h >> 29
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// add counts a line kept.
func (s *repeatSampler) add(l *OrderLine) {
	k := sampleKey(l)
	if k&(1<<s.shift-1) != 0 {
		return
	}
	if s.lines == nil {
		s.lines = map[uint64]repeatCount{}
	}
	h := LineHash(l)
	c := s.lines[h]
	c.key, c.n = k, c.n+1
	s.lines[h] = c
	for len(s.lines) > repeatsCap && s.shift < maxShift {
		s.shift++
		maps.DeleteFunc(s.lines, func(_ uint64, c repeatCount) bool { return c.key&(1<<s.shift-1) != 0 })
	}
}

// result returns the lines counted as Repeats.
func (s *repeatSampler) result() Repeats {
	r := Repeats{Shift: s.shift}
	for _, h := range slices.Sorted(maps.Keys(s.lines)) {
		c := s.lines[h]
		r.Hashes, r.Keys, r.Counts = append(r.Hashes, h), append(r.Keys, c.key), append(r.Counts, c.n)
	}
	return r
}

// MergeRepeats returns the Repeats of the lines of a and b together.
func MergeRepeats(a, b Repeats) Repeats {
	m := Repeats{Shift: max(a.Shift, b.Shift)}
	keep := func(key uint64) bool { return key&(1<<m.Shift-1) == 0 }
	add := func(r Repeats, i int) {
		if keep(r.Keys[i]) {
			m.Hashes, m.Keys, m.Counts = append(m.Hashes, r.Hashes[i]), append(m.Keys, r.Keys[i]), append(m.Counts, r.Counts[i])
		}
	}
	i, j := 0, 0
	for i < len(a.Hashes) || j < len(b.Hashes) {
		switch {
		case j == len(b.Hashes) || i < len(a.Hashes) && a.Hashes[i] < b.Hashes[j]:
			add(a, i)
			i++
		case i == len(a.Hashes) || b.Hashes[j] < a.Hashes[i]:
			add(b, j)
			j++
		default:
			if keep(a.Keys[i]) {
				m.Hashes, m.Keys, m.Counts = append(m.Hashes, a.Hashes[i]), append(m.Keys, a.Keys[i]), append(m.Counts, a.Counts[i]+b.Counts[j])
			}
			i, j = i+1, j+1
		}
	}
	for len(m.Hashes) > repeatsCap && m.Shift < maxShift {
		m.Shift++
		k := 0
		for x := range m.Hashes {
			if keep(m.Keys[x]) {
				m.Hashes[k], m.Keys[k], m.Counts[k] = m.Hashes[x], m.Keys[x], m.Counts[x]
				k++
			}
		}
		m.Hashes, m.Keys, m.Counts = m.Hashes[:k], m.Keys[:k], m.Counts[:k]
	}
	return m
}
