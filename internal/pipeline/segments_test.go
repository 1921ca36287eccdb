package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/features"
)

func TestSegmentRFMNeedsThreeColumns(t *testing.T) {
	// Five customers, so that the quintile cuts (the 2nd to 5th values,
	// features.FitRFMCuts) give A, the best on every letter, 5 5 5 and E 1 1 1.
	ids := []string{"A", "B", "C", "D", "E"}
	rec := col(features.RecencyDays, 5, 50, 100, 200, 500)
	freq := col(features.Frequency, 5, 4, 3, 2, 1)
	mon := col(features.Monetary, 500, 400, 300, 200, 100)
	for _, tc := range []struct {
		name string
		cols []column
		rfm  bool
	}{
		{"recency, frequency and monetary", []column{rec, freq, mon}, true},
		{"no recency", []column{freq, mon}, false},
		{"no frequency", []column{rec, mon}, false},
		{"no monetary", []column{rec, freq}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Segment(context.Background(), &Tables{Table: featureTable(t, ids, tc.cols...)}, testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			if got := s.RFM != nil; got != tc.rfm {
				t.Fatalf("RFM computed: %v, want %v", got, tc.rfm)
			}
			if !tc.rfm {
				return
			}
			r := s.RFM
			if r.R[0] != 5 || r.F[0] != 5 || r.M[0] != 5 || r.Segment(0) != "champions" {
				t.Errorf("A: R %d F %d M %d %s, want 5 5 5 champions", r.R[0], r.F[0], r.M[0], r.Segment(0))
			}
			if r.R[4] != 1 || r.F[4] != 1 || r.M[4] != 1 || r.Segment(4) != "lost" {
				t.Errorf("E: R %d F %d M %d %s, want 1 1 1 lost", r.R[4], r.F[4], r.M[4], r.Segment(4))
			}
			if want := features.FitRFMCuts(s.All); !slices.Equal(s.Cuts.M, want.M) || s.FrozenFrom != "" {
				t.Errorf("cuts %v frozen from %q, want those fitted on the table", s.Cuts, s.FrozenFrom)
			}
		})
	}
}

func TestSegmentProspects(t *testing.T) {
	in := &Tables{Table: twoGroups(t), Prospects: []string{"A0", "Z9"}}
	s, err := Segment(context.Background(), in, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.All.N() != in.Table.N()+2 || s.All.IDs[0] != "A0" || s.All.IDs[s.All.N()-1] != "Z9" {
		t.Fatalf("all ids %v, want the table's with A0 first and Z9 last", s.All.IDs)
	}
	for i, id := range s.All.IDs {
		want := slices.Index(in.Table.IDs, id) // −1 for a prospect
		if s.RowOf[i] != want {
			t.Errorf("RowOf[%d] (%s) = %d, want %d", i, id, s.RowOf[i], want)
		}
		if want < 0 {
			if s.RFM.Segment(i) != features.Prospects || s.All.Col(features.Monetary)[i] != 0 {
				t.Errorf("prospect %s: segment %s, monetary %v; want prospects, 0", id, s.RFM.Segment(i), s.All.Col(features.Monetary)[i])
			}
		}
	}
	if in.Table.N() != 13 {
		t.Errorf("Segment modified the customer table")
	}
	for _, g := range s.Groups {
		if g.Members != nil && len(g.Members) != s.All.N() {
			t.Errorf("group %s has %d members for %d rows", g.ID, len(g.Members), s.All.N())
		}
	}
}

func TestSegmentCustomGroups(t *testing.T) {
	custom, err := features.CompileGroups([]features.CustomGroup{
		{Name: "big_spender", When: "monetary >= 1000"},
		{Name: "lapsed_champion", When: `recency_days > 100 && rfm_segment == "champions"`},
	})
	if err != nil {
		t.Fatal(err)
	}
	o := testOptions(t)
	o.Custom = custom
	s, err := Segment(context.Background(), &Tables{Table: twoGroups(t)}, o)
	if err != nil {
		t.Fatal(err)
	}
	if s.CustomCount != 2 || len(s.Groups) < 2 {
		t.Fatalf("%d custom groups among %d, want 2", s.CustomCount, len(s.Groups))
	}
	big, lapsed := s.Groups[len(s.Groups)-2], s.Groups[len(s.Groups)-1]
	if big.ID != "big_spender" || lapsed.ID != "lapsed_champion" {
		t.Fatalf("last groups %s, %s; want the custom groups in order", big.ID, lapsed.ID)
	}
	var members []string
	for i, in := range big.Members {
		if in {
			members = append(members, s.All.IDs[i])
		}
	}
	if !slices.Equal(members, []string{"H2", "H3", "H4", "H5", "H6"}) {
		t.Errorf("big_spender members %v, want H2…H6 (monetary ≥ 1000)", members)
	}
	if lapsed.Count() != 0 {
		t.Errorf("lapsed_champion has %d members, want none", lapsed.Count())
	}

	t.Run("unknown mix column", func(t *testing.T) {
		custom, err := features.CompileGroups([]features.CustomGroup{{Name: "toy_fans", When: "mix_toys > 0.5"}})
		if err != nil {
			t.Fatal(err)
		}
		o := testOptions(t)
		o.Custom, o.ConfigPath = custom, "shop.yaml"
		_, err = Segment(context.Background(), &Tables{Table: twoGroups(t)}, o)
		if err == nil || !strings.Contains(err.Error(), "shop.yaml") || !strings.Contains(err.Error(), "toy_fans") {
			t.Errorf("error %v, want one naming shop.yaml and the group", err)
		}
	})
}

func TestSegmentFrozenCuts(t *testing.T) {
	dir := t.TempDir()
	// M cut points above every customer's spend: everyone scores M 1.
	model := filepath.Join(dir, "model.json")
	if err := os.WriteFile(model, []byte(`{"version": "0.1.0", "rfm_cuts": {
		"r": [10, 20, 30, 40], "f": [1, 2, 3, 4], "m": [5000, 6000, 7000, 8000]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	noCuts := filepath.Join(dir, "nocuts.json")
	if err := os.WriteFile(noCuts, []byte(`{"version": "0.1.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	in := &Tables{Table: twoGroups(t)}

	t.Run("frozen", func(t *testing.T) {
		o := testOptions(t)
		o.RFMFreezeFrom = model
		s, err := Segment(context.Background(), in, o)
		if err != nil {
			t.Fatal(err)
		}
		if s.FrozenFrom != model || !slices.Equal(s.Cuts.M, []float64{5000, 6000, 7000, 8000}) || !slices.Equal(s.Cuts.R, []float64{10, 20, 30, 40}) {
			t.Errorf("cuts %+v from %q, want model.json's", s.Cuts, s.FrozenFrom)
		}
		for i, m := range s.RFM.M {
			if s.RowOf[i] >= 0 && s.RFM.Segment(i) != features.Prospects && m != 1 {
				t.Errorf("%s: M %d, want 1 under the frozen cuts", s.All.IDs[i], m)
			}
		}
	})
	t.Run("frozen with recency days", func(t *testing.T) {
		o := testOptions(t)
		o.RFMFreezeFrom, o.RecencyDays = model, []int{30, 90, 180, 365}
		s, err := Segment(context.Background(), in, o)
		if err != nil {
			t.Fatal(err)
		}
		if !s.Cuts.RFixedDays || !slices.Equal(s.Cuts.R, []float64{30, 90, 180, 365}) || s.Cuts.M[0] != 5000 {
			t.Errorf("cuts %+v, want R on the fixed days and M from model.json", s.Cuts)
		}
	})
	for _, tc := range []struct{ name, path, want string }{
		{"missing file", filepath.Join(dir, "absent.json"), "absent.json"},
		{"no cuts in the model", noCuts, noCuts + ": no rfm_cuts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := testOptions(t)
			o.RFMFreezeFrom = tc.path
			_, err := Segment(context.Background(), in, o)
			if err == nil || !strings.Contains(err.Error(), "rfm.freeze_from") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want rfm.freeze_from and %q", err, tc.want)
			}
		})
	}
}

// TestSegmentCustomGroupsProspects: a custom group that holds customers
// without a purchase through values they do not have (their order
// features and RFM scores read as 0) is named in a warning with their
// count; one whose expression leaves them out, or reads only what they
// have, is not.
func TestSegmentCustomGroupsProspects(t *testing.T) {
	custom, err := features.CompileGroups([]features.CustomGroup{
		{Name: "recent", When: "recency_days < 30"},
		{Name: "low_r", When: "r_score < 2"},
		{Name: "recent_buyers", When: "frequency > 0 && recency_days < 30"},
		{Name: "prospect_list", When: `rfm_segment == "prospects"`},
	})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	o := testOptions(t)
	o.Custom, o.Log = custom, slog.New(slog.NewTextHandler(&log, nil))
	s, err := Segment(context.Background(), &Tables{Table: twoGroups(t), Prospects: []string{"A0", "Z9"}}, o)
	if err != nil {
		t.Fatal(err)
	}
	got := log.String()
	for _, want := range []string{"group=recent customers=2 reads=recency_days", "group=low_r customers=3 reads=r_score"} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"group=recent_buyers", "group=prospect_list"} {
		if strings.Contains(got, not) {
			t.Errorf("log warns of %s:\n%s", not, got)
		}
	}
	if g := s.Groups[len(s.Groups)-1]; g.ID != "prospect_list" || g.Count() != 3 {
		t.Errorf("group %s of %d, want prospect_list of the 3 prospects (two without orders, one without a purchase)", g.ID, g.Count())
	}
}
