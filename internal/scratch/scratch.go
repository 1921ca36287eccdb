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
func Make(parent, kind string) (*Dir, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	RemoveStale(parent, Prefix)
	path, err := os.MkdirTemp(parent, Prefix+kind+"-")
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(path, LockName), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		// Written once locked: RemoveStale leaves a lock file still empty,
		// whose maker may not have locked it yet.
		if err = flock.TryLock(f); err == nil {
			_, err = fmt.Fprintf(f, "segment scratch folder of process %d\n", os.Getpid())
		}
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		os.RemoveAll(path)
		return nil, fmt.Errorf("%s: lock: %w", path, err)
	}
	return &Dir{Path: path, lock: f}, nil
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
// file no process holds (and that its maker wrote, once it had locked it),
// and reports how many it removed. Errors are
// ignored: a folder that cannot be removed now is tried again by the next
// run.
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
