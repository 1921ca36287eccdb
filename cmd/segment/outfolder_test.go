package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/outdir"
)

// smallStore copies testdata/small (its tables and small.yaml) into
// dir/store and returns the config file's path there.
func smallStore(t *testing.T, dir string) string {
	t.Helper()
	store := filepath.Join(dir, "store")
	if err := os.Mkdir(store, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"orders.csv", "customers.csv", "products.csv", "events.csv", "small.yaml"} {
		b, err := os.ReadFile(filepath.Join("testdata", "small", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(store, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(store, "small.yaml")
}

// TestOutRefused: segment run and assign refuse, with exit status 2 and
// one message naming the folder (and the input it overlaps), an -out they
// may not replace, before any work; everything stays as it was.
func TestOutRefused(t *testing.T) {
	dir := t.TempDir()
	cfg := smallStore(t, dir)
	store := filepath.Dir(cfg)
	fitted := filepath.Join(dir, "fitted")
	mustSegment(t, "run", "-quiet", "-config", cfg, "-out", fitted)
	model := filepath.Join(fitted, "model.json")
	foreign := filepath.Join(dir, "thesis")
	if err := os.Mkdir(foreign, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(foreign, "thesis.tex"), []byte("years of work"), 0o644); err != nil {
		t.Fatal(err)
	}
	confDir := filepath.Join(dir, "conf")
	if err := os.Mkdir(confDir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A config file in a folder of its own, reading the store's orders.
	apart := filepath.Join(confDir, "segment.yaml")
	if err := os.WriteFile(apart, []byte("orders:\n  path: ../store/orders.csv\n  time_format: \"2006-01-02 15:04:05\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := []string{"run", "-quiet", "-config", cfg}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"input folder", append(run, "-out", store), []string{`output "` + store + `"`, "holds the orders", "orders.csv"}},
		{"folder holding the inputs", append(run, "-out", dir), []string{`output "` + dir + `"`, "holds the orders"}},
		{"input file", []string{"run", "-quiet", "-orders", filepath.Join(store, "orders.csv"), "-out", filepath.Join(store, "orders.csv")}, []string{"is the orders"}},
		{"config folder", []string{"run", "-quiet", "-config", apart, "-out", confDir}, []string{`output "` + confDir + `"`, "holds the config file", apart}},
		{"foreign folder", append(run, "-out", foreign), []string{`output "` + foreign + `"`, "thesis.tex", outdir.Marker}},
		{"working directory", append(run, "-out", "."), []string{`output "."`, "holds the working directory"}},
		{"parent directory", append(run, "-out", ".."), []string{`output ".."`, "holds the working directory"}},
		{"working directory holding the inputs", []string{"run", "-quiet", "-orders", "testdata/small/*.csv", "-out", "."}, []string{`output "."`, "holds the working directory"}},
		{"no name", append(run, "-out", ""), []string{`output ""`, "no folder named"}},
		{"assign into the model's folder", []string{"assign", "-quiet", "-model", model, "-out", fitted}, []string{`output "` + fitted + `"`, "holds the model", model}},
		{"assign into the input folder", []string{"assign", "-quiet", "-model", model, "-orders", filepath.Join(store, "orders.csv"), "-out", store}, []string{"holds the orders"}},
	}
	before := snapshot(t, dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := segment(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr %q", code, exitUsage, stderr)
			}
			if strings.Count(stderr, "segment: ") != 1 || !strings.HasPrefix(stderr, "segment: output ") || stdout != "" {
				t.Errorf("want one error line on stderr and nothing on stdout, got %q and %q", stderr, stdout)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not mention %q", stderr, w)
				}
			}
			if after := snapshot(t, dir); !sameSnapshot(before, after) {
				t.Errorf("the refused run changed the files in %s", dir)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(store), "."+filepath.Base(store)+".lock")); err == nil {
				t.Errorf("the refused run took a lock")
			}
		})
	}
}

// TestOutSymlink: an -out that is a symbolic link stays one; the folder it
// names gets the outputs, and the marker.
func TestOutSymlink(t *testing.T) {
	dir := t.TempDir()
	cfg := smallStore(t, dir)
	real, link := filepath.Join(dir, "disk", "out"), filepath.Join(dir, "out")
	mustSegment(t, "run", "-quiet", "-config", cfg, "-out", real)
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	mustSegment(t, "run", "-quiet", "-config", cfg, "-k", "2", "-out", link)
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("-out %s is no longer a link (%v)", link, err)
	}
	var m struct{ K int }
	readJSON(t, filepath.Join(real, "run.json"), &m)
	if m.K != 2 {
		t.Errorf("the link's target holds a run with k=%d, want the new run's 2", m.K)
	}
	if _, err := os.Stat(filepath.Join(real, outdir.Marker)); err != nil {
		t.Errorf("no marker in the outputs: %v", err)
	}
}

// TestOutLocked: while another run holds -out, a run into it fails at once
// (exit 1) naming the folder and the holder's pid, leaving the outputs as
// they were; with -wait it waits for the other run and then succeeds.
func TestOutLocked(t *testing.T) {
	dir := t.TempDir()
	cfg := smallStore(t, dir)
	out := filepath.Join(dir, "out")
	mustSegment(t, "run", "-quiet", "-config", cfg, "-out", out)
	before := snapshot(t, out)
	other, err := outdir.Open(context.Background(), out, outdir.Options{}) // the other run
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := segment(t, "run", "-quiet", "-config", cfg, "-k", "2", "-out", out)
	if code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	for _, w := range []string{`segment: output "` + out + `": in use by another segment run (pid ` + strconv.Itoa(os.Getpid()) + ")", "wait for it"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q does not say %q", stderr, w)
		}
	}
	if !sameSnapshot(before, snapshot(t, out)) {
		t.Errorf("the refused run changed %s", out)
	}
	done := make(chan int)
	go func() {
		code, _, _ := segment(t, "run", "-quiet", "-config", cfg, "-k", "2", "-wait", "-out", out)
		done <- code
	}()
	other.Close()
	if code := <-done; code != exitOK {
		t.Errorf("-wait: exit %d, want 0", code)
	}
}

// TestGenKeepsOtherFiles: segment gen writes its files beside others in
// -out and leaves those alone, and refuses (exit 2) a folder that already
// holds one of its files, which it would overwrite.
func TestGenKeepsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustSegment(t, "gen", "-customers", "50", "-out", dir)
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := append([]string{"notes.txt"}, data.GeneratedFiles()...)
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("gen left %q, want %q (data.GeneratedFiles must list what gen writes)", names, want)
	}
	before := snapshot(t, dir)
	code, _, stderr := segment(t, "gen", "-customers", "60", "-out", dir)
	if code != exitUsage || !strings.Contains(stderr, filepath.Join(dir, data.GeneratedFiles()[0])+" exists") {
		t.Errorf("gen over its own files: exit %d, stderr %q; want 2 naming %s", code, stderr, data.GeneratedFiles()[0])
	}
	if !sameSnapshot(before, snapshot(t, dir)) {
		t.Error("the refused gen changed the folder")
	}
}
