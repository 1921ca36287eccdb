package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// runSmall runs the small hand-made store of testdata/small and returns the
// output directory.
func runSmall(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"run", "-quiet", "-config", filepath.Join("testdata", "small", "small.yaml"), "-out", out}, io.Discard, &stderr); code != 0 {
		t.Fatalf("segment run (small store): exit %d\n%s", code, stderr.String())
	}
	return out
}

// TestReportSegmentsGolden compares the report's summary, RFM and groups
// sections on the small store with testdata/small/report_segments.golden.md.
// Run "go test ./cmd/segment -run TestReportSegmentsGolden -update" to
// rewrite it after an intended change, and review the diff.
func TestReportSegmentsGolden(t *testing.T) {
	out := runSmall(t)
	b, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	report := string(b)
	start, end := strings.Index(report, "## Summary"), strings.Index(report, "\n## Segments\n")
	if start < 0 || end < start {
		t.Fatalf("report lacks the Summary … Segments sections:\n%s", report)
	}
	got := report[start:end]
	golden := filepath.Join("testdata", "small", "report_segments.golden.md")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("report sections differ from %s (run with -update and review the diff):\n%s", golden, firstDiff(got, string(want)))
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return ""
}

// TestSmallStoreGroups checks groups of the small store that no persona
// plants, against the store's construction (testdata/small was generated so
// that every 9th customer returns an item after their last order, customers
// K041–K045 never ordered, K002, K006, K012, K042 and K043 left a cart
// in December and viewed 4 products, and K044 viewed one).
func TestSmallStoreGroups(t *testing.T) {
	out := runSmall(t)
	tab, err := data.ReadTable(context.Background(), filepath.Join(out, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	ids := tab.Column("customer_id").Strings
	want := map[string][]string{
		"dissatisfied":         {"K009", "K018", "K027", "K036"},
		"registered_lead":      {"K041", "K042", "K043", "K044", "K045"},
		"cart_abandoner":       {"K002", "K006", "K012", "K042", "K043"},
		"browser_never_bought": {"K042", "K043"},
		"paris_repeaters":      nil, // checked below from city and frequency
	}
	city, freq := tab.Column("city"), tab.Column("frequency")
	for i, id := range ids {
		if city.Strings[i] == "Paris" && !freq.IsNull(i) && freq.Floats[i] >= 2 {
			want["paris_repeaters"] = append(want["paris_repeaters"], id)
		}
	}
	for group, members := range want {
		col := tab.Column(group)
		if col == nil {
			t.Errorf("assignments lack the group column %q", group)
			continue
		}
		var got []string
		for i, in := range col.Bools {
			if in {
				got = append(got, ids[i])
			}
		}
		if !slices.Equal(got, members) {
			t.Errorf("%s = %v, want %v", group, got, members)
		}
	}
	if seg := tab.Column("rfm_segment"); seg == nil || seg.Strings[slices.Index(ids, "K041")] != "prospects" {
		t.Errorf("K041 (no orders) is not a prospect")
	}
}

// TestRFMFreeze runs the small store at a later as_of with the RFM cut
// points frozen from a first run: the cuts must be the first run's, not
// refitted, and the report must say where they come from.
func TestRFMFreeze(t *testing.T) {
	first := runSmall(t)
	small, err := filepath.Abs(filepath.Join("testdata", "small"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "frozen.yaml")
	model := filepath.Join(first, "model.json")
	yaml := "as_of: 2025-03-01\norders:\n  path: " + filepath.Join(small, "orders.csv") +
		"\n  time_format: \"2006-01-02 15:04:05\"\nclustering:\n  k: 3\nrfm:\n  freeze_from: " + model + "\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"run", "-quiet", "-config", cfg, "-out", out}, io.Discard, &stderr); code != 0 {
		t.Fatalf("frozen run: exit %d\n%s", code, stderr.String())
	}
	cuts := func(dir string) string {
		var m struct {
			RFMCuts json.RawMessage `json:"rfm_cuts"`
		}
		b, err := os.ReadFile(filepath.Join(dir, "model.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return string(m.RFMCuts)
	}
	if a, b := cuts(first), cuts(out); a != b || a == "" {
		t.Errorf("frozen cuts %s, first run's %s", b, a)
	}
	report, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !strings.Contains(string(report), "frozen from `"+model+"`") {
		t.Errorf("report does not say the cuts were frozen from %s", model)
	}
}
