package features

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// rfmTable builds a table with only the RFM columns.
func rfmTable(t *testing.T, ids []string, rec, freq, mon []float64) *Table {
	t.Helper()
	tab, err := FromColumns(ids, []string{RecencyDays, Frequency, Monetary}, [][]float64{rec, freq, mon})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestRFMSegmentGrid(t *testing.T) {
	// DESIGN.md's grid, row R = 5 first.
	want := [5][5]string{
		{"new_customers", "potential_loyalist", "loyal_customers", "champions", "champions"},
		{"promising", "potential_loyalist", "potential_loyalist", "loyal_customers", "champions"},
		{"promising", "need_attention", "potential_loyalist", "loyal_customers", "loyal_customers"},
		{"about_to_sleep", "need_attention", "need_attention", "at_risk", "at_risk"},
		{"lost", "hibernating", "at_risk", "cant_lose_them", "cant_lose_them"},
	}
	for r := 5; r >= 1; r-- {
		for fm := 1; fm <= 5; fm++ {
			if got := RFMSegment(r, fm); got != want[5-r][fm-1] {
				t.Errorf("RFMSegment(%d, %d) = %q, want %q", r, fm, got, want[5-r][fm-1])
			}
		}
	}
}

// TestRFMEveryCell builds 25 customers per score value so that the
// quintile cuts are exactly the value boundaries, then one customer per
// (R, F, M) combination that lands in each of the 25 (R, FM) cells.
func TestRFMEveryCell(t *testing.T) {
	// Population: 5 blocks of 20 customers; block b (1..5) has recency
	// 100−20b+… so that cuts fall between blocks. Values: recency 10·(6−b)
	// (b = 5 most recent), frequency b, monetary 100·b.
	var ids []string
	var rec, freq, mon []float64
	add := func(id string, r, f, m float64) {
		ids, rec, freq, mon = append(ids, id), append(rec, r), append(freq, f), append(mon, m)
	}
	for b := 1; b <= 5; b++ {
		for i := range 20 {
			add(fmt.Sprintf("pop%d-%02d", b, i), float64(10*(6-b)), float64(b), float64(100*b))
		}
	}
	// One probe per (R, FM) cell: F = M = FM gives ⌊(F+M)/2⌋ = FM.
	for r := 1; r <= 5; r++ {
		for fm := 1; fm <= 5; fm++ {
			add(fmt.Sprintf("probe-r%d-fm%d", r, fm), float64(10*(6-r)), float64(fm), float64(100*fm))
		}
	}
	tab := rfmTable(t, ids, rec, freq, mon)
	cuts := FitRFMCuts(tab)
	// 125 customers, 25 per value: Q(0.2) = x_25 = the first block's value.
	if want := []float64{10, 20, 30, 40}; !slices.Equal(cuts.R, want) {
		t.Errorf("R cuts = %v, want %v", cuts.R, want)
	}
	if want := []float64{1, 2, 3, 4}; !slices.Equal(cuts.F, want) {
		t.Errorf("F cuts = %v, want %v", cuts.F, want)
	}
	s, err := ScoreRFM(tab, cuts)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Collapsed) != 0 {
		t.Errorf("Collapsed = %+v, want none", s.Collapsed)
	}
	seen := map[[2]int]bool{}
	for i, id := range tab.IDs {
		var r, fm int
		if _, err := fmt.Sscanf(id, "probe-r%d-fm%d", &r, &fm); err != nil {
			continue
		}
		if int(s.R[i]) != r || (int(s.F[i])+int(s.M[i]))/2 != fm {
			t.Errorf("%s: scores R %d F %d M %d, want R %d FM %d", id, s.R[i], s.F[i], s.M[i], r, fm)
		}
		if want := RFMSegment(r, fm); s.Segment(i) != want {
			t.Errorf("%s: segment %q, want %q", id, s.Segment(i), want)
		}
		seen[[2]int{r, fm}] = true
	}
	if len(seen) != 25 {
		t.Errorf("%d cells reached, want 25", len(seen))
	}
}

func TestRFMTiesAndOrder(t *testing.T) {
	// 10 customers, 6 with one order of 50: equal values must get equal
	// scores, and shuffling the rows must change nothing.
	ids := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	rec := []float64{5, 5, 5, 5, 5, 5, 40, 80, 120, 300}
	freq := []float64{1, 1, 1, 1, 1, 1, 2, 3, 5, 8}
	mon := []float64{50, 50, 50, 50, 50, 50, 90, 200, 400, 900}
	base := scoreAll(t, rfmTable(t, ids, rec, freq, mon))
	for i := range 6 {
		if base["a"] != base[ids[i]] {
			t.Errorf("customer %s scored %v, a scored %v: equal values, different scores", ids[i], base[ids[i]], base["a"])
		}
	}
	// F cuts: sorted 1,1,1,1,1,1,2,3,5,8; Q(0.2)=x_2=1, Q(0.4)=x_4=1,
	// Q(0.6)=x_6=1, Q(0.8)=x_8=3. Frequency 1 scores 1, 2 and 3 score 4,
	// 5 and 8 score 5: F scores 2 and 3 collapse.
	if got := base["a"]; got[1] != 1 {
		t.Errorf("a: F = %d, want 1", got[1])
	}
	if got := base["h"]; got[1] != 4 {
		t.Errorf("h: F = %d, want 4", got[1])
	}
	s, err := ScoreRFM(rfmTable(t, ids, rec, freq, mon), FitRFMCuts(rfmTable(t, ids, rec, freq, mon)))
	if err != nil {
		t.Fatal(err)
	}
	var f *Collapse
	for i := range s.Collapsed {
		if s.Collapsed[i].Letter == "F" {
			f = &s.Collapsed[i]
		}
	}
	if f == nil || !slices.Equal(f.Scores, []int{2, 3}) || f.Value != 1 || f.Share != 0.6 {
		t.Errorf("F collapse = %+v, want scores [2 3], value 1, share 0.6", f)
	}

	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		p := rng.Perm(len(ids))
		pi, pr, pf, pm := make([]string, len(p)), make([]float64, len(p)), make([]float64, len(p)), make([]float64, len(p))
		for k, i := range p {
			pi[k], pr[k], pf[k], pm[k] = ids[i], rec[i], freq[i], mon[i]
		}
		got := scoreAll(t, rfmTable(t, pi, pr, pf, pm))
		for id, w := range base {
			if got[id] != w {
				t.Fatalf("trial %d: %s scored %v after shuffling, %v before", trial, id, got[id], w)
			}
		}
	}
}

// scoreAll fits cuts on tab and returns each customer's (R, F, M, segment).
func scoreAll(t *testing.T, tab *Table) map[string][4]any {
	t.Helper()
	s, err := ScoreRFM(tab, FitRFMCuts(tab))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][4]any{}
	for i, id := range tab.IDs {
		out[id] = [4]any{int(s.R[i]), int(s.F[i]), int(s.M[i]), s.Segment(i)}
	}
	return out
}

func TestRFMProspectsAndFrozenCuts(t *testing.T) {
	ids := []string{"buyer1", "buyer2", "ghost"}
	tab := rfmTable(t, ids, []float64{3, 200, 0}, []float64{4, 1, 0}, []float64{500, 20, 0})
	frozen := RFMCuts{R: []float64{10, 30, 60, 120}, F: []float64{1, 2, 3, 5}, M: []float64{50, 100, 200, 400}}
	s, err := ScoreRFM(tab, frozen)
	if err != nil {
		t.Fatal(err)
	}
	// buyer1: recency 3 ≤ 10 → score 1 → R 5; F 4: above 1, 2, 3 → 4; M 500
	// above all → 5; FM 4 → champions. buyer2: 200 > 120 → R 1, F 1, M 1 → lost.
	want := []struct {
		r, f, m int
		seg     string
	}{{5, 4, 5, Champions}, {1, 1, 1, Lost}, {0, 0, 0, Prospects}}
	for i, w := range want {
		if int(s.R[i]) != w.r || int(s.F[i]) != w.f || int(s.M[i]) != w.m || s.Segment(i) != w.seg {
			t.Errorf("%s: (%d %d %d %s), want (%d %d %d %s)", ids[i], s.R[i], s.F[i], s.M[i], s.Segment(i), w.r, w.f, w.m, w.seg)
		}
	}
	for _, bad := range []RFMCuts{
		{R: []float64{1, 2, 3}, F: frozen.F, M: frozen.M},
		{R: frozen.R, F: []float64{1, 3, 2, 4}, M: frozen.M},
	} {
		if _, err := ScoreRFM(tab, bad); err == nil {
			t.Errorf("ScoreRFM(%v): no error", bad)
		}
	}
}
