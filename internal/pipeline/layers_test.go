package pipeline

import (
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLayers checks that data flows one way through the packages: each
// package of the module imports only the project packages listed for it
// (tests excluded). data and the engines (cluster, report) know nothing of
// the rest; features knows data; the pipeline may use them all; the command
// line uses the pipeline and what it needs for flags and the config file.
// A new package must be added here, with its place in the layers.
func TestLayers(t *testing.T) {
	const module = "github.com/segment-tool/segment/"
	allowed := map[string][]string{
		"data":              {"internal/scratch"},
		"cluster":           nil,
		"report":            {"internal/selectk", "internal/exactsum"},
		"internal/translit": nil,
		"internal/selectk":  nil,
		"internal/exactsum": nil,
		"clv":               nil,
		"internal/exports":  {"data", "internal/translit"},
		"internal/outdir":   {"internal/flock"},
		"internal/flock":    nil,
		"internal/scratch":  {"internal/flock"},
		"features":          {"data", "internal/translit", "internal/selectk", "internal/scratch", "internal/exactsum"},
		"internal/arrowio":  {"data"},
		"internal/config":   {"data", "features"},
		"internal/inspect":  {"data", "report", "internal/config"},
		"internal/pipeline": {"data", "features", "cluster", "clv", "report", "internal/arrowio", "internal/config", "internal/exports", "internal/outdir", "internal/translit", "internal/selectk", "internal/scratch", "internal/exactsum"},
		"cmd/segment":       {"data", "report", "internal/config", "internal/inspect", "internal/pipeline"},
		"bench/kmeansbench": {"cluster"},
		"bench/beamcompare": {"data"},
		"bench/samplefit":   {"data", "features", "internal/pipeline"},

		"internal/canceltest": nil, // helpers imported by tests only
	}
	root := filepath.Join("..", "..")
	seen := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
			return filepath.SkipDir
		}
		if _, err := os.Stat(filepath.Join(path, "go.mod")); path != root && err == nil {
			return filepath.SkipDir // another module (bench/duckdb), as for the go command
		}
		pkg, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files here (or only tests)
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		want, known := allowed[rel]
		if !known {
			t.Errorf("package %s is not placed in the layers of TestLayers", rel)
			return nil
		}
		seen++
		for _, imp := range pkg.Imports {
			dep, ok := strings.CutPrefix(imp, module)
			if ok && !slices.Contains(want, dep) {
				t.Errorf("%s imports %s: against the layering (allowed: %v)", rel, dep, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(allowed) {
		t.Errorf("found %d of the %d packages listed", seen, len(allowed))
	}
}
