package cluster

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestMatchKnown(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		name   string
		cost   [][]float64
		assign []int
		total  float64
	}{
		// Hand-checked: of the 6 permutations, (0,2,1) costs 8+3+4 = 15
		// and every other costs more (e.g. (1,0,2) 4+5+8 = 17).
		{"3x3", [][]float64{{8, 4, 7}, {5, 2, 3}, {9, 4, 8}}, []int{0, 2, 1}, 15},
		// A 4×4 example used in many Hungarian-method tutorials: optimum
		// 69 + 37 + 11 + 23 = 140, checked by bruteForce below.
		{"4x4", [][]float64{{82, 83, 69, 92}, {77, 37, 49, 92}, {11, 69, 5, 86}, {8, 9, 98, 23}}, []int{2, 1, 0, 3}, 140},
		{"2x3 rectangular", [][]float64{{4, 1, 3}, {2, 0, 5}}, []int{1, 0}, 3},
		{"3x2 rectangular", [][]float64{{4, 3}, {1, 0}, {3, 5}}, []int{-1, 1, 0}, 3},
		{"ties go to the lower column", [][]float64{{1, 1}, {1, 1}}, []int{0, 1}, 2},
		{"1x1", [][]float64{{7}}, []int{0}, 7},
		{"forbidden pair avoided", [][]float64{{inf, 1}, {1, 100}}, []int{1, 0}, 2},
		{"forbidden pair unavoidable", [][]float64{{inf, inf}, {1, 2}}, nil, inf},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assign, total := Match(c.cost)
			if c.assign != nil && !slices.Equal(assign, c.assign) {
				t.Errorf("assign %v, want %v", assign, c.assign)
			}
			if total != c.total {
				t.Errorf("total %v, want %v", total, c.total)
			}
			if bf := bruteForce(c.cost); bf != c.total && !math.IsInf(c.total, 1) {
				t.Errorf("the expected total %v is not the optimum %v", c.total, bf)
			}
		})
	}
	if a, total := Match(nil); a != nil || total != 0 {
		t.Errorf("0×0: %v, %v", a, total)
	}
	mustPanic(t, func() { Match([][]float64{{1, 2}, {3}}) })
	mustPanic(t, func() { Match([][]float64{{math.NaN()}}) })
}

// TestMatchBruteForce compares Match with every injective pairing on
// random small matrices, square and rectangular.
func TestMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		r, c := 1+rng.IntN(5), 1+rng.IntN(5)
		cost := make([][]float64, r)
		for i := range cost {
			cost[i] = make([]float64, c)
			for j := range cost[i] {
				cost[i][j] = float64(rng.IntN(20)) // small integers: many ties
			}
		}
		assign, total := Match(cost)
		want := bruteForce(cost)
		if total != want {
			t.Fatalf("trial %d: %v: total %v, brute force %v", trial, cost, total, want)
		}
		used := map[int]bool{}
		var sum float64
		paired := 0
		for i, j := range assign {
			if j < 0 {
				continue
			}
			if used[j] {
				t.Fatalf("trial %d: column %d used twice", trial, j)
			}
			used[j] = true
			sum += cost[i][j]
			paired++
		}
		if sum != total || paired != min(r, c) {
			t.Fatalf("trial %d: %d pairs summing to %v, total %v", trial, paired, sum, total)
		}
	}
}

// bruteForce returns the minimal total over every pairing of min(r, c)
// rows and columns.
func bruteForce(cost [][]float64) float64 {
	r, c := len(cost), len(cost[0])
	best := math.Inf(1)
	var rec func(i int, used []bool, sum float64, left int)
	rec = func(i int, used []bool, sum float64, left int) {
		if left == 0 {
			best = min(best, sum)
			return
		}
		if r-i < left {
			return
		}
		if r-i > left { // row i may stay unpaired
			rec(i+1, used, sum, left)
		}
		for j := range c {
			if !used[j] {
				used[j] = true
				rec(i+1, used, sum+cost[i][j], left-1)
				used[j] = false
			}
		}
	}
	rec(0, make([]bool, c), 0, min(r, c))
	return best
}

func TestMatchCentroids(t *testing.T) {
	// Previous centroids at 0, 10, 20 on a line; new ones at 20.5, 0.2
	// and 50 (a new cluster far from every previous one).
	prev := []float64{0, 10, 20}
	cur := []float64{20.5, 0.2, 50}
	prevOf, dist2 := MatchCentroids(prev, cur, 3, 3, 1, 4)
	if want := []int{2, 0, -1}; !slices.Equal(prevOf, want) {
		t.Errorf("prevOf %v, want %v (dist2 %v)", prevOf, want, dist2)
	}
	// Fewer new centroids than previous: a previous cluster vanishes.
	prevOf, _ = MatchCentroids(prev, []float64{9, 19}, 3, 2, 1, math.Inf(1))
	if want := []int{1, 2}; !slices.Equal(prevOf, want) {
		t.Errorf("prevOf %v, want %v", prevOf, want)
	}
}
