package pipeline

import (
	"context"
	"runtime/debug"
	"testing"
)

// TestGCPercentAfterFeatures: with Options.GCPercentAfterFeatures, the stages
// after the feature table run with that collector target, and Run sets the
// previous one back when it returns; without it, the target is left alone.
func TestGCPercentAfterFeatures(t *testing.T) {
	old := debug.SetGCPercent(77)
	defer debug.SetGCPercent(old)
	// 60, above maxPercentAfterFeatures: the small heap of this store
	// raises a lower target (gcPercentFor, TestGCPercentFor).
	for _, after := range []int{0, 60} {
		o := testOptions(t)
		o.K, o.AsOf = 2, asOf
		o.Orders = writeCSV(t, t.TempDir(), "orders.csv", twoGroupOrders()...)
		o.GCPercentAfterFeatures = after
		seen := map[string]int{}
		stageStarts = func(name string) {
			p := debug.SetGCPercent(100)
			debug.SetGCPercent(p)
			seen[name] = p
		}
		_, err := Run(context.Background(), *o)
		stageStarts = nil
		if err != nil {
			t.Fatal(err)
		}
		want := 77
		if after > 0 {
			want = after
		}
		if seen["read+features"] != 77 || seen["cluster"] != want || seen["outputs"] != want {
			t.Errorf("after %d: targets by stage %v, want 77 while reading, %d from the clustering on", after, seen, want)
		}
		if p := debug.SetGCPercent(77); p != 77 {
			t.Errorf("after %d: the run left the target at %d, want 77", after, p)
		}
	}
}

// TestGCPercentWhileSpilling: with GCPercentWhileSpilling, the collector's
// target is that value while the lines are read when the aggregation
// spills, the run's own target when it does not, and it is back before the
// spilled files are aggregated.
func TestGCPercentWhileSpilling(t *testing.T) {
	old := debug.SetGCPercent(77)
	defer debug.SetGCPercent(old)
	for _, spill := range []string{SpillAlways, SpillNever} {
		o := testOptions(t)
		o.K, o.AsOf = 2, asOf
		o.Orders = writeCSV(t, t.TempDir(), "orders.csv", twoGroupOrders()...)
		o.Spill, o.SpillDir = spill, t.TempDir()
		o.GCPercentWhileSpilling = 300
		var reading []int
		batchRead = func() {
			p := debug.SetGCPercent(100)
			debug.SetGCPercent(p)
			reading = append(reading, p)
		}
		seen := map[string]int{}
		stageStarts = func(name string) {
			p := debug.SetGCPercent(100)
			debug.SetGCPercent(p)
			seen[name] = p
		}
		_, err := Run(context.Background(), *o)
		batchRead, stageStarts = nil, nil
		if err != nil {
			t.Fatal(err)
		}
		want := 77
		if spill == SpillAlways {
			want = 300
		}
		if len(reading) == 0 || reading[0] != want {
			t.Errorf("spill %s: target while reading %v, want %d", spill, reading, want)
		}
		if seen["transform"] != 77 {
			t.Errorf("spill %s: target after reading %d, want 77", spill, seen["transform"])
		}
		if p := debug.SetGCPercent(77); p != 77 {
			t.Errorf("spill %s: the run left the target at %d, want 77", spill, p)
		}
	}
}

// TestGCPercentFor: the collector's target after the features is the
// option's on a large heap, and raised on a small one so that the heap may
// grow by minHeadroom between collections, up to maxPercentAfterFeatures.
func TestGCPercentFor(t *testing.T) {
	for _, c := range []struct {
		pct  int
		live int64
		want int
	}{
		{10, 0, 10},         // not known
		{10, 4 << 30, 10},   // 10 % of 4 GiB is far above the headroom
		{10, 320 << 20, 10}, // exactly the headroom
		{10, 256 << 20, 13}, // ⌈32/256 · 100⌉ = 12.5 → 13
		{10, 20 << 20, 50},  // the demo's heap: up to the bound
		{80, 20 << 20, 80},  // never below the option
		{10, 1 << 20, 50},
	} {
		if got := gcPercentFor(c.pct, c.live); got != c.want {
			t.Errorf("gcPercentFor(%d, %d MiB) = %d, want %d", c.pct, c.live>>20, got, c.want)
		}
	}
}
