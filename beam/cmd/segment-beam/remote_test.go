package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"

	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// memfsSeed, set in the environment to a folder, makes this test binary,
// run as segment-beam, first copy the folder's files into memfs://seed/…
// (memfs lives in one process: the test's own is not segment-beam's).
const memfsSeed = "SEGMENT_BEAM_TEST_MEMFS"

// memfsRoot is the URL the files of memfsSeed's folder are under.
const memfsRoot = "memfs://seed"

// seedMemfs copies the files of dir (none when dir is "") into memfs
// under memfsRoot, by their paths in dir.
func seedMemfs(dir string) error {
	if dir == "" {
		return nil
	}
	return filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		memfs.Write(memfsRoot+"/"+filepath.ToSlash(rel), b)
		return err
	})
}

// TestRemoteInputsOnPrism runs a generated store's four tables (orders,
// customers, products, events) through segment run -runner prism's
// driver, read from memfs:// URLs (Beam's in-memory filesystem, as gs://
// or s3:// would be), and checks every output against a local run of
// the same files (compareRuns), once the URLs in run.json, model.json's
// config and the reports are put back to the local paths: the same rows,
// checksums and bytes.
func TestRemoteInputsOnPrism(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a 1,200-customer store on Prism")
	}
	dir := generatedStore(t, 1200, 12)
	o := pipeline.DefaultOptions()
	o.Restarts, o.Workers = 3, 2
	paths := func(root string) pipeline.Options {
		o := o
		o.Orders, o.CustomersPath = root+"/orders.parquet", root+"/customers.parquet"
		o.Products, o.Events = &config.Table{Path: root + "/products.parquet"}, &config.Table{Path: root + "/events.parquet"}
		return o
	}
	local := paths(dir)
	local.Out = filepath.Join(t.TempDir(), "local")
	if _, err := pipeline.Run(t.Context(), local); err != nil {
		t.Fatal(err)
	}
	remote := paths(memfsRoot)
	remote.Out = filepath.Join(t.TempDir(), "beam")
	t.Setenv(memfsSeed, dir)
	runOnPrism(t, remote)
	m := readManifest(t, remote.Out)
	if len(m.Inputs) != 4 {
		t.Fatalf("run.json inputs %+v, want the four tables", m.Inputs)
	}
	for _, in := range m.Inputs {
		if !strings.HasPrefix(in.Path, memfsRoot+"/") {
			t.Errorf("input %q is not named by its URL", in.Path)
		}
	}
	for _, name := range []string{"run.json", "model.json", "report.md", "report.html"} {
		p := filepath.Join(remote.Out, name)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(b), memfsRoot, dir)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	compareRuns(t, local.Out, remote.Out)
}
