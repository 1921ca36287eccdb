package featurejob

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
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
	gate := slowGate
	openedMu.Unlock()
	r, err := c.fs.OpenRead(ctx, toMemfs(name))
	if err != nil || gate == nil || !strings.Contains(name, "/slow/") {
		return r, err
	}
	return &gatedReader{ReadCloser: r, ctx: ctx, gate: gate}, nil
}

// slowGate, when set, holds the reads of countfs files under a "slow"
// folder until it is closed or their download's context ends.
var slowGate chan struct{}

type gatedReader struct {
	io.ReadCloser
	ctx  context.Context
	gate chan struct{}
}

func (r *gatedReader) Read(p []byte) (int, error) {
	select {
	case <-r.gate:
		return r.ReadCloser.Read(p)
	case <-r.ctx.Done():
		return 0, r.ctx.Err()
	}
}

// openedCount returns how many times url was opened for reading.
func openedCount(url string) int {
	openedMu.Lock()
	defer openedMu.Unlock()
	return opened[url]
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

// TestCopyCacheBudget: the copies no bundle holds are kept up to the
// job's Config.CacheBytes (which the DoFns' Setup gives the cache), the
// most recently released first, and the last one released whatever its
// size; a held copy is never removed.
func TestCopyCacheBudget(t *testing.T) {
	(&readCustomersFn{Cfg: Config{CacheBytes: 25}}).Setup()
	defer copies.setLimit(0)
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
	ReleaseInputCopies()
	if exists(ph) {
		t.Errorf("ReleaseInputCopies left %s", ph)
	}
}

// TestWithEventsInput: with the checksum job 1's worker computed, the
// finishing step lists a remote events table without downloading it (the
// URL here names no file); without it, it downloads the file to checksum
// it, and fails on a file that is not there.
func TestWithEventsInput(t *testing.T) {
	ctx := context.Background()
	const url = "memfs://events-input-test/nowhere/events.csv"
	in := &pipeline.Tables{Table: &features.Table{IDs: []string{"C1"}}}
	events := features.NewEventTable(url, 7, 0, features.EventStats{}, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), nil, nil)
	got, err := withEventsInput(ctx, in, events, "abc123")
	if err != nil {
		t.Fatal(err)
	}
	if want := []data.FileStat{{Path: url, SHA256: "abc123", Rows: 7}}; !reflect.DeepEqual(got.Inputs, want) || got.Events != events {
		t.Errorf("inputs %+v, events %p; want %+v and %p", got.Inputs, got.Events, want, events)
	}
	if _, err := withEventsInput(ctx, in, events, ""); err == nil || !strings.Contains(err.Error(), url) {
		t.Errorf("without a checksum: %v, want the download's error naming %s", err, url)
	}
}

// TestCopyCacheCanceledDownload: when the bundle downloading a file is
// cancelled, another bundle waiting for that download, whose own context
// is alive, downloads the file itself instead of failing.
func TestCopyCacheCanceledDownload(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	const url = "countfs://cancel-test/slow/orders.csv"
	memfs.Write(toMemfs(url), []byte("lines"))
	gate := make(chan struct{})
	openedMu.Lock()
	slowGate = gate
	openedMu.Unlock()
	defer func() {
		openedMu.Lock()
		slowGate = nil
		openedMu.Unlock()
	}()
	first, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() {
		_, err := copies.acquire(first, url)
		firstErr <- err
	}()
	waitFor(t, func() bool { return openedCount(url) == 1 })
	type result struct {
		cp  *cachedCopy
		err error
	}
	second := make(chan result, 1)
	go func() {
		cp, err := copies.acquire(context.Background(), url)
		second <- result{cp, err}
	}()
	waitFor(t, func() bool {
		copies.mu.Lock()
		defer copies.mu.Unlock()
		cp := copies.files[url]
		return cp != nil && cp.refs == 2
	})
	cancel()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Errorf("the cancelled bundle: %v, want context.Canceled", err)
	}
	waitFor(t, func() bool { return openedCount(url) == 2 })
	close(gate)
	r := <-second
	if r.err != nil {
		t.Fatalf("the waiting bundle: %v, want its own download", r.err)
	}
	if b, err := os.ReadFile(r.cp.path); err != nil || string(b) != "lines" {
		t.Errorf("its copy: %q, %v", b, err)
	}
	copies.release(r.cp)
	ReleaseInputCopies()
}

// TestCopyCacheChangedFile: a cached copy whose SHA-256 is not the one the
// lister found is dropped from the cache, so the next bundle downloads
// the file again, and the dropped copy's files go with its last holder.
func TestCopyCacheChangedFile(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	ctx := context.Background()
	const url = "countfs://changed-test/orders.csv"
	memfs.Write(toMemfs(url), []byte("first"))
	var c inputCopies
	old, _, err := c.local(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.local(ctx, url, "not-its-sha"); err == nil || !strings.Contains(err.Error(), "changed during the job") {
		t.Fatalf("got %v, want the changed file named", err)
	}
	memfs.Write(toMemfs(url), []byte("second"))
	var next inputCopies
	p, _, err := next.local(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "second" || openedCount(url) != 2 {
		t.Errorf("the next bundle's copy: %q, %v, %d downloads; want the file downloaded again", b, err, openedCount(url))
	}
	c.release()
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the dropped copy after its release: %v, want it removed", err)
	}
	next.release()
	ReleaseInputCopies()
}

// waitFor waits until cond holds (a hang guard of a minute, not a timing
// check).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}
