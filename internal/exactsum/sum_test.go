package exactsum

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// bigSum is the reference: the exact sum in a big.Float wide enough for
// any float64 sum, rounded once.
func bigSum(x []float64) float64 {
	s := new(big.Float).SetPrec(4096)
	for _, v := range x {
		s.Add(s, new(big.Float).SetPrec(4096).SetFloat64(v))
	}
	f, _ := s.Float64()
	return f
}

// TestSum checks Sum against an exact reference, whatever the
// order of the values and the split into merged partial sums, and through
// MarshalBinary.
func TestSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	wide := make([]float64, 5000) // magnitudes over 600 binades, both signs: a naive sum loses most of them
	for i := range wide {
		wide[i] = (rng.Float64() - 0.5) * math.Ldexp(1, rng.IntN(600)-300)
	}
	tests := []struct {
		name string
		x    []float64
		want float64 // NaN: bigSum
	}{
		{"empty", nil, 0},
		{"cancellation", []float64{1e308, 1, -1e308}, 1},
		{"tiny beside huge", []float64{1e300, 1e-300, -1e300}, 1e-300},
		{"subnormals", []float64{math.SmallestNonzeroFloat64, math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64 / 2}, 2 * math.SmallestNonzeroFloat64},
		{"overflow", []float64{math.MaxFloat64, math.MaxFloat64}, math.Inf(1)},
		{"infinity", []float64{1, math.Inf(-1)}, math.Inf(-1)},
		{"both infinities", []float64{math.Inf(1), math.Inf(-1)}, math.NaN()},
		{"tenths", []float64{0.1, 0.2, 0.3, -0.6}, bigSum([]float64{0.1, 0.2, 0.3, -0.6})},
		{"wide", wide, bigSum(wide)},
	}
	same := func(a, b float64) bool {
		return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for trial := range 4 {
				x := append([]float64(nil), tc.x...)
				rng.Shuffle(len(x), func(i, j int) { x[i], x[j] = x[j], x[i] })
				var total Sum
				for start := 0; start < len(x); {
					end := min(len(x), start+1+rng.IntN(3000)) // parts larger and smaller than a flush
					var part Sum
					for _, v := range x[start:end] {
						part.Add(v)
					}
					if trial%2 == 1 { // through the wire
						b, err := part.MarshalBinary()
						if err != nil {
							t.Fatal(err)
						}
						part = Sum{}
						if err := part.UnmarshalBinary(b); err != nil {
							t.Fatal(err)
						}
					}
					total.Merge(&part)
					start = end
				}
				if got := total.Float64(); !same(got, tc.want) {
					t.Fatalf("trial %d: sum %v, want %v", trial, got, tc.want)
				}
			}
		})
	}
	if err := new(Sum).UnmarshalBinary(nil); err == nil {
		t.Fatal("an empty encoding decoded")
	}
}

// TestSumAddTimes: m copies of v added at once are the m copies
// added one by one (subnormals, negatives and large counts too), and a
// clone goes on apart from its original.
func TestSumAddTimes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		v := (rng.Float64() - 0.5) * math.Ldexp(1, rng.IntN(200)-100)
		if trial == 0 {
			v = -math.SmallestNonzeroFloat64 * 3
		}
		m := int64(rng.IntN(3000))
		var once, each Sum
		once.Add(0.1)
		each.Add(0.1)
		once.AddTimes(v, m)
		for range m {
			each.Add(v)
		}
		if a, b := once.Float64(), each.Float64(); math.Float64bits(a) != math.Float64bits(b) {
			t.Fatalf("%d × %v: %v at once, %v one by one", m, v, a, b)
		}
	}
	var s Sum
	s.AddTimes(math.MaxFloat64, 1<<62) // 2¹⁰⁸⁶: overflows to +Inf when rounded, exact inside
	s.AddTimes(-math.MaxFloat64, 1<<62)
	s.Add(1)
	c := s.Clone()
	c.Add(2)
	if s.Float64() != 1 || c.Float64() != 3 {
		t.Errorf("sum %v and clone %v, want 1 and 3", s.Float64(), c.Float64())
	}
	s.AddTimes(math.Inf(-1), 2)
	if !math.IsInf(s.Float64(), -1) || c.Float64() != 3 {
		t.Errorf("an infinity: sum %v, clone %v", s.Float64(), c.Float64())
	}
}

// TestMarshalSums: a slice of sums round-trips, nil stays nil, a damaged
// sum is an error.
func TestMarshalSums(t *testing.T) {
	sums := make([]Sum, 3)
	sums[0].Add(1e300)
	sums[0].Add(-1e-300)
	sums[1].Add(math.Inf(-1))
	got, err := UnmarshalSums(MarshalSums(sums))
	if err != nil || len(got) != 3 {
		t.Fatalf("%d sums, %v", len(got), err)
	}
	for i := range sums {
		if got[i].Float64() != sums[i].Float64() {
			t.Errorf("sum %d: %v, want %v", i, got[i].Float64(), sums[i].Float64())
		}
	}
	if b := MarshalSums(nil); b != nil {
		t.Errorf("MarshalSums(nil) = %v", b)
	}
	if s, err := UnmarshalSums(nil); s != nil || err != nil {
		t.Errorf("UnmarshalSums(nil) = %v, %v", s, err)
	}
	if _, err := UnmarshalSums([][]byte{{0}, {}}); err == nil {
		t.Error("an empty encoding decoded")
	}
}
