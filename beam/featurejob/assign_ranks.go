package featurejob

import (
	"bytes"
	"context"
	"encoding"
	"encoding/gob"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
	"github.com/segment-tool/segment/report"
)

// Four figures of the report that take more than a pass are found by job
// 2 over the assignment shards it wrote, in rounds: the profiles' medians
// and quantile positions (report.ProfileRanks), the revenue concentration
// (report.RevenueRanks; with a monetary column), with RFM the RFM rows'
// medians (report.MedianRanks), and the quality figures with the customer
// map (pipeline.Quality: two rounds). Each round,
// every shard is counted in forks of the searches, read once for all of
// them (pipeline.ShardSearches), the
// forks are merged by a combine, and the searches, with the round ended,
// are the next round's side input.
//
//	shards written ─GroupByKey (one key)→ one path a shard ─┐
//	searches ─side input→ RankShard ─Combine (merge)→ EndRound → searches …
//
// A Beam pipeline's graph is fixed before it runs, so there are jobRounds
// rounds; those after the searches are done read nothing, and a search
// not done by then (a larger store, a feature of more distinct values)
// is finished by the finish, which runs
// the rounds left as passes over the shards. The searches travel encoded
// (MarshalBinary); assign.json holds them as the last round left them,
// and the finish takes them instead of beginning the same searches
// (BeamFinish).

// jobRounds is the rounds job 2 runs. A search of float64 values takes a
// round for the binades, one or more narrowing a range of keys 8 bits at
// a time until at most selectk.CollectMax values are left in it, one
// gathering them, then (the profiles', the revenue's) one for the
// positions or the sums: on the
// generated store of a million customers (bench/e2e.sh's), five for the
// profiles and four for the revenue. Each round is a few steps of the
// graph, which a runner schedules even when they read nothing (on Prism,
// 0.6 to 0.9 s a round on a small store): five keeps them few.
const jobRounds = 5

// jobRanks are job 2's searches; revenue is nil without a monetary
// column, rfm without RFM. Job 2's always hold the others; those read
// from an older job 2's summary (searches) may be nil, and only their
// fields are read.
type jobRanks struct {
	profile *report.ProfileRanks
	revenue *report.RevenueRanks
	rfm     *report.MedianRanks
	quality *pipeline.Quality
}

// ranksPair is jobRanks encoded, for gob (empty for none).
type ranksPair struct{ Profile, Revenue, RFM, Quality []byte }

func (j jobRanks) done() bool {
	return j.profile.Done() && (j.revenue == nil || j.revenue.Done()) && (j.rfm == nil || j.rfm.Done()) && (j.quality == nil || j.quality.Done())
}

func (j jobRanks) encode() ([]byte, error) {
	var p ranksPair
	var err error
	if p.Profile, err = j.profile.MarshalBinary(); err != nil {
		return nil, err
	}
	if j.revenue != nil {
		if p.Revenue, err = j.revenue.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	if j.rfm != nil {
		if p.RFM, err = j.rfm.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	if p.Quality, err = j.quality.MarshalBinary(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(p); err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	return buf.Bytes(), nil
}

func decodeRanks(b []byte) (jobRanks, error) {
	var p ranksPair
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&p); err != nil {
		return jobRanks{}, fmt.Errorf("featurejob: job 2's searches: %w", err)
	}
	j := jobRanks{profile: new(report.ProfileRanks)}
	if err := j.profile.UnmarshalBinary(p.Profile); err != nil {
		return jobRanks{}, fmt.Errorf("featurejob: %w", err)
	}
	if len(p.Revenue) > 0 {
		j.revenue = new(report.RevenueRanks)
		if err := j.revenue.UnmarshalBinary(p.Revenue); err != nil {
			return jobRanks{}, fmt.Errorf("featurejob: %w", err)
		}
	}
	if len(p.RFM) > 0 {
		j.rfm = new(report.MedianRanks)
		if err := j.rfm.UnmarshalBinary(p.RFM); err != nil {
			return jobRanks{}, fmt.Errorf("featurejob: %w", err)
		}
	}
	j.quality = new(pipeline.Quality)
	if err := j.quality.UnmarshalBinary(p.Quality); err != nil {
		return jobRanks{}, fmt.Errorf("featurejob: %w", err)
	}
	return j, nil
}

// fork returns forks of j's searches.
func (j jobRanks) fork() jobRanks {
	f := jobRanks{profile: j.profile.Fork(), quality: j.quality.Fork()}
	if j.revenue != nil {
		f.revenue = j.revenue.Fork()
	}
	if j.rfm != nil {
		f.rfm = j.rfm.Fork()
	}
	return f
}

// endRound ends the round of the searches not done.
func (j jobRanks) endRound() error {
	if !j.profile.Done() {
		if err := j.profile.EndRound(); err != nil {
			return fmt.Errorf("featurejob: %w", err)
		}
	}
	if j.revenue != nil && !j.revenue.Done() {
		if err := j.revenue.EndRound(); err != nil {
			return fmt.Errorf("featurejob: %w", err)
		}
	}
	if j.rfm != nil && !j.rfm.Done() {
		if err := j.rfm.EndRound(); err != nil {
			return fmt.Errorf("featurejob: RFM rows: %w", err)
		}
	}
	if !j.quality.Done() {
		if err := j.quality.EndRound(); err != nil {
			return fmt.Errorf("featurejob: %w", err)
		}
	}
	return nil
}

// merge adds o's counts of the round to j's, for the searches not done.
func (j jobRanks) merge(o jobRanks) error {
	if !j.profile.Done() {
		if err := j.profile.Merge(o.profile); err != nil {
			return fmt.Errorf("featurejob: %w", err)
		}
	}
	if j.revenue != nil && !j.revenue.Done() {
		if o.revenue == nil {
			return fmt.Errorf("featurejob: merging searches of the revenue with none")
		}
		if err := j.revenue.Merge(o.revenue); err != nil {
			return fmt.Errorf("featurejob: %w", err)
		}
	}
	if j.rfm != nil && !j.rfm.Done() {
		if o.rfm == nil {
			return fmt.Errorf("featurejob: merging searches of RFM rows with none")
		}
		if err := j.rfm.Merge(o.rfm); err != nil {
			return fmt.Errorf("featurejob: %w", err)
		}
	}
	if !j.quality.Done() {
		if err := j.quality.Merge(o.quality); err != nil {
			return fmt.Errorf("featurejob: %w", err)
		}
	}
	return nil
}

// profileRanks adds the rounds over the shards written (shardFile
// elements; a retried shard may be there twice) for the model (ac.Model:
// its clustered columns, transform and clusters), the revenue
// concentration when revenue (the feature table has monetary), the RFM
// rows' medians when rfm, the quality figures and map of the run's seed,
// remote shards' copies kept up to Config.CacheBytes, and returns the
// final searches, encoded (jobRanks), as a singleton.
func profileRanks(s beam.Scope, ac AssignConfig, model *pipeline.Model, revenue, rfm bool, written beam.PCollection) (beam.PCollection, error) {
	s = s.Scope("ranks")
	cols, k := model.Transform.Columns, model.K
	start := jobRanks{profile: report.NewProfileRanks(len(cols), k), quality: pipeline.ModelQuality(model, ac.Job.Seed)}
	if revenue {
		start.revenue = report.NewRevenueRanks()
	}
	if rfm {
		start.rfm = pipeline.NewRFMRanks()
	}
	first, err := start.encode()
	if err != nil {
		return beam.PCollection{}, err
	}
	shards := beam.ParDo(s, oneShardPath, beam.GroupByKey(s, beam.AddFixedKey(s, written)))
	search := beam.Create(s, first)
	for range jobRounds {
		counts := beam.ParDo(s, &rankShardFn{Model: ac.Model, CacheBytes: ac.Job.CacheBytes}, shards, beam.SideInput{Input: search})
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

// rankShardFn counts one assignments shard's customers in forks of the
// searches not done, their rows transformed by Model's transform (model.json,
// as JSON). A shard at a working location is read from the
// worker's cache of copies (CacheBytes, Config's), so that a worker
// given the same shard in the next round need not download it again.
type rankShardFn struct {
	Model      string
	CacheBytes int64
	tr         *features.Transform
}

// Setup sets the cache's budget and reads the model.
func (f *rankShardFn) Setup() error {
	copies.setLimit(f.CacheBytes)
	m, err := pipeline.ParseModel([]byte(f.Model))
	if err != nil {
		return err
	}
	if m.Transform == nil {
		return fmt.Errorf("featurejob: %s has no transform", ModelFile)
	}
	f.tr = m.Transform
	return nil
}

// ProcessElement counts the shard in.
func (f *rankShardFn) ProcessElement(ctx context.Context, in shardFile, search []byte, emit func([]byte)) error {
	j, err := decodeRanks(search)
	if err != nil {
		return err
	}
	if j.done() {
		return nil
	}
	fork := j.fork()
	err = withLocal(ctx, in.Path, func(local, _ string) error {
		return pipeline.ShardSearches(ctx, local, pipeline.ShardSearch{Transform: f.tr,
			Profile: fork.profile, Revenue: fork.revenue, RFM: fork.rfm, Quality: fork.quality})
	})
	if err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	b, err := fork.encode()
	if err != nil {
		return err
	}
	emit(b)
	return nil
}

// mergeRanksFn is the CombineFn of the shards' counts in a round: forks
// of the searches, encoded; empty for none. The merges are exact, so the
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
	ja, err := decodeRanks(a)
	if err != nil {
		return nil, err
	}
	jb, err := decodeRanks(b)
	if err != nil {
		return nil, err
	}
	if err := ja.merge(jb); err != nil {
		return nil, err
	}
	return ja.encode()
}

// endRound merges a round's counts into the searches and ends the round
// of those not done.
func endRound(search, counts []byte) ([]byte, error) {
	j, err := decodeRanks(search)
	if err != nil {
		return nil, err
	}
	if j.done() {
		return search, nil
	}
	if len(counts) > 0 {
		c, err := decodeRanks(counts)
		if err != nil {
			return nil, err
		}
		if err := j.merge(c); err != nil {
			return nil, err
		}
	}
	if err := j.endRound(); err != nil {
		return nil, err
	}
	return j.encode()
}

// setRanks puts job 2's searches (encoded jobRanks) into the summary, as
// the last round left them.
func (s *AssignSummary) setRanks(b []byte) error {
	j, err := decodeRanks(b)
	if err != nil {
		return err
	}
	if s.ProfileRanks, err = j.profile.MarshalBinary(); err != nil {
		return err
	}
	if j.revenue != nil {
		if s.RevenueRanks, err = j.revenue.MarshalBinary(); err != nil {
			return err
		}
	}
	if j.rfm != nil {
		if s.RFMRanks, err = j.rfm.MarshalBinary(); err != nil {
			return err
		}
	}
	s.Quality, err = j.quality.MarshalBinary()
	return err
}

// searches returns the searches job 2 wrote into its summary, nil for one
// it did not (a summary of an older job 2): the finish then runs the
// rounds left, or every round, itself.
func (s *AssignSummary) searches() (jobRanks, error) {
	p, r, m, q := new(report.ProfileRanks), new(report.RevenueRanks), new(report.MedianRanks), new(pipeline.Quality)
	for _, d := range []struct {
		b []byte
		v encoding.BinaryUnmarshaler
	}{{s.ProfileRanks, p}, {s.RevenueRanks, r}, {s.RFMRanks, m}, {s.Quality, q}} {
		if len(d.b) == 0 {
			continue
		}
		if err := d.v.UnmarshalBinary(d.b); err != nil {
			return jobRanks{}, fmt.Errorf("featurejob: %s: %w", AssignSummaryFile, err)
		}
	}
	var j jobRanks
	if len(s.ProfileRanks) > 0 {
		j.profile = p
	}
	if len(s.RevenueRanks) > 0 {
		j.revenue = r
	}
	if len(s.RFMRanks) > 0 {
		j.rfm = m
	}
	if len(s.Quality) > 0 {
		j.quality = q
	}
	return j, nil
}

func init() {
	register.Function3x0(oneShardPath)
	register.DoFn4x1[context.Context, shardFile, []byte, func([]byte), error](&rankShardFn{})
	register.Emitter1[[]byte]()
	register.Combiner1[[]byte](&mergeRanksFn{})
	register.Function2x2(endRound)
}
