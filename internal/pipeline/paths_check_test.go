package pipeline

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCheckOutside: a file inside the output folder is refused, through a
// link to it too; a file beside it is not.
func TestCheckOutside(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(out, filepath.Join(dir, "link")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	for path, refused := range map[string]bool{
		filepath.Join(out, "cpu.prof"):         true,
		filepath.Join(dir, "link", "cpu.prof"): true,
		filepath.Join(dir, "cpu.prof"):         false,
	} {
		if err := CheckOutside("-cpuprofile", path, out); (err != nil) != refused {
			t.Errorf("%s: %v", path, err)
		}
	}
	if err := CheckSpillDir(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing spill folder accepted")
	}
}
