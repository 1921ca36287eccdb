package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOwnOutputFolder runs segment-beam on its own, as a user may (segment
// run -runner passes -staged and claims the folder itself), and checks
// that it claims -out as segment run does:
//   - a folder holding a file segment did not write is refused (exit
//     status 2) before any work, and left as it was;
//   - a run that succeeds writes every output, features/ and
//     assignments/ among them;
//   - a later run, on another store, that fails after job 1 has written
//     its feature shards leaves those outputs byte for byte as they were;
//   - no staging folder is left beside the output folder, and no file in
//     the temporary folder (Beam's loopback environment left an empty
//     beamloopbackworker-* file there for every job).
func TestOwnOutputFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a 300-customer store on Prism twice")
	}
	parent := t.TempDir()
	user := filepath.Join(parent, "user")
	if err := os.Mkdir(user, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(user, "notes.txt"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(generatedStore(t, 300, 5), "orders.parquet")
	code, stderr := segmentBeam(t, "", "-orders", first, "-out", user)
	if code != 2 || !bytes.Contains(stderr, []byte("files segment did not write")) {
		t.Fatalf("a folder with a user's file: exit status %d, want 2 and the reason:\n%s", code, stderr)
	}
	if got := sortedKeys(snapshot(t, user)); !slices.Equal(got, []string{"notes.txt"}) {
		t.Fatalf("the refused folder holds %q, want only notes.txt", got)
	}

	out := filepath.Join(parent, "out")
	args := []string{"-out", out, "-k", "3", "-restarts", "2", "-log-level", "error"}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // segment-beam's
	if code, stderr := segmentBeam(t, "", append([]string{"-orders", first}, args...)...); code != 0 {
		t.Fatalf("exit status %d:\n%s", code, stderr)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("the run left %d files in the temporary folder, the first %s", len(left), left[0].Name())
	}
	before := snapshot(t, out)
	for _, name := range []string{"features/features.json", "assignments/assign.json", "assignments.parquet", "model.json", "report.md"} {
		if _, ok := before[name]; !ok {
			t.Errorf("out/ has no %s: %q", name, sortedKeys(before))
		}
	}

	second := filepath.Join(generatedStore(t, 300, 6), "orders.parquet")
	code, stderr = segmentBeam(t, "fail", append([]string{"-orders", second}, args...)...)
	if code != 1 || !bytes.Contains(stderr, []byte("the test's failure after job 1")) {
		t.Fatalf("a run failing after job 1: exit status %d, want 1 and the failure:\n%s", code, stderr)
	}
	after := snapshot(t, out)
	if !slices.Equal(sortedKeys(after), sortedKeys(before)) {
		t.Fatalf("out/ after the failed run holds %q, want %q", sortedKeys(after), sortedKeys(before))
	}
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Errorf("%s changed in the failed run", name)
		}
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("%s left beside the output folder", e.Name())
		}
	}
}

// segmentBeam runs this test binary as segment-beam with args, and event
// as its afterFeatures hook (workHook), and returns its exit status and
// what it wrote to stderr.
func segmentBeam(t *testing.T, event string, args ...string) (int, []byte) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), asMain+"=1", workEvent+"="+event)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), stderr.Bytes()
	case err != nil:
		t.Fatal(err)
	}
	return 0, stderr.Bytes()
}
