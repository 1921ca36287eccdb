package cluster

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestInertiaSum: the rows added in pieces of any size give SumInertia's
// bits of them all.
func TestInertiaSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for _, n := range []int{0, 1, chunkRows - 1, chunkRows, chunkRows + 1, 3*chunkRows + 17} {
		d := make([]float64, n)
		for i := range d {
			d[i] = rng.ExpFloat64() * 1e3
		}
		want := SumInertia(d)
		for _, piece := range []int{1, 7, 1000, chunkRows, n + 1} {
			var s InertiaSum
			for lo := 0; lo < n; lo += piece {
				s.Add(d[lo:min(lo+piece, n)])
			}
			if got := s.Sum(); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("n %d in pieces of %d: %v, SumInertia %v", n, piece, got, want)
			}
		}
	}
}
