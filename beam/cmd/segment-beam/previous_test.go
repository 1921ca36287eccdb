package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/segment-tool/segment/internal/pipeline"
)

// TestPreviousOnPrism runs a store with a previous run (-previous: a local
// run of k = 4 on the store with spoiled lines, so that some customers
// are new, others changed segment, and some clusters are matched while
// others are new and previous ones vanished) through segment run -runner
// prism's driver and checks every output against a local run with the
// same previous run (compareRuns): model.json's keys and names, the
// assignments' history columns (job 2's shards and the finishing step's
// files), the report's stability section, run.json's stability and the
// exports of removed tags.
func TestPreviousOnPrism(t *testing.T) {
	generated := filepath.Join(generatedStore(t, 900, 3), "orders.parquet")
	prev := pipeline.DefaultOptions()
	prev.Orders, prev.Out, prev.K, prev.Restarts, prev.Workers = withRejects(t, generated), filepath.Join(t.TempDir(), "previous"), 4, 3, 2
	if _, err := pipeline.Run(context.Background(), prev); err != nil {
		t.Fatal(err)
	}
	o := pipeline.DefaultOptions()
	o.Orders, o.Restarts, o.Workers, o.Previous = generated, 3, 2, prev.Out
	if st := onPrism(t, o, nil).local.Stability; st == nil || len(st.Vanished)+len(st.NewClusters) == 0 || st.KeyChanges == 0 {
		t.Fatalf("stability %+v: want a previous run with new or vanished clusters and key changes", st)
	}
}
