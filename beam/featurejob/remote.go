package featurejob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"   // gs://
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // plain paths
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs" // memfs://, for tests
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3"    // s3://
	"github.com/segment-tool/segment/internal/config"
)

// Inputs on object stores. An input given as a URL (gs://bucket/orders/*.parquet,
// s3://…, memfs://… in tests) is listed and read through Beam's filesystem
// registry; a plain path is read from the disk as before, unchanged.
//
// Parquet needs random access (the footer, then a row group's column
// chunks), but Beam's filesystem.Interface only streams a whole object
// (OpenRead, no range), and the readers of package data open paths. So a
// worker reads a remote file from a local copy in its process's copy
// cache (cache.go), each file fetched once while the cache keeps it:
//
//   - the lister (listParts) streams each order file once, eight at a
//     time (listWorkers): it reads the footer from the copy (the
//     row-group split is the local one), and the file's SHA-256, computed
//     while streaming, is what run.json lists (the bytes of a local run's,
//     as the file's bytes are the same);
//   - a reader takes the copy of its part's file from the cache, fetched
//     by the first DoFn of the process that needs it (another waits for
//     that download instead of starting its own); a copy has the size the
//     store reports and must have the SHA-256 the lister found (a file
//     replaced during the job is an error, not a mix of two versions);
//     it is held until the end of the bundle (FinishBundle);
//   - a table read whole by one worker (customers, events, products, a
//     feature table) is taken from the cache the same way.
//
// A file of R row groups is therefore downloaded once per worker process
// that reads its parts, not once per bundle (up to R times): its parts'
// bundles find the copy kept between them. The cache keeps the copies no
// bundle holds up to Config.CacheBytes (the most recently used first, and always
// the last one released), so a worker's disk holds its current bundles'
// files and at most that much more; a driver removes them all when a job
// is done (ReleaseInputCopies). Ranged reads (cloud.google.com/go/storage's
// NewRangeReader) would download only the footer and a part's row group,
// for gs:// but not for the other stores, and need package data to read
// from an io.ReaderAt rather than a path.

// inputFormats are the endings of the input files a remote glob lists, as
// package data lists a local directory or glob.
var inputFormats = []string{".parquet", ".csv", ".csv.gz"}

// listRemote returns the files of url, sorted: url itself when it has no
// glob characters, else the objects the glob matches whose names end in
// .parquet, .csv or .csv.gz and do not start with "." or "_" (_SUCCESS,
// .crc files), as a local glob is listed.
func listRemote(ctx context.Context, url string) ([]string, error) {
	fsys, err := filesystem.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	defer fsys.Close()
	if !strings.ContainsAny(url, "*?[") {
		if _, err := fsys.Size(ctx, url); err != nil {
			return nil, fmt.Errorf("featurejob: %s: %w", url, err)
		}
		return []string{url}, nil
	}
	names, err := fsys.List(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", url, err)
	}
	var files []string
	for _, n := range names {
		base := path.Base(n)
		if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") {
			continue
		}
		if slices.ContainsFunc(inputFormats, func(ext string) bool { return strings.HasSuffix(strings.ToLower(base), ext) }) {
			files = append(files, n)
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("featurejob: %s: no .parquet, .csv or .csv.gz files found", url)
	}
	slices.Sort(files)
	return files, nil
}

// inputCopies are the remote input files a DoFn instance holds for its
// bundle: local copies from the worker process's copy cache (cache.go),
// each held from its first use until release. The zero value holds none.
// A DoFn instance runs one bundle at a time, so it needs no lock.
type inputCopies struct {
	held map[string]*cachedCopy // by URL
}

// local returns the path to read the file at p from: p itself when it is
// local, else a copy (fetched once per worker process while the cache
// keeps it) and its SHA-256, which must be want when want is not empty.
func (c *inputCopies) local(ctx context.Context, p, want string) (string, string, error) {
	if !config.IsURL(p) {
		return p, "", nil
	}
	cp, ok := c.held[p]
	if !ok {
		var err error
		if cp, err = copies.acquire(ctx, p); err != nil {
			return "", "", err
		}
		if c.held == nil {
			c.held = map[string]*cachedCopy{}
		}
		c.held[p] = cp
	}
	if want != "" && cp.sha != want {
		copies.discard(cp) // a retry downloads the file again
		return "", "", fmt.Errorf("featurejob: %s: SHA-256 %s, listed as %s: the file changed during the job", p, cp.sha, want)
	}
	return cp.path, cp.sha, nil
}

// release hands the copies back to the cache, which removes those beyond
// its budget. It returns no error (a copy that cannot be removed is
// logged); the error result suits the DoFns' FinishBundle and Teardown.
func (c *inputCopies) release() error {
	for _, cp := range c.held {
		copies.release(cp)
	}
	c.held = nil
	return nil
}

// fetch copies the file at url to the local file dst and returns its
// SHA-256, computed while copying; a copy shorter or longer than the size
// the store reports is an error.
func fetch(ctx context.Context, url, dst string) (sum string, size int64, err error) {
	fsys, err := filesystem.New(ctx, url)
	if err != nil {
		return "", 0, fmt.Errorf("featurejob: %w", err)
	}
	defer fsys.Close()
	size, err = fsys.Size(ctx, url)
	if err != nil {
		return "", 0, fmt.Errorf("featurejob: %s: %w", url, err)
	}
	r, err := fsys.OpenRead(ctx, url)
	if err != nil {
		return "", 0, fmt.Errorf("featurejob: %s: %w", url, err)
	}
	defer r.Close()
	f, err := os.Create(dst)
	if err != nil {
		return "", 0, fmt.Errorf("featurejob: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("featurejob: %w", cerr)
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		return "", 0, fmt.Errorf("featurejob: %s: %w", url, err)
	}
	if n != size {
		return "", 0, fmt.Errorf("featurejob: %s: read %d bytes of %d", url, n, size)
	}
	return hex.EncodeToString(h.Sum(nil)), size, nil
}

// withLocal calls fn with a local path of the file at p (p itself when
// local, else a copy from the copy cache, held while fn runs) and the
// file's SHA-256 when it was copied ("" for a local file). The copy's path in fn's error is replaced
// by p.
func withLocal(ctx context.Context, p string, fn func(local, sha string) error) error {
	var c inputCopies
	local, sha, err := c.local(ctx, p, "")
	if err != nil {
		return err
	}
	err = renamed(fn(local, sha), local, p)
	if rerr := c.release(); err == nil {
		err = rerr
	}
	return err
}

// renamed returns err with the local copy's path replaced by the file's
// URL in its message (the error it wraps stays reachable with errors.Is
// and errors.As).
func renamed(err error, local, url string) error {
	if err == nil || local == url {
		return err
	}
	return &urlError{msg: strings.ReplaceAll(err.Error(), local, url), err: err}
}

// urlError is an error about a local copy, told with the copied file's URL.
type urlError struct {
	msg string
	err error
}

func (e *urlError) Error() string { return e.msg }
func (e *urlError) Unwrap() error { return e.err }
