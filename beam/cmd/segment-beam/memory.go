package main

import (
	"runtime/debug"

	"github.com/segment-tool/segment/internal/pipeline"
)

// softMemoryShare is the share of the memory this process may use
// (pipeline.SystemMemory) past which the Go runtime collects garbage
// harder (debug.SetMemoryLimit).
const softMemoryShare = 0.8

// setSoftMemoryLimit tells the Go runtime to collect garbage harder as its
// memory nears softMemoryShare of what this process may use, unless the
// environment sets a limit (GOMEMLIMIT), and returns the limit set (0:
// none). Prism runs in this process and keeps every element in memory:
// without a limit its heap grows to about twice what is live before a
// collection (GOGC), which on a store of a million customers is past what a
// 24 GB machine has (BENCHMARKS.md). It is called after beam.Init: the
// workers a distributed runner starts take over in beam.Init and keep
// their runner's settings.
func setSoftMemoryLimit(getenv func(string) string) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	m := pipeline.SystemMemory()
	if m <= 0 {
		return 0
	}
	limit := int64(float64(m) * softMemoryShare)
	debug.SetMemoryLimit(limit)
	return limit
}
