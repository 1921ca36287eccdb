package report

import (
	"context"
	"strings"
	"testing"
)

// splitRanks runs up to rounds rounds of the search for the ranks of the
// customers pass gives, split over workers, as the scale-out runner's job
// 2 does: each round, the search is sent to the workers (MarshalBinary),
// each counts the chunks given to it in a Fork (chunk i to worker
// i % workers), and their counts come back encoded and are merged into
// the search, the last worker's first, before it ends the round.
func splitRanks(t *testing.T, pass func(yield func(ProfileChunk) error) error, d, k, workers, rounds int) *ProfileRanks {
	t.Helper()
	ranks := NewProfileRanks(d, k)
	for !ranks.Done() && ranks.Rounds() < rounds {
		if ranks.Rounds() > 12 {
			t.Fatalf("%d rounds", ranks.Rounds())
		}
		b, err := ranks.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var sent ProfileRanks
		if err := sent.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		forks := make([]*ProfileRanks, workers)
		for w := range forks {
			forks[w] = sent.Fork()
		}
		i := 0
		err = pass(func(ch ProfileChunk) error {
			err := forks[i%workers].Add(ch.Labels, ch.Cols)
			i++
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for w := workers - 1; w >= 0; w-- {
			b, err := forks[w].MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var back ProfileRanks
			if err := back.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			if err := ranks.Merge(&back); err != nil {
				t.Fatal(err)
			}
		}
		if err := ranks.EndRound(); err != nil {
			t.Fatal(err)
		}
	}
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
	if _, _, err := StreamProfilesRanked(context.Background(), []string{"a"}, nil, 3, done, pass); err == nil {
		t.Error("ranks of 2 features accepted for 1")
	}
	more := func(yield func(ProfileChunk) error) error {
		if err := yield(chunk); err != nil {
			return err
		}
		return yield(chunk)
	}
	if _, _, err := StreamProfilesRanked(context.Background(), []string{"a", "b"}, nil, 3, done, more); err == nil || !strings.Contains(err.Error(), "count 4 customers") {
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
