package featurejob

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/segment-tool/segment/internal/pipeline"
	"github.com/segment-tool/segment/report"
)

// The profiles' medians and quantile positions (report.ProfileRanks) are
// found by job 2 over the assignment shards it wrote, in rounds: each
// round, every shard is counted in a fork of the search
// (pipeline.ProfileShardRanks), the forks are merged by a combine, and
// the search, with the round ended, is the next round's side input.
//
//	shards written ─GroupByKey (one key)→ one path a shard ─┐
//	search ─side input→ RankShard ─Combine (merge)→ EndRound → search …
//
// A Beam pipeline's graph is fixed before it runs, so there are
// maxProfileRounds rounds; those after the search is done count nothing.
// The search travels encoded (MarshalBinary); assign.json holds the
// final one, which the finish takes instead of finding the same figures
// in passes over the shards (BeamFinish.Ranks).

// maxProfileRounds is the rounds job 2 runs: the most a search of float64
// values can take (the binades; a range of 2⁵² keys narrowed 8 bits a
// round, seven times, to one key; its gathering) and the positions'
// round. A million customers take about four.
const maxProfileRounds = 10

// profileRanks adds the rounds over the shards written (shardFile
// elements; a retried shard may be there twice) for the model's
// clustered columns cols and k clusters, and returns the final search,
// encoded, as a singleton.
func profileRanks(s beam.Scope, cols []string, k int, written beam.PCollection) (beam.PCollection, error) {
	s = s.Scope("profile_ranks")
	first, err := report.NewProfileRanks(len(cols), k).MarshalBinary()
	if err != nil {
		return beam.PCollection{}, err
	}
	shards := beam.ParDo(s, oneShardPath, beam.GroupByKey(s, beam.AddFixedKey(s, written)))
	search := beam.Create(s, first)
	for range maxProfileRounds {
		counts := beam.ParDo(s, &rankShardFn{Cols: cols}, shards, beam.SideInput{Input: search})
		// The seed makes the combine see an element when no shard counts.
		counts = beam.Combine(s, mergeRanksFn{}, beam.Flatten(s, counts, beam.Create(s, []byte{})))
		search = beam.ParDo(s, endRound, search, beam.SideInput{Input: counts})
	}
	return search, nil
}

// oneShardPath emits one path of each shard written: the least, as the
// commit chooses it (assignCommitFn).
func oneShardPath(_ int, files func(*shardFile) bool, emit func(shardFile)) {
	chosen := map[int]string{}
	var f shardFile
	for files(&f) {
		if p, ok := chosen[f.Shard]; f.Shard >= 0 && (!ok || f.Path < p) {
			chosen[f.Shard] = f.Path
		}
	}
	for shard, path := range chosen {
		emit(shardFile{Shard: shard, Path: path})
	}
}

// rankShardFn counts one assignments shard's clustered customers in a
// fork of the search, unless the search is done.
type rankShardFn struct{ Cols []string }

// ProcessElement counts the shard in.
func (f *rankShardFn) ProcessElement(ctx context.Context, in shardFile, search []byte, emit func([]byte)) error {
	var r report.ProfileRanks
	if err := r.UnmarshalBinary(search); err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	if r.Done() {
		return nil
	}
	fork := r.Fork()
	err := withLocal(ctx, in.Path, func(local, _ string) error {
		return pipeline.ProfileShardRanks(ctx, local, f.Cols, fork)
	})
	if err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	b, err := fork.MarshalBinary()
	if err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	emit(b)
	return nil
}

// mergeRanksFn is the CombineFn of the shards' counts in a round: forks
// of one search, encoded; empty for none. The merge is exact, so the
// result does not depend on the order Beam merges them in.
type mergeRanksFn struct{}

// MergeAccumulators merges two forks' counts.
func (mergeRanksFn) MergeAccumulators(a, b []byte) ([]byte, error) {
	switch {
	case len(a) == 0:
		return b, nil
	case len(b) == 0:
		return a, nil
	}
	var ra, rb report.ProfileRanks
	if err := ra.UnmarshalBinary(a); err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	if err := rb.UnmarshalBinary(b); err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	if err := ra.Merge(&rb); err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	return ra.MarshalBinary()
}

// endRound merges a round's counts into the search and ends the round,
// unless the search is done.
func endRound(search, counts []byte) ([]byte, error) {
	var r report.ProfileRanks
	if err := r.UnmarshalBinary(search); err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	if r.Done() {
		return search, nil
	}
	if len(counts) > 0 {
		var c report.ProfileRanks
		if err := c.UnmarshalBinary(counts); err != nil {
			return nil, fmt.Errorf("featurejob: %w", err)
		}
		if err := r.Merge(&c); err != nil {
			return nil, fmt.Errorf("featurejob: %w", err)
		}
	}
	if err := r.EndRound(); err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	return r.MarshalBinary()
}

// doneRanks returns the search job 2 wrote into its summary, nil when
// there is none (a summary of an older job 2) or it is not done: the
// finish then finds the figures itself.
func (s *AssignSummary) doneRanks() (*report.ProfileRanks, error) {
	if len(s.ProfileRanks) == 0 {
		return nil, nil
	}
	var r report.ProfileRanks
	if err := r.UnmarshalBinary(s.ProfileRanks); err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", AssignSummaryFile, err)
	}
	if !r.Done() {
		return nil, nil
	}
	return &r, nil
}

func init() {
	register.Function3x0(oneShardPath)
	register.DoFn4x1[context.Context, shardFile, []byte, func([]byte), error](&rankShardFn{})
	register.Emitter1[[]byte]()
	register.Combiner1[[]byte](&mergeRanksFn{})
	register.Function2x2(endRound)
}
