package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/exports"
)

// smallResult runs the stages on the store of twoGroupOrders with a
// customers table that adds a prospect, P1, and gives emails and consent.
func smallResult(t *testing.T) *Result {
	t.Helper()
	dir := t.TempDir()
	o := testOptions(t)
	o.K, o.AsOf = 2, asOf
	o.Orders = writeCSV(t, dir, "orders.csv", twoGroupOrders()...)
	o.CustomersPath = writeCSV(t, dir, "customers.csv",
		"customer_id,email,newsletter",
		"H1,h1@example.com,true",
		"H2,h2@example.com,false",
		"L1,l1@example.com,true",
		"P1,p1@example.com,true")
	ctx := context.Background()
	in, err := AggregateOrders(ctx, o, func(data.Reject) {})
	if err != nil {
		t.Fatal(err)
	}
	if in, err = JoinCustomers(ctx, in, &config.Table{Path: o.CustomersPath}, o.Log); err != nil {
		t.Fatal(err)
	}
	return stages(t, in, o)
}

func TestWriteOutputs(t *testing.T) {
	r := smallResult(t)
	dir := t.TempDir()
	w, err := WriteOutputs(context.Background(), dir, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"assignments.parquet", "assignments.csv", "assignments.arrow", "model.json", "report.md",
		"plots/cluster_sizes.png", "plots/profile_heatmap.png", "plots/pca_scatter.png",
		filepath.Join(exportsDir, exports.KlaviyoFile)} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("output %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "plots/elbow.png")); err == nil {
		t.Errorf("an elbow plot for a fixed k")
	}
	// Four contacts have an email; three accept marketing.
	if w.Exports == nil || w.Exports.Exported != 3 || w.Exports.Skipped != 10 || w.ExportNote != "" {
		t.Errorf("exports %+v, note %q; want 3 exported, 10 skipped", w.Exports, w.ExportNote)
	}

	// model.json reads back as a model, and the outputs as a previous run.
	m, err := LoadModel(filepath.Join(dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	if m.K != 2 || m.AsOf != "2024-07-01" || !slices.Equal(m.Transform.Columns, r.Matrix.Transform.Columns) || m.Clusters[0].Key != r.Profiles.Clusters[0].Key {
		t.Errorf("model: k %d, as_of %s, columns %v, first key %q", m.K, m.AsOf, m.Transform.Columns, m.Clusters[0].Key)
	}
	p, err := LoadPrevious(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	prevRows := map[string]PreviousCustomer{}
	if err := p.scan(context.Background(), func(id string, c PreviousCustomer) error { prevRows[id] = c; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(prevRows) != 13 || prevRows["P1"].Key != ProspectKey || prevRows["H1"].Key != r.Profiles.Clusters[clusterOf(t, r, "H1")].Key {
		t.Errorf("previous customers %v", prevRows)
	}
	if prevRows["P1"].Segment != "prospects" || prevRows["H1"].Segment == "" || prevRows["H1"].ChangedAt != "" {
		t.Errorf("previous customers %v (a first run has no segment dates)", prevRows)
	}
	counted := 0
	for _, n := range p.SegCount {
		counted += n
	}
	if counted != 13 || p.SegCount["prospects"] != 1 {
		t.Errorf("previous segment counts %v, want 13 customers, 1 prospect", p.SegCount)
	}

	mf := r.Manifest(w, []Timing{{"cluster", 3 * time.Millisecond}, {"cluster", 2 * time.Millisecond}})
	if err := writeManifest(dir, mf); err != nil {
		t.Fatal(err)
	}
	var got Manifest
	readJSON(t, filepath.Join(dir, "run.json"), &got)
	checkManifest(t, &got, 12)
	if got.Rows.Read != 57 {
		t.Errorf("rows read %d, want 57", got.Rows.Read)
	}
	if got.Rows.Prospects != 1 || got.KMethod != "fixed" || got.Elbow != nil || got.Stability != nil {
		t.Errorf("prospects %d, k method %q, elbow %v, stability %v; want 1, fixed, none, none", got.Rows.Prospects, got.KMethod, got.Elbow, got.Stability)
	}
	if got.Exports == nil || got.Exports.Exported != 3 {
		t.Errorf("exports %+v", got.Exports)
	}
	if got.TimingsMS["cluster"] != 5 {
		t.Errorf("timings %v, want cluster 5 ms (the sum)", got.TimingsMS)
	}
	if got.RFMSegments["prospects"] != 1 {
		t.Errorf("RFM segments %v, want one prospect", got.RFMSegments)
	}
}

// checkManifest checks run.json of a run on the store of twoGroupOrders
// (with n customers) at k 2.
func checkManifest(t *testing.T, m *Manifest, n int) {
	t.Helper()
	if m.Version != Version || m.Status != "ok" || m.AsOf == nil || *m.AsOf != "2024-07-01" || m.Seed != 1 {
		t.Errorf("version %s, status %s, as_of %v, seed %d", m.Version, m.Status, m.AsOf, m.Seed)
	}
	// H1…H6 place 6…11 orders, L1…L6 one each: 57 order lines used.
	if r := m.Rows; r.Used != 57 || r.Read != r.Used+r.Rejected+r.AfterAsOf || r.CustomersTotal != n || m.Customers != n || m.Orders != 57 {
		t.Errorf("rows %+v, customers %d, orders %d; want 57 used, read = used + rejected + after as_of, %d customers, 57 orders", m.Rows, m.Customers, m.Orders, n)
	}
	// 6 × 150 × (6+…+11)/6 + (20+25+…+45).
	if m.Revenue != 150*51+195 {
		t.Errorf("revenue %v, want %v", m.Revenue, 150*51+195)
	}
	if m.K != 2 || len(m.Clusters) != 2 || m.Clusters[0].Size+m.Clusters[1].Size != n || m.Clustering.Clustered != n {
		t.Errorf("k %d, clusters %+v, clustered %d; want 2 clusters of all %d", m.K, m.Clusters, m.Clustering.Clustered, n)
	}
	if m.Clusters[0].Key == "" || m.Clusters[0].Key == m.Clusters[1].Key {
		t.Errorf("cluster keys %q, %q", m.Clusters[0].Key, m.Clusters[1].Key)
	}
	if m.Metrics.Silhouette == nil || *m.Metrics.Silhouette <= 0.5 {
		t.Errorf("silhouette %v, want above 0.5 for two plain groups", m.Metrics.Silhouette)
	}
	if len(m.Inputs) == 0 || m.Inputs[0].Rows != m.Rows.Read || m.Inputs[0].SHA256 == "" {
		t.Errorf("inputs %+v", m.Inputs)
	}
}
