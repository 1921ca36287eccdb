package features

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadRecords reads records across the 1 MiB blocks and refuses a
// file that ends in a partial record.
func TestReadRecords(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) *os.File {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	const n = 1<<17 + 3 // one block and three records
	b := make([]byte, 0, 8*n)
	for i := range uint64(n) {
		b = binary.LittleEndian.AppendUint64(b, i*0x9e3779b97f4a7c15)
	}
	recs, err := readRecords(write("whole", b), []uint64{42})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n+1 || recs[0] != 42 {
		t.Fatalf("got %d records starting %d, want %d after 42", len(recs), recs[0], n)
	}
	for i, r := range recs[1:] {
		if want := uint64(i) * 0x9e3779b97f4a7c15; r != want {
			t.Fatalf("record %d = %#x, want %#x", i, r, want)
		}
	}
	if _, err := readRecords(write("partial", b[:len(b)-3]), nil); err == nil || !strings.Contains(err.Error(), "partial record") {
		t.Fatalf("a file ending in a partial record: got %v", err)
	}
}
