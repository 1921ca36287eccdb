package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/pipeline"
)

// storeLine is one line of the hand-built New York store.
type storeLine struct{ customer, order, time, amount string }

// newYorkStore writes a small store whose times are New York wall-clock
// times without an offset and a config with orders.timezone
// America/New_York, and returns the config's path and the lines written.
//
// The newest order, c01's o-last, is at 2017-12-31 22:47 in New York
// (2018-01-01 03:47 UTC). c02's o-eve (2017-09-30 23:30 New York, 2017-10-01
// 03:30 UTC) falls before a store-midnight as_of of 2017-10-01 and after a
// UTC one; c03's o-mid is just after that midnight. One line has no
// customer id: the only reject.
func newYorkStore(t *testing.T) (string, []storeLine) {
	t.Helper()
	var lines []storeLine
	for i := 1; i <= 10; i++ {
		c := fmt.Sprintf("c%02d", i)
		for j, day := range []string{"15 10:00:00", "03 18:00:00", "20 21:30:00"} {
			month := 1 + (i+j*3)%12
			lines = append(lines, storeLine{c, fmt.Sprintf("%s-%d", c, j), fmt.Sprintf("2017-%02d-%s", month, day), fmt.Sprint(10 + 7*i + 3*j)})
		}
	}
	lines = append(lines,
		storeLine{"c01", "o-last", "2017-12-31 22:47:00", "20"},
		storeLine{"c02", "o-eve", "2017-09-30 23:30:00", "15"},
		storeLine{"c03", "o-mid", "2017-10-01 00:10:00", "12"},
		storeLine{"", "o-bad", "2017-05-01 10:00:00", "5"},
	)
	var b strings.Builder
	b.WriteString("customer_id,order_id,time,amount\n")
	for _, l := range lines {
		fmt.Fprintf(&b, "%s,%s,%s,%s\n", l.customer, l.order, l.time, l.amount)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "orders.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "store.yaml")
	const yaml = "orders:\n  path: orders.csv\n  timezone: America/New_York\nclustering:\n  k: 2\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg, lines
}

// linesFrom counts the lines with a customer id dated on or after a
// store-time midnight (the times are "YYYY-MM-DD hh:mm:ss": they compare as
// strings).
func linesFrom(lines []storeLine, date string) int64 {
	var n int64
	for _, l := range lines {
		if l.customer != "" && l.time >= date {
			n++
		}
	}
	return n
}

// checkAfterAsOf checks one run's outputs for a given as_of: run.json's date
// and rows (read = used + rejected + after_as_of, after_as_of = want, the
// one bad line the only reject), rejects.csv holding none of the later
// lines, and the report's data-quality section saying the same.
func checkAfterAsOf(t *testing.T, out, asOf string, wantAfter int64, total int) {
	t.Helper()
	var m pipeline.Manifest
	readJSON(t, filepath.Join(out, "run.json"), &m)
	rows := m.Rows
	if m.AsOf == nil || *m.AsOf != asOf {
		t.Errorf("run.json as_of = %v, want %s", m.AsOf, asOf)
	}
	if rows.Read != int64(total) || rows.AfterAsOf != wantAfter || rows.Rejected != 1 ||
		rows.Used != rows.Read-rows.Rejected-rows.AfterAsOf {
		t.Errorf("run.json rows read %d, used %d, rejected %d, after_as_of %d; want %d read, %d after as_of, 1 rejected, used the rest",
			rows.Read, rows.Used, rows.Rejected, rows.AfterAsOf, total, wantAfter)
	}
	if len(m.RejectsByReason) != 1 || m.RejectsByReason["missing customer_id"] != 1 {
		t.Errorf("run.json rejects_by_reason = %v, want only 1 missing customer_id", m.RejectsByReason)
	}
	recs := readCSVFile(t, filepath.Join(out, "rejects.csv"))
	if len(recs) != 2 || !strings.Contains(recs[1][3], "o-bad") {
		t.Errorf("rejects.csv = %q, want only the line without a customer id", recs)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	report := string(md)
	none := "No order line is dated on or after the analysis date."
	some := fmt.Sprintf("%d order lines dated on or after the analysis date", wantAfter)
	if wantAfter == 1 {
		some = "1 order line dated on or after the analysis date"
	}
	row := fmt.Sprintf("| On or after the analysis date | %d |", wantAfter)
	switch {
	case wantAfter == 0 && (!strings.Contains(report, none) || strings.Contains(report, "| On or after")):
		t.Errorf("report.md does not say %q (or lists lines after as_of)", none)
	case wantAfter > 0 && (strings.Contains(report, none) || !strings.Contains(report, some) || !strings.Contains(report, row)):
		t.Errorf("report.md lacks %q or %q, or says %q", some, row, none)
	}
	if !strings.Contains(report, "data as of **"+asOf+"**") || !strings.Contains(report, `orders before midnight (America/New\_York)`) {
		t.Errorf("report.md does not give as_of %s at New York midnight", asOf)
	}
}

// TestStoreMidnightAsOf: with orders.timezone America/New_York and a last
// order at 22:47 on 31 December (store time), the default as_of is 1 January
// (not 2 January, the day after the order's UTC date) and that order is 0
// days old.
func TestStoreMidnightAsOf(t *testing.T) {
	cfg, lines := newYorkStore(t)
	out := filepath.Join(t.TempDir(), "out")
	mustSegment(t, "run", "-quiet", "-config", cfg, "-out", out)
	checkAfterAsOf(t, out, "2018-01-01", 0, len(lines))
	if got := readCSVColumn(t, filepath.Join(out, "assignments.csv"), "customer_id", "recency_days")["c01"]; got != "0" {
		t.Errorf("c01 recency_days = %s, want 0 (22:47 on the eve of as_of)", got)
	}
}

// TestBacktestAsOf: an as_of inside the data (a backtest) counts the later
// lines as after_as_of, in run.json, the report and the log, and rejects
// none of them; the evening before the store's midnight still counts.
func TestBacktestAsOf(t *testing.T) {
	cfg, lines := newYorkStore(t)
	want := linesFrom(lines, "2017-10-01")
	if want < 5 {
		t.Fatalf("the store has %d lines from 2017-10-01 on; the test needs several", want)
	}
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := segment(t, "run", "-config", cfg, "-as-of", "2017-10-01", "-out", out)
	if code != 0 {
		t.Fatalf("segment run: exit %d\n%s", code, stderr)
	}
	checkAfterAsOf(t, out, "2017-10-01", want, len(lines))
	if log := fmt.Sprintf("after_as_of=%d", want); !strings.Contains(stderr, log) {
		t.Errorf("log lacks %s:\n%s", log, stderr)
	}
	recency := readCSVColumn(t, filepath.Join(out, "assignments.csv"), "customer_id", "recency_days")
	// c02's o-eve, 30 minutes before the store's midnight, is its last
	// order before as_of.
	if recency["c02"] != "0" {
		t.Errorf("c02 recency_days = %s, want 0 (23:30 on the eve of as_of)", recency["c02"])
	}
}

// TestAssignAsOfStoreMidnight: "segment assign -as-of" reads the date as
// the store's midnight too: the evening before counts, the lines on and
// after it are counted as after_as_of and not rejected.
func TestAssignAsOfStoreMidnight(t *testing.T) {
	cfg, lines := newYorkStore(t)
	dir := t.TempDir()
	fitted := filepath.Join(dir, "fitted")
	mustSegment(t, "run", "-quiet", "-config", cfg, "-out", fitted)
	model := filepath.Join(fitted, "model.json")
	for _, c := range []struct {
		asOf       string
		c01Recency string
	}{
		{"2018-01-01", "0"},   // o-last, 22:47 the evening before, counts
		{"2017-12-31", "132"}, // o-last is after as_of; c01's last order before it is 2017-08-20 21:30
	} {
		t.Run(c.asOf, func(t *testing.T) {
			out := filepath.Join(dir, "assign-"+c.asOf)
			mustSegment(t, "assign", "-quiet", "-model", model, "-as-of", c.asOf, "-out", out)
			checkAfterAsOf(t, out, c.asOf, linesFrom(lines, c.asOf), len(lines))
			if got := readCSVColumn(t, filepath.Join(out, "assignments.csv"), "customer_id", "recency_days")["c01"]; got != c.c01Recency {
				t.Errorf("c01 recency_days = %s, want %s", got, c.c01Recency)
			}
		})
	}
	// A config without orders.timezone still counts days on the model's
	// store clock: the zone is saved with the model's feature options.
	plain := filepath.Join(filepath.Dir(cfg), "no-timezone.yaml")
	if err := os.WriteFile(plain, []byte("orders:\n  path: orders.csv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "assign-config")
	mustSegment(t, "assign", "-quiet", "-model", model, "-config", plain, "-as-of", "2018-01-01", "-out", out)
	if got := readCSVColumn(t, filepath.Join(out, "assignments.csv"), "customer_id", "recency_days")["c01"]; got != "0" {
		t.Errorf("assign -config without a timezone: c01 recency_days = %s, want 0 (New York days)", got)
	}
}
