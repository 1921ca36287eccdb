package report

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/segment-tool/segment/internal/selectk"
)

// TestMedianRanks: medians found in rounds split over workers, encoded
// between the rounds, are selectk.Median's bit for bit (NaN for a series
// without values); the rounds left after the first can be run by another
// search decoded from it.
func TestMedianRanks(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	series := [][]float64{make([]float64, 20000), nil, {3}, {4, 1}, make([]float64, 9001)}
	for i := range series[0] {
		series[0][i] = math.Exp(rng.NormFloat64())
	}
	for i := range series[4] {
		series[4][i] = float64(rng.IntN(50))
	}
	feed := func(forks []*MedianRanks) error {
		for s, vals := range series {
			for i, v := range vals {
				forks[i%len(forks)].Add(s, v)
			}
		}
		return nil
	}
	for _, rounds := range []int{20, 1} {
		r := NewMedianRanks(len(series))
		splitRounds(t, r, 3, rounds, feed)
		b, err := r.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var rest MedianRanks
		if err := rest.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		splitRounds(t, &rest, 1, 20, feed)
		for s, vals := range series {
			want := math.NaN()
			if len(vals) > 0 {
				want = selectk.Median(slices.Clone(vals))
			}
			if got := rest.Median(s); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("%d rounds split: series %d median %v, want %v", rounds, s, got, want)
			}
		}
	}
}
