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
	v, _ := new(big.Float).SetPrec(53).Quo(num, new(big.Float).SetPrec(prec).Mul(n, n)).Float64()
	return v
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
