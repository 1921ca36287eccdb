package report

import (
	"bytes"
	"context"
	"encoding/gob"
	"math"
	"slices"
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

// TestRanksDamagedStates: decoded searches whose parts disagree are
// errors, not panics in Revenue or setPositions; a last round given other
// values than the first is an error.
func TestRanksDamagedStates(t *testing.T) {
	m := make([]float64, 5000)
	for i := range m {
		m[i] = float64(i%700) / 3
	}
	r := NewRevenueRanks()
	for r.stage != revenueSumsStage {
		r.Add(m)
		if err := r.EndRound(); err != nil {
			t.Fatal(err)
		}
	}
	b, err := r.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var st revenueState
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		t.Fatal(err)
	}
	for name, damage := range map[string]func(st *revenueState){
		"cuts not the values found": func(st *revenueState) { st.Cuts[0]++ },
		"a handle out of range":     func(st *revenueState) { st.Handles[0] = 1 << 20 },
		"other customers":           func(st *revenueState) { st.N++ },
	} {
		c := st
		c.Cuts, c.Handles = slices.Clone(st.Cuts), slices.Clone(st.Handles)
		damage(&c)
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(c); err != nil {
			t.Fatal(err)
		}
		var back RevenueRanks
		if err := back.UnmarshalBinary(buf.Bytes()); err == nil {
			t.Errorf("revenue, %s: decoded", name)
		}
	}
	r.Add(m[1:]) // the sums' round given one value fewer
	if err := r.EndRound(); err == nil {
		t.Error("revenue: a sums' round of fewer values ended")
	}

	labels := make([]int, len(m))
	for i := range labels {
		labels[i] = i % 2
	}
	p := NewProfileRanks(1, 2)
	for p.stage != ranksPositions {
		if err := p.Add(labels, [][]float64{m}); err != nil {
			t.Fatal(err)
		}
		if err := p.EndRound(); err != nil {
			t.Fatal(err)
		}
	}
	pb, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var ps ranksState
	if err := gob.NewDecoder(bytes.NewReader(pb)).Decode(&ps); err != nil {
		t.Fatal(err)
	}
	ps.Cuts[0].Cuts = append(ps.Cuts[0].Cuts, 1e9)
	ps.Cuts[0].Between, ps.Cuts[0].Equal = append(ps.Cuts[0].Between, 0), append(ps.Cuts[0].Equal, 0)
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(ps); err != nil {
		t.Fatal(err)
	}
	var back ProfileRanks
	if err := back.UnmarshalBinary(buf.Bytes()); err == nil {
		t.Error("profiles: cuts not the clusters' medians decoded")
	}
	if err := p.Add(labels[1:], [][]float64{m[1:]}); err != nil {
		t.Fatal(err)
	}
	if err := p.EndRound(); err == nil {
		t.Error("profiles: a positions' round of fewer values ended")
	}
}
