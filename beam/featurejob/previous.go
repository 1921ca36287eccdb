package featurejob

import (
	"bufio"
	"context"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"

	"github.com/segment-tool/segment/internal/pipeline"
)

// A previous run (segment run's -previous, or -out holding a run): its
// model.json and assignments.parquet are read on the submitting machine
// (pipeline.LoadPrevious), where the fit matches the clusters with the
// previous run's (pipeline.FitSample: matched clusters keep their keys).
// Job 2 fills each shard's history columns (previous_segment,
// previous_cluster_key, segment_changed_at): the fit step splits the
// previous customers' keys, segments and dates by shard (shardOf) into
// PreviousName files of FeaturesDir, then lets them go, and the worker
// that labels a shard reads its file only. The finishing step compares
// the keys on every customer from job 2's shards and reads the previous
// run's tags (the exports of removed tags) from its assignments.parquet,
// with the local run's code.

// PreviousName is the name, in FeaturesDir, of the previous run's
// customers of shard k of n.
func PreviousName(k, n int) string { return fmt.Sprintf("previous-%05d-of-%05d.gob", k, n) }

// previousShard is what job 2 needs of the previous run for one shard's
// customers.
type previousShard struct {
	AsOf                    string // the previous model's as_of
	KeyOf, SegOf, ChangedAt map[string]string
}

// loadPrevious reads the previous run in dir ("" or "none": no previous
// run).
func loadPrevious(ctx context.Context, dir string) (*pipeline.Previous, error) {
	if dir == "" || dir == "none" {
		return nil, nil
	}
	return pipeline.LoadPrevious(ctx, dir)
}

// writePreviousShards splits p's customers into the n shards' files in
// out's FeaturesDir.
func writePreviousShards(out string, p *pipeline.Previous, n int) error {
	shards := make([]previousShard, n)
	for k := range shards {
		shards[k] = previousShard{AsOf: p.Model.AsOf, KeyOf: map[string]string{}, SegOf: map[string]string{}, ChangedAt: map[string]string{}}
	}
	for id, key := range p.KeyOf {
		s := &shards[shardOf(id, n)]
		s.KeyOf[id] = key
		if v, ok := p.SegOf[id]; ok {
			s.SegOf[id] = v
		}
		if v, ok := p.ChangedAt[id]; ok {
			s.ChangedAt[id] = v
		}
	}
	for k := range shards {
		path := filepath.Join(out, FeaturesDir, PreviousName(k, n))
		if err := writeGob(path, &shards[k]); err != nil {
			return err
		}
	}
	return nil
}

// writeGob writes v to path, under a temporary name renamed into place.
func writeGob(path string, v any) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	bw := bufio.NewWriter(f)
	err = gob.NewEncoder(bw).Encode(v)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("featurejob: the previous run: %w", err)
	}
	return nil
}

// readPreviousShard reads the previous run's customers of shard k of n
// beside job 1's files, as a pipeline.Previous for AssignRows.
func readPreviousShard(ctx context.Context, files jobFiles, k, n int) (*pipeline.Previous, error) {
	path, err := files.path(PreviousName(k, n))
	if err != nil {
		return nil, fmt.Errorf("featurejob: the previous run: %w", err)
	}
	f, err := openFile(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("featurejob: the previous run: %w", err)
	}
	defer f.Close()
	var s previousShard
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&s); err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", path, err)
	}
	return &pipeline.Previous{Model: &pipeline.Model{AsOf: s.AsOf}, KeyOf: s.KeyOf, SegOf: s.SegOf, ChangedAt: s.ChangedAt}, nil
}
