package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// writePrevious writes tab as dir's assignments.parquet.
func writePrevious(t *testing.T, dir string, tab *data.Table) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if err := data.WriteParquetRowGroups(f, tab, 1000); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeModelAsOf writes a model.json as of asOf in dir, of a cluster per
// key (one, "k", without keys).
func writeModelAsOf(t *testing.T, dir, asOf string, keys ...string) {
	t.Helper()
	if len(keys) == 0 {
		keys = []string{"k"}
	}
	m := &Model{AsOf: asOf, K: len(keys), Transform: &features.Transform{Columns: []string{"x"}, Log1p: []bool{false}, Center: []float64{0}, Scale: []float64{1}}}
	for c, key := range keys {
		m.Centroids = append(m.Centroids, []float64{float64(c)})
		m.Clusters = append(m.Clusters, ModelCluster{ID: c, Key: key, Name: key})
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "model.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPreviousHistory: the history columns of this run's customers, read
// from the previous run's assignments.parquet beside them in id order
// (across its pieces and row groups), are those of a lookup in maps of
// every previous customer, as the history was computed before: a new
// customer is null with this run's as_of, a kept segment keeps its date
// (the previous as_of when the previous run had none), a changed one gets
// this run's as_of, a null segment is "", a blank key is known. The
// previous run's segment counts are counted as it is loaded.
func TestPreviousHistory(t *testing.T) {
	const n = 3*previousRows + 77
	ids, keys, segs, changed := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	segNulls, changedNulls := make([]bool, n), make([]bool, n)
	for i := range n {
		ids[i] = fmt.Sprintf("C%06d", 3*i) // multiples of 3: the others are new customers
		keys[i], segs[i] = fmt.Sprintf("key-%d", i%4), fmt.Sprintf("seg-%d", i%3)
		if i%4 == 3 {
			keys[i] = "" // a blank key is still a known customer
		}
		if i%11 == 5 {
			keys[i] = ProspectKey // not counted among the customers with orders
		}
		segNulls[i], changedNulls[i] = i%7 == 0, i%5 == 0
		changed[i] = fmt.Sprintf("2024-0%d-01", 1+i%9)
	}
	dir := t.TempDir()
	writePrevious(t, dir, &data.Table{Columns: []data.Column{
		{Name: "customer_id", Kind: data.KindString, Strings: ids},
		{Name: "cluster_key", Kind: data.KindString, Strings: keys},
		{Name: "rfm_segment", Kind: data.KindString, Strings: segs, Nulls: segNulls},
		{Name: "segment_changed_at", Kind: data.KindString, Strings: changed, Nulls: changedNulls},
	}})
	writeModelAsOf(t, dir, "2024-10-01", "key-0", "key-1", "key-2")
	p, err := LoadPrevious(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Model.AsOf != "2024-10-01" {
		t.Fatalf("previous as_of %q", p.Model.AsOf)
	}
	wantCount := map[string]int{}
	for i, s := range segs {
		if !segNulls[i] {
			wantCount[s]++
		}
	}
	if !reflect.DeepEqual(p.SegCount, wantCount) {
		t.Errorf("segment counts %v, want %v", p.SegCount, wantCount)
	}

	// This run: every other number below the previous run's last, and some
	// past it; segments that match the previous ones two times in three.
	var cur, curSegs []string
	for c := 0; c < 3*n+40; c += 2 {
		cur = append(cur, fmt.Sprintf("C%06d", c))
		curSegs = append(curSegs, fmt.Sprintf("seg-%d", c/3%3))
		if c%9 == 0 {
			curSegs[len(curSegs)-1] = "other"
		}
	}
	// The reference: maps of every previous customer.
	keyOf, segOf, changedOf := map[string]string{}, map[string]string{}, map[string]string{}
	for i, id := range ids {
		keyOf[id] = keys[i]
		if !segNulls[i] {
			segOf[id] = segs[i]
		}
		if !changedNulls[i] {
			changedOf[id] = changed[i]
		}
	}
	const asOf = "2025-01-01"
	want := make([][]string, 3)
	var wantNulls []bool
	for i, id := range cur {
		key, known := keyOf[id]
		seg, date := segOf[id], ""
		switch {
		case !known || seg != curSegs[i]:
			date = asOf
		case changedOf[id] != "":
			date = changedOf[id]
		default:
			date = p.Model.AsOf
		}
		want[0], want[1], want[2] = append(want[0], seg), append(want[1], key), append(want[2], date)
		wantNulls = append(wantNulls, !known)
	}
	wantMissing, firstMissing, withOrders := 0, "", 0
	for i, id := range ids {
		if keys[i] == ProspectKey {
			continue
		}
		withOrders++
		if !slices.Contains(cur, id) {
			if wantMissing++; firstMissing == "" {
				firstMissing = id
			}
		}
	}
	for _, segments := range [][]string{curSegs, nil} {
		h, err := alignPrevious(context.Background(), p, cur, nil)
		if err != nil {
			t.Fatal(err)
		}
		if h.missing != wantMissing || h.previous != withOrders || h.missingExample != firstMissing || p.Count != withOrders {
			t.Errorf("missing %d of %d (first %q), count %d; want %d of %d (first %q)", h.missing, h.previous, h.missingExample, p.Count, wantMissing, withOrders, firstMissing)
		}
		for _, step := range []int{len(cur), 1000} {
			for lo := 0; lo < len(cur); lo += step {
				hi := min(lo+step, len(cur))
				var segPart []string
				if segments != nil {
					segPart = segments[lo:hi]
				}
				cols := h.columns(lo, hi, segPart, asOf, &rowBuffers{})
				for j, name := range []string{"previous_segment", "previous_cluster_key", "segment_changed_at"} {
					wantCol := want[j][lo:hi]
					if segments == nil && j == 2 { // without RFM the date is this run's
						wantCol = make([]string, hi-lo)
						for i := range wantCol {
							wantCol[i] = asOf
						}
					}
					if cols[j].Name != name || !reflect.DeepEqual(cols[j].Strings, wantCol) {
						t.Fatalf("RFM %t, rows %d–%d: %s %v…, want %v…", segments != nil, lo, hi, cols[j].Name, cols[j].Strings[:3], wantCol[:3])
					}
				}
				if !reflect.DeepEqual(cols[0].Nulls, wantNulls[lo:hi]) || !reflect.DeepEqual(cols[1].Nulls, wantNulls[lo:hi]) || len(cols[2].Nulls) != hi-lo || slices.Contains(cols[2].Nulls, true) { // every date known
					t.Fatalf("RFM %t, rows %d–%d: the new customers' nulls differ", segments != nil, lo, hi)
				}
			}
		}
	}

	// The same customers given in memory (a scale-out job 2's shard).
	mem := &Previous{Model: p.Model, Customers: map[string]PreviousCustomer{}}
	if err := ScanPrevious(context.Background(), dir, func(id string, c PreviousCustomer) error { mem.Customers[id] = c; return nil }); err != nil {
		t.Fatal(err)
	}
	fromFile, err := alignPrevious(context.Background(), p, cur, nil)
	if err != nil {
		t.Fatal(err)
	}
	fromMem, err := alignPrevious(context.Background(), mem, cur, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fromMem.columns(0, len(cur), curSegs, asOf, &rowBuffers{}), fromFile.columns(0, len(cur), curSegs, asOf, &rowBuffers{}); !reflect.DeepEqual(got, want) {
		t.Errorf("history from the customers in memory differs from the file's")
	}
}

// TestPreviousUnsorted: a previous assignments.parquet out of customer id
// order is an error naming the file, not a history matched wrong.
func TestPreviousUnsorted(t *testing.T) {
	dir := t.TempDir()
	writePrevious(t, dir, &data.Table{Columns: []data.Column{
		{Name: "customer_id", Kind: data.KindString, Strings: []string{"b", "a"}},
		{Name: "cluster_key", Kind: data.KindString, Strings: []string{"k", "k"}},
	}})
	writeModelAsOf(t, dir, "2024-10-01")
	_, err := LoadPrevious(context.Background(), dir)
	if err == nil || !strings.Contains(err.Error(), "assignments.parquet") || !strings.Contains(err.Error(), "not sorted") || !strings.Contains(err.Error(), "-previous none") {
		t.Errorf("error %v, want the file named, not sorted", err)
	}
}

// TestCheckPreviousDate: a previous run of a later analysis date (a
// backfill) is refused naming both dates; one of the same date (a re-run)
// is taken, and SameDate says so; without a date either side, nothing is
// checked.
func TestCheckPreviousDate(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	prev := &Previous{Dir: "out", Model: &Model{AsOf: "2025-11-01"}}
	err := CheckPreviousDate(prev, day("2025-09-01"))
	if err == nil || !strings.Contains(err.Error(), "previous run out is of a later analysis date (2025-11-01) than this run (2025-09-01)") {
		t.Errorf("backfill: %v", err)
	}
	for _, asOf := range []string{"2025-11-01", "2025-12-01"} {
		if err := CheckPreviousDate(prev, day(asOf)); err != nil {
			t.Errorf("as_of %s: %v", asOf, err)
		}
	}
	if !prev.SameDate(day("2025-11-01")) || prev.SameDate(day("2025-12-01")) {
		t.Error("SameDate is true for 2025-11-01 only")
	}
	if err := CheckPreviousDate(prev, time.Time{}); err != nil || prev.SameDate(time.Time{}) {
		t.Errorf("no date for this run: %v", err)
	}
	noDate := &Previous{Dir: "out", Model: &Model{AsOf: "0001-01-01"}} // a feature table's run
	if err := CheckPreviousDate(noDate, day("2025-09-01")); err != nil || noDate.SameDate(day("0001-01-01")) {
		t.Errorf("a previous run without a date: %v", err)
	}
	// Dates of another store clock are a day apart for the same orders:
	// not compared.
	la := &Previous{Dir: "out", Model: &Model{AsOf: "2025-11-02", Features: FeatureOptions{Timezone: "America/Los_Angeles"}}}
	if err := CheckPreviousDate(la, day("2025-11-01")); err != nil {
		t.Errorf("a previous run of another time zone: %v", err)
	}
	var none *Previous
	if err := CheckPreviousDate(none, day("2025-09-01")); err != nil || none.SameDate(day("2025-09-01")) {
		t.Errorf("no previous run: %v", err)
	}
}

// TestLoadPreviousNotARun: a folder without model.json is named as not a
// run's, with what -previous wants.
func TestLoadPreviousNotARun(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadPrevious(context.Background(), dir)
	if err == nil || !strings.Contains(err.Error(), "previous run "+dir+": no model.json: not a folder segment run wrote") {
		t.Errorf("LoadPrevious: %v", err)
	}
}

// TestWarnNoModel: an output folder with a run's assignments but no
// model.json gets a warning that the run has no previous run; one with
// its model.json, an empty one, and -previous given get none.
func TestWarnNoModel(t *testing.T) {
	for _, c := range []struct {
		name     string
		files    []string
		previous string
		warn     bool
	}{
		{"assignments, no model", []string{"assignments.parquet"}, "", true},
		{"assignments and model", []string{"assignments.parquet", "model.json"}, "", false},
		{"empty folder", nil, "", false},
		{"previous none", []string{"assignments.parquet"}, "none", false},
	} {
		var log bytes.Buffer
		o := testOptions(t)
		o.Previous, o.Log = c.previous, slog.New(slog.NewTextHandler(&log, nil))
		if err := os.MkdirAll(o.Out, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range c.files {
			if err := os.WriteFile(filepath.Join(o.Out, f), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		warnNoModel(o)
		if got := strings.Contains(log.String(), "no model.json, so this run has no previous run"); got != c.warn {
			t.Errorf("%s: warned %v, want %v:\n%s", c.name, got, c.warn, log.String())
		}
	}
}

// TestLoadPreviousMixedRuns: a previous folder whose files are of
// different runs (a partial restore: a model.json of one run beside
// another's assignments or run.json) is refused, saying so, rather than
// giving wrong history; so is -previous naming a file.
func TestLoadPreviousMixedRuns(t *testing.T) {
	write := func(t *testing.T, keys []string, changed, runAsOf string) string {
		dir := t.TempDir()
		writePrevious(t, dir, &data.Table{Columns: []data.Column{
			{Name: "customer_id", Kind: data.KindString, Strings: []string{"C1", "C2", "C3"}},
			{Name: "cluster_key", Kind: data.KindString, Strings: keys},
			{Name: "rfm_segment", Kind: data.KindString, Strings: []string{"champions", "lost", "lost"}},
			{Name: "segment_changed_at", Kind: data.KindString, Strings: []string{"2024-09-01", changed, "2024-08-01"}},
		}})
		writeModelAsOf(t, dir, "2024-10-01", "a", "b")
		if runAsOf != "" {
			if err := os.WriteFile(filepath.Join(dir, "run.json"), []byte(`{"version": "x", "status": "ok", "as_of": "`+runAsOf+`"}`), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	if _, err := LoadPrevious(context.Background(), write(t, []string{"a", NotClusteredKey, ProspectKey}, "2024-10-01", "2024-10-01")); err != nil {
		t.Fatalf("one run's outputs: %v", err)
	}
	for _, tt := range []struct {
		name    string
		keys    []string
		changed string
		runAsOf string
		want    string
	}{
		{"another run's run.json", []string{"a", "b", "a"}, "2024-09-01", "2024-11-01", "run.json is of the run as of 2024-11-01, model.json of the run as of 2024-10-01"},
		{"another run's assignments (a key)", []string{"a", "c", "a"}, "2024-09-01", "", `customer "C2" the cluster key "c", which its model.json does not have`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadPrevious(context.Background(), write(t, tt.keys, tt.changed, tt.runAsOf))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "mixes the outputs of different runs") {
				t.Errorf("error %v; want one saying %q", err, tt.want)
			}
		})
	}
	dir := write(t, []string{"a", "b", "a"}, "2024-09-01", "")
	if _, err := LoadPrevious(context.Background(), filepath.Join(dir, "model.json")); err == nil || !strings.Contains(err.Error(), "a file, not a folder") {
		t.Errorf("-previous a model.json: %v", err)
	}
}

// TestAlignPreviousShorterHistory: a customer with a purchase in both runs
// whose tenure_days is below the previous run's plus the days between the
// runs (the first purchase moved later: earlier orders cut from the inputs)
// is counted, the first by id given; one whose first purchase stayed, a
// prospect, and one without a purchase in either run (tenure_days counts
// from the first line until the first purchase) are not. No check without
// both runs' dates on one wall clock (a feature table's run, another time
// zone).
func TestAlignPreviousShorterHistory(t *testing.T) {
	dir := t.TempDir()
	writePrevious(t, dir, &data.Table{Columns: []data.Column{
		{Name: "customer_id", Kind: data.KindString, Strings: []string{"A", "B", "C", "D", "E", "F"}},
		{Name: "cluster_key", Kind: data.KindString, Strings: []string{"k", "k", ProspectKey, "k", "k", "k"}},
		{Name: "frequency", Kind: data.KindFloat64, Floats: []float64{2, 3, 0, 1, 0, 2}},
		{Name: "tenure_days", Kind: data.KindFloat64, Floats: []float64{100, 200, 0, 50, 60, 70}, Nulls: []bool{false, false, true, false, false, false}},
	}})
	writeModelAsOf(t, dir, "2024-10-01")
	p, err := LoadPrevious(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	// 30 days later: A's first purchase stayed (130), B's moved later
	// (150 < 230), C was a prospect, D moved later by a day (79 < 80), E
	// had no purchase then (its tenure was from its first line), F has
	// none now (all refunded).
	check := &tenureCheck{tenure: []float64{130, 150, 10, 79, 20, 5}, purchases: []float64{2, 2, 1, 1, 1, 0}, days: 30}
	h, err := alignPrevious(context.Background(), p, []string{"A", "B", "C", "D", "E", "F"}, check)
	if err != nil {
		t.Fatal(err)
	}
	if h.shorter != 2 || h.shorterExample != "B" {
		t.Errorf("shorter %d (first %q), want 2 (B)", h.shorter, h.shorterExample)
	}
	all := &features.Table{AsOf: time.Date(2024, 10, 31, 0, 0, 0, 0, time.UTC), Names: []string{features.TenureDays, features.Frequency},
		Cols: [][]float64{{1}, {1}}, IDs: []string{"A"}}
	if c := p.tenureCheck(all); c == nil || c.days != 30 {
		t.Errorf("tenureCheck %+v, want 30 days between 2024-10-01 and 2024-10-31", c)
	}
	other := *all
	other.AsOf = time.Date(2024, 10, 31, 0, 0, 0, 0, time.FixedZone("UTC-8", -8*3600))
	if c := p.tenureCheck(&other); c != nil {
		t.Errorf("tenureCheck across time zones %+v, want none", c)
	}
	p.Model.AsOf = "0001-01-01" // a feature table's run
	if c := p.tenureCheck(all); c != nil {
		t.Errorf("tenureCheck after a feature table's run %+v, want none", c)
	}
}
