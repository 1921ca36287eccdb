package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreviousCustomersMissing: a scheduled run whose orders lost the
// lines of some of the previous run's customers (an export cut short at a
// line break, which reads as a valid file) completes, but says how many
// of that run's customers its data lacks, in run.json, in the report and
// in the log.
func TestPreviousCustomersMissing(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "small", "orders.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(raw), "\n"), "\n")
	cut := len(lines) * 2 / 3 // the file cut short
	all, kept := map[string]bool{}, map[string]bool{}
	for i, l := range lines[1:] {
		id := strings.Split(l, ",")[1]
		all[id] = true
		if i+1 < cut {
			kept[id] = true
		}
	}
	dir := t.TempDir()
	short := filepath.Join(dir, "short.csv")
	if err := os.WriteFile(short, []byte(strings.Join(lines[:cut], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	orders := filepath.Join("testdata", "small", "orders.csv")
	mustSegment(t, "run", "-quiet", "-orders", orders, "-as-of", "2024-12-31", "-k", "3", "-out", out)
	code, _, stderr := segment(t, "run", "-orders", short, "-as-of", "2024-12-31", "-k", "3", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	missing := len(all) - len(kept)
	if missing == 0 {
		t.Fatal("the cut keeps every customer: the test needs another cut")
	}
	var m struct {
		Stability struct {
			Previous int `json:"previous_customers"`
			Missing  int `json:"previous_customers_missing"`
		} `json:"stability"`
	}
	readJSON(t, filepath.Join(out, "run.json"), &m)
	if m.Stability.Previous != len(all) || m.Stability.Missing != missing {
		t.Errorf("run.json: %d previous customers, %d missing; want %d, %d", m.Stability.Previous, m.Stability.Missing, len(all), missing)
	}
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("**%d of that run's %d customers with orders", missing, len(all)); !strings.Contains(string(report), want) {
		t.Errorf("the report lacks %q", want)
	}
	if !strings.Contains(stderr, "missing="+fmt.Sprint(missing)) {
		t.Errorf("the log does not warn of %d missing customers:\n%s", missing, stderr)
	}
}
