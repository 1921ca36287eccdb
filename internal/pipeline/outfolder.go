package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/segment-tool/segment/internal/exports"
	"github.com/segment-tool/segment/internal/outdir"
)

// ErrOutputRefused is matched (errors.Is) by the error of a run refused
// before any work because of its output folder: not one segment may
// replace (outdir.RefusedError), or one that is, holds or lies inside an
// input. The command line maps it to a usage error.
var ErrOutputRefused = outdir.ErrRefused

// outputNames are the entries an output folder of segment holds, in this
// version and the older ones that wrote no marker.
var outputNames = []string{"assignments.parquet", "assignments.csv", "assignments.arrow", "exports", "model.json",
	"plots", "rejects.csv", "report.html", "report.md", "run.json"}

// olderOutput reports whether a folder without the marker (names: its
// entries) holds the outputs of an older segment, which wrote none, and
// nothing else: no name segment does not write, and a run.json with the
// fields every version of segment has written — its version, status
// "ok", as_of a date, the inputs (each a path, and a SHA-256 digest when it
// has one), the stage timings.
// Another tool's run.json ({"version": "2.3.1", "status": "ok"} beside a
// report.md) is not taken for segment's, so its folder is not replaced.
func olderOutput(dir string, names []string) bool {
	if foreignOutput(dir, names) != "" {
		return false
	}
	if fi, err := os.Lstat(filepath.Join(dir, "run.json")); err != nil || !fi.Mode().IsRegular() {
		return false
	}
	b, err := os.ReadFile(filepath.Join(dir, "run.json"))
	if err != nil {
		return false
	}
	var m struct {
		Version string `json:"version"`
		Status  string `json:"status"`
		AsOf    string `json:"as_of"`
		Inputs  []struct {
			Path   string `json:"path"`
			SHA256 string `json:"sha256"`
		} `json:"inputs"`
		Timings map[string]json.Number `json:"timings_ms"`
	}
	if json.Unmarshal(b, &m) != nil || m.Version == "" || m.Status != "ok" || m.Timings == nil || len(m.Inputs) == 0 {
		return false
	}
	if _, err := time.Parse(time.DateOnly, m.AsOf); err != nil {
		return false
	}
	for _, in := range m.Inputs {
		if in.Path == "" || in.SHA256 != "" && !isSHA256(in.SHA256) {
			return false
		}
	}
	return true
}

// isSHA256 reports whether s is a SHA-256 digest in lower-case hex, as
// run.json gives each input's.
func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// outputSubdirs are the folders inside an output folder and, for each,
// whether a file name is one segment writes there: the plots (plotNames)
// as PNG and SVG, the exports (exports.Files), and a scale-out run's
// folders (beamOutputs, by ending). A file of another name there is not
// segment's, and the folder is not replaced over it.
var outputSubdirs = map[string]func(name string) bool{"plots": oneOf(plotFiles()), "exports": oneOf(exports.Files)}

// plotFiles are the names of the files plots/ may hold.
func plotFiles() []string {
	var names []string
	for _, n := range plotNames {
		names = append(names, n+".png", n+".svg")
	}
	return names
}

// oneOf matches the names given.
func oneOf(names []string) func(string) bool {
	return func(name string) bool { return slices.Contains(names, name) }
}

// endingIn matches the names that end in one of ends.
func endingIn(ends []string) func(string) bool {
	return func(name string) bool {
		return slices.ContainsFunc(ends, func(end string) bool { return strings.HasSuffix(name, end) })
	}
}

// workFolder matches the names of the working folders an older
// segment-beam, run on its own, left in its output folder when a job
// failed (.staging-<run>, .old-assign-<run>…; <run> is its start time,
// maybe with a random suffix).
var workFolder = regexp.MustCompile(`^\.(staging|old)(-assign)?-\d{8}T\d{6}\.\d{9}(-[0-9a-f]{8})?$`)

// foreignOutput lists the entries of a folder (names: its entries), as
// paths inside it, that segment does not write (at most five, then how
// many more), "" when it holds nothing else: its marker and output names at
// the top, regular files of the names outputSubdirs allow in plots/,
// exports/ and a scale-out run's folders, and segment-beam's working
// folders (workFolder). It decides whether replacing the folder could
// delete a file segment did not write.
func foreignOutput(dir string, names []string) string {
	var found []string
	for _, n := range names {
		if n == outdir.Marker {
			continue
		}
		if workFolder.MatchString(n) {
			if fi, err := os.Lstat(filepath.Join(dir, n)); err != nil || !fi.IsDir() {
				found = append(found, n)
			}
			continue
		}
		if !slices.Contains(outputNames, n) {
			found = append(found, n)
			continue
		}
		ours, isDir := outputSubdirs[n]
		fi, err := os.Lstat(filepath.Join(dir, n))
		if err != nil || fi.IsDir() != isDir || !fi.IsDir() && !fi.Mode().IsRegular() {
			found = append(found, n)
			continue
		}
		if !isDir {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(dir, n))
		if err != nil {
			found = append(found, n)
			continue
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || !ours(e.Name()) {
				found = append(found, filepath.Join(n, e.Name()))
			}
		}
	}
	const shown = 5
	if len(found) > shown {
		found = append(found[:shown], fmt.Sprintf("and %d more", len(found)-shown))
	}
	return strings.Join(found, ", ")
}

// OpenOutput claims o.Out for a run before any work: the folder is
// refused (ErrOutputRefused) when it is, holds or lies inside one of the
// inputs or the config file, or when it cannot be replaced as a whole
// without deleting a file segment did not write (outdir.Open); then it is
// locked and its staging directory made. The caller writes the outputs
// into Staging.Dir and commits them; Run and RunBeam call it, and
// segment-beam when it runs on its own.
func OpenOutput(ctx context.Context, o *Options) (*outdir.Staging, error) {
	if err := outdir.CheckName(o.Out); err != nil { // "", ".": the plainest reason first
		return nil, err
	}
	if err := checkOutAgainstInputs(o); err != nil {
		return nil, err
	}
	return outdir.Open(ctx, o.Out, outdir.Options{Legacy: olderOutput, Foreign: foreignOutput, Wait: o.WaitForOut, Log: o.Log})
}

// checkOutAgainstInputs refuses an output folder that is, holds or lies
// inside an input of o (the orders, features, customers, events and products
// tables, as files, directories of parts or globs, the config file and the
// saved model), comparing paths with every link followed. The previous
// run's folder (-previous) and rfm.freeze_from may be the output folder:
// they are read before the swap and what they hold is carried over.
func checkOutAgainstInputs(o *Options) error {
	out, err := outdir.Resolve(o.Out)
	if err != nil {
		return fmt.Errorf("output %s: %w", o.Out, err)
	}
	inputs := []struct{ what, path string }{
		{"the orders", o.Orders}, {"the feature table", o.Features}, {"the customers table", o.CustomersPath},
		{"the model", o.ModelPath}, {"the config file", o.ConfigPath}, // ConfigPath is the model's when assign has no config
	}
	if o.Events != nil {
		inputs = append(inputs, struct{ what, path string }{"the events table", o.Events.Path})
	}
	if o.Products != nil {
		inputs = append(inputs, struct{ what, path string }{"the products table", o.Products.Path})
	}
	for _, in := range inputs {
		if in.path == "" {
			continue
		}
		if how := overlapOf(out, in.path); how != "" {
			return &outdir.RefusedError{Path: o.Out, Reason: fmt.Sprintf("%s %s %s (%s); segment replaces its output folder as a whole: "+
				"name a folder apart from the inputs and the config", out, how, in.what, in.path)}
		}
	}
	if o.Model != nil { // assign: it writes no model.json
		if _, err := os.Stat(filepath.Join(out, "model.json")); err == nil {
			return &outdir.RefusedError{Path: o.Out, Reason: fmt.Sprintf("%s holds a run's model.json, which the next segment run there "+
				"compares with to keep its cluster keys; assign writes no model.json and would remove it: name another folder", out)}
		}
	}
	return nil
}

// overlapOf says how the output folder out (resolved) and an input path
// (a file, a directory or a glob) overlap: "is", "holds", "lies inside"
// and the like, or "" when they do not.
func overlapOf(out, input string) string {
	paths := []string{input}
	if strings.ContainsAny(input, `*?[`) {
		if _, err := os.Stat(input); err != nil { // a glob, not a file with such a name
			matches, _ := filepath.Glob(input)
			paths = matches
			if r, err := outdir.Resolve(globDir(input)); err == nil && outdir.Within(r, out) {
				return "holds the folder of"
			}
			if pattern, err := outdir.Resolve(globDir(input)); err == nil {
				rest, _ := filepath.Rel(globDir(input), input)
				pattern = filepath.Join(pattern, rest)
				// out, or a folder holding it, would be read by the glob.
				for p := out; filepath.Dir(p) != p; p = filepath.Dir(p) {
					if ok, _ := filepath.Match(pattern, p); ok {
						return "lies inside a match of"
					}
				}
			}
		}
	}
	for _, p := range paths {
		r, err := outdir.Resolve(p)
		if err != nil {
			continue
		}
		switch {
		case r == out:
			return "is"
		case outdir.Within(r, out):
			return "holds"
		case outdir.Within(out, r):
			return "lies inside"
		}
	}
	return ""
}

// globDir is the directory of a glob before its first pattern character.
func globDir(pattern string) string {
	return filepath.Dir(pattern[:strings.IndexAny(pattern, `*?[`)+1])
}
