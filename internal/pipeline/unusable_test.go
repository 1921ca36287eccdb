package pipeline

import (
	"errors"
	"os"
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

// TestRejectsExcelSafe: with Options.Excel, rejects.csv's cells are made
// safe for a spreadsheet as every CSV output's are: an input file named
// "=1+2.csv" is not a formula.
func TestRejectsExcelSafe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rejects.csv")
	rw, err := newRejectWriter(path, true)
	if err != nil {
		t.Fatal(err)
	}
	rw.add(data.Reject{File: "=1+2.csv", Row: 3, Reason: "missing customer_id", Raw: map[string]string{"customer_id": ""}})
	if err := rw.close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := utf8BOM + "file,row,reason,raw\n'=1+2.csv,3,missing customer_id,"; !strings.HasPrefix(string(b), want) {
		t.Errorf("rejects.csv %q, want it to start %q", b, want)
	}
}
