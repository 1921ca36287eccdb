package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

// smallConfig writes a config for the small store of testdata/small with
// the given as_of and extra YAML, and returns its path.
func smallConfig(t *testing.T, asOf, extra string) string {
	t.Helper()
	small, err := filepath.Abs(filepath.Join("testdata", "small"))
	if err != nil {
		t.Fatal(err)
	}
	yaml := "as_of: " + asOf + "\norders:\n  path: " + filepath.Join(small, "orders.csv") +
		"\n  time_format: \"2006-01-02 15:04:05\"\nclustering:\n  k: 3\n" + extra
	cfg := filepath.Join(t.TempDir(), "segment.yaml")
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// assignmentColumns reads columns of assignments.csv by name, one
// []string per name, rows in file order.
func assignmentColumns(t *testing.T, dir string, names ...string) [][]string {
	t.Helper()
	recs := readCSVFile(t, filepath.Join(dir, "assignments.csv"))
	cols := make([][]string, len(names))
	for j, name := range names {
		k := -1
		for i, h := range recs[0] {
			if h == name {
				k = i
			}
		}
		if k < 0 {
			t.Fatalf("assignments.csv has no column %s", name)
		}
		for _, r := range recs[1:] {
			cols[j] = append(cols[j], r[k])
		}
	}
	return cols
}

func readReport(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const recencyNoteMark = "**Recent is relative here.**"

// TestRecencyNote: on the small store analysed in 2026, every customer's
// last purchase is more than 365 days old, yet quintile R still calls some
// of them champions or promising: the report must say so next to the RFM
// table. At the store's own as_of (2024-12-31) it must not.
func TestRecencyNote(t *testing.T) {
	out := filepath.Join(t.TempDir(), "stale")
	mustSegment(t, "run", "-quiet", "-config", smallConfig(t, "2026-01-01", ""), "-out", out)
	cols := assignmentColumns(t, out, "recency_days", "frequency", "rfm_segment")
	recent := 0
	for i, r := range cols[0] {
		if cols[1][i] == "0" {
			continue
		}
		if d, _ := strconv.ParseFloat(r, 64); d < 365 {
			t.Fatalf("customer %d bought %v days before as_of: the store is not stale", i, d)
		}
		if features.DescribedAsRecent(cols[2][i]) {
			recent++
		}
	}
	if recent == 0 {
		t.Fatal("no customer in a segment described as recent: the test proves nothing")
	}
	report := readReport(t, out)
	rfm := report[strings.Index(report, "## RFM segments"):]
	rfm = rfm[:strings.Index(rfm, "What each segment means")]
	for _, want := range []string{recencyNoteMark, "have not bought for 365 days or more", "relative to this store's customers", "`rfm.recency_days`"} {
		if !strings.Contains(rfm, want) {
			t.Errorf("the RFM section lacks %q:\n%s", want, rfm)
		}
	}
	// Every segment described as recent that has customers is named, and
	// no other.
	note := rfm[strings.Index(rfm, recencyNoteMark):]
	for _, info := range features.RFMSegments() {
		has := strings.Contains(report, "| `"+info.ID+"` | ") && !strings.Contains(report, "| `"+info.ID+"` | 0 |")
		named := strings.Contains(note, "`"+info.ID+"` (median ")
		if named != (has && features.DescribedAsRecent(info.ID)) {
			t.Errorf("%s: named in the note %v, has customers %v, described as recent %v", info.ID, named, has, features.DescribedAsRecent(info.ID))
		}
	}

	if report := readReport(t, runSmall(t)); strings.Contains(report, recencyNoteMark) {
		t.Error("the note appears on the small store at its own as_of, whose recent customers bought recently")
	}
}

// TestRecencyDaysRun scores R on fixed days on the small store: every
// customer's r_score follows the day rule exactly, model.json keeps the
// days, the report shows them, segment assign reproduces the scores and a
// later run frozen from the model keeps the days.
func TestRecencyDaysRun(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "fixed")
	mustSegment(t, "run", "-quiet", "-config", smallConfig(t, "2024-12-31", "rfm:\n  recency_days: [30, 90, 180, 365]\n"), "-out", out)

	var m pipeline.Model
	readJSON(t, filepath.Join(out, "model.json"), &m)
	if c := m.RFMCuts; c == nil || !c.RFixedDays || len(c.R) != 4 || c.R[0] != 30 || c.R[3] != 365 {
		t.Fatalf("model.json rfm_cuts = %+v, want r [30 90 180 365] with r_fixed_days", m.RFMCuts)
	}
	if m.Config == nil || len(m.Config.RFM.RecencyDays) != 4 {
		t.Errorf("model.json config lacks rfm.recency_days: %+v", m.Config)
	}
	cols := assignmentColumns(t, out, "recency_days", "frequency", "r_score")
	bands := map[int]bool{}
	for i, r := range cols[0] {
		if cols[1][i] == "0" {
			continue
		}
		d, _ := strconv.ParseFloat(r, 64)
		want := 5
		for _, cut := range []float64{30, 90, 180, 365} {
			if d >= cut {
				want--
			}
		}
		if got, _ := strconv.Atoi(cols[2][i]); got != want {
			t.Errorf("recency %v days: r_score %d, want %d", d, got, want)
		}
		bands[want] = true
	}
	if len(bands) < 3 {
		t.Errorf("only R scores %v used: the test checks too few bands", bands)
	}
	report := readReport(t, out)
	if want := "R on fixed days (`rfm.recency_days`), not quintiles: last purchase under 30 days before as\\_of → 5, 30 to under 90 → 4"; !strings.Contains(report, want) {
		t.Errorf("report lacks %q", want)
	}
	if strings.Contains(report, "recency_days 30 ·") {
		t.Error("report lists the fixed days as quintile cut points")
	}

	// assign with the model reproduces the run.
	scored := filepath.Join(dir, "scored")
	mustSegment(t, "assign", "-quiet", "-model", filepath.Join(out, "model.json"), "-out", scored)
	a, _ := os.ReadFile(filepath.Join(out, "assignments.csv"))
	b, _ := os.ReadFile(filepath.Join(scored, "assignments.csv"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("assign with a fixed-days model differs from the run")
	}

	// A later run frozen from the model, without recency_days, keeps them.
	frozen := filepath.Join(dir, "frozen")
	mustSegment(t, "run", "-quiet", "-config", smallConfig(t, "2025-03-01", "rfm:\n  freeze_from: "+filepath.Join(out, "model.json")+"\n"), "-out", frozen)
	var fm pipeline.Model
	readJSON(t, filepath.Join(frozen, "model.json"), &fm)
	if c := fm.RFMCuts; c == nil || !c.RFixedDays || c.R[0] != 30 {
		t.Errorf("frozen run's rfm_cuts = %+v, want the fixed days", fm.RFMCuts)
	}
}

// TestProductsFlag: -products does what products.path does, overrides it,
// and is honoured by assign.
func TestProductsFlag(t *testing.T) {
	dir := t.TempDir()
	small, err := filepath.Abs(filepath.Join("testdata", "small"))
	if err != nil {
		t.Fatal(err)
	}
	products := filepath.Join(small, "products.csv")
	viaConfig, viaFlag, without := filepath.Join(dir, "config"), filepath.Join(dir, "flag"), filepath.Join(dir, "without")
	mustSegment(t, "run", "-quiet", "-config", smallConfig(t, "2024-12-31", "products:\n  path: "+products+"\n"), "-out", viaConfig)
	// The flag replaces a products.path that does not exist.
	mustSegment(t, "run", "-quiet", "-config", smallConfig(t, "2024-12-31", "products:\n  path: nowhere.csv\n"), "-products", products, "-out", viaFlag)
	mustSegment(t, "run", "-quiet", "-config", smallConfig(t, "2024-12-31", ""), "-out", without)
	a, _ := os.ReadFile(filepath.Join(viaConfig, "assignments.csv"))
	b, _ := os.ReadFile(filepath.Join(viaFlag, "assignments.csv"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("-products gives other assignments than products.path")
	}
	if c, _ := os.ReadFile(filepath.Join(without, "assignments.csv")); bytes.Equal(a, c) {
		t.Error("the products table changes nothing: the test proves nothing")
	}
	if !strings.Contains(string(a), "premium_buyer") {
		t.Error("no premium_buyer column with a products table")
	}

	code, _, stderr := segment(t, "assign", "-quiet", "-model", filepath.Join(viaConfig, "model.json"),
		"-products", filepath.Join(dir, "missing-products.csv"), "-out", filepath.Join(dir, "assigned"))
	if code != exitFailed || !strings.Contains(stderr, "missing-products.csv") {
		t.Errorf("assign -products with a missing file: exit %d, stderr %q", code, stderr)
	}
}
