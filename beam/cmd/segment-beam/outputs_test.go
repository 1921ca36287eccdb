package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/segment-tool/segment/internal/pipeline"
)

// sameAsLocal fails unless every file of the local run's folder local but
// model.json (compared apart) and the folder's marker is in beam with the
// same bytes, once comparable drops what a -runner run writes
// differently.
func sameAsLocal(t *testing.T, local, beam string) {
	t.Helper()
	var names []string
	err := filepath.WalkDir(local, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(local, p)
		if rel != "model.json" && rel != ".segment-output" {
			names = append(names, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"assignments.parquet", "assignments.csv", "assignments.arrow", "run.json", "report.md", "report.html", "rejects.csv"} {
		if !slices.Contains(names, want) {
			t.Fatalf("the local run wrote no %s: %v", want, names)
		}
	}
	for _, name := range names {
		w, err := os.ReadFile(filepath.Join(local, name))
		if err != nil {
			t.Fatal(err)
		}
		g, err := os.ReadFile(filepath.Join(beam, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if g, w := comparable(t, name, g), comparable(t, name, w); !bytes.Equal(g, w) {
			t.Errorf("%s differs from the local run's: %s", name, lineDiff(g, w))
		}
	}
	var m pipeline.Manifest
	if b, err := os.ReadFile(filepath.Join(beam, "run.json")); err != nil {
		t.Fatal(err)
	} else if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Runner != "prism" || m.TimingsMS["beam-features"] == 0 && m.TimingsMS["fit"] == 0 && m.TimingsMS["beam-assign"] == 0 {
		t.Errorf("run.json: runner %q, timings %v: want prism and the jobs' timings", m.Runner, m.TimingsMS)
	}
}

// comparable drops from run.json the fields a -runner run sets
// differently (runner, timings, memory) and from the report its runner
// line.
func comparable(t *testing.T, name string, b []byte) []byte {
	t.Helper()
	switch name {
	case "run.json":
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range append(slices.Clone(pipeline.NonDeterministic), "runner") {
			delete(m, k)
		}
		out, _ := json.MarshalIndent(m, "", " ")
		return out
	case "report.md", "report.html":
		var lines [][]byte
		skip := false
		for _, l := range bytes.SplitAfter(b, []byte("\n")) {
			switch {
			case bytes.Contains(l, []byte("Apache Beam (runner")):
				skip = true // and the blank line after it
			case skip && len(bytes.TrimSpace(l)) == 0:
				skip = false
			default:
				skip = false
				lines = append(lines, l)
			}
		}
		return bytes.Join(lines, nil)
	}
	return b
}

// lineDiff returns the first line where got and want differ.
func lineDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := range min(len(g), len(w)) {
		if !bytes.Equal(g[i], w[i]) {
			return fmt.Sprintf("line %d:\n%.300s\nwant\n%.300s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}
