package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/segment-tool/segment/internal/outdir"
)

// TestOwnedOutput: an output folder is segment's alone when it holds the
// marker, the output names, and in plots/ and exports/ only the files of
// the names segment writes; a file of someone else's anywhere in it (an
// image or a list of one's own beside segment's too), or a link, makes it
// not.
func TestOwnedOutput(t *testing.T) {
	base := map[string]string{
		outdir.Marker: "segment", "run.json": "{}", "report.md": "#",
		"plots/elbow.png": "png", "plots/elbow.svg": "svg", "exports/klaviyo.csv": "Email",
	}
	for _, tc := range []struct {
		name  string
		extra map[string]string
		link  string // a symbolic link made at this name
		want  bool
	}{
		{"outputs only", nil, "", true},
		{"a file at the top", map[string]string{"thesis.docx": "mine"}, "", false},
		{"a file in plots", map[string]string{"plots/holiday.jpg": "mine"}, "", false},
		// Images and CSV files of names segment does not write are not its.
		{"an image of one's own in plots", map[string]string{"plots/my-chart.png": "mine"}, "", false},
		{"a list of one's own in exports", map[string]string{"exports/vip-call-list.csv": "mine"}, "", false},
		{"every plot and export", map[string]string{"plots/migration_rfm.png": "png", "plots/clv_tracking.svg": "svg",
			"exports/invalid_emails.csv": "id", "exports/tags_removed.csv": "id"}, "", true},
		{"a folder in exports", map[string]string{"exports/keep/list.csv": "mine"}, "", false},
		{"run.json a link", nil, "report.html", false},
		// An older segment-beam's working folders, left by a failed job.
		{"segment-beam's staging folders", map[string]string{".staging-20261204T155442.123456789/part-00000-of-00016.parquet": "PAR1",
			".old-assign-20261204T155442.123456789-0a1b2c3d/assign.json": "{}"}, "", true},
		{"a folder like one", map[string]string{".staging-mine/notes.txt": "mine"}, "", false},
		{"a file named like one", map[string]string{".staging-20261204T155442.123456789": "mine"}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			for k, v := range tc.extra {
				files[k] = v
			}
			for name, content := range files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tc.link != "" {
				if err := os.Symlink("/etc/hostname", filepath.Join(dir, tc.link)); err != nil {
					t.Fatal(err)
				}
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			got := foreignOutput(dir, names)
			if (got == "") != tc.want {
				t.Errorf("foreignOutput = %q, want owned %t", got, tc.want)
			}
			if tc.name == "an image of one's own in plots" && got != filepath.Join("plots", "my-chart.png") {
				t.Errorf("foreignOutput = %q, want plots/my-chart.png named", got)
			}
		})
	}
}

// TestForeignOutputLists: every file segment did not write is named, the
// first five then how many more, so that one refusal says all there is to
// move.
func TestForeignOutputLists(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{outdir.Marker, "run.json", "a.txt", "b.txt", "plots/logo.png", "exports/my_list.csv"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	names := []string{outdir.Marker, "a.txt", "b.txt", "exports", "plots", "run.json"}
	if got, want := foreignOutput(dir, names), "a.txt, b.txt, exports/my_list.csv, plots/logo.png"; got != want {
		t.Errorf("foreign %q, want %q", got, want)
	}
	for _, n := range []string{"c.txt", "d.txt", "e.txt"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	names = []string{outdir.Marker, "a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "exports", "plots", "run.json"}
	if got, want := foreignOutput(dir, names), "a.txt, b.txt, c.txt, d.txt, e.txt, and 2 more"; got != want {
		t.Errorf("foreign %q, want %q", got, want)
	}
}
