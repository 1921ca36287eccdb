package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
)

// writeOrders writes a CSV order file of header and lines into dir.
func writeOrders(t *testing.T, dir, name, header string, lines ...string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(header+"\n"+strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestNoPurchaseFails: a store where nobody bought anything (only
// returns, cancellations or zero-value orders) fails with exit 1 and
// counts the customers by reason.
func TestNoPurchaseFails(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i := range 12 {
		lines = append(lines, "R"+string(rune('a'+i))+",O"+string(rune('a'+i))+",2024-01-02T10:00:00Z,-20,-1")
	}
	for i := range 3 {
		lines = append(lines, "Z"+string(rune('a'+i))+",P"+string(rune('a'+i))+",2024-01-02T10:00:00Z,0,0")
	}
	orders := writeOrders(t, dir, "orders.csv", "customer_id,order_id,time,amount,quantity", lines...)
	code, _, stderr := segment(t, "run", "-quiet", "-orders", orders, "-out", filepath.Join(dir, "out"))
	if code != exitFailed {
		t.Errorf("exit %d, want %d; stderr %q", code, exitFailed, stderr)
	}
	for _, w := range []string{"no customer has a purchase", "12 customers: only returns or cancellations", "3 customers: orders of zero net value only"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q does not mention %q", stderr, w)
		}
	}
}

// TestEveryRowRejected: when every order line is rejected, the error
// counts the rejects by reason, quotes the first ones with file and row,
// and names where rejects.csv was kept (beside -out, never replacing a
// file); the previous outputs are untouched.
func TestEveryRowRejected(t *testing.T) {
	dir := t.TempDir()
	orders := writeOrders(t, dir, "orders.csv", "customer_id,order_id,time,amount",
		",O1,2024-01-02T10:00:00Z,5",
		"C2,O2,9999-01-02T10:00:00Z,5",
		"C3,O3,2024-01-02T10:00:00Z,1e308",
		",O4,2024-01-02T10:00:00Z,5")
	out := filepath.Join(dir, "out")
	code, _, stderr := segment(t, "run", "-quiet", "-orders", orders, "-out", out)
	if code != exitFailed {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitFailed, stderr)
	}
	for _, w := range []string{"no usable order line", "4 rows read", "2 missing customer_id", "1 amount out of range",
		"1 time out of range", orders + " row 1: missing customer_id", orders + " row 2: time out of range"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q does not mention %q", stderr, w)
		}
	}
	kept, _ := filepath.Glob(out + ".rejects-*.csv")
	if len(kept) != 1 || !strings.Contains(stderr, kept[0]) {
		t.Fatalf("kept rejects %v, stderr %q", kept, stderr)
	}
	b, err := os.ReadFile(kept[0])
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 5 {
		t.Errorf("kept rejects.csv has %d lines, want a header and 4 rows:\n%s", n, b)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed run left %s: %v", out, err)
	}
	// A second failure keeps its own file.
	segment(t, "run", "-quiet", "-orders", orders, "-out", out)
	if again, _ := filepath.Glob(out + ".rejects-*.csv"); len(again) != 2 {
		t.Errorf("after a second failure: %v", again)
	}
}

// TestDegenerateStoresAreNotClustered: buyers all alike, or with fewer
// distinct profiles than k_min (or a fixed k), are not clustered: exit 0,
// every customer cluster −1 with reason clustering_skipped, run.json k 0
// and k_method "none" with no clusters, no model.json, the report saying
// why, and the rest of the outputs (RFM, groups, plots that make sense)
// as usual. A second run into the same folder works.
func TestDegenerateStoresAreNotClustered(t *testing.T) {
	dir := t.TempDir()
	var same, two []string
	for i := range 40 {
		id := "C" + string(rune('A'+i%26)) + string(rune('a'+i/26))
		same = append(same, id+",O"+id+",2024-01-02T10:00:00Z,50")
		if i%2 == 0 {
			two = append(two, id+",O"+id+",2024-01-02T10:00:00Z,50")
		} else {
			two = append(two, id+",O"+id+",2023-05-02T10:00:00Z,500")
		}
	}
	identical := writeOrders(t, dir, "identical.csv", "customer_id,order_id,time,amount", same...)
	twoKinds := writeOrders(t, dir, "two.csv", "customer_id,order_id,time,amount", two...)
	tests := []struct {
		name string
		args []string
		want string // in run.json's k_reason and the report
	}{
		{"all identical", []string{"-orders", identical}, "no feature of clustering.use varies enough between the 40 buyers"},
		{"all identical, k fixed", []string{"-orders", identical, "-k", "2"}, "no feature of clustering.use varies enough"},
		{"two profiles, k_min 3", []string{"-orders", twoKinds, "-k-min", "3"}, "the 40 buyers have only 2 distinct profiles on the clustered features (recency_days, monetary, aov), fewer than k_min = 3"},
		{"two profiles, k 4", []string{"-orders", twoKinds, "-k", "4"}, "fewer than k = 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			for run := range 2 {
				args := append([]string{"run", "-quiet", "-out", out}, tt.args...)
				if code, _, stderr := segment(t, args...); code != exitOK {
					t.Fatalf("run %d: exit %d: %s", run, code, stderr)
				}
			}
			var m struct {
				K          int
				KMethod    string `json:"k_method"`
				KReason    string `json:"k_reason"`
				Clusters   []any
				Clustering struct {
					Clustered    int
					NotClustered map[string]int `json:"not_clustered"`
				}
			}
			readJSON(t, filepath.Join(out, "run.json"), &m)
			if m.K != 0 || m.KMethod != "none" || m.Clusters == nil || len(m.Clusters) != 0 || !strings.Contains(m.KReason, tt.want) {
				t.Errorf("run.json k %d, k_method %q, clusters %v, k_reason %q", m.K, m.KMethod, m.Clusters, m.KReason)
			}
			if m.Clustering.Clustered != 0 || m.Clustering.NotClustered["clustering_skipped"] != 40 {
				t.Errorf("run.json clustering %+v", m.Clustering)
			}
			if _, err := os.Stat(filepath.Join(out, "model.json")); !os.IsNotExist(err) {
				t.Errorf("model.json written for a run without clusters: %v", err)
			}
			for _, p := range []string{"plots/cluster_sizes.png", "plots/profile_heatmap.png", "plots/elbow.png"} {
				if _, err := os.Stat(filepath.Join(out, p)); !os.IsNotExist(err) {
					t.Errorf("%s drawn for a run without clusters", p)
				}
			}
			for _, p := range []string{"plots/pareto.png", "plots/rfm_share.png", "assignments.parquet", "assignments.arrow"} {
				if _, err := os.Stat(filepath.Join(out, p)); err != nil {
					t.Errorf("missing %s: %v", p, err)
				}
			}
			md, err := os.ReadFile(filepath.Join(out, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			report := strings.ReplaceAll(string(md), `\_`, "_")
			for _, w := range []string{"**The customers were not clustered**", tt.want, "## RFM segments", "## Groups", "No segment was computed."} {
				if !strings.Contains(report, w) {
					t.Errorf("report.md lacks %q", w)
				}
			}
			csv, err := os.ReadFile(filepath.Join(out, "assignments.csv"))
			if err != nil {
				t.Fatal(err)
			}
			rows := strings.Split(strings.TrimSpace(string(csv)), "\n")[1:]
			for _, row := range rows {
				if f := strings.Split(row, ","); f[1] != "-1" || f[2] != "not_clustered" || f[5] != "clustering_skipped" {
					t.Fatalf("assignment %q: want cluster -1, key not_clustered, reason clustering_skipped", row)
				}
			}
			if len(rows) != 40 {
				t.Errorf("%d assignments, want 40", len(rows))
			}
		})
	}
}

// TestOneCustomerStore: a store of one customer runs with any number of
// workers and lists that customer once (with more than one worker it used
// to be listed twice, its lines folded by two partitions).
func TestOneCustomerStore(t *testing.T) {
	dir := t.TempDir()
	orders := writeOrders(t, dir, "orders.csv", "customer_id,order_id,time,amount",
		"c1,o1,2024-01-02T10:00:00Z,10", "c1,o2,2024-02-02T10:00:00Z,30")
	var first []byte
	for _, workers := range []string{"1", "2", "8"} {
		out := filepath.Join(dir, "out"+workers)
		if code, _, stderr := segment(t, "run", "-quiet", "-workers", workers, "-orders", orders, "-out", out); code != exitOK {
			t.Fatalf("-workers %s: exit %d: %s", workers, code, stderr)
		}
		var m struct{ Customers, Orders int }
		readJSON(t, filepath.Join(out, "run.json"), &m)
		csv, err := os.ReadFile(filepath.Join(out, "assignments.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if rows := strings.Count(string(csv), "\n") - 1; m.Customers != 1 || m.Orders != 2 || rows != 1 {
			t.Errorf("-workers %s: run.json %d customers, %d orders; %d assignments; want 1, 2, 1", workers, m.Customers, m.Orders, rows)
		}
		if first == nil {
			first = csv
		} else if string(csv) != string(first) {
			t.Errorf("-workers %s: assignments.csv differs from -workers 1's", workers)
		}
	}
}

// TestUint64AndNonUTF8IDs: a Parquet file whose customer_id column is
// UINT_64 with ids of 2⁶³ and above runs, the ids written as their digits;
// a line whose customer_id is not valid UTF-8 is rejected with that
// reason, so every output holds valid UTF-8 only.
func TestUint64AndNonUTF8IDs(t *testing.T) {
	dir := t.TempDir()
	type line struct {
		CustomerID uint64    `parquet:"customer_id"`
		OrderID    string    `parquet:"order_id"`
		Time       time.Time `parquet:"time,timestamp(microsecond)"`
		Amount     float64   `parquet:"amount"`
	}
	var rows []line
	day := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	for i := range 60 {
		for j := range 1 + i%4 {
			rows = append(rows, line{CustomerID: math.MaxUint64 - uint64(i), OrderID: fmt.Sprintf("O%d-%d", i, j),
				Time: day.AddDate(0, 0, -i*3-j*20), Amount: float64(10 + i*7%50)})
		}
	}
	orders := filepath.Join(dir, "orders.parquet")
	if err := parquet.WriteFile(orders, rows); err != nil {
		t.Fatal(err)
	}
	// UTF-8 (Zoë) with stray bytes in an id: without Zoë the file would be
	// read as Windows-1252 (data.CSVDialect), its id as "Cÿþ".
	bad := writeOrders(t, dir, "bad.csv", "customer_id,order_id,time,amount",
		"C1,O1,2024-01-02T10:00:00Z,10", "C\xff\xfe,O2,2024-01-02T10:00:00Z,20", "C3,O3,2023-01-02T10:00:00Z,300", "Zoë,O4,2023-05-02T10:00:00Z,40")
	for _, tc := range []struct {
		name, orders, wantID string
		rejects              int
	}{
		{"uint64 ids", orders, "18446744073709551615", 0},
		{"ids that are not UTF-8", bad, "C3", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if code, _, stderr := segment(t, "run", "-quiet", "-orders", tc.orders, "-out", out); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, f := range []string{"assignments.csv", "assignments.parquet", "assignments.arrow", "report.md", "run.json", "rejects.csv"} {
				b, err := os.ReadFile(filepath.Join(out, f))
				if err != nil {
					t.Fatal(err)
				}
				if f == "assignments.csv" && !strings.Contains(string(b), "\n"+tc.wantID+",") {
					t.Errorf("assignments.csv lacks customer %s", tc.wantID)
				}
				if strings.Contains(string(b), "\xff\xfe") {
					t.Errorf("%s holds the invalid id bytes", f)
				}
				if f != "assignments.parquet" && f != "assignments.arrow" && !utf8.Valid(b) {
					t.Errorf("%s is not valid UTF-8", f)
				}
			}
			var m struct {
				Rejects map[string]int `json:"rejects_by_reason"`
			}
			readJSON(t, filepath.Join(out, "run.json"), &m)
			if tc.rejects > 0 && m.Rejects["customer_id is not valid UTF-8"] != tc.rejects {
				t.Errorf("rejects_by_reason %v", m.Rejects)
			}
		})
	}
}

// TestRunNamesInspectForUnmappedColumns: run without a config on an export
// whose columns are named otherwise fails (exit 1) naming the columns, and
// says how to write a config that maps them; with a config it does not.
func TestRunNamesInspectForUnmappedColumns(t *testing.T) {
	dir := t.TempDir()
	orders := writeOrders(t, dir, "orders.csv", "Customer ID,Order ID,Order Date,Total", "C1,O1,2024-01-02,10")
	code, _, stderr := segment(t, "run", "-quiet", "-orders", orders, "-out", filepath.Join(dir, "out"))
	if code != exitFailed || !strings.Contains(stderr, `"Customer ID"`) || !strings.Contains(stderr, "segment inspect -write segment.yaml "+orders) {
		t.Errorf("exit %d, stderr %q: want exit %d naming the columns and inspect -write", code, stderr, exitFailed)
	}
	cfg := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(cfg, []byte("orders:\n  path: "+orders+"\n  columns: {customer_id: Customer ID, order_id: Order, time: Order Date, amount: Total}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = segment(t, "run", "-quiet", "-config", cfg, "-out", filepath.Join(dir, "out"))
	if code != exitFailed || strings.Contains(stderr, "inspect -write") {
		t.Errorf("with a config: exit %d, stderr %q; want exit %d without the inspect advice", code, stderr, exitFailed)
	}
}
