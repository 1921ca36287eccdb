package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/segment-tool/segment/beam/featurejob"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/pipeline"
)

// asMain, set in the environment, makes the test binary run as
// segment-beam: the driver's test runs it as its segment-beam.
const asMain = "SEGMENT_BEAM_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		os.Exit(run())
	}
	os.Exit(m.Run())
}

// TestSegmentRunOnPrism runs a store through pipeline.RunBeam, the driver
// of segment run -runner prism, with this test binary as segment-beam, and
// checks the outputs against a local run of the same options: model.json
// the same but its inputs, every assignment row of the shards the same,
// bit for bit, and every other file of the local run's out/ the same,
// byte for byte, but run.json's runner and timings and the report's
// runner line (sameAsLocal).
func TestSegmentRunOnPrism(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: 1200, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	o := pipeline.DefaultOptions()
	o.Orders, o.Out, o.Restarts, o.Workers = filepath.Join(dir, "orders.parquet"), filepath.Join(dir, "local"), 3, 2
	if _, err := pipeline.Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	b := o
	b.Out = filepath.Join(dir, "beam")
	t.Setenv(asMain, "1")
	var stderr bytes.Buffer
	if err := pipeline.RunBeam(ctx, b, pipeline.BeamRun{Runner: "prism", Binary: os.Args[0], Stdout: io.Discard, Stderr: &stderr}); err != nil {
		t.Fatalf("%v\n%s", err, stderr.Bytes())
	}
	want, err := pipeline.LoadModel(filepath.Join(o.Out, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := pipeline.LoadModel(filepath.Join(b.Out, featurejob.ModelFile))
	if err != nil {
		t.Fatal(err)
	}
	want.Inputs = nil
	a, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	if string(a) != string(w) {
		t.Fatalf("model.json:\n%s\nwant\n%s", a, w)
	}
	local, err := data.ReadTable(ctx, filepath.Join(o.Out, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	as, err := featurejob.ReadAssignSummary(b.Out)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range as.Shards {
		tab, err := data.ReadTable(ctx, filepath.Join(b.Out, featurejob.AssignDir, name))
		if err != nil {
			t.Fatal(err)
		}
		for i, id := range tab.Columns[0].Strings {
			rows[id] = rowString(tab, i)
		}
	}
	if len(rows) != len(local.Columns[0].Strings) {
		t.Fatalf("%d assignments, want %d", len(rows), len(local.Columns[0].Strings))
	}
	for i, id := range local.Columns[0].Strings {
		if w := rowString(local, i); rows[id] != w {
			t.Fatalf("customer %s:\n%s\nwant\n%s", id, rows[id], w)
		}
	}
	sameAsLocal(t, o.Out, b.Out)
}

// rowString prints row i of t: every column's name and value, floats by
// their bits, nulls as null.
func rowString(t *data.Table, i int) string {
	var b bytes.Buffer
	for _, c := range t.Columns {
		var v any = "null"
		if c.Nulls == nil || !c.Nulls[i] {
			switch c.Kind {
			case data.KindString:
				v = c.Strings[i]
			case data.KindFloat64:
				v = math.Float64bits(c.Floats[i])
			case data.KindInt64:
				v = c.Ints[i]
			case data.KindBool:
				v = c.Bools[i]
			}
		}
		fmt.Fprintf(&b, "%s=%v ", c.Name, v)
	}
	return b.String()
}
