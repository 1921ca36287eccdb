package pipeline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
)

// runOptions returns the options of a run at k 2 on the store of
// twoGroupOrders, with one line rejected (no customer) and one after
// as_of, clustering on the default features.
func runOptions(t *testing.T) Options {
	t.Helper()
	o := DefaultOptions()
	o.Out = filepath.Join(t.TempDir(), "out")
	o.Workers, o.Restarts, o.K, o.AsOf = 1, 3, 2, asOf
	lines := append(twoGroupOrders(), "X-1,,2024-06-01 10:00:00,1,10", "H1-9,H1,2024-07-02 10:00:00,1,10")
	o.Orders = writeCSV(t, t.TempDir(), "orders.csv", lines...)
	return o
}

func TestRun(t *testing.T) {
	o := runOptions(t)
	returned, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"assignments.parquet", "assignments.csv", "assignments.arrow", "model.json", "run.json", "rejects.csv", "report.md"} {
		if _, err := os.Stat(filepath.Join(o.Out, f)); err != nil {
			t.Errorf("missing output %s: %v", f, err)
		}
	}
	var m Manifest
	readJSON(t, filepath.Join(o.Out, "run.json"), &m)
	checkManifest(t, &m, 12)
	if returned == nil || returned.K != m.K || returned.Rows != m.Rows || returned.Customers != m.Customers {
		t.Errorf("Run returned %+v, run.json says %+v", returned, m)
	}
	if m.Rows.Read != 59 || m.Rows.Rejected != 1 || m.Rows.AfterAsOf != 1 || m.RejectsByReason["missing customer_id"] != 1 {
		t.Errorf("rows %+v, rejects %v; want 59 read, 1 rejected (missing customer_id), 1 after as_of", m.Rows, m.RejectsByReason)
	}
	// The orders have no discount or category column: those features are
	// left out, and say why.
	var excluded []string
	for _, e := range m.Clustering.ExcludedFeatures {
		excluded = append(excluded, e.Feature)
		if !strings.Contains(e.Reason, "not mapped") {
			t.Errorf("%s excluded because %q, want the missing column", e.Feature, e.Reason)
		}
	}
	if !slices.Equal(excluded, []string{features.DiscountRatio, features.CategoryMix}) {
		t.Errorf("excluded features %v, want discount_ratio and category_mix", excluded)
	}
	rejects, err := os.ReadFile(filepath.Join(o.Out, "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := o.Orders + ",58,missing customer_id,"; !strings.Contains(string(rejects), want) {
		t.Errorf("rejects.csv:\n%s\nwant a line starting %q", rejects, want)
	}

	// Run again on the same orders: the outputs are the previous run, and
	// every cluster keeps its key.
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	var again Manifest
	readJSON(t, filepath.Join(o.Out, "run.json"), &again)
	st := again.Stability
	if st == nil || st.Previous != o.Out || st.ARI == nil || *st.ARI != 1 || st.KeyChanges != 0 || len(st.NewClusters) != 0 || len(st.Vanished) != 0 || st.CustomersInBoth != 12 {
		t.Errorf("stability %+v, want the same clusters as the previous run in %s", st, o.Out)
	}
	if !slices.Equal(again.Clusters, m.Clusters) {
		t.Errorf("clusters %+v, previous run %+v", again.Clusters, m.Clusters)
	}
}

// A run that fails leaves the previous outputs as they were, and no
// staging directory behind.
func TestRunFailureKeepsOutputs(t *testing.T) {
	o := runOptions(t)
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	before := map[string][]byte{}
	for _, f := range []string{"run.json", "model.json", "assignments.csv", "report.md"} {
		b, err := os.ReadFile(filepath.Join(o.Out, f))
		if err != nil {
			t.Fatal(err)
		}
		before[f] = b
	}

	bad := o
	bad.Orders = writeCSV(t, t.TempDir(), "orders.csv",
		"order_id,customer_id,time,quantity,unit_price",
		"O1,H1,2024-06-01 10:00:00,1,ten")
	_, err := Run(context.Background(), bad)
	var ce *data.ColumnError
	if !errors.As(err, &ce) || ce.Row != 1 || ce.Column != "unit_price" {
		t.Fatalf("error %v, want a column error in unit_price, row 1", err)
	}
	for f, b := range before {
		after, err := os.ReadFile(filepath.Join(o.Out, f))
		if err != nil || !bytes.Equal(after, b) {
			t.Errorf("%s changed by the failed run (%v)", f, err)
		}
	}
	entries, err := os.ReadDir(filepath.Dir(o.Out))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{".out.lock", "out"}) { // the lock file stays
		t.Errorf("beside the outputs: %v, want out and its lock file alone", names)
	}
}

// TestRunNegativeDiscounts: a line whose discount is negative (an export
// that writes discounts as signed adjustments) is used with the discount's
// magnitude, counted in run.json's rows.negative_discounts and said in the
// report's data quality section.
func TestRunNegativeDiscounts(t *testing.T) {
	o := runOptions(t)
	lines := []string{"order_id,customer_id,time,quantity,unit_price,discount"}
	for i, l := range twoGroupOrders()[1:] {
		disc := "0"
		switch i {
		case 3:
			disc = "-5" // 150 − 5 = 145 paid, as with 5
		case 7:
			disc = "5"
		}
		lines = append(lines, l+","+disc)
	}
	o.Orders = writeCSV(t, t.TempDir(), "orders.csv", lines...)
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	var m Manifest
	readJSON(t, filepath.Join(o.Out, "run.json"), &m)
	if m.Rows.NegativeDiscounts != 1 || m.Rows.Rejected != 0 || m.Rows.Used != m.Rows.Read {
		t.Errorf("rows %+v, want every line used and 1 negative discount", m.Rows)
	}
	want := 51*150.0 + (20 + 25 + 30 + 35 + 40 + 45) - 2*5 // 51 H lines of 150, the L lines, less both discounts (an H1 and an H2 line)
	if m.Revenue != want {
		t.Errorf("revenue %v, want %v (both discounts taken off)", m.Revenue, want)
	}
	md, err := os.ReadFile(filepath.Join(o.Out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "**Discounts:** 1 order line carries a negative discount") {
		t.Error("report.md does not say that a line had a negative discount")
	}
}

// TestRunCurrencyFromAmounts: amounts marked with a currency (an ISO code
// here) name it in the report when the config names none; a currency set
// in the config wins.
func TestRunCurrencyFromAmounts(t *testing.T) {
	lines := []string{"order_id,customer_id,time,quantity,unit_price"}
	for _, l := range twoGroupOrders()[1:] {
		lines = append(lines, l+" EUR")
	}
	orders := writeCSV(t, t.TempDir(), "orders.csv", lines...)
	for _, tc := range []struct{ set, want string }{{"", "amounts in EUR"}, {"€", "amounts in €"}} {
		o := runOptions(t)
		o.Orders, o.Currency = orders, tc.set
		if _, err := Run(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		md, err := os.ReadFile(filepath.Join(o.Out, "report.md"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(md), tc.want) {
			t.Errorf("currency %q set: report.md does not say %q", tc.set, tc.want)
		}
	}
}

// twoGroupFeatures writes a feature table of columns of its own (no RFM
// features): two groups of three customers, far apart.
func twoGroupFeatures(t *testing.T) string {
	t.Helper()
	return writeCSV(t, t.TempDir(), "features.csv",
		"customer_id,segment,spend,visits",
		"a1,x,10,1", "a2,x,12,2", "a3,x,11,1",
		"b1,y,500,30", "b2,y,520,31", "b3,y,480,29")
}

// With a feature table, the run clusters on its numeric columns.
func TestRunFeatureTable(t *testing.T) {
	o := runOptions(t)
	o.Orders, o.AsOf = "", time.Time{}
	o.Features = twoGroupFeatures(t)
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	var m Manifest
	readJSON(t, filepath.Join(o.Out, "run.json"), &m)
	if !slices.Equal(m.Features, []string{"spend", "visits"}) || m.Customers != 6 || m.K != 2 {
		t.Errorf("features %v, customers %d, k %d; want spend, visits, 6, 2", m.Features, m.Customers, m.K)
	}
	if len(m.Clusters) == 2 && (m.Clusters[0].Size != 3 || m.Clusters[1].Size != 3) {
		t.Errorf("clusters %+v, want a and b apart", m.Clusters)
	}
}

// TestRunFeatureTableRefuses: an events or products table, or as_of,
// with a feature table stop the run before it writes anything: they need
// order lines, and used to be dropped silently (every event after an
// unset as_of, the products joined to no line).
func TestRunFeatureTableRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(*Options)
		want string
	}{
		{"events", func(o *Options) { o.Events = &config.Table{Path: "events.csv"} }, "an events table"},
		{"products", func(o *Options) { o.Products = &config.Table{Path: "products.csv"} }, "a products table"},
		{"as_of", func(o *Options) { o.AsOf = asOf }, "as_of"},
	} {
		o := runOptions(t)
		o.Orders, o.AsOf = "", time.Time{}
		o.Features = writeCSV(t, t.TempDir(), "features.csv", "customer_id,spend", "a1,10", "b1,500")
		c.set(&o)
		_, err := Run(context.Background(), o)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "feature table does not have") && c.name != "as_of" {
			t.Errorf("%s: error %v, want one about %s and the feature table", c.name, err, c.want)
		}
		if _, err := os.Stat(o.Out); !os.IsNotExist(err) {
			t.Errorf("%s: the refused run created %s", c.name, o.Out)
		}
	}
}

// TestRunRefusesURLs: an input given as an object store's URL stops a
// local run before it writes anything, naming the URL.
func TestRunRefusesURLs(t *testing.T) {
	o := runOptions(t)
	o.Events = &config.Table{Path: "gs://bucket/events.parquet"}
	_, err := Run(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "gs://bucket/events.parquet: an object store's URL") {
		t.Errorf("error %v, want one naming the URL", err)
	}
	if _, err := os.Stat(o.Out); !os.IsNotExist(err) {
		t.Errorf("the refused run created %s", o.Out)
	}
}

// TestRunNeedsInput: without orders, a feature table or Demo, Run says so
// and writes nothing; Log and Location may be left nil.
func TestRunNeedsInput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	_, err := Run(context.Background(), Options{Out: out})
	if err == nil || !strings.Contains(err.Error(), "no input") {
		t.Errorf("err = %v, want no input", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("Run without input created %s (err %v)", out, err)
	}
	o := runOptions(t)
	o.Log, o.Location = nil, nil
	if _, err := Run(context.Background(), o); err != nil {
		t.Errorf("Run with nil Log and Location: %v", err)
	}
}
