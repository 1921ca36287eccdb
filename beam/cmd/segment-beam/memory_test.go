package main

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/segment-tool/segment/internal/pipeline"
)

// TestSoftMemoryLimit checks that segment-beam limits the runtime's memory
// to 80 % of the machine's, and leaves a limit the environment sets alone.
func TestSoftMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	debug.SetMemoryLimit(math.MaxInt64)
	if got := setSoftMemoryLimit(func(k string) string {
		if k == "GOMEMLIMIT" {
			return "3GiB"
		}
		return ""
	}); got != 0 || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		t.Fatalf("with GOMEMLIMIT set: limit %d set, runtime's %d: want neither changed", got, debug.SetMemoryLimit(-1))
	}
	m := pipeline.SystemMemory()
	if m <= 0 {
		t.Skip("this platform does not say how much memory it has")
	}
	got := setSoftMemoryLimit(func(string) string { return "" })
	if want := int64(float64(m) * 0.8); got != want || debug.SetMemoryLimit(-1) != want {
		t.Fatalf("limit %d, runtime's %d: want %d (80 %% of %d)", got, debug.SetMemoryLimit(-1), want, m)
	}
}
