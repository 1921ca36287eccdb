//go:build unix

package data

import (
	"context"
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
