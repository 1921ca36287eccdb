package outdir

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/segment-tool/segment/internal/flock"
)

// LockedError is returned by Open when another run holds the output
// folder's lock.
type LockedError struct {
	Path     string // the folder as it was given
	LockFile string
	PID      int // the holder's process id, 0 if unknown
}

func (e *LockedError) Error() string {
	holder := "another segment run"
	if e.PID > 0 {
		holder += " (pid " + strconv.Itoa(e.PID) + ")"
	}
	return fmt.Sprintf("output %q: in use by %s, which holds %s; wait for it to finish, or name another folder", e.Path, holder, e.LockFile)
}

// lockPath is the lock file of target (resolved): beside it, never inside
// the folder that is swapped.
func lockPath(target string) string {
	return filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".lock")
}

// lock takes the lock of target (resolved), given as path. The lock is the
// operating system's (flock, LockFileEx) on a file that holds the holder's
// pid: it ends with the process, however that ends, so a killed run never
// blocks the next. The file itself stays. With wait, lock waits for the
// holder (until ctx ends); without, it fails at once with a *LockedError.
func lock(ctx context.Context, path, target string, wait bool) (*os.File, error) {
	name := lockPath(target)
	f, err := openLockFile(name)
	if err != nil {
		return nil, fmt.Errorf("output %s: lock: %w", path, err)
	}
	for {
		err := flock.TryLock(f)
		if err == nil {
			break
		}
		if !errors.Is(err, flock.ErrHeld) {
			f.Close()
			return nil, fmt.Errorf("output %s: lock %s: %w", path, name, err)
		}
		if !wait {
			pid := readPID(f)
			f.Close()
			return nil, &LockedError{Path: path, LockFile: name, PID: pid}
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	// Best effort: the pid only makes the message of a second run clearer.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// openLockFile opens (creating it) the lock file name, which must be a
// regular file holding nothing or a pid: segment never writes through a
// link, nor into a file of someone else's that happens to have the name.
func openLockFile(name string) (*os.File, error) {
	before, err := os.Lstat(name)
	if err == nil && !before.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (a link or a folder): remove it, segment keeps its lock there", name)
	}
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && before != nil && !os.SameFile(before, fi) {
		err = fmt.Errorf("%s changed while it was opened", name)
	}
	if err == nil && fi.Size() > 0 && (fi.Size() > 32 || readPID(f) == 0) {
		err = fmt.Errorf("%s holds something else than a lock's process id: move it, segment keeps its lock there", name)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// readPID reads the holder's pid from its lock file, 0 if there is none.
func readPID(f *os.File) int {
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 32))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0
	}
	return pid
}
