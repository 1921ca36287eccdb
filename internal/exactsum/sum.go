package exactsum

import (
	"errors"
	"math"
	"math/big"
)

// Sum is the exact sum of float64 values, rounded once, to nearest
// even, when it is read: the result does not depend on the order the
// values are added or partial sums merged in, so a sum split over workers
// (the Beam runner) equals the sum of one pass bit for bit.
//
// Every finite float64 is an integer multiple of 2⁻¹⁰⁷⁴, its mantissa
// shifted by its exponent; the mantissas are summed per exponent in int64
// (at most flushEvery of them, so they cannot overflow) and flushed into
// one big integer in units of 2⁻¹⁰⁷⁴ (a "superaccumulator", Kulisch's exact
// dot product). Infinities and NaN give the result IEEE 754 arithmetic
// would: NaN with a NaN or both infinities, else the infinity. The zero
// value is an empty sum (0).
type Sum struct {
	bucket  *[2048]int64 // mantissa sums by biased exponent, nil until used
	pending int          // values added to bucket since the last flush
	total   big.Int      // the flushed sum, in units of 2⁻¹⁰⁷⁴
	posInf  bool
	negInf  bool
	nan     bool
}

// flushEvery bounds the values summed in one bucket: 1023 mantissas below
// 2⁵³ sum below 2⁶³.
const flushEvery = 1023

// Add adds v.
func (s *Sum) Add(v float64) {
	switch {
	case math.IsNaN(v):
		s.nan = true
		return
	case math.IsInf(v, 1):
		s.posInf = true
		return
	case math.IsInf(v, -1):
		s.negInf = true
		return
	}
	bits := math.Float64bits(v)
	e, m := int(bits>>52&0x7ff), int64(bits&(1<<52-1))
	if e > 0 {
		m |= 1 << 52 // a normal number: (m | 2⁵²)·2^(e−1075), in units of 2⁻¹⁰⁷⁴ shifted by e−1
	} else {
		e = 1 // a subnormal: m·2⁻¹⁰⁷⁴
	}
	if bits>>63 == 1 {
		m = -m
	}
	if s.bucket == nil {
		s.bucket = new([2048]int64)
	}
	s.bucket[e] += m
	if s.pending++; s.pending == flushEvery {
		s.flush()
	}
}

// AddTimes adds m copies of v, m·v exactly; m must not be negative.
func (s *Sum) AddTimes(v float64, m int64) {
	switch {
	case m < 0:
		panic("exactsum: AddTimes: negative count")
	case m == 0:
		return
	case math.IsNaN(v) || math.IsInf(v, 0):
		s.Add(v)
		return
	}
	bits := math.Float64bits(v)
	e, mant := int(bits>>52&0x7ff), int64(bits&(1<<52-1))
	if e > 0 {
		mant |= 1 << 52
	} else {
		e = 1
	}
	if bits>>63 == 1 {
		mant = -mant
	}
	var x, y big.Int
	x.SetInt64(mant)
	y.SetInt64(m)
	x.Mul(&x, &y)
	x.Lsh(&x, uint(e-1))
	s.total.Add(&s.total, &x)
}

// Clone returns a copy of s that shares nothing with it.
func (s *Sum) Clone() *Sum {
	s.flush()
	c := &Sum{posInf: s.posInf, negInf: s.negInf, nan: s.nan}
	c.total.Set(&s.total)
	return c
}

// flush moves the bucket sums into total.
func (s *Sum) flush() {
	if s.bucket == nil || s.pending == 0 { // nothing to move: reading a flushed sum writes nothing
		return
	}
	var x big.Int
	for e, m := range s.bucket {
		if m != 0 {
			x.SetInt64(m)
			x.Lsh(&x, uint(e-1))
			s.total.Add(&s.total, &x)
			s.bucket[e] = 0
		}
	}
	s.pending = 0
}

// Merge adds the values of o to s; o is not changed.
func (s *Sum) Merge(o *Sum) {
	s.flush()
	if o.bucket != nil && o.pending > 0 {
		var c Sum
		c.bucket = new([2048]int64)
		*c.bucket, c.pending = *o.bucket, o.pending
		c.flush()
		s.total.Add(&s.total, &c.total)
	}
	s.total.Add(&s.total, &o.total)
	s.posInf, s.negInf, s.nan = s.posInf || o.posInf, s.negInf || o.negInf, s.nan || o.nan
}

// Float64 returns the sum rounded to the nearest float64 (ties to even);
// ±Inf when it overflows.
func (s *Sum) Float64() float64 {
	if v := s.special(); v != 0 {
		return v
	}
	s.flush()
	f := new(big.Float).SetInt(&s.total) // exact: the precision is the integer's length
	f.SetMantExp(f, -1074)
	v, _ := f.Float64()
	return v
}

// MarshalBinary encodes the sum: a flags byte, then the magnitude of the
// exact total, big-endian.
func (s *Sum) MarshalBinary() ([]byte, error) {
	s.flush()
	var flags byte
	for i, b := range [...]bool{s.total.Sign() < 0, s.posInf, s.negInf, s.nan} {
		if b {
			flags |= 1 << i
		}
	}
	return append([]byte{flags}, s.total.Bytes()...), nil
}

// UnmarshalBinary decodes what MarshalBinary encoded.
func (s *Sum) UnmarshalBinary(b []byte) error {
	if len(b) == 0 || b[0] > 0xf {
		return errors.New("exactsum: a damaged exact sum")
	}
	*s = Sum{}
	s.total.SetBytes(b[1:])
	if b[0]&1 != 0 {
		s.total.Neg(&s.total)
	}
	s.posInf, s.negInf, s.nan = b[0]&2 != 0, b[0]&4 != 0, b[0]&8 != 0
	return nil
}

// MarshalSums encodes each of sums (MarshalBinary): nil for nil.
func MarshalSums(sums []Sum) [][]byte {
	if sums == nil {
		return nil
	}
	out := make([][]byte, len(sums))
	for i := range sums {
		out[i], _ = sums[i].MarshalBinary() // never fails
	}
	return out
}

// UnmarshalSums decodes what MarshalSums encoded: nil for nil.
func UnmarshalSums(b [][]byte) ([]Sum, error) {
	if b == nil {
		return nil, nil
	}
	out := make([]Sum, len(b))
	for i := range b {
		if err := out[i].UnmarshalBinary(b[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
