package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
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

// TestFinishBeamMatchesRun checks that FinishBeam, given what a scale-out
// run hands it (the feature table in shards, the fit on every buyer, the
// model, the read counts), writes every output a local run writes,
// byte for byte, but model.json (the scale-out run's own, not written
// here), run.json's runner and timings and the report's runner line.
func TestFinishBeamMatchesRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: 1200, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{0, 4} { // the elbow sweep, a fixed k
		o := DefaultOptions()
		o.Orders, o.Out, o.Workers, o.Restarts, o.K = filepath.Join(dir, "orders.parquet"), filepath.Join(t.TempDir(), "out"), 2, 3, k
		if k == 4 { // with the customers table: prospects, emails, the exports
			o.CustomersPath = filepath.Join(dir, "customers.parquet")
		}
		if _, err := Run(ctx, o); err != nil {
			t.Fatal(err)
		}
		f := beamFinishOf(t, &o, 3)
		if k == 4 {
			if _, err := os.Stat(filepath.Join(o.Out, "exports")); err != nil {
				t.Fatalf("the local run wrote no exports: %v", err)
			}
		}
		// Without job 2's tally, the finish counts it in a pass over the
		// shards: the same outputs.
		untallied := f
		untallied.Tally = nil
		noTally := t.TempDir()
		if _, err := FinishBeam(ctx, noTally, &o, untallied); err != nil {
			t.Fatal(err)
		}
		compareOutputs(t, o.Out, noTally)
		got := t.TempDir()
		m, err := FinishBeam(ctx, got, &o, f)
		if err != nil {
			t.Fatal(err)
		}
		if m.Runner != "prism" {
			t.Errorf("k %d: run.json runner %q, want prism", k, m.Runner)
		}
		for _, c := range []struct {
			dir  string
			want bool
		}{{got, true}, {o.Out, false}} { // the runner line only for a scale-out run
			md, err := os.ReadFile(filepath.Join(c.dir, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			if has := bytes.Contains(md, []byte("Run on Apache Beam (runner **prism**)")); has != c.want {
				t.Errorf("k %d: %s: runner line %v, want %v", k, c.dir, has, c.want)
			}
		}
		compareOutputs(t, o.Out, got)
		checkTallyUsed(t, &o, f, m)
		// With the medians, positions, revenue concentration and RFM rows'
		// medians found in rounds over the shards, as job 2 finds them (or
		// begins to): the same outputs.
		ranked := f
		rounds := 20 // every round; with k 4, the first, the rest left to the finish
		if k == 4 {
			rounds = 1
		}
		ranked.ProfileRanks = shardRanks(t, f.Model.Transform.Columns, f.Model.K, f.Assignments, rounds)
		ranked.RevenueRanks = shardRevenue(t, f.Assignments, rounds)
		ranked.RFMRanks = shardRFM(t, f.Assignments, rounds)
		ranked.Quality = shardQuality(t, f.Model, o.Seed, f.Assignments, rounds)
		withRanks := t.TempDir()
		if _, err := FinishBeam(ctx, withRanks, &o, ranked); err != nil {
			t.Fatal(err)
		}
		compareOutputs(t, o.Out, withRanks)
		ranked.ProfileRanks = shardRanks(t, f.Model.Transform.Columns, f.Model.K, f.Assignments[1:], 20)
		if _, err := FinishBeam(ctx, t.TempDir(), &o, ranked); err == nil || !strings.Contains(err.Error(), "ranks given count") {
			t.Errorf("k %d: ranks of two shards of three: %v", k, err)
		}
		ranked.ProfileRanks = nil
		ranked.Quality = shardQuality(t, f.Model, o.Seed, f.Assignments[1:], 20)
		if _, err := FinishBeam(ctx, t.TempDir(), &o, ranked); err == nil || !strings.Contains(err.Error(), "did not count the assignment shards") {
			t.Errorf("k %d: quality figures of two shards of three: %v", k, err)
		}
		ranked.Quality = shardQuality(t, f.Model, o.Seed+1, f.Assignments, 1)
		if _, err := FinishBeam(ctx, t.TempDir(), &o, ranked); err == nil || !strings.Contains(err.Error(), "not those of this model") {
			t.Errorf("k %d: quality figures of another seed: %v", k, err)
		}
		other := *f.Model // the same columns and clusters, other centroids
		other.Centroids = slices.Clone(other.Centroids)
		other.Centroids[0], other.Centroids[1] = other.Centroids[1], other.Centroids[0]
		ranked.Quality = shardQuality(t, &other, o.Seed, f.Assignments, 1)
		if _, err := FinishBeam(ctx, t.TempDir(), &o, ranked); err == nil || !strings.Contains(err.Error(), "not those of this model") {
			t.Errorf("k %d: quality figures of other centroids: %v", k, err)
		}
		if k == 4 { // shards labelled by another model: an error, not outputs
			other := *f.Model
			other.Centroids = slices.Clone(other.Centroids)
			other.Centroids[0], other.Centroids[1] = other.Centroids[1], other.Centroids[0]
			f.Model = &other
			if _, err := FinishBeam(ctx, t.TempDir(), &o, f); err == nil || !strings.Contains(err.Error(), "nearest to centroid") {
				t.Errorf("shards of another model: %v", err)
			}
		}
	}
}

// checkTallyUsed checks that FinishBeam takes its counts from job 2's
// tally (f.Tally, with which it wrote m): a group's count changed there is
// the count in run.json, and a crosstab that is not the shards', or a
// tally of what the run does not count, is an error.
func checkTallyUsed(t *testing.T, o *Options, f BeamFinish, m *Manifest) {
	t.Helper()
	b, err := json.Marshal(f.Tally)
	if err != nil {
		t.Fatal(err)
	}
	changed := func() *CustomerTally {
		var c CustomerTally
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatal(err)
		}
		return &c
	}
	f.Tally = changed()
	f.Tally.t.groups["repeat_buyer"] += 7
	m2, err := FinishBeam(context.Background(), t.TempDir(), o, f)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *m2.Groups["repeat_buyer"], *m.Groups["repeat_buyer"]+7; got != want {
		t.Errorf("run.json counts %d repeat buyers with job 2's tally changed to %d: not the tally's", got, want)
	}
	f.Tally = changed()
	f.Tally.t.crosstab[0][0]++
	if _, err := FinishBeam(context.Background(), t.TempDir(), o, f); err == nil || !strings.Contains(err.Error(), "cluster and RFM segment") {
		t.Errorf("job 2's crosstab not the shards': %v", err)
	}
	// A tally that compared the customers with a previous run the finish
	// has not (or counted anything else the run does not): an error.
	f.Tally = changed()
	f.Tally.t.shape.Previous = true
	if _, err := FinishBeam(context.Background(), t.TempDir(), o, f); err == nil || !strings.Contains(err.Error(), "tally counts") {
		t.Errorf("job 2's tally of another shape: %v", err)
	}
}

// TestFinishBeamIDMismatch: a customers table none of whose ids is a
// buyer's (they were written otherwise) is said first in a scale-out
// run's report, as in a local run's: FinishBeam used to drop the finding.
func TestFinishBeamIDMismatch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: 300, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions()
	o.Orders, o.Out, o.Workers, o.Restarts, o.K = filepath.Join(dir, "orders.parquet"), filepath.Join(t.TempDir(), "out"), 2, 2, 3
	o.CustomersPath = writeCSV(t, t.TempDir(), "customers.csv", "customer_id,email", "X-C1,a@example.com", "X-C2,b@example.com")
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(o.Out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	const said = "check the customer ids first"
	if !bytes.Contains(bytes.ToLower(md), []byte(said)) {
		t.Fatalf("the local report does not say %q", said)
	}
	f := beamFinishOf(t, &o, 2)
	got := t.TempDir()
	if _, err := FinishBeam(ctx, got, &o, f); err != nil {
		t.Fatal(err)
	}
	compareOutputs(t, o.Out, got)
}

// splitAssignments writes the rows of the assignments file at path into
// n shards, each sorted by customer_id (row i into shard i mod n), and
// returns their paths.
func splitAssignments(t testing.TB, path string, n int) []string {
	t.Helper()
	// Read as one piece through OpenMerge, which keeps the OPTIONAL
	// columns nullable (as job 2 writes them) where ReadTable would not.
	r, err := data.OpenMerge(context.Background(), []string{path}, "customer_id", nil)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := r.NumRows()
	a, err := r.Read(int(rows))
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for s := range n {
		var rows []int
		for i := s; i < a.NumRows(); i += n {
			rows = append(rows, i)
		}
		shard := a.Take(rows)
		p := filepath.Join(dir, fmt.Sprintf("part-%d.parquet", s))
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := data.WriteParquetRowGroups(f, shard, 16384); err != nil { // as job 2 writes them
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// beamFinishOf returns FinishBeam's input for o's store as a scale-out
// run computes it, with the feature table split into shards and merged
// back, and the local run's assignments (in o.Out) split into shards, as
// job 2 writes them. The table given is its header, without a row: every
// customer's figures, the assignments files and the exports are read from
// the shards.
func beamFinishOf(t testing.TB, o *Options, shards int) BeamFinish {
	t.Helper()
	return beamFinishWith(t, o, shards, nil)
}

// beamFinishWith is beamFinishOf with the fit compared with a previous run
// (SampleFit.Previous), when prev is not nil.
func beamFinishWith(t testing.TB, o *Options, shards int, prev *Previous) BeamFinish {
	t.Helper()
	ctx := context.Background()
	in, err := AggregateOrders(ctx, o, func(data.Reject) {})
	if err != nil {
		t.Fatal(err)
	}
	if o.CustomersPath != "" {
		if in, err = JoinCustomers(ctx, in, &config.Table{Path: o.CustomersPath, Columns: o.CustomerColumns}, nil); err != nil {
			t.Fatal(err)
		}
	}
	parts := make([][]int, shards)
	for i := range in.Table.IDs {
		parts[i%shards] = append(parts[i%shards], i)
	}
	var tabs []*features.Table
	for _, rows := range parts {
		tabs = append(tabs, in.Table.Rows(rows))
	}
	merged, err := features.MergeTables(tabs)
	if err != nil {
		t.Fatal(err)
	}
	buyers, err := SelectBuyers(merged, nil)
	if err != nil {
		t.Fatal(err)
	}
	mx, err := BuildMatrix(ctx, buyers.Table, o)
	if err != nil {
		t.Fatal(err)
	}
	seg, err := Segment(ctx, in, o)
	if err != nil {
		t.Fatal(err)
	}
	cuts := features.GroupCutsOf(seg.All, seg.Attrs.WithCity(nil), o.Thresholds)
	r, err := FitSample(ctx, buyers.Table, SampleFit{Transform: mx.Transform, Excluded: mx.Excluded, Clipped: mx.Clipped,
		RFMCuts: features.FitRFMCuts(in.Table), GroupCuts: &cuts, Previous: prev}, o)
	if err != nil {
		t.Fatal(err)
	}
	f := BeamFinish{Runner: "prism", Table: merged.Rows([]int{}), Assignments: splitAssignments(t, filepath.Join(o.Out, "assignments.parquet"), shards), Stats: in.Stats, Inputs: in.Inputs,
		CustomersMismatch: in.CustomersMismatch, Fit: r, GroupCuts: cuts, Model: r.Model(), Timings: []Timing{{Stage: "job1"}}}
	if c := in.Customers; c != nil { // its header and counts, as a scale-out run's finish has them
		f.Customers, f.Prospects, f.CustomersRejected = c.Header(), len(in.Prospects), len(c.Rejects)
	}
	// Job 2's tally, each part's customers (and the customers table's
	// rows of them, its prospects spread over the parts) assigned apart.
	f.Tally = &CustomerTally{}
	for p, rows := range parts {
		a, err := AssignRows(ctx, in.Table.Rows(rows), customersPart(t, in, shards, p), nil, len(in.Prospects) > 0, f.Model, cuts, nil, nil, o)
		if err != nil {
			t.Fatal(err)
		}
		f.Tally.Merge(a.Tally)
	}
	return f
}

// compareOutputs fails unless every file of the local run's folder want,
// but model.json, is in got with the same bytes, but for run.json's
// runner and timings and the report's runner line (beamComparable).
func compareOutputs(t *testing.T, want, got string) {
	t.Helper()
	var names []string
	err := filepath.WalkDir(want, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(want, p)
		if rel != "model.json" && rel != ".segment-output" {
			names = append(names, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 10 {
		t.Fatalf("only %d local outputs: %v", len(names), names)
	}
	for _, name := range names {
		w, err := os.ReadFile(filepath.Join(want, name))
		if err != nil {
			t.Fatal(err)
		}
		g, err := os.ReadFile(filepath.Join(got, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		g, w = beamComparable(t, name, g), beamComparable(t, name, w)
		if !bytes.Equal(g, w) {
			t.Errorf("%s differs: %s", name, firstDiff(g, w))
		}
	}
}

// beamComparable drops from run.json the fields a scale-out run sets
// differently (runner, timings, memory) and from the report the runner
// line.
func beamComparable(t *testing.T, name string, b []byte) []byte {
	t.Helper()
	switch name {
	case "run.json":
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range append(slices.Clone(NonDeterministic), "runner") {
			delete(m, k)
		}
		out, _ := json.MarshalIndent(m, "", " ")
		return out
	case "report.md", "report.html":
		var lines [][]byte
		skip := false
		for _, l := range bytes.SplitAfter(b, []byte("\n")) {
			switch {
			case bytes.Contains(l, []byte("Apache Beam (runner")):
				skip = true // and the blank line after it
			case skip && len(bytes.TrimSpace(l)) == 0:
				skip = false
			default:
				skip = false
				lines = append(lines, l)
			}
		}
		return bytes.Join(lines, nil)
	}
	return b
}

// firstDiff returns the first line where got and want differ, for a
// failure message.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := range min(len(g), len(w)) {
		if !bytes.Equal(g[i], w[i]) {
			return fmt.Sprintf("line %d:\n%.300s\nwant\n%.300s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}

// TestShardSegmentsOwnColumns: a run on a feature table of its own has no
// RFM scores, recency, frequency or monetary; the segment passes over its
// assignment shards read only the columns it has (they asked for r_score
// and failed the scale-out finish) and count as its customers in memory.
func TestShardSegmentsOwnColumns(t *testing.T) {
	ctx := context.Background()
	o := runOptions(t)
	o.Orders, o.AsOf = "", time.Time{}
	o.Features = twoGroupFeatures(t)
	o.Log = o.logger()
	in, err := readTables(ctx, &o, func(data.Reject) {}, &timer{})
	if err != nil {
		t.Fatal(err)
	}
	o.Use = in.FeatureColumns // as Run clusters a feature table
	r, err := analyse(ctx, &o, in, nil, &timer{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Segments.RFM != nil || r.Segments.All.Col(features.Monetary) != nil {
		t.Fatal("the feature table has RFM scores or monetary: not the case tested")
	}
	dir := t.TempDir()
	if _, err := WriteOutputs(ctx, dir, r); err != nil {
		t.Fatal(err)
	}
	count := func() string {
		var customers int
		err := r.segmentSource()(func(ch segmentChunk) error {
			if ch.RFM != nil || ch.Monetary != nil || ch.Frequency != nil {
				return fmt.Errorf("a chunk with scores or features the run has not")
			}
			customers += ch.N
			return nil
		})
		members, _, gerr := groupCounts(ctx, len(r.Segments.Groups), r.segmentSource())
		return fmt.Sprint(customers, members, err, gerr)
	}
	want := count()
	r.shards = newShardPasses(ctx, splitAssignments(t, filepath.Join(dir, "assignments.parquet"), 2))
	if got := count(); got != want || !strings.HasPrefix(want, "6 ") {
		t.Errorf("over the shards: %s, in memory: %s", got, want)
	}
}
