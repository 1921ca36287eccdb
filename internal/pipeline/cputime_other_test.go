//go:build !unix

package pipeline

import "time"

// processCPU is 0 where getrusage is not available: benchmarks then report
// a CPU time of 0.
func processCPU() time.Duration { return 0 }
