package features

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestMedianOf: the median of values spread over parts equals the median
// of their concatenation (sorted), for odd and even counts, empty parts,
// negatives, ties, a few values, ranges that need several passes (an
// outlier far from the rest, the extremes of int64) and more values than
// one pass gathers.
func TestMedianOf(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	gen := map[string]func(i int) fixed{
		"orders":   func(int) fixed { return fixed(rng.Int64N(200_000_000)) },
		"signed":   func(int) fixed { return fixed(rng.Int64N(2_000_000) - 1_000_000) },
		"ties":     func(int) fixed { return fixed(rng.IntN(3)) * fixedUnit },
		"outlier":  func(i int) fixed { return map[bool]fixed{true: 1 << 61, false: fixed(rng.Int64N(1000))}[i == 7] },
		"extremes": func(i int) fixed { return []fixed{math.MinInt64, math.MaxInt64, fixed(rng.Int64())}[i%3] },
	}
	for name, g := range gen {
		for _, n := range []int{1, 2, 3, 10, 1000, 3*medianBuckets + 1, 3*medianBuckets + 2} {
			var parts [][]fixed
			for i := 0; i < n; {
				size := min(n-i, rng.IntN(n/3+2))
				p := make([]fixed, size)
				for j := range p {
					p[j] = g(i + j)
				}
				parts = append(parts, p, nil)
				i += size
			}
			all := slices.Concat(parts...)
			slices.Sort(all)
			want := all[n/2].float()
			if n%2 == 0 {
				want = (all[n/2-1].float() + all[n/2].float()) / 2
			}
			if got := medianOf(parts); got != want {
				t.Errorf("%s, %d values in %d parts: medianOf %v, want %v", name, n, len(parts), got, want)
			}
		}
	}
	if got := medianOf([][]fixed{nil, {}}); got != 0 {
		t.Errorf("no values: %v, want 0", got)
	}
}

// TestPackedNets: packed net values read back as they were, with the
// largest power-of-ten scale that divides them all, and medianOfValues
// over packed parts equals medianOf over the slices.
func TestPackedNets(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 2))
	cases := map[string]struct {
		gen   func() fixed
		scale fixed
	}{
		"cents":     {func() fixed { return fixed(rng.Int64N(1_000_000)) * 10_000 }, 10_000},
		"dimes":     {func() fixed { return fixed(rng.Int64N(1_000_000)-500_000) * 100_000 }, 10_000},
		"tenths":    {func() fixed { return fixed(rng.Int64N(1_000_000)) * 1000 }, 1000},
		"millionth": {func() fixed { return fixed(rng.Int64N(1 << 40)) }, 1},
		"extremes":  {func() fixed { return []fixed{math.MinInt64, math.MaxInt64, 0}[rng.IntN(3)] }, 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var parts [][]fixed
			var packed []netValues
			for range 5 {
				v := make([]fixed, rng.IntN(3*medianBuckets))
				for i := range v {
					v[i] = tc.gen()
				}
				p := packNets(v)
				if len(v) > 100 && p.scale != tc.scale {
					t.Errorf("scale %d, want %d", p.scale, tc.scale)
				}
				var back []fixed
				p.each(func(x fixed) { back = append(back, x) })
				if p.count() != len(v) || !slices.Equal(back, v) && len(v) > 0 {
					t.Fatalf("%d values packed, %d read back, equal %v", len(v), len(back), slices.Equal(back, v))
				}
				parts = append(parts, v)
				packed = append(packed, p)
			}
			if got, want := medianOfValues(packed), medianOf(parts); got != want {
				t.Errorf("median of packed parts %v, of slices %v", got, want)
			}
		})
	}
}
