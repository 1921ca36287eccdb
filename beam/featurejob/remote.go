package featurejob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
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
// worker reads a remote file from a local copy, fetched into a temporary
// folder of its own (inputCopies):
//
//   - the lister (listParts) streams each order file once, eight at a
//     time (listWorkers): it reads the footer from the copy (the
//     row-group split is the local one), and the file's SHA-256, computed
//     while streaming, is what run.json lists (the bytes of a local run's,
//     as the file's bytes are the same);
//   - a reader fetches the file of a part once per bundle, checks that its
//     copy has the size the store reports and the SHA-256 the lister
//     found (a file replaced during the job is an error, not a mix of two
//     versions), reads its part from the copy, and removes the copies at
//     the end of the bundle (FinishBundle), so a worker's disk holds the
//     files of its current bundles only;
//   - a table read whole by one worker (customers, events, products, a
//     feature table) is copied, read and removed.
//
// The cost: a file of R row groups may be downloaded up to R times (its
// parts may land in R bundles), so remote order files are best written
// with few row groups each (one per file is ideal: files of ~128 MB).
// Ranged reads (cloud.google.com/go/storage's NewRangeReader) would avoid
// it for gs:// but not for the other stores, and need package data to read
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

// inputCopies are the local copies of remote input files held by a DoFn,
// in a temporary folder of their own; the zero value is empty. A DoFn
// instance runs one bundle at a time, so it needs no lock.
type inputCopies struct {
	dir   string
	files map[string]inputCopy // by URL
}

// inputCopy is a local copy of a remote file and its SHA-256.
type inputCopy struct{ path, sha string }

// local returns the path to read the file at p from: p itself when it is
// local, else a copy fetched once (until release) and its SHA-256, which
// must be want when want is not empty.
func (c *inputCopies) local(ctx context.Context, p, want string) (string, string, error) {
	if !config.IsURL(p) {
		return p, "", nil
	}
	if cp, ok := c.files[p]; ok {
		return cp.path, cp.sha, nil
	}
	if c.dir == "" {
		dir, err := os.MkdirTemp("", "segment-beam-inputs-")
		if err != nil {
			return "", "", fmt.Errorf("featurejob: %w", err)
		}
		c.dir, c.files = dir, map[string]inputCopy{}
	}
	// A folder per file keeps its name (its format is read from its
	// ending) whatever other files of the same name are held.
	dir := filepath.Join(c.dir, fmt.Sprint(len(c.files)))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", "", fmt.Errorf("featurejob: %w", err)
	}
	dst := filepath.Join(dir, path.Base(p))
	sha, err := fetch(ctx, p, dst)
	if err == nil && want != "" && sha != want {
		err = fmt.Errorf("featurejob: %s: SHA-256 %s, listed as %s: the file changed during the job", p, sha, want)
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", "", err
	}
	c.files[p] = inputCopy{path: dst, sha: sha}
	return dst, sha, nil
}

// release removes the copies.
func (c *inputCopies) release() error {
	if c.dir == "" {
		return nil
	}
	err := os.RemoveAll(c.dir)
	c.dir, c.files = "", nil
	if err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	return nil
}

// fetch copies the file at url to the local file dst and returns its
// SHA-256, computed while copying; a copy shorter or longer than the size
// the store reports is an error.
func fetch(ctx context.Context, url, dst string) (sum string, err error) {
	fsys, err := filesystem.New(ctx, url)
	if err != nil {
		return "", fmt.Errorf("featurejob: %w", err)
	}
	defer fsys.Close()
	size, err := fsys.Size(ctx, url)
	if err != nil {
		return "", fmt.Errorf("featurejob: %s: %w", url, err)
	}
	r, err := fsys.OpenRead(ctx, url)
	if err != nil {
		return "", fmt.Errorf("featurejob: %s: %w", url, err)
	}
	defer r.Close()
	f, err := os.Create(dst)
	if err != nil {
		return "", fmt.Errorf("featurejob: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("featurejob: %w", cerr)
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		return "", fmt.Errorf("featurejob: %s: %w", url, err)
	}
	if n != size {
		return "", fmt.Errorf("featurejob: %s: read %d bytes of %d", url, n, size)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// withLocal calls fn with a local path of the file at p (p itself when
// local, else a copy removed after fn) and the file's SHA-256 when it was
// copied ("" for a local file). The copy's path in fn's error is replaced
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
