//go:build unix && !linux

package outdir

import (
	"errors"

	"golang.org/x/sys/unix"
)

// processAlive reports whether a process with this id exists.
func processAlive(pid int) bool {
	return pid > 0 && !errors.Is(unix.Kill(pid, 0), unix.ESRCH)
}
