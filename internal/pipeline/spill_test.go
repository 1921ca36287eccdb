package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpillPlan checks when a run spills and into how many files.
func TestSpillPlan(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	// 3,200 bytes: taken for 101 lines, 16,160 bytes of state.
	body := "customer_id,order_id,order_time,amount\n" + strings.Repeat("c,o,2024-01-01T00:00:00Z,1.00000\n", 90)
	body += strings.Repeat("x", 3200-len(body))
	if err := os.WriteFile(orders, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mode  string
		limit int64
		parts int // 0: no spill
	}{
		{SpillAuto, 0, 0},       // no budget: never
		{SpillAuto, 100_000, 0}, // fits in a third
		{SpillAuto, 30_000, 5},  // 16,160 > 10,000; 2 workers × 16,160 / 7,500 + 1
		{"", 30_000, 5},         // "" is auto
		{SpillNever, 30_000, 0}, // never
		{SpillAlways, 0, 4},     // always, the least number of files
		{SpillAlways, 3, 512},   // at most 512 files (all open at once)
	} {
		o := &Options{Orders: orders, Spill: c.mode, MemoryLimit: c.limit, SpillDir: dir}
		s := spillPlan(o, 2)
		got := 0
		if s != nil {
			got = s.Parts
			if s.Dir != dir {
				t.Errorf("%s %d: dir %q, want %q", c.mode, c.limit, s.Dir, dir)
			}
		}
		if got != c.parts {
			t.Errorf("%q, limit %d: %d parts, want %d", c.mode, c.limit, got, c.parts)
		}
	}
	// A sparse file of 64,000,000 bytes: taken for 2,000,001 lines, past
	// spillLines; 34 files of linesPerPart.
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 32*spillLines); err != nil {
		t.Fatal(err)
	}
	if s := spillPlan(&Options{Orders: big}, 2); s == nil || s.Parts != 34 {
		t.Errorf("2,000,001 lines, no budget: %+v, want 34 parts", s)
	}
	if err := CheckSpill("sometimes"); err == nil {
		t.Error("checkSpill accepted sometimes")
	}
}
