package exactsum

import (
	"math"
	"math/big"
)

// AddSquare adds v², exactly: v·v is split into its rounded product and
// the product's rounding error (math.FMA), and both are added, so that a
// sum of squares is as order-independent as a sum. A square beyond the
// float64 range adds +Inf; a square below it loses what underflows, the
// same bits whatever the order.
func (s *Sum) AddSquare(v float64) {
	hi := v * v
	if math.IsInf(hi, 0) || math.IsNaN(hi) {
		s.Add(hi)
		return
	}
	s.Add(hi)
	if lo := math.FMA(v, v, -hi); lo != 0 {
		s.Add(lo)
	}
}

// PopVariance returns the population variance of n values whose sum is
// sum and whose sum of squares is squares (AddSquare),
//
//	(n·Σv² − (Σv)²) / n²,
//
// computed exactly and rounded once: the same bits however the values were
// ordered or split, and exactly 0 for n equal values. 0 for n ≤ 0; NaN or
// +Inf where either sum is not finite.
func PopVariance(n int64, sum, squares *Sum) float64 {
	if n <= 0 {
		return 0
	}
	if f := sum.special(); f != 0 {
		return math.NaN()
	}
	if f := squares.special(); f != 0 {
		return f
	}
	sum.flush()
	squares.flush()
	// sum = a·2⁻¹⁰⁷⁴, squares = b·2⁻¹⁰⁷⁴: n·Σv² − (Σv)² = (n·b·2¹⁰⁷⁴ − a²)·2⁻²¹⁴⁸.
	var num, a2, nn big.Int
	nn.SetInt64(n)
	num.Mul(&squares.total, &nn)
	num.Lsh(&num, 1074)
	a2.Mul(&sum.total, &sum.total)
	num.Sub(&num, &a2)
	if num.Sign() <= 0 { // 0, or below it by underflowed squares' losses
		return 0
	}
	nn.Mul(&nn, &nn)
	return quotient(&num, nn.Lsh(&nn, 2148))
}

// quotient returns num/den (both positive) rounded once to the nearest
// float64, ties to even. big.Float's Quo to 53 bits and then Float64 would
// round twice where the result is subnormal (fewer bits than 53): a
// quotient just above a halfway point between two subnormals could land on
// that point first and then go to the even one below.
func quotient(num, den *big.Int) float64 {
	v, _ := new(big.Rat).SetFrac(num, den).Float64()
	return v
}

// special returns the sum's value when it is not finite (NaN, ±Inf), else 0.
func (s *Sum) special() float64 {
	switch {
	case s.nan || s.posInf && s.negInf:
		return math.NaN()
	case s.posInf:
		return math.Inf(1)
	case s.negInf:
		return math.Inf(-1)
	}
	return 0
}
