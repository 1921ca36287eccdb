package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"

	"github.com/segment-tool/segment/beam/featurejob"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// workEvent, set in the environment of this test binary run as
// segment-beam, names what happens at the working location between job
// 1 and the fetch of its files (workHook): "retry" or "lost-manifest".
const workEvent = "SEGMENT_BEAM_TEST_WORK_EVENT"

// memfsList, set in the environment to a memfs URL, makes this test
// binary run as segment-beam print the objects left under it at the end,
// one "memfs-left: URL" line each, on stderr.
const memfsList = "SEGMENT_BEAM_TEST_MEMFS_LIST"

// retriedShard is the name of the file a retried bundle of shard 0 would
// have written beside its first attempt's (never committed).
const retriedShard = "part-00000-of-00016.parquet.tmp-0000000000000000"

// workHook returns the afterFeatures hook of event ("": none).
func workHook(event string) func(context.Context, *featurejob.Config) error {
	switch event {
	case "retry": // another attempt's shard 0: not a valid shard, and not in the manifest
		return func(_ context.Context, c *featurejob.Config) error {
			memfs.Write(c.WorkDir()+"/"+featurejob.FeaturesDir+"/"+retriedShard, []byte("a retried bundle's half-written shard"))
			return nil
		}
	case "fail": // a step after job 1 fails
		return func(context.Context, *featurejob.Config) error {
			return errors.New("the test's failure after job 1")
		}
	case "lost-manifest": // job 1 as if it failed before its commit
		return func(ctx context.Context, c *featurejob.Config) error {
			fsys := memfs.New(ctx)
			return fsys.(filesystem.Remover).Remove(ctx, c.WorkDir()+"/"+featurejob.FeaturesDir+"/"+featurejob.ManifestFile)
		}
	}
	return nil
}

// listMemfs prints the objects under the memfs URL root (up to three
// folders deep) on stderr; nothing when root is "".
func listMemfs(root string) {
	if root == "" {
		return
	}
	ctx := context.Background()
	fsys := memfs.New(ctx)
	for _, glob := range []string{"/*", "/*/*", "/*/*/*", "/*/*/*/*"} {
		names, _ := fsys.List(ctx, root+glob)
		for _, n := range names {
			fmt.Fprintf(os.Stderr, "memfs-left: %s\n", n)
		}
	}
}

// TestWorkLocationOnPrism runs a store with rejected lines, a customers,
// a products and an events table through segment run -runner prism's
// driver with -work memfs://… (Beam's in-memory file system, as gs:// or
// s3:// would be): every file the workers write goes there, committed by
// a manifest, and the submitting machine downloads the committed files.
// It checks that:
//   - the outputs equal a local run's (compareRuns), and the working
//     location holds only the file the tool did not write afterwards;
//   - a second run with a previous run (the first local one, whose
//     shards the fit uploads for job 2), into the first run's out/, with a
//     retried bundle's file at the working location that no manifest
//     names, equals a second local run;
//   - a run whose job 1 lost its manifest fails naming it, leaves the
//     previous out/ byte for byte as it was and removes its working files.
func TestWorkLocationOnPrism(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a 900-customer store on Prism three times")
	}
	dir := generatedStore(t, 900, 17)
	o := pipeline.DefaultOptions()
	o.Orders, o.Restarts, o.Workers = withRejects(t, filepath.Join(dir, "orders.parquet")), 3, 2
	o.CustomersPath = filepath.Join(dir, "customers.parquet")
	o.Products, o.Events = &config.Table{Path: filepath.Join(dir, "products.parquet")}, &config.Table{Path: filepath.Join(dir, "events.parquet")}
	seed := t.TempDir()
	foreign := filepath.Join(seed, "work", "keep.txt") // at the working location, not written by the tool
	if err := os.MkdirAll(filepath.Dir(foreign), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(foreign, []byte("not the tool's\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	work := memfsRoot + "/work"
	t.Setenv(memfsSeed, seed)
	t.Setenv(memfsList, work)
	wantLeft := "memfs-left: " + work + "/keep.txt\n"

	local, beam := o, o
	local.Out, beam.Out = filepath.Join(t.TempDir(), "local"), filepath.Join(t.TempDir(), "beam")
	for i, event := range []string{"", "retry"} {
		if i == 1 { // both second runs name the first local run as their previous one (equal to the first beam run)
			local.Previous, beam.Previous = local.Out, local.Out
			local.Out = filepath.Join(t.TempDir(), "local")
		}
		if _, err := pipeline.Run(context.Background(), local); err != nil {
			t.Fatal(err)
		}
		t.Setenv(workEvent, event)
		stderr, err := runWithWork(t, beam, work)
		if err != nil {
			t.Fatalf("run %d: %v\n%s", i+1, err, stderr)
		}
		if left := memfsLeft(stderr); left != wantLeft {
			t.Errorf("run %d: objects left at the working location:\n%s\nwant\n%s", i+1, left, wantLeft)
		}
		compareRuns(t, local.Out, beam.Out)
	}
	if m := readManifest(t, beam.Out); m.Stability == nil {
		t.Errorf("the second run has no stability section: the previous run was not used")
	}

	before := snapshot(t, beam.Out)
	t.Setenv(workEvent, "lost-manifest")
	stderr, err := runWithWork(t, beam, work)
	if err == nil || !bytes.Contains(stderr, []byte(featurejob.ManifestFile+": no manifest: the job did not commit its files")) {
		t.Fatalf("got %v, want a failure naming the missing manifest:\n%s", err, stderr)
	}
	if left := memfsLeft(stderr); left != wantLeft {
		t.Errorf("after the failed run, objects left at the working location:\n%s\nwant\n%s", left, wantLeft)
	}
	after := snapshot(t, beam.Out)
	if !slices.Equal(sortedKeys(after), sortedKeys(before)) {
		t.Fatalf("out/ after the failed run holds %q, want %q", sortedKeys(after), sortedKeys(before))
	}
	for name, b := range before {
		if !bytes.Equal(after[name], b) {
			t.Errorf("%s changed in the failed run", name)
		}
	}
}

// runWithWork runs o through pipeline.RunBeam on Prism with -work work,
// with this test binary as segment-beam, and returns its stderr and error.
func runWithWork(t *testing.T, o pipeline.Options, work string) ([]byte, error) {
	t.Helper()
	t.Setenv(asMain, "1")
	var stderr bytes.Buffer
	err := pipeline.RunBeam(context.Background(), o, pipeline.BeamRun{Runner: "prism", Binary: os.Args[0], Args: []string{"-work", work},
		Stdout: io.Discard, Stderr: &stderr})
	return stderr.Bytes(), err
}

// memfsLeft returns the "memfs-left:" lines of stderr (listMemfs).
func memfsLeft(stderr []byte) string {
	var b strings.Builder
	for line := range strings.Lines(string(stderr)) {
		if strings.HasPrefix(line, "memfs-left: ") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// snapshot returns the files under dir by their paths in dir.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestWorkLocationFeatureTable runs a feature table (-features, its rows
// sharded as they are) with -work memfs://… and checks the outputs
// against a local run's (compareRuns) and that no object is left.
func TestWorkLocationFeatureTable(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a 320-customer feature table on Prism")
	}
	o := pipeline.DefaultOptions()
	o.Features, o.K, o.Restarts, o.Workers = userTable(t, 320, nil), 3, 3, 2
	local, beam := o, o
	local.Out, beam.Out = filepath.Join(t.TempDir(), "local"), filepath.Join(t.TempDir(), "beam")
	if _, err := pipeline.Run(context.Background(), local); err != nil {
		t.Fatal(err)
	}
	work := "memfs://feature-table-work"
	t.Setenv(memfsList, work)
	stderr, err := runWithWork(t, beam, work)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if left := memfsLeft(stderr); left != "" {
		t.Errorf("objects left at the working location:\n%s", left)
	}
	compareRuns(t, local.Out, beam.Out)
}
