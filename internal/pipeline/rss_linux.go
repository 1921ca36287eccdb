package pipeline

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// peakRSS returns the process's peak resident set size in bytes.
func peakRSS() int64 {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss * 1024 // kilobytes on Linux
}

// SystemMemory returns the memory this process may use: the cgroup's
// limit (memory.max) when there is one, else the machine's physical
// memory; 0 when neither can be read.
func SystemMemory() int64 {
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 {
			return n
		}
	}
	var si unix.Sysinfo_t
	if unix.Sysinfo(&si) != nil {
		return 0
	}
	return int64(si.Totalram) * int64(si.Unit)
}
