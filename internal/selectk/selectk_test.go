package selectk

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSelect checks Select and Median against a sort on random, tied,
// sorted, reversed and constant inputs of many lengths.
func TestSelect(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gens := map[string]func(n int) []float64{
		"random": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			return x
		},
		"ties": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(rng.IntN(5))
			}
			return x
		},
		"sorted": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(i)
			}
			return x
		},
		"reversed": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(n - i)
			}
			return x
		},
		"constant": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = 7
			}
			return x
		},
		"zeros": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = math.Copysign(0, float64(i%2)-0.5)
			}
			return x
		},
	}
	for name, gen := range gens {
		for _, n := range []int{1, 2, 3, 16, 17, 18, 100, 129, 1000, 10001} {
			x := gen(n)
			want := slices.Clone(x)
			slices.Sort(want)
			for _, k := range []int{0, n / 3, n / 2, n - 1} {
				y := slices.Clone(x)
				got := Select(y, k)
				if got != want[k] || got == 0 && math.Signbit(got) {
					t.Fatalf("%s n=%d k=%d: %v, want %v", name, n, k, got, want[k])
				}
				for i := range y {
					if i < k && y[i] > got || i > k && y[i] < got {
						t.Fatalf("%s n=%d k=%d: x[%d]=%v on the wrong side of %v", name, n, k, i, y[i], got)
					}
				}
			}
			m := (want[n/2] + want[(n-1)/2]) / 2
			if got := Median(slices.Clone(x)); got != m && !(got == 0 && m == 0) {
				t.Fatalf("%s n=%d: median %v, want %v", name, n, got, m)
			}
		}
	}
}

func BenchmarkSelect(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 1_000_000)
	for i := range x {
		x[i] = rng.ExpFloat64()
	}
	y := make([]float64, len(x))
	b.Run("select", func(b *testing.B) {
		for b.Loop() {
			copy(y, x)
			Select(y, len(y)/100)
		}
	})
	b.Run("sort", func(b *testing.B) {
		for b.Loop() {
			copy(y, x)
			slices.Sort(y)
		}
	})
}
