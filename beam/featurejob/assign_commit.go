package featurejob

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/segment-tool/segment/internal/pipeline"
)

// assignCommitFn renames job 2's shards to their final names, writes the
// summary and swaps the staging folder in for Out/AssignDir; with a
// working location, it lists them in the manifest instead (manifest.go).
type assignCommitFn struct{ Cfg AssignConfig }

// ProcessElement commits the shards.
func (f *assignCommitFn) ProcessElement(ctx context.Context, _ int, files func(*shardFile) bool, counts catTotals, tally string, ranks []byte) error {
	ac := &f.Cfg
	staging, final := assignStaging(ac), filepath.Join(ac.Job.Out, AssignDir)
	var sum Summary
	if err := json.Unmarshal([]byte(ac.Summary), &sum); err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	if counts.Overflow {
		return fmt.Errorf("featurejob: a cluster's revenue overflows the 1e-6 fixed-point range")
	}
	n := len(sum.Shards)
	chosen := make([]string, n)
	var fl shardFile
	for files(&fl) {
		if fl.Shard >= 0 && (chosen[fl.Shard] == "" || fl.Path < chosen[fl.Shard]) {
			chosen[fl.Shard] = fl.Path
		}
	}
	remote := ac.Job.Work != ""
	if remote && committed(ctx, staging) {
		return nil // a retried commit whose first attempt wrote the manifest
	}
	if _, err := os.Stat(staging); !remote && errors.Is(err, fs.ErrNotExist) && slices.ContainsFunc(chosen, func(p string) bool { return p != "" }) {
		if _, err := os.Stat(final); err == nil {
			return nil // a retried commit whose first attempt swapped the folders
		}
	}
	if err := makeDir(staging); err != nil {
		return err
	}
	com := newCommitter(staging, final, filepath.Join(ac.Job.Out, ".old-assign-"+ac.Staging), remote)
	out := assignSummary(counts)
	if tally != "" {
		out.Tally = new(pipeline.CustomerTally)
		if err := json.Unmarshal([]byte(tally), out.Tally); err != nil {
			return fmt.Errorf("featurejob: job 2's tally: %w", err)
		}
	}
	if len(ranks) > 0 {
		if err := out.setRanks(ranks); err != nil {
			return err
		}
	}
	for k, path := range chosen {
		if err := ctx.Err(); err != nil {
			return err
		}
		if path == "" {
			continue // an empty feature shard
		}
		name := shardName(k, n)
		if err := com.put(ctx, path, name); err != nil {
			return err
		}
		out.Shards = append(out.Shards, name)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	if err := com.write(ctx, AssignSummaryFile, append(b, '\n')); err != nil {
		return err
	}
	return com.done(ctx)
}

// removeTemporary removes the files of failed attempts from dir.
func removeTemporary(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	return nil
}

// swapIn replaces final with staging: final moves to old, staging to
// final (old is moved back if that fails), then old is removed.
func swapIn(staging, final, old string) error {
	if err := os.Rename(final, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("featurejob: %w", err)
	}
	if err := os.Rename(staging, final); err != nil {
		os.Rename(old, final) // put the previous outputs back
		return fmt.Errorf("featurejob: %w", err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	return nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]int64) []string { return slices.Sorted(maps.Keys(m)) }

// SetModelSizes sets the sizes of model.json's clusters in out to the
// customers job 2 put in each (the fit's sizes are the sample's), and
// rewrites it under a temporary name renamed into place.
func SetModelSizes(out string) (*pipeline.Model, error) {
	as, err := ReadAssignSummary(out)
	if err != nil {
		return nil, err
	}
	m, err := pipeline.LoadModel(filepath.Join(out, ModelFile))
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	for c := range m.Clusters {
		m.Clusters[c].Size = int(as.Clusters[m.Clusters[c].Key])
	}
	return m, writeModel(out, m)
}

// writeModel writes out/model.json under a temporary name renamed into
// place.
func writeModel(out string, m *pipeline.Model) error {
	var buf bytes.Buffer
	if err := pipeline.WriteModelJSON(&buf, m); err != nil {
		return err
	}
	tmp := filepath.Join(out, "."+ModelFile+".tmp")
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(out, ModelFile)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("featurejob: %w", err)
	}
	return nil
}
