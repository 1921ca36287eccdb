package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Marker is the file segment writes into every output folder it makes. A
// folder that holds it was written by segment and may be replaced as a
// whole; a non-empty folder without it is refused.
const Marker = ".segment-output"

// markerText is the marker's content: one line for whoever finds it.
const markerText = "This folder was written by segment: every run replaces it as a whole, so keep nothing else here.\n"

// ErrRefused is matched (errors.Is) by every refusal of an output folder:
// the folder named is not one segment may replace. The command line maps
// it to a usage error.
var ErrRefused = errors.New("output folder refused")

// RefusedError is why an output folder was refused.
type RefusedError struct {
	Path   string // the folder as it was given
	Reason string
	// Late says the folder changed while the run worked: it was refused
	// at Commit, after the work, which is a failed run, not a usage
	// error (it does not match ErrRefused).
	Late bool
}

func (e *RefusedError) Error() string {
	if e.Late {
		return fmt.Sprintf("output %q changed while the run worked, and the new outputs were not put in place: %s", e.Path, e.Reason)
	}
	return fmt.Sprintf("output %q: %s", e.Path, e.Reason)
}

// Is reports whether target is ErrRefused (a refusal before the work).
func (e *RefusedError) Is(target error) bool { return target == ErrRefused && !e.Late }

// Resolve returns the absolute path path names once every symbolic link
// in it is followed, the last one included, even where the path (or a
// link's target) does not exist yet: the missing part is joined to what
// its nearest existing ancestor resolves to.
func Resolve(path string) (string, error) {
	r, _, err := resolve(path)
	return r, err
}

// resolve is Resolve, also returning the first dangling link it followed
// by hand ("" when none).
func resolve(path string) (resolved, dangling string, err error) {
	p, err := filepath.Abs(path)
	if err != nil {
		return "", "", err
	}
	for range 40 { // as many links as Linux follows
		r, err := filepath.EvalSymlinks(p)
		if err == nil {
			return r, dangling, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", "", err
		}
		fi, lerr := os.Lstat(p)
		switch {
		case lerr == nil && fi.Mode()&fs.ModeSymlink != 0: // a dangling link: follow it by hand
			link, err := os.Readlink(p)
			if err != nil {
				return "", "", err
			}
			if dangling == "" {
				dangling = p
			}
			if !filepath.IsAbs(link) {
				// Relative to the link's folder as it really is: a ".."
				// climbs out of the folder a parent link points to.
				dir, err := filepath.EvalSymlinks(filepath.Dir(p))
				if err != nil {
					return "", "", err
				}
				link = filepath.Join(dir, link)
			}
			p = filepath.Clean(link)
		case lerr == nil:
			return "", "", err
		default: // p does not exist: resolve its parent
			parent := filepath.Dir(p)
			if parent == p {
				return "", "", err
			}
			rp, d, err := resolve(parent)
			if err != nil {
				return "", "", err
			}
			if dangling == "" {
				dangling = d
			}
			return filepath.Join(rp, filepath.Base(p)), dangling, nil
		}
	}
	return "", "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// checkDangling refuses a target reached through a dangling symbolic link
// (link) whose folder (resolved's parent) does not exist: the link may
// name an unmounted disk or a removed folder, and making its folders would
// put the outputs where nobody looks.
func checkDangling(path, resolved, link string) error {
	if link == "" {
		return nil
	}
	parent := filepath.Dir(resolved)
	if _, err := os.Stat(parent); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return &RefusedError{Path: path, Reason: fmt.Sprintf("the symbolic link %s leads to %s, whose folder %s does not exist "+
		"(an unmounted disk, a removed folder?); segment does not create folders behind a link: "+
		"create %s, or point the link to an existing folder", link, resolved, parent, parent)}
}

// Within reports whether path is dir or lies inside it; both are cleaned
// absolute paths.
func Within(path, dir string) bool {
	if path == dir {
		return true
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// CheckName refuses (a *RefusedError) names that cannot be an output
// folder of their own: "", and folders that hold the working directory
// (".", "..") or have no parent to stage beside ("/"). Open checks it
// first; it is exported for callers that check other things before Open.
func CheckName(path string) error {
	if path == "" {
		return checkName(path, "")
	}
	resolved, err := Resolve(path)
	if err != nil {
		return fmt.Errorf("output %s: %w", path, err)
	}
	return checkName(path, resolved)
}

// checkName is CheckName with resolved = Resolve(path).
func checkName(path, resolved string) error {
	const own = "segment replaces its output folder as a whole: name a folder of its own, such as out"
	if path == "" {
		return &RefusedError{Path: path, Reason: "no folder named; " + own}
	}
	if filepath.Dir(resolved) == resolved {
		return &RefusedError{Path: path, Reason: fmt.Sprintf("%s is the root of the file system; %s", resolved, own)}
	}
	if wd, err := os.Getwd(); err == nil {
		if rwd, err := filepath.EvalSymlinks(wd); err == nil && Within(rwd, resolved) {
			return &RefusedError{Path: path, Reason: fmt.Sprintf("%s holds the working directory; %s", resolved, own)}
		}
	}
	return nil
}

// checkFolder refuses an existing target (resolved) that is not a folder,
// a mount point, or a folder that is not empty and holds neither the marker (with nothing else
// than segment's outputs, as o.Foreign decides) nor, as o.Legacy decides, an
// older segment's outputs.
func checkFolder(path, resolved string, o Options) error {
	fi, err := os.Stat(resolved)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output %s: %w", path, err)
	}
	if !fi.IsDir() {
		return &RefusedError{Path: path, Reason: fmt.Sprintf("%s exists and is not a folder; name a new or empty folder", resolved)}
	}
	if isMountPoint(resolved) {
		// The new outputs are written beside the folder and swapped into
		// its place, which a mount point cannot be.
		return &RefusedError{Path: path, Reason: fmt.Sprintf("%s is a mount point, which segment cannot replace as a whole; "+
			"name a folder inside it, such as %s", resolved, filepath.Join(path, "segment-out"))}
	}
	entries, err := os.ReadDir(resolved)
	if err != nil {
		return fmt.Errorf("output %s: %w", path, err)
	}
	if len(entries) == 0 {
		return nil
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	if m, err := os.Lstat(filepath.Join(resolved, Marker)); err == nil && m.Mode().IsRegular() {
		foreign := ""
		if o.Foreign != nil {
			foreign = o.Foreign(resolved, names)
		}
		if foreign == "" {
			return nil
		}
		return &RefusedError{Path: path, Reason: fmt.Sprintf("%s holds files segment did not write beside its outputs (%s); "+
			"segment replaces its output folder as a whole: move them out of it, or name another folder", resolved, foreign)}
	}
	if o.Legacy != nil && o.Legacy(resolved, names) {
		return nil
	}
	shown := names
	if len(shown) > 3 {
		shown = append(shown[:3:3], "…")
	}
	return &RefusedError{Path: path, Reason: fmt.Sprintf("%s holds files segment did not write (%s) and no %s marker; "+
		"segment replaces its output folder as a whole, so name a new or empty folder "+
		"(or, if everything in it may be deleted, create %s there)",
		resolved, strings.Join(shown, ", "), Marker, Marker)}
}
