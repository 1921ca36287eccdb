package report

import (
	"context"
	"strings"
	"testing"
)

// search is a search in rounds whose counts merge (ProfileRanks,
// RevenueRanks), as the tests drive it.
type search[S any] interface {
	*S
	Done() bool
	Rounds() int
	EndRound() error
	Fork() *S
	Merge(*S) error
	MarshalBinary() ([]byte, error)
	UnmarshalBinary([]byte) error
}

// splitRounds runs up to rounds rounds of s split over workers, as the
// scale-out runner's job 2 runs them: each round, the search is sent to
// the workers (MarshalBinary), feed gives each worker's Fork its part of
// the values, and the forks' counts come back encoded and are merged into
// the search, the last worker's first, before it ends the round.
func splitRounds[S any, P search[S]](t *testing.T, s P, workers, rounds int, feed func(forks []*S) error) {
	t.Helper()
	for !s.Done() && s.Rounds() < rounds {
		if s.Rounds() > 12 {
			t.Fatalf("%d rounds", s.Rounds())
		}
		b, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var sent S
		if err := P(&sent).UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		forks := make([]*S, workers)
		for w := range forks {
			forks[w] = P(&sent).Fork()
		}
		if err := feed(forks); err != nil {
			t.Fatal(err)
		}
		for w := workers - 1; w >= 0; w-- {
			b, err := P(forks[w]).MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var back S
			if err := P(&back).UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			if err := s.Merge(&back); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.EndRound(); err != nil {
			t.Fatal(err)
		}
	}
}

// splitRanks runs up to rounds rounds of the search for the ranks of the
// customers pass gives split over workers (splitRounds), chunk i to
// worker i % workers.
func splitRanks(t *testing.T, pass func(yield func(ProfileChunk) error) error, d, k, workers, rounds int) *ProfileRanks {
	t.Helper()
	ranks := NewProfileRanks(d, k)
	splitRounds(t, ranks, workers, rounds, func(forks []*ProfileRanks) error {
		i := 0
		return pass(func(ch ProfileChunk) error {
			err := forks[i%len(forks)].Add(ch.Labels, ch.Cols)
			i++
			return err
		})
	})
	return ranks
}

// TestProfileRanksErrors: searches in different states do not merge;
// damaged bytes do not decode; StreamProfilesRanked refuses ranks of
// other shapes or of other customers; a round given other
// customers than the first is an error.
func TestProfileRanksErrors(t *testing.T) {
	a := NewProfileRanks(2, 3)
	if err := a.Merge(NewProfileRanks(2, 4)); err == nil {
		t.Error("searches of 3 and 4 clusters merged")
	}
	if err := a.Add([]int{0, 3}, [][]float64{{1, 2}, {3, 4}}); err == nil {
		t.Error("cluster 3 of 3 added")
	}
	if err := a.Add([]int{0, 1}, [][]float64{{1, 2}}); err == nil {
		t.Error("1 column of 2 added")
	}
	chunk := ProfileChunk{Labels: []int{0, 1, 2, 0}, Cols: [][]float64{{1, 2, 3, 4}, {5, 5, 6, 7}}, Groups: [][]bool{}}
	pass := func(yield func(ProfileChunk) error) error { return yield(chunk) }
	fork := a.Fork()
	if err := a.Add(chunk.Labels, chunk.Cols); err != nil {
		t.Fatal(err)
	}
	if err := a.EndRound(); err != nil {
		t.Fatal(err)
	}
	if err := a.Merge(fork); err == nil {
		t.Error("a fork of the first round merged into the second")
	}
	done := splitRanks(t, pass, 2, 3, 2, 20)
	if _, _, err := StreamProfilesRanked(context.Background(), []string{"a"}, nil, 3, done, nil, pass); err == nil {
		t.Error("ranks of 2 features accepted for 1")
	}
	more := func(yield func(ProfileChunk) error) error {
		if err := yield(chunk); err != nil {
			return err
		}
		return yield(chunk)
	}
	if _, _, err := StreamProfilesRanked(context.Background(), []string{"a", "b"}, nil, 3, done, nil, more); err == nil || !strings.Contains(err.Error(), "count 4 customers") {
		t.Errorf("ranks of 4 customers for 8: %v", err)
	}
	b, err := done.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{nil, {1, 2}, b[:len(b)/2]} {
		var r ProfileRanks
		if err := r.UnmarshalBinary(bad); err == nil {
			t.Errorf("%d damaged bytes decoded", len(bad))
		}
	}
	// A second round given fewer customers than the first.
	c := NewProfileRanks(1, 1)
	vals := make([]float64, 10000)
	labels := make([]int, len(vals))
	for i := range vals {
		vals[i] = float64(i) / 7
	}
	if err := c.Add(labels, [][]float64{vals}); err != nil {
		t.Fatal(err)
	}
	if err := c.EndRound(); err != nil {
		t.Fatal(err)
	}
	if err := c.Add(labels[1:], [][]float64{vals[1:]}); err != nil {
		t.Fatal(err)
	}
	if err := c.EndRound(); err == nil {
		t.Error("a round of fewer customers than the first ended")
	}
}
