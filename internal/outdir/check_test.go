package outdir

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOpenRefuses: Open refuses, before it creates or locks anything, a
// target that cannot be replaced as a whole, and accepts the others.
func TestOpenRefuses(t *testing.T) {
	legacy := func(dir string, names []string) bool { return slices.Equal(names, []string{"run.json"}) }
	tests := []struct {
		name   string
		setup  func(t *testing.T, parent string) string // makes the target, returns -out
		reason string                                   // in the error; "" when Open must accept
	}{
		{"absent", func(t *testing.T, parent string) string { return filepath.Join(parent, "out") }, ""},
		{"absent below an absent folder", func(t *testing.T, parent string) string { return filepath.Join(parent, "a", "out") }, ""},
		{"empty folder", func(t *testing.T, parent string) string { return mkdir(t, parent, "out", nil) }, ""},
		{"folder with the marker", func(t *testing.T, parent string) string {
			return mkdir(t, parent, "out", map[string]string{Marker: "", "notes.txt": "x"})
		}, ""},
		{"older segment's outputs (legacy)", func(t *testing.T, parent string) string {
			return mkdir(t, parent, "out", map[string]string{"run.json": "{}"})
		}, ""},
		{"foreign folder", func(t *testing.T, parent string) string {
			return mkdir(t, parent, "out", map[string]string{"thesis.tex": "x", "run.json": "{}"})
		}, "holds files segment did not write (run.json, thesis.tex) and no .segment-output marker"},
		{"marker that is a folder", func(t *testing.T, parent string) string {
			dir := mkdir(t, parent, "out", map[string]string{"thesis.tex": "x"})
			mkdir(t, dir, Marker, nil)
			return dir
		}, "no .segment-output marker"},
		{"file", func(t *testing.T, parent string) string {
			write(t, parent, map[string]string{"out": "x"})
			return filepath.Join(parent, "out")
		}, "exists and is not a folder"},
		{"symlink to a foreign folder", func(t *testing.T, parent string) string {
			real := mkdir(t, parent, "real", map[string]string{"thesis.tex": "x"})
			return symlink(t, real, filepath.Join(parent, "out"))
		}, "holds files segment did not write"},
		{"empty name", func(*testing.T, string) string { return "" }, "no folder named"},
		{"working directory", func(*testing.T, string) string { return "." }, "holds the working directory"},
		{"parent of the working directory", func(*testing.T, string) string { return ".." }, "holds the working directory"},
		{"root", func(*testing.T, string) string { return string(filepath.Separator) }, "root of the file system"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			out := tt.setup(t, parent)
			before := tree(t, parent)
			s, err := Open(context.Background(), out, Options{Legacy: legacy})
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Open(%q): %v", out, err)
				}
				s.Close()
				return
			}
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q): no error, want one saying %q", out, tt.reason)
			}
			var re *RefusedError
			if !errors.Is(err, ErrRefused) || !errors.As(err, &re) || re.Path != out {
				t.Errorf("error %v (%T) is not a RefusedError for %q", err, err, out)
			}
			if !strings.Contains(err.Error(), tt.reason) || !strings.Contains(err.Error(), `output "`+out+`"`) {
				t.Errorf("error %q, want it to name %q and say %q", err, out, tt.reason)
			}
			if after := tree(t, parent); !maps.Equal(before, after) {
				t.Errorf("a refused Open changed %s: %v, was %v", parent, after, before)
			}
		})
	}
}

// A symbolic link to the output folder stays a link: the folder it names
// is replaced, and the staging directory and lock are beside that folder.
func TestOpenSymlink(t *testing.T) {
	for _, exists := range []bool{true, false} {
		name := map[bool]string{true: "existing target", false: "dangling link"}[exists]
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			realParent := filepath.Join(parent, "disk")
			real := filepath.Join(realParent, "out")
			if exists {
				mkdir(t, realParent, "out", map[string]string{Marker: markerText, "old.txt": "previous"})
			} else if err := os.Mkdir(realParent, 0o755); err != nil {
				t.Fatal(err)
			}
			link := symlink(t, real, filepath.Join(parent, "out"))
			s := open(t, link)
			defer s.Close()
			if filepath.Dir(s.Dir) != realParent || s.Target != real {
				t.Errorf("staging %s for target %s, want them in %s", s.Dir, s.Target, realParent)
			}
			write(t, s.Dir, map[string]string{"run.json": "new"})
			if err := s.Commit(); err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("%s is no longer a symbolic link (%v, %v)", link, fi, err)
			}
			if got, want := contents(t, link), withMarker(map[string]string{"run.json": "new"}); !maps.Equal(got, want) {
				t.Errorf("the link's target holds %v, want %v", got, want)
			}
			if got := names(t, realParent); !slices.Equal(got, []string{".out.lock", "out"}) {
				t.Errorf("%s holds %q, want [.out.lock out]", realParent, got)
			}
			if got := names(t, parent); !slices.Equal(got, []string{"disk", "out"}) {
				t.Errorf("%s holds %q, want [disk out]", parent, got)
			}
		})
	}
}

// A dangling link whose target's folder is missing (an unmounted disk, a
// removed folder) is refused, and nothing is created behind it; so is a
// path through a dangling link to a folder.
func TestOpenDanglingLinkMissingFolder(t *testing.T) {
	parent := t.TempDir()
	nas := filepath.Join(parent, "nas")
	cases := map[string]string{
		"link to the output folder": symlink(t, filepath.Join(nas, "reports", "out"), filepath.Join(parent, "out")),
		"link to its parent":        filepath.Join(symlink(t, filepath.Join(nas, "reports"), filepath.Join(parent, "reports")), "out"),
	}
	for name, target := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := Open(context.Background(), target, Options{})
			if err == nil {
				s.Close()
				t.Fatalf("Open(%s) succeeded, want a refusal", target)
			}
			if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "does not exist") {
				t.Errorf("Open(%s) = %v, want a refusal saying the folder does not exist", target, err)
			}
			if _, err := os.Lstat(nas); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s was created (%v)", nas, err)
			}
		})
	}
}

func TestWithin(t *testing.T) {
	sep := string(filepath.Separator)
	a := filepath.Join(sep, "a")
	tests := []struct {
		path, dir string
		want      bool
	}{
		{a, a, true},
		{filepath.Join(a, "b"), a, true},
		{filepath.Join(a, "b", "c"), a, true},
		{filepath.Join(sep, "ab"), a, false},
		{filepath.Join(sep, "..b"), sep, true},
		{sep, a, false},
		{filepath.Join(sep, "x", "a"), a, false},
	}
	for _, tt := range tests {
		if got := Within(tt.path, tt.dir); got != tt.want {
			t.Errorf("Within(%q, %q) = %v, want %v", tt.path, tt.dir, got, tt.want)
		}
	}
}

// mkdir makes parent/name holding files and returns its path.
func mkdir(t *testing.T, parent, name string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(parent, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, files)
	return dir
}

// symlink makes link point to target, skipping the test where it cannot.
func symlink(t *testing.T, target, link string) string {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	return link
}

// tree returns every path under dir with its content ("" for folders).
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&os.ModeSymlink != 0 {
			m[p] = ""
			return err
		}
		b, err := os.ReadFile(p)
		m[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A relative dangling link inside a folder reached through another link
// is read from the folder it really is in: its ".." climbs out of that.
func TestResolveRelativeDanglingLink(t *testing.T) {
	root := t.TempDir()
	mkdir(t, root, "real/sub", nil)
	mkdir(t, root, "nas", nil)
	mkdir(t, root, "x/y", nil)
	symlink(t, filepath.Join(root, "real", "sub"), filepath.Join(root, "x", "y", "lnk"))
	symlink(t, filepath.Join("..", "..", "nas", "out"), filepath.Join(root, "real", "sub", "out"))
	got, err := Resolve(filepath.Join(root, "x", "y", "lnk", "out"))
	want, _ := filepath.EvalSymlinks(filepath.Join(root, "nas"))
	if want = filepath.Join(want, "out"); err != nil || got != want {
		t.Errorf("Resolve = %q, %v; want %q", got, err, want)
	}
}
