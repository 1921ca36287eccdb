package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/features"
)

// TestOnlyInformativeFeaturesClustered: a store where every customer
// placed one order of 50.00 on a different day has one informative
// feature, recency; spend, frequency and basket size are constant and the
// discount column is not mapped. Only recency is clustered, and the
// report and run.json say why the others are not.
func TestOnlyInformativeFeaturesClustered(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("customer_id,order_id,time,amount\n")
	for i := range 200 {
		day := 1 + i%300
		fmt.Fprintf(&b, "c%03d,o%03d,%s,50.00\n", i, i, dateOfYear(2024, day))
	}
	orders := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(orders, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	mustSegment(t, "run", "-quiet", "-orders", orders, "-out", out)
	var run struct {
		Features   []string `json:"features"`
		Clustering struct {
			Excluded []features.Excluded `json:"excluded_features"`
		} `json:"clustering"`
	}
	readJSON(t, filepath.Join(out, "run.json"), &run)
	if !slices.Equal(run.Features, []string{"recency_days"}) {
		t.Errorf("clustered features %q, want only recency_days", run.Features)
	}
	reasons := map[string]string{}
	for _, e := range run.Clustering.Excluded {
		reasons[e.Feature] = e.Reason
	}
	for _, f := range []string{"frequency", "monetary", "aov"} {
		if !strings.Contains(reasons[f], "the same value") {
			t.Errorf("%s: reason %q, want near-constant", f, reasons[f])
		}
	}
	if !strings.Contains(reasons["discount_ratio"], "not mapped") || !strings.Contains(reasons["category_mix"], "not mapped") {
		t.Errorf("reasons %q: want discount_ratio and category_mix not mapped", reasons)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"- `monetary`: the same value for all but fewer than",
		"- `discount_ratio`: needs the orders' discount column (orders.columns.discount), which is not mapped.",
		"| `coupon_first_order` | – | – | – | not computed: needs the orders' coupon column"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	checkSegmentsTellTruth(t, out)
}

// TestNonBuyersNotClustered: customers with zero-value orders only, with
// returns only, or whose returns exceed their purchases get cluster −1
// and a reason, keep their features, and are counted in run.json.
func TestNonBuyersNotClustered(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("customer_id,order_id,time,amount\n")
	for i := range 120 {
		fmt.Fprintf(&b, "b%03d,o%03d,%s,%d.00\n", i, i, dateOfYear(2024, 1+i%200), 10+i)
	}
	b.WriteString("zero,z1,2024-03-01,0.00\n")
	b.WriteString("ret,r1,2024-03-01,-40.00\n")
	b.WriteString("net,n1,2024-03-01,30.00\nnet,n2,2024-04-01,-45.00\n")
	orders := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(orders, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	mustSegment(t, "run", "-quiet", "-orders", orders, "-out", out, "-k", "2")
	key := readColumn(t, filepath.Join(out, "assignments.csv"), "customer_id", "cluster_key")
	reason := readColumn(t, filepath.Join(out, "assignments.csv"), "customer_id", "not_clustered")
	for id, want := range map[string]string{"zero": "zero_value_orders_only", "ret": "returns_only", "net": "returns_exceed_purchases", "b000": ""} {
		if reason[id] != want {
			t.Errorf("%s: not_clustered %q, want %q", id, reason[id], want)
		}
		if (want != "") != (key[id] == "not_clustered") {
			t.Errorf("%s: cluster key %s with reason %q", id, key[id], want)
		}
	}
	var run struct {
		Clustering struct {
			Clustered    int            `json:"clustered"`
			NotClustered map[string]int `json:"not_clustered"`
		} `json:"clustering"`
	}
	readJSON(t, filepath.Join(out, "run.json"), &run)
	if run.Clustering.Clustered != 120 || run.Clustering.NotClustered["returns_only"] != 1 || run.Clustering.NotClustered["zero_value_orders_only"] != 1 {
		t.Errorf("run.json clustering %+v", run.Clustering)
	}
	checkSegmentsTellTruth(t, out)
}

// dateOfYear returns the date of day d (1-based) of the year as YYYY-MM-DD.
func dateOfYear(year, d int) string {
	return fmt.Sprintf("%d-%02d-%02d", year, 1+(d-1)/28, 1+(d-1)%28)
}

// TestMinShareAndNames: a fixed k too large for min_share is lowered
// until every cluster holds at least min_share of the customers (and the
// report says so); clustering.names renames a cluster by key.
func TestMinShareAndNames(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("customer_id,order_id,time,amount\n")
	for i := range 100 {
		fmt.Fprintf(&b, "b%03d,o%03d,%s,%d.00\n", i, i, dateOfYear(2024, 1+(i*7)%300), 10+(i*37)%400)
	}
	orders := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(orders, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(cfg, []byte("orders: {path: orders.csv}\nclustering: {k: 40, min_share: 0.1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	// Not -quiet: the lowered k is a warning in a scheduled run's log.
	code, _, stderr := segment(t, "run", "-log-format", "json", "-config", cfg, "-out", out)
	if code != 0 || !strings.Contains(stderr, `"level":"WARN","msg":"fewer clusters than asked for","k_asked":40`) {
		t.Errorf("exit %d, log:\n%s\nwant a warning that k was lowered", code, stderr)
	}
	var run struct {
		K        int `json:"k"`
		Clusters []struct {
			Key  string `json:"key"`
			Size int    `json:"size"`
		} `json:"clusters"`
		Clustering struct {
			KNote string `json:"k_note"`
		} `json:"clustering"`
	}
	readJSON(t, filepath.Join(out, "run.json"), &run)
	if run.K >= 40 || !strings.Contains(run.Clustering.KNote, "k = 40 was asked for") {
		t.Errorf("k = %d, note %q: want k lowered from 40", run.K, run.Clustering.KNote)
	}
	for _, c := range run.Clusters {
		if c.Size < 10 {
			t.Errorf("cluster %s holds %d customers, under min_share 0.1 of 100", c.Key, c.Size)
		}
	}
	checkSegmentsTellTruth(t, out)

	// Rename the first cluster by its key.
	key := run.Clusters[0].Key
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("orders: {path: orders.csv}\nclustering: {k: 40, min_share: 0.1, names: {%s: \"Our VIPs\"}}\n", key)), 0o644); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(dir, "out2")
	mustSegment(t, "run", "-quiet", "-config", cfg, "-out", out2, "-previous", "none")
	names := readColumn(t, filepath.Join(out2, "assignments.csv"), "cluster_key", "cluster_name")
	if names[key] != "Our VIPs" {
		t.Errorf("cluster %s is named %q, want the configured name", key, names[key])
	}
}
