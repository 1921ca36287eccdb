package features

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

// TestExactSum checks ExactSum against an exact reference, whatever the
// order of the values and the split into merged partial sums, and through
// MarshalBinary.
func TestExactSum(t *testing.T) {
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
				var total ExactSum
				for start := 0; start < len(x); {
					end := min(len(x), start+1+rng.IntN(3000)) // parts larger and smaller than a flush
					var part ExactSum
					for _, v := range x[start:end] {
						part.Add(v)
					}
					if trial%2 == 1 { // through the wire
						b, err := part.MarshalBinary()
						if err != nil {
							t.Fatal(err)
						}
						part = ExactSum{}
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
	if err := new(ExactSum).UnmarshalBinary(nil); err == nil {
		t.Fatal("an empty encoding decoded")
	}
}

// TestFitTransformOrderIndependent checks that the fitted transform does
// not depend on the order of the rows: the moments are exact sums.
func TestFitTransformOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 3000
	ids, a, b := make([]string, n), make([]float64, n), make([]float64, n)
	for i := range n {
		ids[i] = string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
		a[i], b[i] = math.Exp(rng.NormFloat64()*3), rng.NormFloat64()*1e6+0.1
	}
	fit := func(perm []int) *Transform {
		pa, pb, pid := make([]float64, n), make([]float64, n), make([]string, n)
		for k, i := range perm {
			pa[k], pb[k], pid[k] = a[i], b[i], ids[i]
		}
		tab := &Table{IDs: pid, Names: []string{Monetary, "b"}, Cols: [][]float64{pa, pb}}
		tr, err := FitTransform(tab, Spec{Use: []string{Monetary, "b"}, Scale: true, Clip: 0.01})
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	want := fit(rng.Perm(n))
	for trial := range 3 {
		got := fit(rng.Perm(n))
		for j := range want.Columns {
			if math.Float64bits(got.Center[j]) != math.Float64bits(want.Center[j]) || math.Float64bits(got.Scale[j]) != math.Float64bits(want.Scale[j]) {
				t.Fatalf("trial %d, column %d: centre %v scale %v, want %v %v", trial, j, got.Center[j], got.Scale[j], want.Center[j], want.Scale[j])
			}
		}
	}
}
