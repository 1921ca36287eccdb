package featurejob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
)

// The commit of a job's files. Every file a worker writes has a
// temporary name of its own (tempName), so a retried bundle writes
// another file rather than over its first attempt's; one step (the
// job's commit) chooses, for each file the job outputs, one of the
// temporary files the runner kept, and commits the set:
//
//   - in a local folder (Config.Work empty), by renaming the chosen files
//     to their names in the staging folder, removing the rest and swapping
//     the staging folder in for the previous one (localCommit);
//   - at a working location (Config.Work, a URL), where objects cannot be
//     renamed or folders swapped, by writing ManifestFile last: it names
//     the objects that count, with their sizes (manifestCommit). Readers
//     read only the objects it names; the submitting machine downloads
//     them into Out under their names (FetchFeatures, FetchAssignments),
//     swapping the folder in as a local commit does. A job that fails
//     before its manifest leaves Out as it was.

// ManifestFile is the name of a job's manifest in its working folder.
const ManifestFile = "MANIFEST.json"

// Manifest lists the files a job committed at its working location.
type Manifest struct {
	Files []ManifestEntry `json:"files"`
}

// ManifestEntry is a committed file: its name in Out's folder (features/
// or assignments/), the object that holds it and its size in bytes.
type ManifestEntry struct {
	Name string `json:"name"`
	Path string `json:"path"`
	Size int64  `json:"size"`
}

// committer commits a job's files: put commits the temporary file tmp
// under name, write writes the file name, done commits the set.
type committer interface {
	put(ctx context.Context, tmp, name string) error
	write(ctx context.Context, name string, b []byte) error
	done(ctx context.Context) error
}

// newCommitter returns the commit of the files written in staging: a
// local folder swapped in for final (the previous one set aside as old),
// or a manifest when staging is a working location's URL.
func newCommitter(staging, final, old string, remote bool) committer {
	if remote {
		return &manifestCommit{dir: staging}
	}
	return &localCommit{staging: staging, final: final, old: old}
}

// localCommit commits by renames in the staging folder and a folder swap.
type localCommit struct{ staging, final, old string }

func (c *localCommit) put(_ context.Context, tmp, name string) error {
	return renameInto(tmp, c.staging, name)
}

func (c *localCommit) write(ctx context.Context, name string, b []byte) error {
	return writeFile(ctx, filepath.Join(c.staging, name), b)
}

func (c *localCommit) done(context.Context) error {
	if err := removeTemporary(c.staging); err != nil {
		return err
	}
	return swapIn(c.staging, c.final, c.old)
}

// manifestCommit commits by a manifest written last in dir.
type manifestCommit struct {
	dir string
	m   Manifest
}

func (c *manifestCommit) put(ctx context.Context, tmp, name string) error {
	n, err := fileSize(ctx, tmp)
	if err != nil {
		return err
	}
	c.m.Files = append(c.m.Files, ManifestEntry{Name: name, Path: tmp, Size: n})
	return nil
}

func (c *manifestCommit) write(ctx context.Context, name string, b []byte) error {
	p := joinPath(c.dir, tempName(name))
	if err := writeFile(ctx, p, b); err != nil {
		return err
	}
	c.m.Files = append(c.m.Files, ManifestEntry{Name: name, Path: p, Size: int64(len(b))})
	return nil
}

func (c *manifestCommit) done(ctx context.Context) error {
	b, err := json.MarshalIndent(c.m, "", "  ")
	if err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	return writeFile(ctx, joinPath(c.dir, ManifestFile), append(b, '\n'))
}

// committed reports whether dir holds a manifest: a retried commit
// whose first attempt wrote it has nothing to do.
func committed(ctx context.Context, dir string) bool {
	_, err := fileSize(ctx, joinPath(dir, ManifestFile))
	return err == nil
}

// readManifest reads the manifest of the job whose working folder is dir.
func readManifest(ctx context.Context, dir string) (*Manifest, error) {
	p := joinPath(dir, ManifestFile)
	if _, err := fileSize(ctx, p); err != nil {
		return nil, fmt.Errorf("featurejob: %s: no manifest: the job did not commit its files", p)
	}
	b, err := readFile(ctx, p)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", p, err)
	}
	return &m, nil
}

// WorkDir is the folder of c.Work that the jobs of one run write
// (Work/segment-<Staging>); "" without a working location.
func (c *Config) WorkDir() string {
	if c.Work == "" {
		return ""
	}
	return joinPath(c.Work, "segment-"+c.Staging)
}

// FetchFeatures downloads the files job 1 committed at c.Work (its
// manifest's) into c.Out/features, swapped in for the previous folder
// once every file is there with its size, and returns the manifest: its
// objects are job 2's input. Out is left as it was on error.
func FetchFeatures(ctx context.Context, c *Config) (*Manifest, error) {
	return download(ctx, joinPath(c.WorkDir(), FeaturesDir), filepath.Join(c.Out, ".staging-"+c.Staging),
		filepath.Join(c.Out, FeaturesDir), filepath.Join(c.Out, ".old-"+c.Staging))
}

// FetchAssignments downloads the files job 2 committed at the working
// location into Out/assignments, as FetchFeatures.
func FetchAssignments(ctx context.Context, ac *AssignConfig) error {
	c := &ac.Job
	_, err := download(ctx, joinPath(c.WorkDir(), AssignDir), filepath.Join(c.Out, ".staging-assign-"+ac.Staging),
		filepath.Join(c.Out, AssignDir), filepath.Join(c.Out, ".old-assign-"+ac.Staging))
	return err
}

// download copies the files of dir's manifest into the local folder
// staging under their names, then swaps staging in for final.
func download(ctx context.Context, dir, staging, final, old string) (_ *Manifest, err error) {
	m, err := readManifest(ctx, dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(staging)
		}
	}()
	for _, e := range m.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if e.Name != filepath.Base(e.Name) || e.Name == "." || e.Name == ".." {
			return nil, fmt.Errorf("featurejob: %s: file name %q is not a plain name", joinPath(dir, ManifestFile), e.Name)
		}
		if err := copyOut(ctx, e, filepath.Join(staging, e.Name)); err != nil {
			return nil, err
		}
	}
	return m, swapIn(staging, final, old)
}

// copyOut copies the object of e to the local file dst, which must get
// e.Size bytes.
func copyOut(ctx context.Context, e ManifestEntry, dst string) (err error) {
	r, err := openFile(ctx, e.Path)
	if err != nil {
		return err
	}
	defer r.Close()
	f, err := os.Create(dst)
	if err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("featurejob: %w", cerr)
		}
	}()
	n, err := io.Copy(f, r)
	if err != nil {
		return fmt.Errorf("featurejob: %s: %w", e.Path, err)
	}
	if n != e.Size {
		return fmt.Errorf("featurejob: %s: %d bytes, the manifest says %d", e.Path, n, e.Size)
	}
	return nil
}

// AssignFiles returns job 2's AssignConfig.Files with a working
// location: the objects of job 1's manifest m and, with previous, those
// of the fit's previous-run shards (PreviousName), which it uploads from
// Out/features into the run's working folder.
func AssignFiles(ctx context.Context, c *Config, m *Manifest, previous bool) (map[string]string, error) {
	urls := map[string]string{}
	for _, e := range m.Files {
		urls[e.Name] = e.Path
	}
	if !previous {
		return urls, nil
	}
	n := c.shards()
	names := make([]string, n)
	for k := range n {
		names[k] = PreviousName(k, n)
	}
	return uploadFiles(ctx, c, filepath.Join(c.Out, FeaturesDir), names, urls)
}

// uploadFiles copies the local files dir/name, for each name, into the
// run's working folder (WorkDir/fit), for job 2's workers, and adds their
// objects to urls by name.
func uploadFiles(ctx context.Context, c *Config, dir string, names []string, urls map[string]string) (map[string]string, error) {
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("featurejob: %w", err)
		}
		p := joinPath(c.WorkDir(), "fit", name)
		if err := writeFile(ctx, p, b); err != nil {
			return nil, err
		}
		urls[name] = p
	}
	return urls, nil
}

// workFolders are the folders of WorkDir the jobs write: job 1's, job
// 2's and the files the fit uploads for job 2.
var workFolders = []string{FeaturesDir, AssignDir, "fit"}

// RemoveWork removes the objects of the run's working folder (WorkDir),
// committed or not: every one of them was written by this run's jobs, as
// the folder's name holds the run's staging token. Nothing else at the
// working location is touched. It does nothing without a working
// location.
func RemoveWork(ctx context.Context, c *Config) error {
	if c.Work == "" {
		return nil
	}
	fsys, err := filesystem.New(ctx, c.Work)
	if err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	defer fsys.Close()
	rm, ok := fsys.(filesystem.Remover)
	if !ok {
		return fmt.Errorf("featurejob: %s: the file system cannot remove files", c.Work)
	}
	var errs []error
	for _, folder := range workFolders {
		names, err := fsys.List(ctx, joinPath(c.WorkDir(), folder, "*"))
		if err != nil {
			errs = append(errs, fmt.Errorf("featurejob: %s: %w", joinPath(c.WorkDir(), folder), err))
			continue
		}
		for _, name := range names {
			if err := rm.Remove(ctx, name); err != nil {
				errs = append(errs, fmt.Errorf("featurejob: %s: %w", name, err))
			}
		}
	}
	return errors.Join(errs...)
}
