package featurejob

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"
)

// TestManifestCommit commits two temporary files and a written one by a
// manifest at a memfs working folder, and downloads them into a local
// folder under their names: only the manifest's files, with their bytes,
// whatever else the folder holds (a retried bundle's file).
func TestManifestCommit(t *testing.T) {
	ctx := context.Background()
	dir := "memfs://manifest-commit/run/features"
	a, b := joinPath(dir, tempName("a.parquet")), joinPath(dir, tempName("b.gob"))
	memfs.Write(a, []byte("shard a"))
	memfs.Write(b, []byte("gob b"))
	memfs.Write(joinPath(dir, "a.parquet.tmp-0000000000000000"), []byte("a retried bundle's"))
	com := newCommitter(dir, "", "", true)
	if committed(ctx, dir) {
		t.Fatal("committed before the manifest")
	}
	for _, f := range []struct{ tmp, name string }{{a, "a.parquet"}, {b, "b.gob"}} {
		if err := com.put(ctx, f.tmp, f.name); err != nil {
			t.Fatal(err)
		}
	}
	if err := com.write(ctx, "summary.json", []byte("{}\n")); err != nil {
		t.Fatal(err)
	}
	if committed(ctx, dir) {
		t.Fatal("committed before done")
	}
	if err := com.done(ctx); err != nil {
		t.Fatal(err)
	}
	if !committed(ctx, dir) {
		t.Fatal("not committed after done")
	}
	m, err := readManifest(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range m.Files {
		names = append(names, e.Name)
	}
	if want := []string{"a.parquet", "b.gob", "summary.json"}; !slices.Equal(names, want) || m.Files[0].Path != a || m.Files[0].Size != 7 {
		t.Fatalf("manifest %+v, want %q with a's object and size", m.Files, want)
	}
	out := t.TempDir()
	final := filepath.Join(out, "features")
	if _, err := download(ctx, dir, filepath.Join(out, ".staging"), final, filepath.Join(out, ".old")); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a.parquet": "shard a", "b.gob": "gob b", "summary.json": "{}\n"}
	if got := readDir(t, final); !maps.Equal(got, want) {
		t.Fatalf("downloaded %q, want %q", got, want)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("%s holds %d entries, want features/ only", out, len(entries))
	}
}

// TestDownloadFails checks that a download that cannot complete (no
// manifest, an object of another size than the manifest's, a name that
// is not a plain file name) fails naming the problem and leaves the
// previous folder and nothing else.
func TestDownloadFails(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		manifest string // "" for none
		want     string
	}{
		{"no manifest", "", "no manifest: the job did not commit its files"},
		{"wrong size", `{"files":[{"name":"a","path":"memfs://download-fails/x","size":3}]}`, "memfs://download-fails/x: 2 bytes, the manifest says 3"},
		{"missing object", `{"files":[{"name":"a","path":"memfs://download-fails/gone","size":3}]}`, "memfs://download-fails/gone"},
		{"not a plain name", `{"files":[{"name":"../a","path":"memfs://download-fails/x","size":2}]}`, `file name "../a" is not a plain name`},
	}
	memfs.Write("memfs://download-fails/x", []byte("ab"))
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := joinPath("memfs://download-fails", string(rune('a'+i)))
			if tc.manifest != "" {
				memfs.Write(joinPath(dir, ManifestFile), []byte(tc.manifest))
			}
			out := t.TempDir()
			final := filepath.Join(out, "features")
			if err := os.MkdirAll(final, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(final, "old"), []byte("previous"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := download(ctx, dir, filepath.Join(out, ".staging"), final, filepath.Join(out, ".old"))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error with %q", err, tc.want)
			}
			if got := readDir(t, final); !maps.Equal(got, map[string]string{"old": "previous"}) {
				t.Errorf("the previous folder holds %q after the failure", got)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 1 {
				t.Errorf("%s holds %d entries after the failure, want the previous folder only", out, len(entries))
			}
		})
	}
}

// TestRemoveWork checks that RemoveWork removes every object of the run's
// folder (job 1's, job 2's, the fit's uploads, committed or not) and
// nothing else at the working location: not a file the tool did not
// write, not another run's folder.
func TestRemoveWork(t *testing.T) {
	ctx := context.Background()
	c := &Config{Work: "memfs://remove-work/w", Staging: "run1"}
	other := &Config{Work: c.Work, Staging: "run2"}
	mine := []string{
		joinPath(c.WorkDir(), FeaturesDir, ManifestFile),
		joinPath(c.WorkDir(), FeaturesDir, tempName(shardName(0, 2))),
		joinPath(c.WorkDir(), AssignDir, tempName(shardName(1, 2))),
		joinPath(c.WorkDir(), "fit", PreviousName(0, 2)),
	}
	kept := []string{
		joinPath(c.Work, "keep.txt"),
		joinPath(other.WorkDir(), FeaturesDir, ManifestFile),
	}
	for _, p := range append(slices.Clone(mine), kept...) {
		memfs.Write(p, []byte("x"))
	}
	if err := RemoveWork(ctx, c); err != nil {
		t.Fatal(err)
	}
	for _, p := range mine {
		if _, err := fileSize(ctx, p); err == nil {
			t.Errorf("%s was not removed", p)
		}
	}
	for _, p := range kept {
		if _, err := fileSize(ctx, p); err != nil {
			t.Errorf("%s was removed", p)
		}
	}
	if err := RemoveWork(ctx, &Config{}); err != nil {
		t.Errorf("without a working location: %v", err)
	}
}

// TestWorkConfig checks the working location's paths and that a local
// path is refused as one.
func TestWorkConfig(t *testing.T) {
	c := Config{Orders: "o.parquet", Out: "out", Work: "gs://b/segment-work/", Staging: "s"}
	if got, want := stagingDir(&c), "gs://b/segment-work/segment-s/features"; got != want {
		t.Errorf("job 1's folder %q, want %q", got, want)
	}
	if got, want := assignStaging(&AssignConfig{Job: c, Staging: "s"}), "gs://b/segment-work/segment-s/assignments"; got != want {
		t.Errorf("job 2's folder %q, want %q", got, want)
	}
	if err := c.Check(); err != nil {
		t.Errorf("a gs:// working location: %v", err)
	}
	c.Work = "/mnt/work"
	if err := c.Check(); err == nil || !strings.Contains(err.Error(), `work location "/mnt/work"`) {
		t.Errorf("a local working location: got %v, want it refused", err)
	}
	c.Work = ""
	if got, want := stagingDir(&c), filepath.Join("out", ".staging-s"); got != want {
		t.Errorf("without a working location, job 1's folder %q, want %q", got, want)
	}
}

// readDir returns the files of dir by name.
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

// TestJobFiles checks that job 2's workers find job 1's files at the
// working location's objects only: a name no manifest lists is an error,
// not a path under Out (which the workers may not see).
func TestJobFiles(t *testing.T) {
	local := localFiles("out")
	if p, err := local.path("a.gob"); err != nil || p != filepath.Join("out", FeaturesDir, "a.gob") {
		t.Errorf("local: %q, %v", p, err)
	}
	remote := jobFiles{dir: "out", urls: map[string]string{"a.gob": "gs://b/w/a.gob.tmp-1"}}
	if p, err := remote.path("a.gob"); err != nil || p != "gs://b/w/a.gob.tmp-1" {
		t.Errorf("remote: %q, %v", p, err)
	}
	if p, err := remote.path("b.gob"); err == nil {
		t.Errorf("remote, a name not committed: %q, want an error", p)
	}
}
