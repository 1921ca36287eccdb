package outdir

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCommitRechecksFolder: a file put into the output folder while the run
// works is never deleted. The folder was accepted at Open (empty, or
// marked and segment's alone); at Commit it holds a file segment did not
// write, so Commit fails, the file and the folder stay as they are, and
// the new outputs are not put in place.
func TestCommitRechecksFolder(t *testing.T) {
	foreign := func(dir string, names []string) string {
		for _, n := range names {
			if n != Marker && n != "run.json" {
				return n
			}
		}
		return ""
	}
	for _, tc := range []struct {
		name   string
		before map[string]string // the folder at Open
	}{
		{"empty folder", map[string]string{}},
		{"previous outputs", map[string]string{Marker: "segment", "run.json": "{}"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, out, tc.before)
			s, err := Open(context.Background(), out, Options{Foreign: foreign})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			write(t, s.Dir, map[string]string{"run.json": `{"new":true}`})
			write(t, out, map[string]string{"thesis.docx": "years of work"}) // while the run works
			err = s.Commit()
			var refused *RefusedError
			if !errors.As(err, &refused) {
				t.Fatalf("Commit: %v, want a *RefusedError", err)
			}
			// After the work: a failed run (exit status 1), not a usage error.
			if errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "changed while the run worked") {
				t.Errorf("Commit: %v matches ErrRefused or does not say the folder changed", err)
			}
			got := contents(t, out)
			if got["thesis.docx"] != "years of work" || got["run.json"] != tc.before["run.json"] {
				t.Errorf("after the refused Commit the folder holds %v", got)
			}
		})
	}
}

// TestOpenRefusesMarkedFolderWithOtherFiles: a marked folder that also
// holds a file segment did not write is refused before any work.
func TestOpenRefusesMarkedFolderWithOtherFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, out, map[string]string{Marker: "segment", "notes.txt": "mine"})
	foreign := func(dir string, names []string) string {
		if i := slices.IndexFunc(names, func(n string) bool { return n != Marker }); i >= 0 {
			return names[i]
		}
		return ""
	}
	_, err := Open(context.Background(), out, Options{Foreign: foreign})
	var refused *RefusedError
	if !errors.As(err, &refused) {
		t.Fatalf("Open: %v, want a *RefusedError", err)
	}
	if !strings.Contains(err.Error(), "(notes.txt)") {
		t.Errorf("Open: %v, want the file named", err)
	}
	if got := contents(t, out); got["notes.txt"] != "mine" {
		t.Errorf("folder after the refusal: %v", got)
	}
}

// TestExchangeByRenameFailures: when the second rename fails the folder is
// put back; when only the last one fails the new outputs are in place and
// the error says where the previous ones are.
func TestExchangeByRenameFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		failAt int // the rename that fails, 1-based
		wantB  string
		left   bool
	}{
		{"second rename", 2, "B", false},
		{"last rename", 3, "A", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			a, b := filepath.Join(parent, "a"), filepath.Join(parent, "b")
			for dir, content := range map[string]string{a: "A", b: "B"} {
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				write(t, dir, map[string]string{"f": content})
			}
			n := 0
			rename = func(from, to string) error {
				if n++; n == tc.failAt {
					return errors.New("injected")
				}
				return os.Rename(from, to)
			}
			defer func() { rename = os.Rename }()
			err := exchangeByRename(a, b)
			var left *leftOverError
			if err == nil || errors.As(err, &left) != tc.left {
				t.Fatalf("error %v; want a leftOverError: %t", err, tc.left)
			}
			if got := contents(t, b)["f"]; got != tc.wantB {
				t.Errorf("b holds %q, want %q", got, tc.wantB)
			}
			if tc.left && contents(t, left.Path)["f"] != "B" {
				t.Errorf("the previous outputs are not in %s", left.Path)
			}
		})
	}
}
