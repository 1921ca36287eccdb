package outdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Staging is a temporary output directory beside the target. A run writes
// everything into Dir and Commit swaps it into place, so a failed or killed
// run never leaves a half-written target and never damages the previous
// run's outputs.
type Staging struct {
	Dir    string // the temporary directory
	target string
	done   bool
}

// NewStaging creates the staging directory of target (mode 0755) beside
// it, named "."+base(target)+".tmp-<pid>-<random>", creating target's
// parent if needed, after removing the staging directories that runs which
// no longer exist left there. target need not exist; it is an error if it
// exists and is not a directory.
func NewStaging(target string) (*Staging, error) {
	target = filepath.Clean(target)
	if fi, err := os.Stat(target); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("output %s: exists and is not a directory", target)
	}
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	prefix := "." + filepath.Base(target) + ".tmp-"
	removeStale(parent, prefix)
	dir, err := os.MkdirTemp(parent, prefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("output: %w", err)
	}
	return &Staging{Dir: dir, target: target}, nil
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
		if !ok || !e.IsDir() {
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

// Commit puts the staged outputs in place of the target. Where the platform
// allows it the two directories are exchanged atomically; the previous
// outputs are then removed. After Commit, Dir no longer exists.
func (s *Staging) Commit() error {
	if _, err := os.Stat(s.target); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(s.Dir, s.target); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		s.done = true
		return nil
	}
	if err := exchange(s.Dir, s.target); err != nil {
		return fmt.Errorf("output: replace %s: %w", s.target, err)
	}
	// s.Dir now holds the previous outputs.
	s.done = true
	if err := os.RemoveAll(s.Dir); err != nil {
		return fmt.Errorf("output: remove previous outputs: %w", err)
	}
	return nil
}

// Cleanup removes the staging directory of a run that did not commit; after
// Commit it does nothing. It is meant to be deferred right after NewStaging.
func (s *Staging) Cleanup() {
	if !s.done {
		os.RemoveAll(s.Dir)
	}
}
