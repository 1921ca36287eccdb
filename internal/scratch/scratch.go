// Package scratch makes the temporary folders a run writes large files
// into (the spill files of the order lines and of the events), so that a
// run killed before it could remove its own (SIGKILL, the OOM killer, a
// scheduler's timeout, power loss) does not leave them filling the disk:
// the next run that makes one removes them.
//
// Each folder holds a lock file that its process keeps locked (package
// flock) until it removes the folder. The lock is released when the
// process ends, however it ends: a folder of the prefix whose lock can be
// taken belongs to no running process and is removed. A folder without
// the lock file is not one this package made, and a folder whose lock is
// held is left alone. Where the platform cannot lock (flock.Supported
// false) nothing is removed but a run's own folder.
package scratch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/segment-tool/segment/internal/flock"
)

// LockName is the name of the lock file in each folder.
const LockName = ".segment-scratch"

// Prefix starts the name of every folder Make makes.
const Prefix = "segment-"

// Dir is a temporary folder made by Make.
type Dir struct {
	Path string // the folder
	lock *os.File
}

// Make removes the folders Make made in parent that no running process
// holds (RemoveStale with Prefix: whatever their kind), then makes a new
// one, named Prefix+kind+"-" and a random number, mode 0700, with its lock
// file, locked. parent "" means os.TempDir().
//
// A folder exists for a moment before its lock file is locked, and a run
// killed in that moment leaves a folder whose lock file is empty. Where a
// remover can remove a folder while it holds the folder's lock (not on
// Windows, which removes no open file), RemoveStale removes such folders
// too, and Make checks, once it holds the lock, that its lock file is
// still in place (a remover may have taken the folder before Make could
// lock it) and makes another folder if not.
func Make(parent, kind string) (*Dir, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	RemoveStale(parent, Prefix)
	var err error
	for range makeTries {
		var d *Dir
		if d, err = makeOnce(parent, kind); d != nil || !errors.Is(err, errTaken) {
			return d, err
		}
	}
	return nil, err
}

// makeTries bounds the folders Make makes while removers of other runs
// take them: each try loses only to a remover that found the folder in
// the microseconds before it was locked.
const makeTries = 8

// errTaken is makeOnce's error for a folder a remover took before it was
// locked.
var errTaken = errors.New("taken by another run's clean-up")

// makeOnce makes one folder and its lock file and locks it.
func makeOnce(parent, kind string) (*Dir, error) {
	path, err := os.MkdirTemp(parent, Prefix+kind+"-")
	if err != nil {
		return nil, err
	}
	lockPath := filepath.Join(path, LockName)
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		os.RemoveAll(path)
		return nil, fmt.Errorf("%s: lock: %w", path, err)
	}
	if beforeLock != nil {
		beforeLock(path)
	}
	err = flock.TryLock(f)
	if errors.Is(err, flock.ErrHeld) && removeLocked { // a remover holds it and removes the folder
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, errTaken)
	}
	if err == nil && removeLocked && !stillThere(f, lockPath) { // a remover took it before the lock
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, errTaken)
	}
	if err == nil {
		// Written once locked: where a folder cannot be removed while
		// locked, RemoveStale leaves a lock file still empty, whose maker
		// may not have locked it yet.
		_, err = fmt.Fprintf(f, "segment scratch folder of process %d\n", os.Getpid())
	}
	if err != nil {
		f.Close()
		os.RemoveAll(path)
		return nil, fmt.Errorf("%s: lock: %w", path, err)
	}
	return &Dir{Path: path, lock: f}, nil
}

// beforeLock, when a test sets it, is called with the folder's path
// between the creation of its lock file and its locking.
var beforeLock func(path string)

// stillThere reports whether the lock file open as f is still the file at
// path.
func stillThere(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Stat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// Remove releases the folder's lock and removes it with everything in it
// (in this order: Windows removes no open file).
func (d *Dir) Remove() error {
	var err error
	if d.lock != nil {
		err = d.lock.Close()
		d.lock = nil
	}
	return errors.Join(err, os.RemoveAll(d.Path))
}

// RemoveStale removes the folders named prefix… in parent that hold a lock
// file no process holds, and reports how many it removed. It removes a
// folder while it holds the folder's lock, so that its maker, if it is
// still making it, sees it gone (Make); where that cannot be done
// (Windows), it removes only folders whose lock file was written, which
// their makers do once they hold the lock, and a run killed before that
// leaves its (empty) folder. Errors are ignored: a folder that cannot be
// removed now is tried again by the next run.
func RemoveStale(parent, prefix string) int {
	if !flock.Supported {
		return 0
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		path := filepath.Join(parent, e.Name())
		f, err := os.OpenFile(filepath.Join(path, LockName), os.O_RDWR, 0)
		if err != nil {
			continue // not a folder this package made, or not ours to open
		}
		free := flock.TryLock(f) == nil
		if free && removeLocked {
			if os.RemoveAll(path) == nil {
				n++
			}
			f.Close()
			continue
		}
		if free { // and written: an empty one may not be locked by its maker yet
			info, err := f.Stat()
			free = err == nil && info.Size() > 0
		}
		f.Close() // before the removal: Windows removes no open file
		if free && os.RemoveAll(path) == nil {
			n++
		}
	}
	return n
}

// removeLocked reports whether a folder can be removed while a file in it
// is open and locked: everywhere but on Windows.
const removeLocked = runtime.GOOS != "windows"
