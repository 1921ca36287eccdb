package clv

import (
	"context"
	"testing"
)

// TestFitWorkers: the BG/NBD fit is the same, bit for bit, whatever
// FitSettings.Workers is, on data of several pieces (chunks.go).
func TestFitWorkers(t *testing.T) {
	data := simulate(BGNBD{R: 0.6, Alpha: 8, A: 0.9, B: 3}, 3*chunkSize, 20, 52, 0, 7)
	if n := len(splitGroups(groupStats(data), chunkSize)); n < 3 {
		t.Fatalf("%d pieces, want several", n)
	}
	var want BGNBDFit
	for _, w := range []int{0, 1, 2, 3, 8} {
		fit, err := FitBGNBD(context.Background(), data, &FitSettings{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if w == 0 {
			want = fit
			continue
		}
		if fit != want {
			t.Errorf("workers %d: %+v, want %+v", w, fit, want)
		}
	}
}

// TestSplitGroups: the pieces hold every entry once, in order, at most
// size each, and one piece is the groups themselves.
func TestSplitGroups(t *testing.T) {
	gs := groupStats(simulate(BGNBD{R: 0.6, Alpha: 8, A: 0.9, B: 3}, 1000, 20, 52, 0, 3))
	var all []float64
	for _, g := range gs {
		all = append(all, g.t...)
	}
	for _, size := range []int{1, 7, 100, 5000} {
		var got []float64
		for _, c := range splitGroups(gs, size) {
			n := 0
			for _, g := range c {
				if len(g.tx) != len(g.w) || len(g.t) != len(g.w) {
					t.Fatalf("size %d: a piece of x=%d has %d, %d, %d values", size, g.x, len(g.tx), len(g.t), len(g.w))
				}
				n += len(g.w)
				got = append(got, g.t...)
			}
			if n > size {
				t.Errorf("size %d: a piece of %d entries", size, n)
			}
		}
		if len(got) != len(all) {
			t.Fatalf("size %d: %d entries, want %d", size, len(got), len(all))
		}
		for i := range all {
			if got[i] != all[i] {
				t.Fatalf("size %d: entry %d is %v, want %v", size, i, got[i], all[i])
			}
		}
	}
	m := BGNBD{R: 0.6, Alpha: 8, A: 0.9, B: 3}
	if one := splitGroups(gs, 5000); len(one) != 1 || m.chunkedLogLik(one, nil, 4) != m.logLik(gs, nil) {
		t.Error("one piece does not give the groups' own log-likelihood")
	}
}
