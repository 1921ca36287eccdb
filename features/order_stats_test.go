package features

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestOrderStats compares orderStats with the values of a sorted copy, on
// columns with many ties (as monetary and frequency have), NaNs and a
// single value.
func TestOrderStats(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	cases := map[string]func(n int) []float64{
		"ties": func(n int) []float64 {
			v := make([]float64, n)
			for i := range v {
				v[i] = float64(rng.IntN(5))
			}
			return v
		},
		"spread": func(n int) []float64 {
			v := make([]float64, n)
			for i := range v {
				v[i] = rng.NormFloat64() * 100
			}
			return v
		},
		"nan": func(n int) []float64 {
			v := make([]float64, n)
			for i := range v {
				v[i] = float64(rng.IntN(50))
				if i%7 == 3 {
					v[i] = math.NaN()
				}
			}
			return v
		},
	}
	for name, gen := range cases {
		t.Run(name, func(t *testing.T) {
			for _, n := range []int{1, 2, 5, 17, 1000, 20001} {
				v := gen(n)
				sorted := slices.Clone(v)
				slices.Sort(sorted)
				ranks := []int{0, n / 5, n - 1, n / 2, (4*n+4)/5 - 1}
				got := orderStats(v, ranks...)
				for i, k := range ranks {
					if want := sorted[k]; !(got[i] == want || math.IsNaN(got[i]) && math.IsNaN(want)) {
						t.Fatalf("n=%d rank %d: got %v, want %v", n, k, got[i], want)
					}
				}
			}
		})
	}
}

// TestInformativeMajority checks that the majority vote Informative uses
// keeps and excludes the same columns as counting the mode on a sorted copy.
func TestInformativeMajority(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	const n = 10000
	for _, share := range []float64{0, 0.001, 0.01, 0.3, 0.5, 0.7} {
		for _, differing := range []int{0, 1, 9, 10, 11, 99, 100, 101, 2999, 3000, 5000, 5001, 9000} {
			col := make([]float64, n)
			for i := range col {
				if i < differing {
					col[i] = float64(1 + rng.IntN(3)) // other values, some repeated
				}
			}
			rng.Shuffle(n, func(i, j int) { col[i], col[j] = col[j], col[i] })
			mode := sortedModeCount(slices.Clone(col))
			tab := &Table{Names: []string{Frequency}, Cols: [][]float64{col}, IDs: make([]string, n)}
			keep, _ := Informative(tab, []string{Frequency}, share)
			want := n-mode >= informativeLimit(n, share)
			if got := len(keep) == 1; got != want {
				t.Errorf("share %v, %d differing (mode %d): informative %v, want %v", share, differing, mode, got, want)
			}
		}
	}
}
