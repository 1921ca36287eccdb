// Package scratch makes the temporary folders a run writes large files
// into (the spill files of the order lines and of the events), so that a
// run killed before it could remove its own (SIGKILL, the OOM killer, a
// scheduler's timeout, power loss) does not leave them filling the disk:
// the next run that makes one removes them.
//
// Beside each folder lies its lock file, the folder's name with LockSuffix,
// which its process keeps locked (package flock) until it has removed the
// folder. The lock file is made first and the folder after it, so that a
// run killed at any point leaves no folder without its lock file. The lock
// is released when the process ends, however it ends: a lock file of the
// prefix whose lock can be taken belongs to no running process, and it is
// removed with its folder. A folder without a lock file is not one this
// package made (or one of an older version, whose lock file is inside it,
// LockName: those are removed as before), and a folder whose lock is held
// is left alone. Where the platform cannot lock (flock.Supported false)
// nothing is removed but a run's own folder.
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

// LockSuffix ends the name of a folder's lock file, beside the folder.
const LockSuffix = ".lock"

// LockName is the name of the lock file inside the folders of older
// versions, which RemoveStale still removes.
const LockName = ".segment-scratch"

// Prefix starts the name of every folder Make makes.
const Prefix = "segment-"

// Dir is a temporary folder made by Make.
type Dir struct {
	Path     string // the folder
	lock     *os.File
	lockPath string
}

// Make removes the folders Make made in parent that no running process
// holds (RemoveStale with Prefix: whatever their kind), then makes a new
// one, named Prefix+kind+"-" and a random number, mode 0700, after its
// lock file, locked. parent "" means os.TempDir().
//
// A lock file exists for a moment before it is locked. Where a remover can
// remove a lock file while it holds its lock (not on Windows, which
// removes no open file), RemoveStale removes such lock files too, empty or
// not, and Make checks, once it holds the lock, that its lock file is
// still in place (a remover may have taken it before Make could lock it)
// and starts again if not.
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

// makeTries bounds the folders Make starts while removers of other runs
// take them: each try loses only to a remover that found the lock file in
// the microseconds before it was locked.
const makeTries = 8

// errTaken is makeOnce's error for a lock file a remover took before it
// was locked.
var errTaken = errors.New("taken by another run's clean-up")

// makeOnce makes one lock file, locks it and makes its folder.
func makeOnce(parent, kind string) (*Dir, error) {
	f, err := os.CreateTemp(parent, Prefix+kind+"-*"+LockSuffix)
	if err != nil {
		return nil, err
	}
	lockPath := f.Name()
	if beforeLock != nil {
		beforeLock(lockPath)
	}
	err = flock.TryLock(f)
	if errors.Is(err, flock.ErrHeld) && removeLocked { // a remover holds it and removes it
		f.Close()
		return nil, fmt.Errorf("%s: %w", lockPath, errTaken)
	}
	if err == nil && removeLocked && !stillThere(f, lockPath) { // a remover took it before the lock
		f.Close()
		return nil, fmt.Errorf("%s: %w", lockPath, errTaken)
	}
	if err == nil {
		// Written once locked: where a lock file cannot be removed while
		// locked, RemoveStale leaves one still empty, whose maker may not
		// have locked it yet.
		_, err = fmt.Fprintf(f, "segment scratch folder of process %d\n", os.Getpid())
	}
	path := strings.TrimSuffix(lockPath, LockSuffix)
	if err == nil {
		err = os.Mkdir(path, 0o700)
	}
	if err != nil {
		d := &Dir{Path: path, lock: f, lockPath: lockPath}
		return nil, errors.Join(fmt.Errorf("%s: %w", path, err), d.Remove())
	}
	return &Dir{Path: path, lock: f, lockPath: lockPath}, nil
}

// beforeLock, when a test sets it, is called with the lock file's path
// between its creation and its locking.
var beforeLock func(lockPath string)

// stillThere reports whether the lock file open as f is still the file at
// path.
func stillThere(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Stat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// Remove removes the folder with everything in it, then its lock file,
// and releases the lock (before the lock file's removal on Windows, which
// removes no open file).
func (d *Dir) Remove() error {
	err := os.RemoveAll(d.Path)
	if d.lock != nil {
		err = errors.Join(err, unlockAndRemove(d.lock, d.lockPath))
		d.lock = nil
	}
	return err
}

// unlockAndRemove removes the lock file open as f, at path, and closes f:
// in this order where a locked file can be removed, so that no other run
// can take the lock of a lock file about to go.
func unlockAndRemove(f *os.File, path string) error {
	if removeLocked {
		err := os.Remove(path)
		return errors.Join(err, f.Close())
	}
	err := f.Close()
	return errors.Join(err, os.Remove(path))
}

// RemoveStale removes the folders named prefix… in parent whose lock file
// no process holds, with the lock file, and reports how many lock files
// it removed. It removes them while it holds the lock, so that a maker
// still making one sees it gone (Make); where that cannot be done
// (Windows), it removes only those whose lock file was written, which
// makers do once they hold the lock. Folders of older versions, with
// their lock file inside, are removed when that lock is free and written.
// Errors are ignored: what cannot be removed now is tried again by the
// next run.
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
		name := e.Name()
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		if e.IsDir() {
			if removeOld(filepath.Join(parent, name)) {
				n++
			}
			continue
		}
		if !strings.HasSuffix(name, LockSuffix) || !e.Type().IsRegular() {
			continue
		}
		lockPath := filepath.Join(parent, name)
		f, err := os.OpenFile(lockPath, os.O_RDWR, 0)
		if err != nil {
			continue // not ours to open
		}
		free := flock.TryLock(f) == nil
		if free && !removeLocked { // and written: an empty one may not be locked by its maker yet
			info, err := f.Stat()
			free = err == nil && info.Size() > 0
		}
		if !free {
			f.Close()
			continue
		}
		if os.RemoveAll(strings.TrimSuffix(lockPath, LockSuffix)) != nil {
			f.Close()
			continue
		}
		if unlockAndRemove(f, lockPath) == nil {
			n++
		}
	}
	return n
}

// removeOld removes a folder of an older version, whose lock file is
// inside it, when that lock is free and written, and reports whether it
// did.
func removeOld(path string) bool {
	f, err := os.OpenFile(filepath.Join(path, LockName), os.O_RDWR, 0)
	if err != nil {
		return false // not a folder this package made, or not ours to open
	}
	free := flock.TryLock(f) == nil
	if free {
		info, err := f.Stat()
		free = err == nil && info.Size() > 0
	}
	f.Close() // before the removal: Windows removes no open file
	return free && os.RemoveAll(path) == nil
}

// removeLocked reports whether a file can be removed while it is open and
// locked: everywhere but on Windows.
const removeLocked = runtime.GOOS != "windows"
