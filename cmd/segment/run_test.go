package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/pipeline"
)

// segment runs the CLI in-process and returns its exit status, stdout and
// stderr.
func segment(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func mustSegment(t *testing.T, args ...string) {
	t.Helper()
	if code, _, stderr := segment(t, args...); code != 0 {
		t.Fatalf("segment %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
}

// TestDemoRun runs "segment run" with no input, as the README's first
// command does, and checks every promised output is there and readable.
func TestDemoRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	mustSegment(t, "run", "-quiet", "-out", out)
	for _, f := range []string{"assignments.parquet", "assignments.csv", "model.json", "run.json", "rejects.csv", "report.md",
		"plots/elbow.png", "plots/cluster_sizes.png", "plots/profile_heatmap.png", "plots/pca_scatter.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing output %s: %v", f, err)
		}
	}
	// Every image the report links exists, by a relative path, and decodes.
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`!\[[^\]]*\]\(([^)]+)\)`).FindAllStringSubmatch(string(md), -1)
	if len(links) < 4 {
		t.Fatalf("report.md links %d images, want at least 4", len(links))
	}
	for _, l := range links {
		p := l[1]
		if filepath.IsAbs(p) || strings.Contains(p, "..") {
			t.Errorf("report.md link %q is not relative to the output directory", p)
			continue
		}
		f, err := os.Open(filepath.Join(out, p))
		if err != nil {
			t.Errorf("report.md links %s: %v", p, err)
			continue
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("%s is not a valid PNG: %v", p, err)
			continue
		}
		if b := img.Bounds(); b.Dx() < 400 || b.Dy() < 300 {
			t.Errorf("%s is %dx%d, too small to read", p, b.Dx(), b.Dy())
		}
	}
	var m pipeline.Manifest
	readJSON(t, filepath.Join(out, "run.json"), &m)
	if m.Customers != pipeline.DemoCustomers || m.K < 2 || m.Inertia <= 0 || m.Iterations < 1 {
		t.Errorf("run.json: customers %d, k %d, inertia %g, iterations %d", m.Customers, m.K, m.Inertia, m.Iterations)
	}

	// The demo's model scores the demo store again (its inputs are labels,
	// not files), with the run's assignments.
	scored := filepath.Join(t.TempDir(), "scored")
	mustSegment(t, "assign", "-quiet", "-model", filepath.Join(out, "model.json"), "-out", scored)
	for _, f := range []string{"assignments.csv", "assignments.parquet"} {
		want, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(filepath.Join(scored, f)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("assign with the demo's model: %s differs from the run's (%v)", f, err)
		}
	}
	// Given inputs of its own, it reads only them: no demo table is looked for.
	orders := filepath.Join(t.TempDir(), "orders.csv")
	if err := os.WriteFile(orders, []byte("customer_id,order_id,order_time,amount\nc1,o1,2025-01-02,10\nc2,o2,2025-02-03,20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := segment(t, "assign", "-quiet", "-model", filepath.Join(out, "model.json"), "-orders", orders, "-out", filepath.Join(t.TempDir(), "o")); strings.Contains(stderr, "built-in demo store") {
		t.Errorf("assign -orders with the demo's model: exit %d, looked for the demo's tables: %s", code, stderr)
	}
}

// TestPlantedPersonas is the pipeline's acceptance test: on a generated store
// with 7 planted personas, k auto finds 7 clusters that recover them.
func TestPlantedPersonas(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	out := filepath.Join(dir, "out")
	mustSegment(t, "gen", "-customers", "12000", "-seed", "7", "-out", store)
	mustSegment(t, "run", "-quiet", "-orders", filepath.Join(store, "orders.parquet"),
		"-customers", filepath.Join(store, "customers.parquet"), "-k", "auto", "-out", out)

	var m pipeline.Manifest
	readJSON(t, filepath.Join(out, "run.json"), &m)
	if want := len(data.Personas()); m.K != want {
		t.Errorf("k auto chose %d clusters, want the %d planted personas (%s)", m.K, want, m.KReason)
	}
	truth := readColumn(t, filepath.Join(store, "truth.parquet"), "customer_id", "persona")
	got := readColumn(t, filepath.Join(out, "assignments.parquet"), "customer_id", "cluster_name")
	if len(got) != len(truth) {
		t.Fatalf("%d customers assigned, %d in truth.parquet", len(got), len(truth))
	}
	var a, b []int
	ids := map[string]int{}
	code := func(s string) int {
		if _, ok := ids[s]; !ok {
			ids[s] = len(ids)
		}
		return ids[s]
	}
	prospects := 0
	for id, p := range truth {
		c, ok := got[id]
		if !ok {
			t.Fatalf("customer %s of truth.parquet has no assignment", id)
		}
		// Registered customers without orders are prospects, not clustered.
		if (p == data.ProspectPersona) != (c == pipeline.ProspectName) {
			t.Fatalf("customer %s: persona %s, assigned %q", id, p, c)
		}
		if p == data.ProspectPersona {
			prospects++
			continue
		}
		a = append(a, code("p:"+p))
		b = append(b, code("c:"+c))
	}
	if prospects == 0 || m.Rows.Prospects != prospects {
		t.Errorf("run.json counts %d prospects, truth.parquet has %d", m.Rows.Prospects, prospects)
	}
	if ari := cluster.AdjustedRand(a, b); ari < 0.9 {
		t.Errorf("adjusted Rand index against the planted personas = %.3f, want >= 0.9", ari)
	}
}

// TestOutputsIndependentOfWorkers: the same inputs and seed give
// byte-identical outputs with 1, 2 and 8 workers, ingest included (the
// order lines are aggregated in one partition per worker).
func TestOutputsIndependentOfWorkers(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	mustSegment(t, "gen", "-customers", "3000", "-seed", "3", "-out", store)
	orders := filepath.Join(store, "orders.parquet")
	out1 := filepath.Join(dir, "w1")
	mustSegment(t, "run", "-quiet", "-orders", orders, "-workers", "1", "-out", out1)
	for _, w := range []string{"2", "8"} {
		out := filepath.Join(dir, "w"+w)
		mustSegment(t, "run", "-quiet", "-orders", orders, "-workers", w, "-out", out)
		assertSameTree(t, out1, out)
	}
}

func assertSameTree(t *testing.T, a, b string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			return err
		}
		if rel == "run.json" {
			x, y = withoutTimings(t, x), withoutTimings(t, y)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", rel, a, b)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 8 {
		t.Fatalf("compared only %d files", n)
	}
}

// withoutTimings drops run.json's timings_ms, the one field that is allowed
// to change between identical runs.
func withoutTimings(t *testing.T, b []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range pipeline.NonDeterministic {
		delete(m, k)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// readColumn reads two string columns of a table as a map key → value.
func readColumn(t *testing.T, path, key, value string) map[string]string {
	t.Helper()
	tab, err := data.ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var ks, vs []string
	for _, c := range tab.Columns {
		switch c.Name {
		case key:
			ks = c.Strings
		case value:
			vs = c.Strings
		}
	}
	if ks == nil || vs == nil || len(ks) != len(vs) {
		t.Fatalf("%s: want string columns %q and %q", path, key, value)
	}
	m := make(map[string]string, len(ks))
	for i := range ks {
		m[ks[i]] = vs[i]
	}
	return m
}
