package pipeline

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/segment-tool/segment/data"
)

// TestKeepRejectsNotKept: when the rejects of a run that used no row
// cannot be kept (the disk full as rejects.csv was written), the error says
// so and why, instead of dropping the sentence that names the file.
func TestKeepRejectsNotKept(t *testing.T) {
	staging := t.TempDir()
	rw, err := newRejectWriter(filepath.Join(staging, "rejects.csv"), false)
	if err != nil {
		t.Fatal(err)
	}
	rw.add(data.Reject{File: "orders.csv", Row: 1, Reason: "missing customer_id"})
	rw.err = syscall.ENOSPC // as a write failed
	nu := &NoUsableRowsError{Orders: "orders.csv", Stats: data.ReadStats{RowsRead: 1, RejectsByReason: map[string]int64{"missing customer_id": 1}}}
	err = keepRejects(nu, rw, staging, filepath.Join(t.TempDir(), "out"))
	if !errors.Is(nu.NotKept, syscall.ENOSPC) || nu.KeptRejects != "" {
		t.Fatalf("NotKept %v, KeptRejects %q; want the write's error, nothing kept", nu.NotKept, nu.KeptRejects)
	}
	if msg := err.Error(); !strings.Contains(msg, "could not be kept") || !strings.Contains(msg, syscall.ENOSPC.Error()) {
		t.Errorf("error %q; want it to say the rejects were not kept, and why", msg)
	}
}
