package report

import (
	"context"
	"math"
	"testing"
)

// splitRevenue runs up to rounds rounds of the search for the Revenue of
// the values m split over workers, as job 2 does, and StreamRevenueRanked
// the rest: each round the search is sent to the workers encoded, chunk i
// of size values goes to worker i % workers' Fork, and the forks come
// back encoded and are merged, the last worker's first.
func splitRevenue(t *testing.T, m []float64, size, workers, rounds int) *Revenue {
	t.Helper()
	r := NewRevenueRanks()
	for !r.Done() && r.Rounds() < rounds {
		if r.Rounds() > 12 {
			t.Fatalf("%d rounds", r.Rounds())
		}
		b, err := r.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var sent RevenueRanks
		if err := sent.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		forks := make([]*RevenueRanks, workers)
		for w := range forks {
			forks[w] = sent.Fork()
		}
		for i, lo := 0, 0; lo < len(m); i, lo = i+1, lo+size {
			forks[i%workers].Add(m[lo:min(lo+size, len(m))])
		}
		for w := workers - 1; w >= 0; w-- {
			b, err := forks[w].MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var back RevenueRanks
			if err := back.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			if err := r.Merge(&back); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.EndRound(); err != nil {
			t.Fatal(err)
		}
	}
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
