package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
)

// TestFeatureTableRefitHasNoDates: a feature table has no analysis date, so
// a refit on one writes no date of year 1: run.json's as_of and
// previous_as_of are null, segment_changed_at is empty, and the report says
// there is no date.
func TestFeatureTableRefitHasNoDates(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("customer_id,monetary,frequency\n")
	for i := range 200 {
		fmt.Fprintf(&b, "c%03d,%d,%d\n", i, 10+(i*37)%500, 1+i%7)
	}
	table := filepath.Join(dir, "features.csv")
	if err := os.WriteFile(table, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	mustSegment(t, "run", "-quiet", "-features", table, "-k", "3", "-out", out)
	mustSegment(t, "run", "-quiet", "-features", table, "-k", "3", "-out", out)
	var m struct {
		AsOf      *string `json:"as_of"`
		Stability *struct {
			PreviousAsOf *string `json:"previous_as_of"`
		} `json:"stability"`
	}
	readJSON(t, filepath.Join(out, "run.json"), &m)
	if m.AsOf != nil || m.Stability == nil || m.Stability.PreviousAsOf != nil {
		t.Errorf("run.json as_of %v, stability %+v: want null dates", m.AsOf, m.Stability)
	}
	recs := readCSVFile(t, filepath.Join(out, "assignments.csv"))
	col := slices.Index(recs[0], "segment_changed_at")
	if col < 0 {
		t.Fatal("assignments.csv lacks segment_changed_at")
	}
	for _, r := range recs[1:] {
		if r[col] != "" {
			t.Fatalf("segment_changed_at %q, want empty (no date)", r[col])
		}
	}
	tab, err := data.ReadTable(context.Background(), filepath.Join(out, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	changed := tab.Column("segment_changed_at")
	if changed == nil {
		t.Fatal("assignments.parquet lacks segment_changed_at")
	}
	for i := range changed.Strings {
		if !changed.IsNull(i) {
			t.Fatalf("assignments.parquet row %d: segment_changed_at %q, want null", i, changed.Strings[i])
		}
	}
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(report), "0001-01-01") || !strings.Contains(string(report), "no analysis date") {
		t.Error("the report gives a date of year 1, or does not say there is none")
	}
}

// TestBackfillRefused: a run dated before the run its -out holds stops
// with exit status 1 naming both dates, before any output is written;
// the previous outputs stay as they were.
func TestBackfillRefused(t *testing.T) {
	dir := t.TempDir()
	store, out := filepath.Join(dir, "store"), filepath.Join(dir, "out")
	mustSegment(t, "gen", "-customers", "300", "-seed", "4", "-out", store)
	orders := filepath.Join(store, "orders.parquet")
	mustSegment(t, "run", "-quiet", "-orders", orders, "-k", "3", "-as-of", "2025-06-01", "-out", out)
	before := snapshot(t, out)
	code, _, stderr := segment(t, "run", "-quiet", "-orders", orders, "-k", "3", "-as-of", "2025-03-01", "-out", out)
	if code != 1 || !strings.Contains(stderr, "is of a later analysis date (2025-06-01) than this run (2025-03-01)") {
		t.Errorf("exit %d, stderr %q: want 1 and both dates", code, stderr)
	}
	if after := snapshot(t, out); !sameSnapshot(before, after) {
		t.Error("the refused backfill changed the previous outputs")
	}
}
