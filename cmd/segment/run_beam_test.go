package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeBeam writes a stand-in for segment-beam: a shell script that records
// its arguments in OUT/args.txt (as a model.json stand-in), writes
// OUT/features/features.json and OUT/assignments/assign.json, then exits
// with code.
func fakeBeam(t *testing.T, code int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "segment-beam")
	script := `#!/bin/sh
out=""
prev=""
for a in "$@"; do
  if [ "$prev" = "-out" ]; then out="$a"; fi
  prev="$a"
done
mkdir -p "$out/features" "$out/assignments"
echo '{}' > "$out/features/features.json"
echo '{}' > "$out/assignments/assign.json"
echo "$@" > "$out/model.json"
echo '{"rows": {"read": 100, "repeated": 50, "negative_discounts": 2}}' > "$out/run.json"
exit ` + string(rune('0'+code)) + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunOnBeam checks segment run -runner: segment-beam gets the run's
// settings, the runner, Beam's flags and the log level (-quiet: error,
// so that Prism logs no INFO lines); its outputs are swapped into
// -out, which a second run may replace; a failed job exits 1, leaves the
// previous outputs as they were and no staging folder behind; options the
// Beam runner does not support and a bad runner are usage errors; a
// feature table is passed with -features; the demo
// store is written for segment-beam and removed after it; the counts of
// its run.json that a local run logs as it reads are logged.
func TestRunOnBeam(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(orders, []byte("customer_id,order_id,time,quantity,amount\nc1,o1,2024-01-01,1,10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	clvConfig := filepath.Join(t.TempDir(), "clv.yaml")
	if err := os.WriteFile(clvConfig, []byte("clv: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	ok, failing := fakeBeam(t, 0), fakeBeam(t, 3)
	base := []string{"run", "-orders", orders, "-out", out, "-k", "4", "-seed", "7", "-quiet"}

	for range 2 { // the second run replaces the first's outputs
		code, _, stderr := segment(t, append(base, "-runner", "flink", "-beam-binary", ok, "-beam-flags", "-endpoint localhost:8099", "-excel", "-report", "md")...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	args, err := os.ReadFile(filepath.Join(out, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"-orders " + orders, "-runner flink", "-k 4", "-seed 7", "-endpoint localhost:8099", "-excel", "-reports md", "-log-level error"} {
		if !strings.Contains(string(args), want) {
			t.Errorf("segment-beam got %q, want %q in it", args, want)
		}
	}
	// The counts a local run logs as it reads, from segment-beam's run.json.
	if code, _, stderr := segment(t, "run", "-orders", orders, "-out", filepath.Join(t.TempDir(), "logged"), "-runner", "prism", "-beam-binary", ok); code != 0 ||
		!strings.Contains(stderr, "level=WARN msg=\"orders: rows repeat an earlier row exactly") || !strings.Contains(stderr, "rows=50") ||
		!strings.Contains(stderr, "level=WARN msg=\"orders: negative discounts") {
		t.Errorf("exit %d, stderr %q: want the repeated rows and negative discounts of run.json logged as warnings", code, stderr)
	}
	before := snapshot(t, out)
	code, _, stderr := segment(t, append(base, "-runner", "prism", "-beam-binary", failing)...)
	if code != exitFailed || !strings.Contains(stderr, "exit status 3") {
		t.Fatalf("a failed job: exit %d, %q", code, stderr)
	}
	if !sameSnapshot(before, snapshot(t, out)) {
		t.Fatal("a failed job changed the outputs")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "orders.csv" && e.Name() != "out" && e.Name() != ".out.lock" { // the lock file stays, as after a local run
			t.Errorf("%s left behind in %s", e.Name(), dir)
		}
	}

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bad runner", append(base, "-runner", "hadoop", "-beam-binary", ok), "-runner: want local or one of"},
		{"feature table with a clv section", []string{"run", "-features", orders, "-config", clvConfig, "-out", out, "-quiet", "-runner", "prism", "-beam-binary", ok},
			"a feature table (-features) with an events or products table or a clv section: not supported with -runner"},
		{"feature table with an events table", []string{"run", "-features", orders, "-events", orders, "-out", out, "-quiet", "-runner", "prism", "-beam-binary", ok},
			"an events table (-events or events:) needs order lines"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := segment(t, tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, %q; want %d and %q", code, stderr, exitUsage, tc.want)
			}
		})
	}

	// A feature table: passed with -features, clustering.use left to
	// segment-beam (the table's columns).
	featOut := filepath.Join(dir, "features-out")
	if code, _, stderr := segment(t, "run", "-features", orders, "-out", featOut, "-quiet", "-runner", "prism", "-beam-binary", ok); code != 0 {
		t.Fatalf("feature table: exit %d, %q", code, stderr)
	}
	if args, err := os.ReadFile(filepath.Join(featOut, "model.json")); err != nil {
		t.Fatal(err)
	} else if !strings.Contains(string(args), "-features "+orders) || strings.Contains(string(args), "-use") || strings.Contains(string(args), "-orders") {
		t.Errorf("feature table: segment-beam got %q, want -features %s and no -use or -orders", args, orders)
	}

	// The demo store: written for segment-beam, which is told so (-demo),
	// and removed once it is done.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	demoOut := filepath.Join(dir, "demo")
	if code, _, stderr := segment(t, "run", "-out", demoOut, "-quiet", "-runner", "prism", "-beam-binary", ok); code != 0 {
		t.Fatalf("demo store: exit %d, %q", code, stderr)
	}
	args, err = os.ReadFile(filepath.Join(demoOut, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"-demo", "orders.parquet", "-events", "-customers", "-products"} {
		if !strings.Contains(string(args), want) {
			t.Errorf("demo store: segment-beam got %q, want %q in it", args, want)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("demo store: %d entries left in the temporary folder", len(left))
	}
}
