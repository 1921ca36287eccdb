package featurejob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"

	"github.com/segment-tool/segment/internal/config"
)

// The jobs' working files (feature shards, the customers' and events'
// shards, rejected lines, assignment shards, summaries) go to one of two
// places:
//
//   - by default, folders under Config.Out on the local disk (a shared
//     mount on a cluster), committed by renames and a folder swap
//     (write.go, assign_commit.go), as before;
//   - with Config.Work, a URL (gs://…, s3://…, memfs://… in tests), objects
//     under Work/segment-<Staging>/ written through Beam's filesystem
//     registry, committed by a manifest (manifest.go), which the
//     submitting machine reads to download the committed files into Out.
//
// The functions below take either kind of path: a URL goes through the
// registry, a plain path through package os as the default always did.

// joinPath joins dir and name: with a slash for a URL, as filepath.Join
// for a local path (which would fold a URL's "//").
func joinPath(dir string, elem ...string) string {
	if !config.IsURL(dir) {
		return filepath.Join(append([]string{dir}, elem...)...)
	}
	return strings.TrimSuffix(dir, "/") + "/" + strings.Join(elem, "/")
}

// tempName returns name with a random suffix (".tmp-" and 16 hex digits),
// so that a retried bundle writes another file than its first attempt.
func tempName(name string) string {
	var suffix [8]byte
	rand.Read(suffix[:])
	return name + ".tmp-" + hex.EncodeToString(suffix[:])
}

// makeDir makes the local folder dir; a URL's folders need no making.
func makeDir(dir string) error {
	if config.IsURL(dir) {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	return nil
}

// createFile creates the file at p for writing: the object is complete
// once the writer is closed without error.
func createFile(ctx context.Context, p string) (io.WriteCloser, error) {
	if !config.IsURL(p) {
		f, err := os.Create(p)
		if err != nil {
			return nil, fmt.Errorf("featurejob: %w", err)
		}
		return f, nil
	}
	fsys, err := filesystem.New(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	w, err := fsys.OpenWrite(ctx, p)
	if err != nil {
		fsys.Close()
		return nil, fmt.Errorf("featurejob: %s: %w", p, err)
	}
	return &closeBoth{WriteCloser: w, fsys: fsys}, nil
}

// closeBoth closes a registry file, then its file system.
type closeBoth struct {
	io.WriteCloser
	fsys filesystem.Interface
}

func (c *closeBoth) Close() error {
	err := c.WriteCloser.Close()
	if ferr := c.fsys.Close(); err == nil {
		err = ferr
	}
	return err
}

// openFile opens the file at p for reading.
func openFile(ctx context.Context, p string) (io.ReadCloser, error) {
	if !config.IsURL(p) {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("featurejob: %w", err)
		}
		return f, nil
	}
	fsys, err := filesystem.New(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	defer fsys.Close()
	r, err := fsys.OpenRead(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", p, err)
	}
	return r, nil
}

// writeFile writes b to the file at p (mode 0644 on the local disk).
func writeFile(ctx context.Context, p string, b []byte) error {
	if !config.IsURL(p) {
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return fmt.Errorf("featurejob: %w", err)
		}
		return nil
	}
	w, err := createFile(ctx, p)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("featurejob: %s: %w", p, err)
	}
	return nil
}

// readFile returns the bytes of the file at p.
func readFile(ctx context.Context, p string) ([]byte, error) {
	r, err := openFile(ctx, p)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", p, err)
	}
	return b, nil
}

// fileSize returns the size of the file at p.
func fileSize(ctx context.Context, p string) (int64, error) {
	if !config.IsURL(p) {
		st, err := os.Stat(p)
		if err != nil {
			return 0, fmt.Errorf("featurejob: %w", err)
		}
		return st.Size(), nil
	}
	fsys, err := filesystem.New(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("featurejob: %w", err)
	}
	defer fsys.Close()
	n, err := fsys.Size(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("featurejob: %s: %w", p, err)
	}
	return n, nil
}

// jobFiles locates job 1's files, and those the fit writes beside them,
// by name: in the local folder dir/FeaturesDir or, for job 2's workers
// with a working location, at the objects of urls (job 1's manifest and
// the fit's uploads).
type jobFiles struct {
	dir  string            // the output folder
	urls map[string]string // by name; nil for dir's files
}

// localFiles locates the files in out/FeaturesDir.
func localFiles(out string) jobFiles { return jobFiles{dir: out} }

// path returns the path or URL of the file name.
func (j jobFiles) path(name string) (string, error) {
	if j.urls == nil {
		return filepath.Join(j.dir, FeaturesDir, name), nil
	}
	if p, ok := j.urls[name]; ok {
		return p, nil
	}
	return "", fmt.Errorf("featurejob: %s: not among the committed files of the working location", name)
}
