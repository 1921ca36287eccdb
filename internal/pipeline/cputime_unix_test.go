//go:build unix

package pipeline

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) the process has used
// so far; benchmarks report it per operation, which other jobs on a shared
// machine disturb less than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
