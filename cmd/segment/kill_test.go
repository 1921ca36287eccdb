//go:build linux

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segment-tool/segment/internal/pipeline"
)

// TestSIGKILLKeepsPreviousOutputs kills "segment run" with SIGKILL at
// growing delays while it rewrites an output directory. After every kill
// the directory must hold either the previous run's outputs or the new
// run's complete outputs, byte for byte — never a mix or a partial file —
// and the next run removes the staging directories and the spill folders
// the killed runs left.
func TestSIGKILLKeepsPreviousOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it repeatedly")
	}
	dir := t.TempDir()
	store, out, ref := filepath.Join(dir, "store"), filepath.Join(dir, "out"), filepath.Join(dir, "ref")
	spill := filepath.Join(dir, "spill")
	if err := os.Mkdir(spill, 0o755); err != nil {
		t.Fatal(err)
	}
	mustSegment(t, "gen", "-customers", "6000", "-seed", "3", "-out", store)
	orders := filepath.Join(store, "orders.parquet")
	args := func(seed, outDir string) []string {
		// -previous none: the reference run into another directory must
		// give the same bytes as a run that replaces out/.
		// The order lines are spilled, so that killed runs leave spill
		// folders too.
		return []string{"run", "-quiet", "-orders", orders, "-k", "auto", "-k-max", "8", "-seed", seed, "-previous", "none",
			"-spill", "always", "-spill-dir", spill, "-out", outDir}
	}
	mustSegment(t, args("1", out)...)
	mustSegment(t, args("2", ref)...)
	old, fresh := outputs(t, out), outputs(t, ref)
	if sameOutputs(old, fresh) {
		t.Fatal("seeds 1 and 2 give the same outputs: the test could not tell them apart")
	}

	bin := filepath.Join(dir, "segment")
	if b, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	killed, leftOne := 0, false
	for delay := 20 * time.Millisecond; delay < 60*time.Second; delay = delay * 3 / 2 {
		cmd := exec.Command(bin, args("2", out)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		now := outputs(t, out)
		if !sameOutputs(now, old) && !sameOutputs(now, fresh) {
			t.Fatalf("after SIGKILL at %v the outputs are neither the previous nor the new run's", delay)
		}
		if err == nil { // it finished before the signal
			if !sameOutputs(now, fresh) {
				t.Fatal("a completed run did not leave its outputs")
			}
			break
		}
		killed++
		// Each run removes the spill folders of the runs killed before it
		// (and their lock files, beside them).
		n := folders(t, spill)
		if n > 1 {
			t.Errorf("after SIGKILL at %v: %d spill folders, want at most the killed run's", delay, n)
		}
		leftOne = leftOne || n == 1
	}
	t.Logf("%d runs killed mid-way", killed)
	if killed < 3 {
		t.Errorf("only %d runs were killed mid-way; the test needs a slower run to mean something", killed)
	}
	// A later run cleans up what the killed runs left beside out/ and in
	// the spill folder.
	if !leftOne {
		t.Error("no killed run left a spill folder: the test could not see them removed")
	}
	mustSegment(t, args("1", out)...)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".out.tmp-") {
			t.Errorf("stale staging directory %s left after the next run", e.Name())
		}
	}
	if left := readDir(t, spill); len(left) != 0 {
		t.Errorf("%d spill folders or lock files left after the next run: %v", len(left), left)
	}
}

// folders returns the number of folders in dir.
func folders(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	for _, e := range readDir(t, dir) {
		if e.IsDir() {
			n++
		}
	}
	return n
}

// readDir returns the entries of dir.
func readDir(t *testing.T, dir string) []os.DirEntry {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// outputs reads every file of an output directory by relative path, with
// run.json's non-deterministic fields (timings, peak memory) removed.
func outputs(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for p, content := range snapshot(t, dir) {
		rel, _ := filepath.Rel(dir, p)
		if rel == "run.json" {
			var v map[string]any
			if err := json.Unmarshal([]byte(content), &v); err != nil {
				t.Fatalf("run.json: %v", err)
			}
			for _, k := range pipeline.NonDeterministic {
				delete(v, k)
			}
			b, _ := json.Marshal(v)
			content = string(b)
		}
		m[rel] = content
	}
	return m
}

func sameOutputs(a, b map[string]string) bool { return sameSnapshot(a, b) }

// TestSIGTERMExits130: SIGTERM (and SIGINT) stop a run cleanly with exit
// status 130, the previous outputs intact and no staging directory left.
func TestSIGTERMExits130(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	store, out := filepath.Join(dir, "store"), filepath.Join(dir, "out")
	mustSegment(t, "gen", "-customers", "6000", "-seed", "3", "-out", store)
	args := []string{"run", "-quiet", "-orders", filepath.Join(store, "orders.parquet"), "-k", "auto", "-out", out}
	mustSegment(t, args...)
	before := outputs(t, out)
	bin := filepath.Join(dir, "segment")
	if b, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(bin, append(args[:len(args):len(args)], "-seed", "9")...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond) // reading or clustering by now
		_ = cmd.Process.Signal(sig)
		err := cmd.Wait()
		code := cmd.ProcessState.ExitCode()
		if err == nil {
			t.Logf("%v: the run finished before the signal", sig)
			continue
		}
		if code != exitInterrupted {
			t.Errorf("%v: exit %d, want %d", sig, code, exitInterrupted)
		}
		if !sameOutputs(outputs(t, out), before) {
			t.Errorf("%v: the previous outputs changed", sig)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".out.tmp-") {
				t.Errorf("%v: staging directory %s left behind", sig, e.Name())
			}
		}
	}
}
