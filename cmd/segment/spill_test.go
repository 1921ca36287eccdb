package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpillOutputs checks that a run whose aggregation keeps the order
// lines on disk writes the outputs of one that does not, byte for byte,
// and leaves no spill file behind: forced (-spill always, with products
// and events joined), and chosen by a small -memory-limit on the demo.
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

	demo := filepath.Join(dir, "demo")
	mustSegment(t, "run", "-quiet", "-k", "4", "-out", demo)
	small := filepath.Join(dir, "demo-small")
	code, _, stderr := segment(t, "run", "-k", "4", "-memory-limit", "48MB", "-spill-dir", spillDir, "-out", small)
	if code != 0 {
		t.Fatalf("-memory-limit 48MB: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "keeps the lines on disk") {
		t.Fatalf("-memory-limit 48MB did not spill:\n%s", stderr)
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
