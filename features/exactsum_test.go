package features

import (
	"math"
	"math/rand/v2"
	"testing"
)

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
