package exactsum

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// bigVariance is the reference: the population variance computed in
// big.Float wide enough to be exact, rounded once.
func bigVariance(x []float64) float64 {
	const prec = 8192
	s, q := new(big.Float).SetPrec(prec), new(big.Float).SetPrec(prec)
	for _, v := range x {
		b := new(big.Float).SetPrec(prec).SetFloat64(v)
		s.Add(s, b)
		q.Add(q, new(big.Float).SetPrec(prec).Mul(b, b))
	}
	n := new(big.Float).SetPrec(prec).SetInt64(int64(len(x)))
	num := new(big.Float).SetPrec(prec).Mul(q, n)
	num.Sub(num, new(big.Float).SetPrec(prec).Mul(s, s))
	num.Quo(num, new(big.Float).SetPrec(prec).Mul(n, n))
	if num.Sign() <= 0 {
		return 0
	}
	r, _ := num.Rat(nil) // exact: the quotient is of 8192 bits
	v, _ := r.Float64()  // rounded once
	return v
}

// TestQuotientSubnormal: a quotient just above the halfway point between
// two subnormals, (2.5 + 2⁻⁶⁰)·2⁻¹⁰⁷⁴, rounds up to 3·2⁻¹⁰⁷⁴; rounded to
// 53 bits first it would be 2.5·2⁻¹⁰⁷⁴, a tie, and go to the even 2·2⁻¹⁰⁷⁴.
// Normal quotients round as ever (1/3, 2/3·2⁻¹⁰⁰⁰).
func TestQuotientSubnormal(t *testing.T) {
	num := new(big.Int).Lsh(big.NewInt(5), 59)
	num.Add(num, big.NewInt(1))
	den := new(big.Int).Lsh(big.NewInt(1), 1134)
	if got, want := quotient(num, den), 3*math.SmallestNonzeroFloat64; got != want {
		t.Errorf("quotient = %v (%v·2⁻¹⁰⁷⁴), want %v", got, got/math.SmallestNonzeroFloat64, want)
	}
	if got := quotient(big.NewInt(1), big.NewInt(3)); got != 1.0/3 {
		t.Errorf("1/3: %v", got)
	}
	den = new(big.Int).Lsh(big.NewInt(3), 1000)
	if got, want := quotient(big.NewInt(2), den), 2.0/3*0x1p-1000; got != want {
		t.Errorf("2/3·2⁻¹⁰⁰⁰: %v, want %v", got, want)
	}
}

// TestPopVariance: the exact variance, whatever the order and the split
// into merged sums; exactly 0 for equal values (where a naive
// mean of squares minus square of mean need not be); 0 for no values, NaN and +Inf passed on.
func TestPopVariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	spend := make([]float64, 3000) // spend-like values in cents and shares
	for i := range spend {
		spend[i] = math.Round(rng.ExpFloat64()*8000) / 100
		if i%3 == 0 {
			spend[i] = rng.Float64()
		}
	}
	tests := []struct {
		name string
		x    []float64
		want float64 // NaN: bigVariance
	}{
		{"empty", nil, 0},
		{"one", []float64{42.5}, 0},
		{"equal values", []float64{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, 0},
		{"two", []float64{1, 3}, 1},
		{"spend", spend, math.NaN()},
		{"large offset", []float64{1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3}, math.NaN()},
		{"infinite", []float64{1, math.Inf(1)}, math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if math.IsNaN(want) && tc.name != "infinite" {
				want = bigVariance(tc.x)
			}
			var s, q Sum
			for _, v := range tc.x {
				s.Add(v)
				q.AddSquare(v)
			}
			got := PopVariance(int64(len(tc.x)), &s, &q)
			if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("PopVariance = %v, want %v", got, want)
			}
			// Reversed, in three merged parts.
			var parts [3][2]Sum
			for i := len(tc.x) - 1; i >= 0; i-- {
				parts[i%3][0].Add(tc.x[i])
				parts[i%3][1].AddSquare(tc.x[i])
			}
			var ms, mq Sum
			for p := 2; p >= 0; p-- {
				ms.Merge(&parts[p][0])
				mq.Merge(&parts[p][1])
			}
			if again := PopVariance(int64(len(tc.x)), &ms, &mq); math.Float64bits(again) != math.Float64bits(got) {
				t.Errorf("reversed in merged parts: %v, in order %v", again, got)
			}
		})
	}
}
