package featurejob

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"
)

// countFS is Beam's memfs under the scheme countfs://, counting the
// objects opened for reading: the downloads of remote inputs.
type countFS struct{ fs filesystem.Interface }

var (
	openedMu sync.Mutex
	opened   = map[string]int{} // by countfs:// URL
)

func init() {
	filesystem.Register("countfs", func(ctx context.Context) filesystem.Interface { return countFS{memfs.New(ctx)} })
}

func toMemfs(url string) string   { return "memfs://" + strings.TrimPrefix(url, "countfs://") }
func fromMemfs(url string) string { return "countfs://" + strings.TrimPrefix(url, "memfs://") }

func (c countFS) Close() error { return c.fs.Close() }

func (c countFS) List(ctx context.Context, glob string) ([]string, error) {
	names, err := c.fs.List(ctx, toMemfs(glob))
	for i := range names {
		names[i] = fromMemfs(names[i])
	}
	return names, err
}

func (c countFS) OpenRead(ctx context.Context, name string) (io.ReadCloser, error) {
	openedMu.Lock()
	opened[name]++
	openedMu.Unlock()
	return c.fs.OpenRead(ctx, toMemfs(name))
}

func (c countFS) OpenWrite(ctx context.Context, name string) (io.WriteCloser, error) {
	return c.fs.OpenWrite(ctx, toMemfs(name))
}

func (c countFS) Size(ctx context.Context, name string) (int64, error) {
	return c.fs.Size(ctx, toMemfs(name))
}

// TestRemoteFileFetchedOnce runs job 1 on Prism (whose workers run in
// this process) over remote order files of several row groups each, read
// as several parts, some in bundles of their own, with duplicate lines
// dropped (dups.go reads every part twice): each file is downloaded once,
// by the lister, and every reader takes its copy from the cache. Before
// the cache, each bundle downloaded its parts' files again.
func TestRemoteFileFetchedOnce(t *testing.T) {
	_, split := testStore(t)
	files, err := filepath.Glob(split)
	if err != nil || len(files) == 0 {
		t.Fatalf("%v, %v", files, err)
	}
	const root = "countfs://fetch-once"
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		memfs.Write(toMemfs(root+"/orders/"+filepath.Base(f)), b)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	cfg := Config{Orders: root + "/orders/*.parquet", Out: t.TempDir(), Shards: 3, MinShare: 0.01, Seed: 1, Duplicates: "drop"}
	if err := runJob(t, cfg); err != nil {
		t.Fatal(err)
	}
	sum, err := ReadSummary(cfg.Out)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Parts <= int64(len(files)) {
		t.Fatalf("%d parts of %d files: want files of several row groups", sum.Parts, len(files))
	}
	openedMu.Lock()
	defer openedMu.Unlock()
	for _, f := range files {
		url := root + "/orders/" + filepath.Base(f)
		if n := opened[url]; n != 1 {
			t.Errorf("%s downloaded %d times, want once", url, n)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "segment-beam-inputs-*")); len(left) > 0 {
		t.Errorf("copies left after the job: %v", left)
	}
}

// TestCopyCacheBudget: the copies no bundle holds are kept up to
// cacheBytes, the most recently released first, and the last one released
// whatever its size; a held copy is never removed.
func TestCopyCacheBudget(t *testing.T) {
	defer func(b int64) { cacheBytes = b }(cacheBytes)
	cacheBytes = 25
	ctx := context.Background()
	t.Setenv("TMPDIR", t.TempDir())
	get := func(name string, size int) (inputCopies, string) {
		url := "memfs://budget-test/" + name
		memfs.Write(url, []byte(strings.Repeat("x", size)))
		var c inputCopies
		p, _, err := c.local(ctx, url, "")
		if err != nil {
			t.Fatal(err)
		}
		return c, p
	}
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	a, pa := get("a.csv", 10)
	b, pb := get("b.csv", 10)
	held, ph := get("held.csv", 100)
	c, pc := get("c.csv", 10)
	for _, x := range []*inputCopies{&a, &b, &c} { // released a, b, c: c is the newest
		if err := x.release(); err != nil {
			t.Fatal(err)
		}
	}
	if exists(pa) || !exists(pb) || !exists(pc) || !exists(ph) {
		t.Errorf("kept a %v, b %v, c %v, held %v: want b, c (20 bytes of 25) and the held one", exists(pa), exists(pb), exists(pc), exists(ph))
	}
	if err := held.release(); err != nil { // 100 bytes, the newest: kept alone
		t.Fatal(err)
	}
	if exists(pb) || exists(pc) || !exists(ph) {
		t.Errorf("after the big copy's release: kept b %v, c %v, big %v; want only the big one", exists(pb), exists(pc), exists(ph))
	}
	if err := ReleaseInputCopies(); err != nil {
		t.Fatal(err)
	}
	if exists(ph) {
		t.Errorf("ReleaseInputCopies left %s", ph)
	}
}
