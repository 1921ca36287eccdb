package report

import (
	"strings"
	"testing"
)

func TestRecencyNoteText(t *testing.T) {
	for _, c := range []struct {
		name string
		sec  RFMSection
		want []string // in this order
		not  []string
	}{
		{"none", RFMSection{}, nil, []string{"Recent is relative"}},
		{"one segment", RFMSection{RecencyNote: &RecencyNote{LapsedDays: 365, Segments: []RecencyExample{{ID: "champions", MedianRecency: 400}}}},
			[]string{"**Recent is relative here.** `champions` (median 400 days) is described as recent, yet at least half of its customers have not bought for 365 days or more",
				"relative to this store's customers", "Set `rfm.recency_days`"}, nil},
		{"two segments", RFMSection{RecencyNote: &RecencyNote{LapsedDays: 200, Segments: []RecencyExample{{"champions", 210}, {"promising", 380}}}},
			[]string{"`champions` (median 210 days) and `promising` (median 380 days) are described as recent, yet at least half of their customers have not bought for 200 days or more"}, nil},
		{"fixed days", RFMSection{RFixedDays: true, RecencyNote: &RecencyNote{LapsedDays: 365, Segments: []RecencyExample{{"promising", 500}}}},
			[]string{"the fixed days of `rfm.recency_days` reach that far back"}, []string{"Set `rfm.recency_days`"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			writeRecencyNote(&b, &c.sec)
			got, at := b.String(), 0
			for _, w := range c.want {
				i := strings.Index(got[at:], w)
				if i < 0 {
					t.Fatalf("note lacks %q (in order):\n%s", w, got)
				}
				at += i + len(w)
			}
			for _, w := range c.not {
				if strings.Contains(got, w) {
					t.Errorf("note has %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestRFMCutsText(t *testing.T) {
	cuts := [3][]float64{{30, 90, 180, 365}, {1, 2, 3, 5}, {10, 20, 40, 80}}
	var b strings.Builder
	writeRFMCuts(&b, &RFMSection{Cuts: cuts})
	if want := "Cut points (fitted on this run): recency_days 30 · 90 · 180 · 365; frequency 1 · 2 · 3 · 5; monetary 10 · 20 · 40 · 80.\n\n"; b.String() != want {
		t.Errorf("quintile cuts:\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	writeRFMCuts(&b, &RFMSection{Cuts: cuts, RFixedDays: true, FrozenFrom: "m.json"})
	want := "R on fixed days (`rfm.recency_days`), not quintiles: last purchase under 30 days before as\\_of → 5, " +
		"30 to under 90 → 4, 90 to under 180 → 3, 180 to under 365 → 2, 365 days or more → 1.\n\n" +
		"Cut points (frozen from `m.json`): frequency 1 · 2 · 3 · 5; monetary 10 · 20 · 40 · 80.\n\n"
	if b.String() != want {
		t.Errorf("fixed days:\n%q\nwant\n%q", b.String(), want)
	}
}

func TestRFMIntroSaysHowRIsScored(t *testing.T) {
	cuts := [3][]float64{{30, 90, 180, 365}, {1, 2, 3, 5}, {10, 20, 40, 80}}
	for _, fixed := range []bool{false, true} {
		var b strings.Builder
		writeRFM(&b, &Run{RFM: &RFMSection{Cuts: cuts, RFixedDays: fixed}})
		quintiles := strings.Contains(b.String(), "Scores come from the quintile cut points")
		days := strings.Contains(b.String(), "R comes from fixed days (below), F and M from the quintile cut points")
		if quintiles == fixed || days != fixed {
			t.Errorf("fixed days %v: the introduction says quintiles %v, fixed days %v", fixed, quintiles, days)
		}
	}
}
