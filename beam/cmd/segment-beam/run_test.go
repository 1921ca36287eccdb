package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
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
		if err := seedMemfs(os.Getenv(memfsSeed)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		afterFeatures = workHook(os.Getenv(workEvent))
		code := run()
		listMemfs(os.Getenv(memfsList))
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestSegmentRunOnPrism runs stores through pipeline.RunBeam, the driver
// of segment run -runner prism, with this test binary as segment-beam, and
// checks the outputs against a local run of the same options: model.json
// the same but its inputs, every assignment row of the shards the same,
// bit for bit, and every other file of the local run's out/ the same,
// byte for byte, but run.json's runner and timings and the report's
// runner line (sameAsLocal). The stores: a generated one, and the same
// lines in two Parquet files of several row groups and a CSV file with
// rejected lines of several reasons (rejects.csv, run.json's rows and
// revenue_excluded must be the local run's). Beam's and Prism's logs
// follow the run's logger: INFO lines at level info, none with -quiet's
// level (errors only).
func TestSegmentRunOnPrism(t *testing.T) {
	generated := filepath.Join(generatedStore(t, 1200, 11), "orders.parquet")
	tests := []struct {
		name        string
		orders      func(t *testing.T) string
		config      bool // with groupsConfig
		level       slog.Level
		wantRejects bool
	}{
		{"generated store", func(*testing.T) string { return generated }, false, slog.LevelInfo, false},
		{"rejected lines, quiet", func(t *testing.T) string { return withRejects(t, generated) }, false, slog.LevelError, true},
		{"config: custom groups, thresholds, rfm, names", func(*testing.T) string { return generated }, true, slog.LevelError, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := pipeline.DefaultOptions()
			if tc.config {
				o = withConfig(t, generated)
			}
			o.Orders, o.Restarts, o.Workers = tc.orders(t), 3, 2
			run := onPrism(t, o, slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: tc.level})))
			if info := bytes.Contains(run.stderr, []byte("level=INFO")); info != (tc.level <= slog.LevelInfo) {
				t.Errorf("level %v: INFO lines on stderr %v, want %v:\n%s", tc.level, info, !info, run.stderr)
			}
			m := readManifest(t, run.out)
			rejects, err := os.ReadFile(filepath.Join(run.out, "rejects.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if tc.config {
				checkConfigRun(t, run.out)
			}
			if tc.wantRejects && m.Rows.Repeated == 0 {
				t.Errorf("rows %+v: want lines repeated", m.Rows)
			}
			if got := m.Rows.Rejected > 0 && m.Rows.RevenueExcluded != 0 && bytes.Count(rejects, []byte("\n")) > 1; got != tc.wantRejects {
				t.Errorf("rows %+v, %d lines in rejects.csv: want rejected lines %v", m.Rows, bytes.Count(rejects, []byte("\n")), tc.wantRejects)
			}
		})
	}
}

// prismRun is a run through segment run -runner prism's driver compared
// with a local run (onPrism).
type prismRun struct {
	local  *pipeline.Manifest // the local run's run.json
	out    string             // the -runner run's output folder
	stderr []byte             // what segment-beam wrote to stderr
}

// onPrism runs o (its Out is not used) as a local run into a folder of
// its own and through pipeline.RunBeam on Prism (runOnPrism) into
// another, with log as the -runner run's logger when not nil, and checks
// that the two wrote the same outputs (compareRuns).
func onPrism(t *testing.T, o pipeline.Options, log *slog.Logger) prismRun {
	t.Helper()
	o.Out = filepath.Join(t.TempDir(), "local")
	m, err := pipeline.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	b := o
	b.Out = filepath.Join(t.TempDir(), "beam")
	if log != nil {
		b.Log = log
	}
	stderr := runOnPrism(t, b)
	compareRuns(t, o.Out, b.Out)
	return prismRun{local: m, out: b.Out, stderr: stderr}
}

// generatedStore writes a generated store (data.WriteGeneratedStore) of
// n customers with seed into a temporary folder and returns the folder.
func generatedStore(t *testing.T, n int, seed uint64) string {
	t.Helper()
	dir := t.TempDir()
	if err := data.WriteGeneratedStore(context.Background(), dir, data.GenOptions{Customers: n, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runOnPrism runs o through pipeline.RunBeam on Prism, with this test
// binary as segment-beam, and returns what it wrote to stderr.
func runOnPrism(t *testing.T, o pipeline.Options) []byte {
	t.Helper()
	t.Setenv(asMain, "1")
	var stderr bytes.Buffer
	if err := pipeline.RunBeam(context.Background(), o, pipeline.BeamRun{Runner: "prism", Binary: os.Args[0], Stdout: io.Discard, Stderr: &stderr}); err != nil {
		t.Fatalf("%v\n%s", err, stderr.Bytes())
	}
	return stderr.Bytes()
}

// compareRuns compares a -runner run's outputs in beam with a local run's
// in local: model.json but its inputs, every row of the assignment
// shards, every other file (sameAsLocal).
func compareRuns(t *testing.T, local, beam string) {
	t.Helper()
	ctx := context.Background()
	want, err := pipeline.LoadModel(filepath.Join(local, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := pipeline.LoadModel(filepath.Join(beam, featurejob.ModelFile))
	if err != nil {
		t.Fatal(err)
	}
	want.Inputs = nil
	a, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	if string(a) != string(w) {
		t.Fatalf("model.json:\n%s\nwant\n%s", a, w)
	}
	tab, err := data.ReadTable(ctx, filepath.Join(local, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	as, err := featurejob.ReadAssignSummary(beam)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range as.Shards {
		shard, err := data.ReadTable(ctx, filepath.Join(beam, featurejob.AssignDir, name))
		if err != nil {
			t.Fatal(err)
		}
		for i, id := range shard.Columns[0].Strings {
			rows[id] = rowString(shard, i)
		}
	}
	if len(rows) != len(tab.Columns[0].Strings) {
		t.Fatalf("%d assignments, want %d", len(rows), len(tab.Columns[0].Strings))
	}
	for i, id := range tab.Columns[0].Strings {
		if w := rowString(tab, i); rows[id] != w {
			t.Fatalf("customer %s:\n%s\nwant\n%s", id, rows[id], w)
		}
	}
	sameAsLocal(t, local, beam)
}

// readManifest reads dir/run.json.
func readManifest(t *testing.T, dir string) *pipeline.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m pipeline.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
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
