package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
)

// TestSpillOutputs checks that a run whose aggregation keeps the order
// lines on disk writes the outputs of one that does not, byte for byte,
// and leaves no spill file behind: forced (-spill always, with products
// and events joined, and with the events in reverse time order, which
// are spilled too), and chosen by a small -memory-limit on the demo.
func TestSpillOutputs(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	mustSegment(t, "gen", "-customers", "2000", "-seed", "5", "-out", store)
	args := []string{"run", "-quiet", "-k", "4", "-orders", filepath.Join(store, "orders.parquet"),
		"-products", filepath.Join(store, "products.parquet"), "-events", filepath.Join(store, "events.parquet")}
	mem := filepath.Join(dir, "memory")
	mustSegment(t, append(args, "-spill", "never", "-out", mem)...)
	spillDir := filepath.Join(dir, "spill")
	if err := os.Mkdir(spillDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"1", "2"} {
		out := filepath.Join(dir, "spilled"+w)
		mustSegment(t, append(args, "-spill", "always", "-spill-dir", spillDir, "-workers", w, "-out", out)...)
		assertSameTree(t, mem, out)
		if left, _ := os.ReadDir(spillDir); len(left) != 0 {
			t.Fatalf("-workers %s: %d entries left in the spill folder", w, len(left))
		}
	}

	// The events in reverse time order: read again, with their (customer,
	// day) pairs under -spill never, spilled to -spill-dir otherwise.
	reversed := reverseRows(t, filepath.Join(store, "events.parquet"), filepath.Join(dir, "events-reversed.csv"))
	args[len(args)-1] = reversed
	mem = filepath.Join(dir, "memory-reversed")
	mustSegment(t, append(args, "-spill", "never", "-out", mem)...)
	if x, y := readFile(t, filepath.Join(dir, "memory", "assignments.csv")), readFile(t, filepath.Join(mem, "assignments.csv")); x != y {
		t.Fatal("events reversed: the assignments differ from the events in time order")
	}
	out := filepath.Join(dir, "spilled-reversed")
	mustSegment(t, append(args, "-spill", "always", "-spill-dir", spillDir, "-out", out)...)
	assertSameTree(t, mem, out)
	if left, _ := os.ReadDir(spillDir); len(left) != 0 {
		t.Fatalf("events reversed: %d entries left in the spill folder", len(left))
	}
	// The orders in memory (-spill auto), the events spilled: a -spill-dir
	// that does not exist stops the run before it reads anything.
	code, _, stderr := segment(t, append(args, "-spill-dir", filepath.Join(dir, "missing"), "-out", filepath.Join(dir, "no-dir"))...)
	if code != 2 || !strings.Contains(stderr, "-spill-dir") || !strings.Contains(stderr, "missing") {
		t.Fatalf("events reversed, -spill-dir missing: exit %d\n%s", code, stderr)
	}

	demo := filepath.Join(dir, "demo")
	mustSegment(t, "run", "-quiet", "-k", "4", "-out", demo)
	small := filepath.Join(dir, "demo-small")
	code, _, stderr = segment(t, "run", "-k", "4", "-memory-limit", "64MB", "-spill-dir", spillDir, "-out", small)
	if code != 0 {
		t.Fatalf("-memory-limit 64MB: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "keeps the lines on disk") {
		t.Fatalf("-memory-limit 64MB did not spill:\n%s", stderr)
	}
	assertSameTree(t, demo, small)
}

// TestSpillFlag checks that a -spill value other than auto, always and
// never is a usage error.
func TestSpillFlag(t *testing.T) {
	code, _, stderr := segment(t, "run", "-spill", "sometimes", "-out", filepath.Join(t.TempDir(), "out"))
	if code != 2 || !strings.Contains(stderr, "-spill") {
		t.Fatalf("exit %d, stderr %q; want 2 naming -spill", code, stderr)
	}
}

// reverseRows writes the table at path as a CSV file at to, its rows in
// reverse order, and returns to.
func reverseRows(t *testing.T, path, to string) string {
	t.Helper()
	tab, err := data.ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := data.WriteCSV(&b, tab); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(b.String(), "\n") // the last one empty
	rows := lines[1 : len(lines)-1]
	slices.Reverse(rows)
	if err := os.WriteFile(to, []byte(lines[0]+strings.Join(rows, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return to
}

// readFile returns the contents of path.
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
