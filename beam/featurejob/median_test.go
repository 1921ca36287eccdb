package featurejob

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestMedianPasses checks the two-pass median against sorting every value,
// with values spread over many buckets, crowded into one, on bucket edges,
// in odd and even counts, split over customers in any way.
func TestMedianPasses(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	gen := map[string]func(i int) int64{
		"spread":      func(int) int64 { return 1 + rng.Int64N(1e9) },
		"one bucket":  func(int) int64 { return 5<<medianShift + rng.Int64N(1000) },
		"bucket edge": func(i int) int64 { return int64(1+i%3)<<medianShift - int64(i%2) },
		"repeated":    func(int) int64 { return []int64{1e6, 2e6, 2e6}[rng.IntN(3)] },
	}
	for name, g := range gen {
		for _, n := range []int{0, 1, 2, 7, 1000, 1001} {
			t.Run(fmt.Sprintf("%s/%d", name, n), func(t *testing.T) {
				var all []int64
				var lists []netList
				for len(all) < n {
					k := min(1+rng.IntN(5), n-len(all))
					var l netList
					for range k {
						v := g(len(all))
						l.Values = append(l.Values, v)
						all = append(all, v)
					}
					lists = append(lists, l)
				}
				var coarse histogram
				for _, l := range lists {
					coarse = mergeHist{}.MergeAccumulators(coarse, bucketHist(l))
				}
				target := selectMedian(coarse)
				var exact histogram
				for i := len(lists) - 1; i >= 0; i-- { // another order
					exact = mergeHist{}.MergeAccumulators(exactHist(lists[i], target), exact)
				}
				got, err := medianOf(exact, target)
				if err != nil {
					t.Fatal(err)
				}
				slices.Sort(all)
				want := 0.0
				switch {
				case n%2 == 1:
					want = float64(all[n/2]) / 1e6
				case n > 0:
					want = (float64(all[n/2-1])/1e6 + float64(all[n/2])/1e6) / 2
				}
				if math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("median %v, want %v", got, want)
				}
			})
		}
	}
}
