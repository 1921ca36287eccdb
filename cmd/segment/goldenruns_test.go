package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/pipeline"
)

// TestGoldenRuns runs whole jobs (the demo store, both example configs on
// the shared data, and the small store with a refit and an assign) and
// compares the SHA-256 of every output file with testdata/golden/NAME.sha256,
// recorded from an earlier build: a change of structure must not change a
// byte of output. run.json's timings_ms and peak_rss_bytes are left out
// (they differ between runs) and the temporary directories of the test are
// replaced by fixed names. Run with -update to record an intended change,
// and say why in the commit.
func TestGoldenRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping whole runs in -short mode")
	}
	small := filepath.Join("testdata", "small", "small.yaml")
	cases := []struct {
		name  string
		needs string // a file of ../shared/data the case reads, or ""
		runs  func(t *testing.T, tmp string) string
	}{
		{"demo", "", func(t *testing.T, tmp string) string {
			out := filepath.Join(tmp, "out")
			mustSegment(t, "run", "-quiet", "-out", out)
			return out
		}},
		{"cdnow", "cdnow/cdnow_sample.csv", func(t *testing.T, tmp string) string {
			out := filepath.Join(tmp, "out")
			mustSegment(t, "run", "-quiet", "-config", "testdata/examples/cdnow.yaml", "-out", out)
			return out
		}},
		{"completejourney", "completejourney/transactions_sample.csv", func(t *testing.T, tmp string) string {
			out := filepath.Join(tmp, "out")
			mustSegment(t, "run", "-quiet", "-config", "testdata/examples/completejourney.yaml", "-out", out)
			return out
		}},
		{"small", "", func(t *testing.T, tmp string) string {
			out := filepath.Join(tmp, "out")
			mustSegment(t, "run", "-quiet", "-config", small, "-out", out)
			return out
		}},
		{"small_refit", "", func(t *testing.T, tmp string) string {
			out := filepath.Join(tmp, "out")
			mustSegment(t, "run", "-quiet", "-config", small, "-as-of", "2024-10-01", "-out", out)
			mustSegment(t, "run", "-quiet", "-config", small, "-k", "auto", "-k-max", "4", "-out", out)
			return out
		}},
		{"small_assign", "", func(t *testing.T, tmp string) string {
			fitted := filepath.Join(tmp, "fitted")
			mustSegment(t, "run", "-quiet", "-config", small, "-out", fitted)
			out := filepath.Join(tmp, "out")
			mustSegment(t, "assign", "-quiet", "-model", filepath.Join(fitted, "model.json"), "-as-of", "2025-02-01", "-out", out)
			return out
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.needs != "" {
				sharedData(t, c.needs)
			}
			// Not t.TempDir: its name holds the test's, whose underscores
			// the report escapes, so the path would not be found to replace.
			tmp, err := os.MkdirTemp("", "golden")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(tmp) })
			out := c.runs(t, tmp)
			got := outputHashes(t, out, tmp)
			golden := filepath.Join("testdata", "golden", c.name+".sha256")
			if *update && puregoBuild {
				t.Fatal("record golden files without -tags purego (see demoChecksumFiles)")
			}
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to record it)", err)
			}
			if puregoBuild && c.name == "demo" {
				got, want = dropFiles(got, demoChecksumFiles), []byte(dropFiles(string(want), demoChecksumFiles))
			}
			if got != string(want) {
				t.Errorf("outputs differ from %s:\n%s", golden, hashDiff(got, string(want)))
			}
		})
	}
}

// demoChecksumFiles are the outputs that print the checksums of the
// inputs. With -tags purego they differ for the demo, and only they: the
// built-in demo store's parquet files are written during the run by
// parquet-go, whose purego build writes other bytes for the same rows
// (every other output, assignments.parquet included, is the same).
var demoChecksumFiles = []string{"model.json", "report.html", "report.md", "run.json"}

// dropFiles removes the lines of the given files from a list of hashes.
func dropFiles(hashes string, files []string) string {
	var kept []string
	for _, l := range strings.SplitAfter(hashes, "\n") {
		if path, _, _ := strings.Cut(l, " "); !slices.Contains(files, path) {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "")
}

// outputHashes lists "path sha256" for every file under out, sorted by
// path, after normalising the parts of an output that differ by design.
func outputHashes(t *testing.T, out, tmp string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		rel = filepath.ToSlash(rel)
		if rel == "run.json" {
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				return fmt.Errorf("run.json: %w", err)
			}
			for _, k := range pipeline.NonDeterministic {
				delete(m, k)
			}
			if b, err = json.Marshal(m); err != nil {
				return err
			}
		}
		if !strings.HasSuffix(rel, ".png") && !strings.HasSuffix(rel, ".parquet") && !strings.HasSuffix(rel, ".arrow") {
			b = []byte(strings.ReplaceAll(string(b), tmp, "TMP"))
		}
		sum := sha256.Sum256(b)
		lines = append(lines, rel+" "+hex.EncodeToString(sum[:]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n"
}

// hashDiff names the files whose hashes differ, or that only one side has.
func hashDiff(got, want string) string {
	parse := func(s string) map[string]string {
		m := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
			if path, sum, ok := strings.Cut(l, " "); ok {
				m[path] = sum
			}
		}
		return m
	}
	g, w := parse(got), parse(want)
	var out []string
	for path, sum := range w {
		switch gs, ok := g[path]; {
		case !ok:
			out = append(out, "missing: "+path)
		case gs != sum:
			out = append(out, "changed: "+path)
		}
	}
	for path := range g {
		if _, ok := w[path]; !ok {
			out = append(out, "new: "+path)
		}
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}
