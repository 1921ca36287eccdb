package report

import (
	"context"
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRevenue: SortRevenue's and StreamRevenue's figures are the exact
// sums of the top customers' spend, rounded once: equal bit for bit, and
// equal to a big-float reference, over chunks of any size, with ties at
// the ranks (many customers of one spend), refunds (clamped at 0) and
// stores smaller than the curve's points.
func TestRevenue(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{1, 2, 7, 999, 1000, 1001, 25000} {
		m := make([]float64, n)
		for i := range m {
			switch rng.IntN(4) {
			case 0:
				m[i] = 19.99 // ties
			case 1:
				m[i] = -float64(rng.IntN(30)) // refunds and zeros
			default:
				m[i] = math.Round(math.Exp(rng.NormFloat64()*1.3+4)*100) / 100
			}
		}
		want := SortRevenue(m)
		sorted := slices.Clone(m)
		for i := range sorted {
			sorted[i] = math.Max(sorted[i], 0)
		}
		slices.Sort(sorted)
		slices.Reverse(sorted)
		for _, r := range revenueRanks(n) {
			ref := new(big.Float).SetPrec(2048)
			for _, v := range sorted[:r] {
				ref.Add(ref, new(big.Float).SetPrec(2048).SetFloat64(v))
			}
			if f, _ := ref.Float64(); math.Float64bits(f) != math.Float64bits(want.top[r]) {
				t.Fatalf("n=%d: top %d: %v, want the exact %v", n, r, want.top[r], f)
			}
		}
		for _, size := range []int{n, 1, 13, 4096} {
			got, err := StreamRevenue(context.Background(), func(yield func([]float64) error) error {
				for lo := 0; lo < n; lo += size {
					if err := yield(m[lo:min(lo+size, n)]); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got.n != want.n || math.Float64bits(got.total) != math.Float64bits(want.total) || len(got.top) != len(want.top) {
				t.Fatalf("n=%d, chunks of %d: %d customers, total %v, %d ranks; want %d, %v, %d", n, size, got.n, got.total, len(got.top), want.n, want.total, len(want.top))
			}
			switch size {
			case 13: // in rounds split over workers, as job 2 finds it
				got = splitRevenue(t, m, size, 3, 20)
			case 4096: // its first round split, the rest in passes
				got = splitRevenue(t, m, size, 3, 1)
			}
			if got.n != want.n || math.Float64bits(got.total) != math.Float64bits(want.total) {
				t.Fatalf("n=%d, chunks of %d, split: %d customers, total %v; want %d, %v", n, size, got.n, got.total, want.n, want.total)
			}
			for r, v := range want.top {
				if math.Float64bits(got.top[r]) != math.Float64bits(v) {
					t.Errorf("n=%d, chunks of %d: top %d: %v, want %v", n, size, r, got.top[r], v)
				}
			}
		}
	}
	boom := errors.New("boom")
	if _, err := StreamRevenue(context.Background(), func(func([]float64) error) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("the pass's error: %v", err)
	}
	if rev, err := StreamRevenue(context.Background(), func(func([]float64) error) error { return nil }); err != nil || rev.n != 0 {
		t.Errorf("no customers: %+v, %v", rev, err)
	}
}
