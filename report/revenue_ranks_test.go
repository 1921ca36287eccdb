package report

import (
	"context"
	"math"
	"testing"
)

// splitRevenue runs up to rounds rounds of the search for the Revenue of
// the values m split over workers (splitRounds; chunk i of size values to
// worker i % workers), and StreamRevenueRanked the rest.
func splitRevenue(t *testing.T, m []float64, size, workers, rounds int) *Revenue {
	t.Helper()
	r := NewRevenueRanks()
	splitRounds(t, r, workers, rounds, func(forks []*RevenueRanks) error {
		for i, lo := 0, 0; lo < len(m); i, lo = i+1, lo+size {
			forks[i%workers].Add(m[lo:min(lo+size, len(m))])
		}
		return nil
	})
	rev, err := StreamRevenueRanked(context.Background(), r, func(yield func([]float64) error) error { return yield(m) })
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// TestRevenueRanksErrors: searches in different states do not merge,
// damaged bytes do not decode, a NaN is an error at the round's end.
func TestRevenueRanksErrors(t *testing.T) {
	a := NewRevenueRanks()
	fork := a.Fork()
	a.Add([]float64{1, 2, 3})
	if err := a.EndRound(); err != nil {
		t.Fatal(err)
	}
	if err := a.Merge(fork); err == nil {
		t.Error("a fork of the first round merged into the second")
	}
	b, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{nil, {7}, b[:len(b)/2]} {
		var r RevenueRanks
		if err := r.UnmarshalBinary(bad); err == nil {
			t.Errorf("%d damaged bytes decoded", len(bad))
		}
	}
	c := NewRevenueRanks()
	c.Add([]float64{1, math.NaN()})
	if err := c.EndRound(); err == nil {
		t.Error("a NaN: no error")
	}
}
