package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
)

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
