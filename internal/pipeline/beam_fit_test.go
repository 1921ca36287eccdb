package pipeline

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// TestFitSampleMatchesRun checks that FitSample on every buyer, given the
// transform, RFM cuts and group cuts fitted on the whole store, writes the model.json
// of a local run on the same store (but its inputs, which the scale-out
// runner does not checksum).
func TestFitSampleMatchesRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: 1500, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{0, 4} { // the elbow sweep, a fixed k
		o := DefaultOptions()
		o.Orders, o.Out, o.Workers, o.Restarts, o.K = filepath.Join(dir, "orders.parquet"), filepath.Join(t.TempDir(), "out"), 2, 3, k
		if _, err := Run(ctx, o); err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(o.Out, "model.json"))
		if err != nil {
			t.Fatal(err)
		}
		in, err := AggregateOrders(ctx, &o, func(data.Reject) {})
		if err != nil {
			t.Fatal(err)
		}
		buyers, err := SelectBuyers(in.Table, nil)
		if err != nil {
			t.Fatal(err)
		}
		m, err := BuildMatrix(ctx, buyers.Table, &o)
		if err != nil {
			t.Fatal(err)
		}
		seg, err := Segment(ctx, in, &o)
		if err != nil {
			t.Fatal(err)
		}
		cuts := features.GroupCutsOf(seg.All, seg.Attrs.WithCity(nil), o.Thresholds)
		r, err := FitSample(ctx, buyers.Table, SampleFit{Transform: m.Transform, Excluded: m.Excluded, Clipped: m.Clipped,
			RFMCuts: features.FitRFMCuts(in.Table), GroupCuts: &cuts}, &o)
		if err != nil {
			t.Fatal(err)
		}
		var wm Model
		if err := json.Unmarshal(want, &wm); err != nil {
			t.Fatal(err)
		}
		wm.Inputs = nil
		got, err := json.MarshalIndent(r.Model(), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		wantJSON, err := json.MarshalIndent(&wm, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(wantJSON) {
			t.Fatalf("k %d: model.json differs:\n%s\nwant\n%s", k, got, wantJSON)
		}
	}
}
