package outdir

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Options say how Open treats the folder it is given.
type Options struct {
	// Legacy reports whether an existing folder without the marker holds
	// an older segment's outputs and nothing else (names: its entries), so
	// that it may be replaced. nil: no such folder is accepted.
	Legacy func(dir string, names []string) bool
	// Foreign lists the entries (paths inside dir) of a folder holding
	// the marker that segment did not write (names: the folder's entries),
	// "" when it holds nothing else, so that replacing it deletes no file
	// segment did not write. nil: the marker suffices.
	Foreign func(dir string, names []string) string
	// Wait makes Open wait for another run holding the folder's lock (until
	// the context ends) instead of failing at once.
	Wait bool
	// Log receives warnings: previous outputs that could not be removed
	// once the new ones were in place. nil discards them.
	Log *slog.Logger
}

// Staging is a temporary output directory beside the target. A run writes
// everything into Dir and Commit swaps it into place, so a failed or killed
// run never leaves a half-written target and never damages the previous
// run's outputs.
type Staging struct {
	Dir    string // the temporary directory
	Target string // the folder replaced: the target with every link followed
	path   string // the target as it was given
	lock   fileLock
	log    *slog.Logger
	opts   Options
	done   bool
}

// fileLock is the open lock file (nil when there is none).
type fileLock interface{ Close() error }

// Open claims target as a run's output folder and creates its staging
// directory. Before anything is written it refuses (with a *RefusedError,
// matching ErrRefused) a target that cannot be replaced as a whole: "", a
// folder holding the working directory or the file system's root, an
// existing file, a mount point, or a non-empty folder holding neither the Marker nor, as
// o.Legacy decides, an older segment's outputs. It then takes the
// folder's lock (a *LockedError when another run holds it) and creates the
// staging directory (mode 0755) beside the target, every link of target
// followed (a symbolic link stays one and its target is replaced), named
// "."+base+".tmp-<pid>-<random>", with the Marker in it; the staging
// directories of runs that no longer exist are removed first. target's
// parent is created if needed, but not behind a dangling symbolic link
// (a *RefusedError). Close releases it all.
func Open(ctx context.Context, target string, o Options) (*Staging, error) {
	resolved, dangling, err := resolve(target)
	if err != nil {
		return nil, fmt.Errorf("output %s: %w", target, err)
	}
	if err := checkName(target, resolved); err != nil {
		return nil, err
	}
	if err := checkDangling(target, resolved, dangling); err != nil {
		return nil, err
	}
	if err := checkFolder(target, resolved, o); err != nil { // before the parent is made
		return nil, err
	}
	parent := filepath.Dir(resolved)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	lk, err := lock(ctx, target, resolved, o.Wait)
	if err != nil {
		return nil, err
	}
	s := &Staging{Target: resolved, path: target, lock: lk, log: o.Log, opts: o}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	// Again under the lock: a run that held it may have changed the folder.
	if err := checkFolder(target, resolved, o); err != nil {
		s.Close()
		return nil, err
	}
	prefix := "." + filepath.Base(resolved) + ".tmp-"
	removeStale(parent, prefix)
	dir, err := os.MkdirTemp(parent, prefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("output: %w", err)
	}
	s.Dir = dir
	if err := os.Chmod(dir, 0o755); err != nil {
		s.Close()
		return nil, fmt.Errorf("output: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, Marker), []byte(markerText), 0o644); err != nil {
		s.Close()
		return nil, fmt.Errorf("output: %w", err)
	}
	return s, nil
}

// removeStale removes the staging directories that runs killed before they
// could clean up (SIGKILL, power loss) left beside the target: those whose
// process (the number after the prefix) no longer exists. A running run's
// directory is left alone.
func removeStale(parent, prefix string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.IsDir() || strings.HasSuffix(rest, ".old") { // .old: previous outputs a stopped exchangeByRename left
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(parent, e.Name()))
	}
}

// removeAll removes the previous outputs; a variable so that tests can
// make it fail.
var removeAll = os.RemoveAll

// Commit puts the staged outputs in place of the target. Every staged file
// and directory is flushed to disk first (fsync), and the parent directory
// after the swap. Where the platform allows it the two directories are
// exchanged atomically. Once the new outputs are in place Commit succeeds:
// previous outputs it cannot remove are logged as a warning, naming where
// they are left. After Commit, Dir no longer exists.
func (s *Staging) Commit() error {
	if err := syncTree(s.Dir); err != nil {
		return fmt.Errorf("output: flush %s: %w", s.Dir, err)
	}
	parent := filepath.Dir(s.Target)
	if _, err := os.Lstat(s.Target); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(s.Dir, s.Target); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		s.done = true
		s.syncParent(parent)
		return nil
	}
	// The folder is checked again: something may have been put in it
	// while the run worked (the lock only keeps other runs out).
	if err := checkFolder(s.path, s.Target, s.opts); err != nil {
		return late(err)
	}
	if err := exchange(s.Dir, s.Target); err != nil {
		var left *leftOverError
		if !errors.As(err, &left) {
			return fmt.Errorf("output: replace %s: %w", s.Target, err)
		}
		// The new outputs are in place; the previous ones are elsewhere.
		s.done = true
		s.syncParent(parent)
		s.log.Warn("the new outputs are in place, but the previous ones could not be moved away: remove them by hand",
			"out", s.path, "previous", left.Path, "err", left.Err)
		return nil
	}
	// s.Dir now holds the previous outputs. Checked once more, now that no
	// one can add to them: if they are no longer segment's alone, they are
	// put back and the run fails, its outputs lost rather than a file
	// segment did not write.
	if err := checkFolder(s.path, s.Dir, s.opts); err != nil {
		err = late(err)
		if berr := exchange(s.Dir, s.Target); berr != nil {
			s.done = true // keep both where they are, and say where
			return fmt.Errorf("%w; and putting the folder back failed (%v): the previous outputs are in %s, the new ones in %s", err, berr, s.Dir, s.Target)
		}
		return err
	}
	s.done = true
	s.syncParent(parent)
	if err := removeAll(s.Dir); err != nil {
		s.log.Warn("the new outputs are in place, but the previous ones could not be removed: remove them by hand",
			"out", s.path, "previous", s.Dir, "err", err)
	}
	return nil
}

// syncParent flushes the rename in parent to disk. The outputs are in
// place already: a failure is a warning.
func (s *Staging) syncParent(parent string) {
	if err := syncDir(parent); err != nil {
		s.log.Warn("could not flush the output folder's parent to disk", "dir", parent, "err", err)
	}
}

// Close removes the staging directory of a run that did not commit (after
// Commit there is none) and releases the folder's lock. It is meant to be
// deferred right after Open.
func (s *Staging) Close() {
	if !s.done && s.Dir != "" {
		os.RemoveAll(s.Dir)
	}
	if s.lock != nil {
		s.lock.Close() // closing the file releases the lock
		s.lock = nil
	}
}

// late marks a refusal found at Commit as one of a folder that changed
// while the run worked (RefusedError.Late).
func late(err error) error {
	var re *RefusedError
	if errors.As(err, &re) {
		u := *re
		u.Late = true
		return &u
	}
	return err
}
