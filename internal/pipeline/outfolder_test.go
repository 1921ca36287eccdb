package pipeline

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/outdir"
)

// TestRunRefusesOutOverInputs: an output folder that is, holds or lies
// inside an input or the config file is refused before any work, naming
// both, and nothing is created or changed.
func TestRunRefusesOutOverInputs(t *testing.T) {
	tests := []struct {
		name string
		// set places the inputs in dir and returns the options' out and the
		// input the error must name.
		set func(t *testing.T, dir string, o *Options) (out, input string)
		how string
	}{
		{"the orders file's folder", func(t *testing.T, dir string, o *Options) (string, string) {
			return filepath.Dir(o.Orders), o.Orders
		}, "holds the orders"},
		{"the orders file", func(t *testing.T, dir string, o *Options) (string, string) {
			return o.Orders, o.Orders
		}, "is the orders"},
		{"a folder holding the orders' folder", func(t *testing.T, dir string, o *Options) (string, string) {
			return filepath.Dir(filepath.Dir(o.Orders)), o.Orders
		}, "holds the orders"},
		{"inside a folder of parts", func(t *testing.T, dir string, o *Options) (string, string) {
			parts := filepath.Dir(o.Orders)
			o.Orders = parts
			return filepath.Join(parts, "out"), parts
		}, "lies inside the orders"},
		{"the folder of a glob", func(t *testing.T, dir string, o *Options) (string, string) {
			o.Orders = filepath.Join(filepath.Dir(o.Orders), "*.csv")
			return filepath.Dir(o.Orders), o.Orders
		}, "holds the folder of the orders"},
		{"a match of a glob", func(t *testing.T, dir string, o *Options) (string, string) {
			o.Orders = filepath.Join(filepath.Dir(o.Orders), "*")
			return filepath.Join(filepath.Dir(o.Orders), "out"), o.Orders
		}, "lies inside a match of the orders"},
		{"a link to the orders' folder", func(t *testing.T, dir string, o *Options) (string, string) {
			link := filepath.Join(dir, "link")
			if err := os.Symlink(filepath.Dir(o.Orders), link); err != nil {
				t.Skip(err)
			}
			return link, o.Orders
		}, "holds the orders"},
		{"the config file's folder", func(t *testing.T, dir string, o *Options) (string, string) {
			o.ConfigPath = writeCSV(t, mkdirAll(t, dir, "conf"), "segment.yaml", "orders: {path: x.csv}")
			return filepath.Dir(o.ConfigPath), o.ConfigPath
		}, "holds the config file"},
		{"the customers table's folder", func(t *testing.T, dir string, o *Options) (string, string) {
			o.CustomersPath = writeCSV(t, mkdirAll(t, dir, "crm"), "customers.csv", "customer_id", "H1")
			return filepath.Dir(o.CustomersPath), o.CustomersPath
		}, "holds the customers table"},
		{"the events table's folder", func(t *testing.T, dir string, o *Options) (string, string) {
			p := writeCSV(t, mkdirAll(t, dir, "ev"), "events.csv", "customer_id,time,type")
			o.Events = &config.Table{Path: p}
			return filepath.Dir(p), p
		}, "holds the events table"},
		{"the products table's folder", func(t *testing.T, dir string, o *Options) (string, string) {
			p := writeCSV(t, mkdirAll(t, dir, "pr"), "products.csv", "product_id")
			o.Products = &config.Table{Path: p}
			return filepath.Dir(p), p
		}, "holds the products table"},
		{"the feature table's folder", func(t *testing.T, dir string, o *Options) (string, string) {
			o.Orders, o.Features = "", writeCSV(t, mkdirAll(t, dir, "ft"), "features.csv", "customer_id,x", "a,1")
			return filepath.Dir(o.Features), o.Features
		}, "holds the feature table"},
		{"the model's folder", func(t *testing.T, dir string, o *Options) (string, string) {
			o.ModelPath = writeCSV(t, mkdirAll(t, dir, "fitted"), "model.json", "{}")
			return filepath.Dir(o.ModelPath), o.ModelPath
		}, "holds the model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			o := DefaultOptions()
			o.Orders = writeCSV(t, mkdirAll(t, dir, "data", "orders"), "orders.csv", "this file is never read")
			var input string
			o.Out, input = tt.set(t, dir, &o)
			before := snapshotTree(t, dir)
			_, err := Run(context.Background(), o)
			if !errors.Is(err, ErrOutputRefused) {
				t.Fatalf("Run: %v, want a refusal of the output folder", err)
			}
			out, _ := outdir.Resolve(o.Out)
			for _, w := range []string{`output "` + o.Out + `"`, out + " " + tt.how, "(" + input + ")"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if after := snapshotTree(t, dir); !maps.Equal(before, after) {
				t.Errorf("the refused run changed %s:\n%v\nwas\n%v", dir, after, before)
			}
		})
	}
}

// Folders apart from the inputs are accepted: beside a glob's matches,
// and the previous run's folder.
func TestRunOutBesideInputs(t *testing.T) {
	o := runOptions(t)
	o.Orders = filepath.Join(filepath.Dir(o.Orders), "*.csv")
	o.Out = filepath.Join(filepath.Dir(o.Orders), "out")
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatalf("-out beside the glob's files: %v", err)
	}
	o.Previous = o.Out
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatalf("-previous is -out: %v", err)
	}
}

// An older segment's outputs (no marker) are replaced; a folder with
// anything else, or whose run.json is not segment's, is refused and left
// as it was.
func TestRunOlderOutputs(t *testing.T) {
	manifest := `{"version": "0.0.9", "status": "ok", "as_of": "2024-06-01", "seed": 1,
		"inputs": [{"path": "orders.csv", "sha256": "` + strings.Repeat("0a", 32) + `", "rows": 12}],
		"k": 3, "timings_ms": {"read+features": 5, "outputs": 2}}`
	older := map[string]string{"run.json": manifest, "assignments.csv": "old", "plots/elbow.png": "png"}
	runJSON := func(text string) map[string]string {
		return map[string]string{"run.json": text, "report.md": "# my notes", "assignments.csv": "a,b"}
	}
	tests := []struct {
		name  string
		files map[string]string
		ok    bool
	}{
		{"older outputs", older, true},
		{"older outputs and a file of the user's", with(older, "notes.txt", "mine"), false},
		{"a run.json that is not segment's", map[string]string{"run.json": `{"name": "my job"}`}, false},
		{"no run.json", map[string]string{"assignments.csv": "a", "report.md": "r"}, false},
		// Another tool's run.json that has a version and status "ok",
		// beside files named as segment's: the user's report.md stays.
		{"another tool's version and status", runJSON(`{"version": "2.3.1", "status": "ok", "accuracy": 0.93}`), false},
		{"no stage timings", runJSON(strings.Replace(manifest, `"timings_ms"`, `"timings"`, 1)), false},
		{"no inputs", runJSON(strings.Replace(manifest, `"inputs"`, `"files"`, 1)), false},
		{"as_of not a date", runJSON(strings.Replace(manifest, "2024-06-01", "yesterday", 1)), false},
		{"an input's digest not SHA-256", runJSON(strings.Replace(manifest, strings.Repeat("0a", 32), "md5:abc", 1)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := runOptions(t)
			for name, content := range tt.files {
				writeCSV(t, mkdirAll(t, o.Out, filepath.Dir(name)), filepath.Base(name), content)
			}
			before := snapshotTree(t, o.Out)
			_, err := Run(context.Background(), o)
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if _, err := os.Stat(filepath.Join(o.Out, outdir.Marker)); err != nil {
					t.Errorf("the replaced folder has no marker: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrOutputRefused) || !strings.Contains(err.Error(), "no "+outdir.Marker+" marker") {
				t.Fatalf("Run: %v, want a refusal for want of the marker", err)
			}
			if after := snapshotTree(t, o.Out); !maps.Equal(before, after) {
				t.Errorf("the refused run changed %s", o.Out)
			}
		})
	}
}

// with returns m with one more entry.
func with(m map[string]string, k, v string) map[string]string {
	m = maps.Clone(m)
	m[k] = v
	return m
}

// mkdirAll makes the folder dir/elem… and returns it.
func mkdirAll(t *testing.T, dir string, elem ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{dir}, elem...)...)
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// snapshotTree returns every path under dir with its content (links by
// their target).
func snapshotTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.Type()&os.ModeSymlink != 0:
			m[p], err = os.Readlink(p)
		case !d.IsDir():
			var b []byte
			b, err = os.ReadFile(p)
			m[p] = string(b)
		default:
			m[p] = "/"
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestAssignRefusesRunFolder: assign (a run scored with a saved model)
// refuses an output folder holding a run's model.json, which it would
// remove, making the next run there start without memory; the folder is
// left as it was.
func TestAssignRefusesRunFolder(t *testing.T) {
	dir := t.TempDir()
	o := DefaultOptions()
	o.Orders = writeCSV(t, mkdirAll(t, dir, "data"), "orders.csv", "this file is never read")
	o.ModelPath = writeCSV(t, mkdirAll(t, dir, "saved"), "model.json", "{}")
	o.Model = &Model{}
	o.Out = mkdirAll(t, dir, "run")
	writeCSV(t, o.Out, "model.json", "{}")
	before := snapshotTree(t, dir)
	_, err := Run(context.Background(), o)
	if !errors.Is(err, ErrOutputRefused) || !strings.Contains(err.Error(), "holds a run's model.json") {
		t.Fatalf("Run: %v, want a refusal naming the run's model.json", err)
	}
	if after := snapshotTree(t, dir); !maps.Equal(before, after) {
		t.Errorf("the refused assign changed %s", dir)
	}
}
