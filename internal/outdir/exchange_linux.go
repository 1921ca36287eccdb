package outdir

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange atomically swaps the directories a and b (renameat2
// RENAME_EXCHANGE). File systems without it fall back to two renames.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EOPNOTSUPP) {
		return exchangeByRename(a, b)
	}
	return err
}

// processAlive reports whether a process with this id exists.
func processAlive(pid int) bool {
	return pid > 0 && !errors.Is(unix.Kill(pid, 0), unix.ESRCH)
}
