package outdir

import (
	"bytes"
	"errors"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Every staged file and directory is flushed before the swap, and the
// parent after it.
func TestCommitSyncs(t *testing.T) {
	for _, existing := range []bool{false, true} {
		t.Run(map[bool]string{false: "new target", true: "replace target"}[existing], func(t *testing.T) {
			parent := t.TempDir()
			target := filepath.Join(parent, "out")
			if existing {
				mkdir(t, parent, "out", map[string]string{Marker: markerText})
			}
			s := open(t, target)
			defer s.Close()
			mkdir(t, s.Dir, "plots", map[string]string{"a.png": "png"})
			write(t, s.Dir, map[string]string{"run.json": "{}"})
			var synced []string
			record := func(p string) error {
				rel, err := filepath.Rel(s.Dir, p)
				if err != nil || strings.HasPrefix(rel, "..") {
					rel = p
				}
				synced = append(synced, filepath.ToSlash(rel))
				return nil
			}
			defer func() { syncFile, syncDir = syncFileOS, syncDirOS }()
			syncFile, syncDir = record, record
			if err := s.Commit(); err != nil {
				t.Fatal(err)
			}
			want := []string{".", Marker, "plots", "plots/a.png", "run.json", filepath.ToSlash(parent)}
			slices.Sort(synced)
			slices.Sort(want)
			if !slices.Equal(synced, want) {
				t.Errorf("flushed %q, want %q", synced, want)
			}
		})
	}
}

// Once the new outputs are in place Commit succeeds; previous outputs it
// cannot remove are a warning naming where they are left.
func TestCommitCleanupFailureWarns(t *testing.T) {
	parent := t.TempDir()
	target := mkdir(t, parent, "out", map[string]string{Marker: markerText, "old.txt": "previous"})
	var log bytes.Buffer
	s, err := Open(t.Context(), target, Options{Log: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	write(t, s.Dir, map[string]string{"run.json": "new"})
	defer func() { removeAll = os.RemoveAll }()
	removeAll = func(string) error { return errors.New("device busy") }
	staged := s.Dir
	if err := s.Commit(); err != nil {
		t.Fatalf("Commit: %v, want success with a warning", err)
	}
	if got, want := contents(t, target), withMarker(map[string]string{"run.json": "new"}); !maps.Equal(got, want) {
		t.Errorf("target holds %v, want %v", got, want)
	}
	msg := log.String()
	for _, w := range []string{"level=WARN", "could not be removed", staged, "device busy"} {
		if !strings.Contains(msg, w) {
			t.Errorf("log %q does not mention %q", msg, w)
		}
	}
	s.Close() // the previous outputs are not the staging directory any more: kept
	if got := contents(t, staged); !maps.Equal(got, withMarker(map[string]string{"old.txt": "previous"})) {
		t.Errorf("the previous outputs left at %s hold %v", staged, got)
	}
}

// The marker is in every output folder Commit puts in place, with its
// explanation.
func TestCommitWritesMarker(t *testing.T) {
	target := filepath.Join(t.TempDir(), "out")
	s := open(t, target)
	defer s.Close()
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(target, Marker))
	if err != nil || !strings.HasPrefix(string(b), "This folder was written by segment") || strings.Count(string(b), "\n") != 1 {
		t.Errorf("marker: %q, %v; want one line of explanation", b, err)
	}
}
