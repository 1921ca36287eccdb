package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/report"
)

// TestReportSumsMerge: the report's sums counted over parts of the
// customers (as job 2 counts a shard each) and merged in any order,
// through their JSON form, are those of one pass over all of them, bit for
// bit: the clusters' sums and spread, the spend and group shares, the RFM
// and group rows and plots. A merged tally of which some parts lack them
// is mixed (the finish refuses it).
func TestReportSumsMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, k = 5000, 3
	cols := []string{"recency_days", "monetary", "mix_food", "mix_toys"}
	ch := buyerChunk{ProfileChunk: report.ProfileChunk{Labels: make([]int, n), Cols: make([][]float64, len(cols)), Weight: make([]float64, n), Groups: [][]bool{make([]bool, n)}},
		RFM: &features.RFM{R: make([]int8, n), F: make([]int8, n), M: make([]int8, n)}}
	for j := range cols {
		ch.Cols[j] = make([]float64, n)
	}
	seg := segmentChunk{N: n, RFM: ch.RFM, Recency: ch.Cols[0], Frequency: make([]float64, n), Monetary: ch.Cols[1], Members: [][]bool{ch.Groups[0], nil}}
	for i := range n {
		ch.Labels[i] = rng.IntN(k)
		ch.Cols[0][i] = float64(rng.IntN(700))
		ch.Cols[1][i] = math.Round(math.Exp(rng.NormFloat64()+4)*100) / 100 // spend in cents: a float sum depends on its order
		ch.Cols[2][i] = rng.Float64()
		ch.Cols[3][i] = 1 - ch.Cols[2][i]
		ch.Weight[i] = ch.Cols[1][i]
		ch.Groups[0][i] = rng.IntN(4) == 0
		ch.RFM.R[i], ch.RFM.F[i], ch.RFM.M[i] = int8(1+rng.IntN(5)), int8(1+rng.IntN(5)), int8(1+rng.IntN(5))
		seg.Frequency[i] = float64(1 + rng.IntN(5))
	}
	count := func(lo, hi int) *reportSums {
		s := &reportSums{cluster: newClusterCounter(k, len(cols)), profile: report.NewProfileSums(cols, 1, k), segments: newSegmentSums(true, 2, true)}
		part := ch.rows(lo, hi)
		if err := s.cluster.add(part); err != nil {
			t.Fatal(err)
		}
		if err := s.profile.Add(part.ProfileChunk); err != nil {
			t.Fatal(err)
		}
		sp := segmentChunk{N: hi - lo, RFM: part.RFM, Recency: seg.Recency[lo:hi], Frequency: seg.Frequency[lo:hi], Monetary: seg.Monetary[lo:hi],
			Members: [][]bool{seg.Members[0][lo:hi], nil}}
		if err := s.segments.add(context.Background(), sp); err != nil {
			t.Fatal(err)
		}
		return s
	}
	encode := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	one := count(0, n)
	whole := encode(one)
	if again := encode(one); !bytes.Equal(again, whole) { // encoding reads the sums, it does not spend them
		t.Errorf("the same sums encoded twice:\n%s\n%s", whole, again)
	}
	cuts := []int{0, 17, 1800, 1801, 4000, n}
	merged := count(cuts[len(cuts)-2], n).clone()
	for p := len(cuts) - 3; p >= 0; p-- { // the parts backwards, each through JSON
		var back reportSums
		if err := json.Unmarshal(encode(count(cuts[p], cuts[p+1])), &back); err != nil {
			t.Fatal(err)
		}
		if err := merged.merge(&back); err != nil {
			t.Fatal(err)
		}
	}
	if got := encode(merged); !bytes.Equal(got, whole) {
		t.Errorf("merged in parts:\n%s\none pass:\n%s", got, whole)
	}
	merged.cluster.endPass()
	if sd := merged.cluster.t.PopSD; !(sd[0] > 0) || merged.cluster.t.Clusters[0]+merged.cluster.t.Clusters[1]+merged.cluster.t.Clusters[2] != n {
		t.Errorf("merged tally: spread %v, sizes %v", sd, merged.cluster.t.Clusters)
	}
	if err := json.Unmarshal([]byte(`{"K":2,"D":1}`), new(reportSums)); err == nil {
		t.Error("damaged report sums decoded")
	}
	var short reportSumsJSON // RFM rows of another build's segments
	if err := json.Unmarshal(whole, &short); err != nil {
		t.Fatal(err)
	}
	short.SegCustomers, short.SegOrders, short.SegRevenue = short.SegCustomers[1:], short.SegOrders[1:], short.SegRevenue[1:]
	if err := json.Unmarshal(encode(short), new(reportSums)); err == nil {
		t.Error("report sums of fewer RFM segments decoded")
	}
	// Parts with and without the sums: mixed.
	shape := &tallyShape{K: k}
	var m CustomerTally
	m.Merge(&CustomerTally{&customerTally{shape: shape, sums: count(0, 10)}})
	m.Merge(&CustomerTally{&customerTally{shape: shape}})
	if !m.t.mixed {
		t.Error("a tally without the report's sums merged into one with them: not mixed")
	}
}

// TestAssignRowsProspectShard: a shard holding only prospects (its feature
// columns read back from a shard file of no row, nil) sums the report's
// figures in the shape of a shard of buyers, so that the tallies merge
// (not mixed) and the finish takes them.
func TestAssignRowsProspectShard(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: 1500, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions()
	o.Orders, o.Out, o.Workers, o.Restarts = filepath.Join(dir, "orders.parquet"), filepath.Join(t.TempDir(), "out"), 2, 3
	o.CustomersPath = filepath.Join(dir, "customers.parquet")
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	m, err := LoadModel(filepath.Join(o.Out, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	in, err := AggregateOrders(ctx, &o, func(data.Reject) {})
	if err != nil {
		t.Fatal(err)
	}
	if in, err = JoinCustomers(ctx, in, &config.Table{Path: o.CustomersPath}, nil); err != nil {
		t.Fatal(err)
	}
	seg, err := Segment(ctx, in, &o)
	if err != nil {
		t.Fatal(err)
	}
	cuts := features.GroupCutsOf(seg.All, seg.Attrs.WithCity(nil), o.Thresholds)
	if len(in.Prospects) < 3 {
		t.Fatalf("the store has %d prospects, want 3", len(in.Prospects))
	}
	ids := in.Prospects[:3]
	c, err := features.NewCustomerTable(o.CustomersPath, ids, in.Customers.ColumnsFor(ids))
	if err != nil {
		t.Fatal(err)
	}
	empty := in.Table.Rows([]int{})
	empty.IDs = nil
	for j := range empty.Cols {
		empty.Cols[j] = nil // as a shard file of no row reads back
	}
	prospects, err := AssignRows(ctx, empty, c, nil, true, m, cuts, nil, nil, &o)
	if err != nil {
		t.Fatal(err)
	}
	some := in.Table.Rows([]int{0, 1, 2, 3})
	bc, err := features.NewCustomerTable(o.CustomersPath, some.IDs, in.Customers.ColumnsFor(some.IDs))
	if err != nil {
		t.Fatal(err)
	}
	buyers, err := AssignRows(ctx, some, bc, nil, true, m, cuts, nil, nil, &o)
	if err != nil {
		t.Fatal(err)
	}
	var merged CustomerTally
	merged.Merge(buyers.Tally)
	merged.Merge(prospects.Tally)
	if p, b := prospects.Tally.t.sums.segments, buyers.Tally.t.sums.segments; merged.t.mixed || p.repeat != b.repeat || p.rfm != b.rfm {
		t.Errorf("a prospects' shard and a buyers' merged: mixed %v (repeat %v and %v, RFM %v and %v)", merged.t.mixed, p.repeat, b.repeat, p.rfm, b.rfm)
	}
}
