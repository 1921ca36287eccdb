//go:build unix

package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestExpandPathRefusesStreams: a named pipe (or /dev/stdin fed by one),
// named or matched by a glob, is refused with what to do: segment reads an
// input more than once, which a stream cannot give twice (it used to read
// a different part of the stream each time).
func TestExpandPathRefusesStreams(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "orders.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, filepath.Join(filepath.Dir(fifo), "*.csv")} {
		_, err := expandPath(path)
		if err == nil || !strings.Contains(err.Error(), "is not a regular file (a pipe): segment reads its inputs more than once") {
			t.Errorf("expandPath(%s): %v, want the pipe refused", path, err)
		}
	}
	// An optional table (customers, events, products) too.
	err := ScanTable(context.Background(), fifo, func(*Table, int64) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "is not a regular file (a pipe)") {
		t.Errorf("ScanTable of a pipe: %v, want it refused", err)
	}
}

// TestWalkDirRefusesStreams: in a folder of parts, a pipe named as a part
// is refused, a pipe of another name is no part, and a link to no file
// named as a part is an error, not a part silently left out.
func TestWalkDirRefusesStreams(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "a.csv", "x")
	if files, err := expandPath(dir); err != nil || len(files) != 1 {
		t.Errorf("a pipe of another name: %v, %v; want a.csv alone", files, err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "b.csv"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := expandPath(dir); err == nil || !strings.Contains(err.Error(), "b.csv is not a regular file (a pipe)") || strings.Count(err.Error(), "data: ") != 1 {
		t.Errorf("a pipe named as a part: %v", err)
	}
	other := t.TempDir()
	writeFile(t, other, "a.csv", "x")
	if err := os.Symlink(filepath.Join(other, "gone.csv"), filepath.Join(other, "b.csv")); err != nil {
		t.Fatal(err)
	}
	if _, err := expandPath(other); err == nil || !strings.Contains(err.Error(), "b.csv: a link to no file") {
		t.Errorf("a dangling link: %v", err)
	}
}
