package outdir

import (
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// write writes files (name → content) into dir.
func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// contents returns the files of dir, name → content.
func contents(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

// open opens target with no legacy folders, failing the test on an error.
func open(t *testing.T, target string) *Staging {
	t.Helper()
	s, err := Open(context.Background(), target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// withMarker returns files with the marker added.
func withMarker(files map[string]string) map[string]string {
	m := maps.Clone(files)
	m[Marker] = markerText
	return m
}

// names returns the names in dir, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestCommit(t *testing.T) {
	tests := []struct {
		name string
		old  map[string]string // the target's files before the run; nil: no target
	}{
		{"new target", nil},
		{"replace target", withMarker(map[string]string{"old.txt": "previous run", "same.txt": "old"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			target := filepath.Join(parent, "out")
			if tt.old != nil {
				if err := os.Mkdir(target, 0o755); err != nil {
					t.Fatal(err)
				}
				write(t, target, tt.old)
			}
			s := open(t, target)
			defer s.Close()
			if filepath.Dir(s.Dir) != parent || !strings.HasPrefix(filepath.Base(s.Dir), ".out.tmp-"+strconv.Itoa(os.Getpid())+"-") {
				t.Errorf("staging directory %s, want .out.tmp-<pid>-… in %s", s.Dir, parent)
			}
			if fi, err := os.Stat(s.Dir); err != nil || fi.Mode().Perm() != 0o755 {
				t.Errorf("staging directory: %v, %v; want mode 0755", fi, err)
			}
			newFiles := map[string]string{"assignments.csv": "new", "same.txt": "new"}
			write(t, s.Dir, newFiles)
			if tt.old != nil && !maps.Equal(contents(t, target), tt.old) {
				t.Error("the target changed before Commit")
			}
			if err := s.Commit(); err != nil {
				t.Fatal(err)
			}
			// The new outputs, with the marker.
			if got := contents(t, target); !maps.Equal(got, withMarker(newFiles)) {
				t.Errorf("target holds %v, want %v", got, withMarker(newFiles))
			}
			// Neither the staging directory nor the previous outputs are
			// left; the lock file stays.
			if got := names(t, parent); !slices.Equal(got, []string{".out.lock", "out"}) {
				t.Errorf("parent holds %q, want [.out.lock out]", got)
			}
			s.Close() // removes nothing after Commit
			if got := contents(t, target); !maps.Equal(got, withMarker(newFiles)) {
				t.Errorf("after Close the target holds %v, want %v", got, withMarker(newFiles))
			}
		})
	}
}

// The target's parent is created.
func TestCommitNewParent(t *testing.T) {
	target := filepath.Join(t.TempDir(), "a", "b", "out")
	s := open(t, target+"/") // cleaned
	defer s.Close()
	write(t, s.Dir, map[string]string{"run.json": "{}"})
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := contents(t, target); !maps.Equal(got, withMarker(map[string]string{"run.json": "{}"})) {
		t.Errorf("target holds %v", got)
	}
}

// A run that does not commit leaves the target as it was.
func TestCleanupWithoutCommit(t *testing.T) {
	tests := []struct {
		name string
		old  map[string]string
	}{
		{"no target", nil},
		{"target", withMarker(map[string]string{"assignments.csv": "previous run"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			target := filepath.Join(parent, "out")
			want := []string{".out.lock"}
			if tt.old != nil {
				if err := os.Mkdir(target, 0o755); err != nil {
					t.Fatal(err)
				}
				write(t, target, tt.old)
				want = append(want, "out")
			}
			s := open(t, target)
			write(t, s.Dir, map[string]string{"assignments.csv": "half written"})
			s.Close()
			if got := names(t, parent); !slices.Equal(got, want) {
				t.Errorf("parent holds %q, want %q", got, want)
			}
			if tt.old != nil && !maps.Equal(contents(t, target), tt.old) {
				t.Errorf("target holds %v, want %v", contents(t, target), tt.old)
			}
		})
	}
}

// deadPID returns the id of a process that has exited and been waited for.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func TestNewStagingRemovesStale(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("processAlive cannot tell elsewhere: stale directories are kept")
	}
	parent := t.TempDir()
	dead := strconv.Itoa(deadPID(t))
	mkdir := func(name string) {
		if err := os.MkdirAll(filepath.Join(parent, name, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(parent, name), map[string]string{"assignments.csv": "x", Marker: markerText})
	}
	stale := ".out.tmp-" + dead + "-123"
	kept := []string{
		".out.tmp-" + strconv.Itoa(os.Getpid()) + "-7", // this process
		".out.tmp-1-8",                // a running process (init)
		".out.tmp-x-9",                // not a pid
		".other.tmp-" + dead + "-1",   // another target's
		".out.tmp-" + dead + "-2.old", // previous outputs a stopped exchangeByRename left
		"out",                         // the target
	}
	mkdir(stale)
	for _, name := range kept {
		mkdir(name)
	}
	file := ".out.tmp-" + dead + "-5" // a file, not a staging directory
	write(t, parent, map[string]string{file: "x"})
	kept = append(kept, file, ".out.lock")

	s := open(t, filepath.Join(parent, "out"))
	defer s.Close()
	got := slices.DeleteFunc(names(t, parent), func(n string) bool { return n == filepath.Base(s.Dir) })
	slices.Sort(kept)
	if !slices.Equal(got, kept) {
		t.Errorf("parent holds %q, want %q (%s removed)", got, kept, stale)
	}
}

func TestExchangeByRename(t *testing.T) {
	parent := t.TempDir()
	a, b := filepath.Join(parent, "a"), filepath.Join(parent, "b")
	for dir, content := range map[string]string{a: "A", b: "B"} {
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, dir, map[string]string{"f": content})
	}
	if err := exchangeByRename(a, b); err != nil {
		t.Fatal(err)
	}
	if got := contents(t, a)["f"] + contents(t, b)["f"]; got != "BA" {
		t.Errorf("after the exchange a and b hold %q, want B and A", got)
	}
	if got := names(t, parent); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("parent holds %q, want [a b]", got)
	}
}
