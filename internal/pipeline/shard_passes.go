package pipeline

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// A scale-out run's finish reads the report's figures from job 2's
// assignment shards, in passes (data.MergeScan: every customer in id order,
// as a local run holds them, a piece of each shard in memory) instead of
// from every customer held in memory: the clusters' sizes and inertia,
// the quality figures and the customer map (quality, when job 2 did not
// find them all), the clusters' profiles, means, revenue and RFM segments
// (Profile) and the RFM segments' rows and plots and the groups' (rfmRows,
// groupCounts) when job 2 did not sum them (reportSums), the revenue
// concentration (report.StreamRevenue) when job 2 did not find it, and,
// when job 2 gave no tally of its own (BeamFinish.Tally), the figures of
// tallyCustomers. FinishBeam says what it still holds.

// shardPieceRows is the number of customers in a piece of a pass.
const shardPieceRows = 1 << 16

// shardPasses are the passes over a scale-out run's assignment shards.
type shardPasses struct {
	ctx    context.Context
	shards []string // job 2's assignment shards, each sorted by customer_id
	// ranks, revenueRanks and rfmRanks are job 2's searches for the
	// profile medians and positions, the revenue concentration and the RFM
	// rows' medians (BeamFinish), nil for none.
	ranks        *report.ProfileRanks
	revenueRanks *report.RevenueRanks
	rfmRanks     *report.MedianRanks
	// sums are job 2's sums of the report's figures over every customer
	// (CustomerTally.sums), nil for none: counted in a pass.
	sums  *reportSums
	scans atomic.Int64 // the passes begun
	// record, when set, takes the passes asked for instead of running
	// them (ShardSearches: one read for several passes).
	record *[]shardRead
	// requests, when set, takes the passes asked for within together,
	// which makes those asked for at once in one read.
	requests chan<- scanRequest
	// shared is the read of every column the outputs' readers of the
	// assignments share, while WriteOutputs runs (shareAssignments).
	shared *data.SharedChunks
}

// shardRead is a pass recorded: its columns and what it does with each
// piece of them.
type shardRead struct {
	cols []string
	fn   func(t *data.Table) error
}

// newShardPasses returns the passes over the shards at paths.
func newShardPasses(ctx context.Context, paths []string) *shardPasses {
	return &shardPasses{ctx: ctx, shards: paths}
}

// scan runs one pass over the columns cols of every customer.
func (p *shardPasses) scan(cols []string, fn func(t *data.Table) error) error {
	if p.record != nil {
		*p.record = append(*p.record, shardRead{cols, fn})
		return nil
	}
	if p.requests != nil {
		done := make(chan error, 1)
		p.requests <- scanRequest{cols: cols, fn: fn, done: done}
		return <-done
	}
	return p.read(cols, fn)
}

// read reads the columns cols of every customer, in id order, a piece at
// a time.
func (p *shardPasses) read(cols []string, fn func(t *data.Table) error) error {
	p.scans.Add(1)
	return data.MergeScan(p.ctx, p.shards, "customer_id", cols, shardPieceRows, fn)
}

// segments returns the segmentPasses of the customers, with the columns
// s has (the RFM scores, recency, frequency and monetary) and its groups
// (a group not computed has no column and no members).
func (p *shardPasses) segments(s *Segments) segmentPasses {
	c := segmentColumns{rfm: s.RFM != nil, recency: s.All.Col(features.RecencyDays) != nil,
		frequency: s.All.Col(features.Frequency) != nil, monetary: s.All.Col(features.Monetary) != nil}
	for _, g := range s.Groups {
		id := ""
		if g.Members != nil {
			id = g.ID
		}
		c.groups = append(c.groups, id)
	}
	return p.segmentsOf(c)
}

// segmentColumns are the columns of the shards segmentsOf reads: the RFM
// scores, recency, frequency and monetary when set, and each group's ("",
// a group not computed, has none).
type segmentColumns struct {
	rfm, recency, frequency, monetary bool
	groups                            []string
}

// segmentsOf returns the segmentPasses of the customers with the columns
// c (see segments).
func (p *shardPasses) segmentsOf(c segmentColumns) segmentPasses {
	cols := []string{"customer_id"} // at least one column, for the count
	at := func(name string, has bool) int {
		if !has {
			return -1
		}
		cols = append(cols, name)
		return len(cols) - 1
	}
	rfm := at("r_score", c.rfm)
	at("f_score", c.rfm)
	at("m_score", c.rfm)
	rec := at(features.RecencyDays, c.recency)
	freq := at(features.Frequency, c.frequency)
	mon := at(features.Monetary, c.monetary)
	groups := make([]int, len(c.groups)) // the column of each computed group, −1 for none
	for g, id := range c.groups {
		groups[g] = at(id, id != "")
	}
	return func(yield func(segmentChunk) error) error {
		return p.scan(cols, func(t *data.Table) error {
			score := func(c *data.Column) []int8 { // a prospect's, null, is 0
				out := make([]int8, len(c.Ints))
				for i, v := range c.Ints {
					if !c.IsNull(i) {
						out[i] = int8(v)
					}
				}
				return out
			}
			zeroed := func(j int) []float64 { // a prospect's, null, is 0, as a run holds it (features.Table.WithRows)
				if j < 0 {
					return nil
				}
				c := &t.Columns[j]
				for i := range c.Floats {
					if c.IsNull(i) {
						c.Floats[i] = 0
					}
				}
				return c.Floats
			}
			ch := segmentChunk{N: t.NumRows(), Recency: zeroed(rec), Frequency: zeroed(freq), Monetary: zeroed(mon),
				Members: make([][]bool, len(groups))}
			if rfm >= 0 {
				ch.RFM = &features.RFM{R: score(&t.Columns[rfm]), F: score(&t.Columns[rfm+1]), M: score(&t.Columns[rfm+2])}
			}
			for g, j := range groups {
				if j >= 0 {
					ch.Members[g] = t.Columns[j].Bools
				}
			}
			return yield(ch)
		})
	}
}

// revenue returns the passes over the monetary of every customer with
// orders (not the prospects), for report.StreamRevenue.
func (p *shardPasses) revenue() func(yield func([]float64) error) error {
	return func(yield func([]float64) error) error {
		var kept []float64
		return p.scan([]string{"cluster_key", features.Monetary}, func(t *data.Table) error {
			kept = kept[:0]
			for i, key := range t.Columns[0].Strings {
				if key != ProspectKey {
					kept = append(kept, t.Columns[1].Floats[i])
				}
			}
			return yield(kept)
		})
	}
}

// buyers returns the passes over the clustered customers (cluster ≥ 0):
// their cluster, the profiled columns cols, monetary as the weight when
// weighted, the groups ids and, with rfm, their scores.
func (p *shardPasses) buyers(cols, ids []string, weighted, rfm bool) buyerPasses {
	names := append([]string{"cluster"}, cols...)
	if weighted {
		names = append(names, features.Monetary)
	}
	names = append(names, ids...)
	if rfm {
		names = append(names, "r_score", "f_score", "m_score")
	}
	return func(yield func(buyerChunk) error) error {
		return p.scan(names, func(t *data.Table) error {
			var rows []int
			for i, c := range t.Columns[0].Ints {
				if c >= 0 {
					rows = append(rows, i)
				}
			}
			ch := buyerChunk{ProfileChunk: report.ProfileChunk{Labels: make([]int, len(rows)), Cols: make([][]float64, len(cols)), Groups: make([][]bool, len(ids))}}
			for k, i := range rows {
				ch.Labels[k] = int(t.Columns[0].Ints[i])
			}
			pick := func(src []float64) []float64 {
				out := make([]float64, len(rows))
				for k, i := range rows {
					out[k] = src[i]
				}
				return out
			}
			for j := range cols {
				ch.Cols[j] = pick(t.Columns[1+j].Floats)
			}
			next := 1 + len(cols)
			if weighted {
				ch.Weight = pick(t.Columns[next].Floats)
				next++
			}
			for g := range ids {
				src := t.Columns[next+g].Bools
				ch.Groups[g] = make([]bool, len(rows))
				for k, i := range rows {
					ch.Groups[g][k] = src[i]
				}
			}
			next += len(ids)
			if rfm {
				score := func(c []int64) []int8 {
					out := make([]int8, len(rows))
					for k, i := range rows {
						out[k] = int8(c[i])
					}
					return out
				}
				ch.RFM = &features.RFM{R: score(t.Columns[next].Ints), F: score(t.Columns[next+1].Ints), M: score(t.Columns[next+2].Ints)}
			}
			return yield(ch)
		})
	}
}

// quality runs q's rounds left as passes over the clustered customers'
// rows of the matrix (the model's search from seed, ModelQuality, when q
// is nil: job 2 began none), transformed by the model's transform from
// their columns. Each customer is labelled again as read: one whose
// cluster in the shards is not the nearest of the model's centroids is
// an error (the shards were not written with this model).
func (p *shardPasses) quality(model *Model, seed uint64, q *Quality) (*Quality, error) {
	tr, k, d, centroids := model.Transform, len(model.Centroids), len(model.Transform.Columns), model.flatCentroids()
	if q == nil {
		q = ModelQuality(model, seed)
	}
	var labels []int
	var dist2 []float64
	add := func(ids []string, x []float64, shard []int) error {
		m := len(shard)
		labels, dist2 = cluster.Predict(x[:m*d], m, d, centroids, k, labels, dist2)
		for i, l := range labels {
			if l != shard[i] {
				return fmt.Errorf("pipeline: finish: customer %s of cluster %d in the assignment shards is nearest to centroid %d of the model", ids[i], shard[i], l)
			}
		}
		return q.Add(ids, x, shard)
	}
	for !q.Done() {
		if err := p.clustered(tr, add); err != nil {
			return nil, err
		}
		if err := q.EndRound(); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// clustered runs one pass over the clustered customers, calling fn with
// consecutive runs of them: their ids, their rows of the matrix
// (transformed by tr from their columns, row-major) and their clusters.
func (p *shardPasses) clustered(tr *features.Transform, fn func(ids []string, x []float64, labels []int) error) error {
	var x []float64
	return p.scan(append([]string{"cluster", "customer_id"}, tr.Columns...), func(t *data.Table) error {
		var rows []int
		for i, c := range t.Columns[0].Ints {
			if c >= 0 {
				rows = append(rows, i)
			}
		}
		labels, ids := make([]int, len(rows)), make([]string, len(rows))
		cols := make([][]float64, len(tr.Columns))
		for j := range cols {
			cols[j] = make([]float64, len(rows))
		}
		for k, i := range rows {
			labels[k], ids[k] = int(t.Columns[0].Ints[i]), t.Columns[1].Strings[i]
			for j := range cols {
				cols[j][k] = t.Columns[2+j].Floats[i]
			}
		}
		// Apply reads the columns by name.
		var err error
		if x, err = tr.Apply(&features.Table{IDs: ids, Names: tr.Columns, Cols: cols}, x); err != nil {
			return err
		}
		return fn(ids, x[:len(rows)*len(tr.Columns)], labels)
	})
}

// ShardSearch is the searches job 2 counts a scale-out run's assignments
// shard in, in a round: forks of the searches it runs over every shard.
// A search that is nil or done is not counted.
type ShardSearch struct {
	// Transform is the model's: the profiles' columns, and the quality's
	// rows transformed by it. Required with Profile or Quality.
	Transform *features.Transform
	// Profile counts the clustered customers' clusters and columns.
	Profile *report.ProfileRanks
	// Revenue counts the monetary values of the customers with orders.
	Revenue *report.RevenueRanks
	// RFM counts the recency, frequency and monetary of the customers by
	// RFM segment, prospects left out (NewRFMRanks).
	RFM *report.MedianRanks
	// Quality counts the clustered customers' ids, clusters and rows.
	Quality *Quality
}

// ShardSearches counts the customers of a scale-out run's assignments
// shard (job 2's, at path) in the current round of the searches of s, as
// the finish reads them, in one read of the shard: the union of the
// columns the searches read (data.MergeScan), each piece handed to each
// search in turn.
func ShardSearches(ctx context.Context, path string, s ShardSearch) error {
	if s.Transform == nil && (s.Profile != nil || s.Quality != nil) {
		return fmt.Errorf("pipeline: %s: the profiles' and quality's searches need the model's transform", path)
	}
	p := newShardPasses(ctx, []string{path})
	var reads []shardRead
	p.record = &reads // each search's pass is recorded, not run
	if r := s.Profile; r != nil && !r.Done() {
		_ = p.buyers(s.Transform.Columns, nil, false, false)(func(ch buyerChunk) error { return r.Add(ch.Labels, ch.Cols) })
	}
	if r := s.Revenue; r != nil && !r.Done() {
		_ = p.revenue()(func(m []float64) error { r.Add(m); return nil })
	}
	if r := s.RFM; r != nil && !r.Done() {
		if err := checkRFMRanks(r); err != nil {
			return err
		}
		acc := newRFMRowsAcc(r)
		_ = p.segmentsOf(segmentColumns{rfm: true, recency: true, frequency: true, monetary: true})(
			func(ch segmentChunk) error { return acc.add(ctx, ch) })
	}
	if q := s.Quality; q != nil && !q.Done() {
		_ = p.clustered(s.Transform, q.Add)
	}
	p.record = nil
	reqs := make([]scanRequest, len(reads))
	for i, r := range reads {
		reqs[i] = scanRequest{cols: r.cols, fn: r.fn, done: make(chan error, 1)}
	}
	p.readFor(reqs)
	for _, r := range reqs {
		if err := <-r.done; err != nil {
			return err
		}
	}
	return nil
}

// checkRFMRanks returns an error unless ranks is a search of the RFM rows'
// medians (one of another build's segments, say).
func checkRFMRanks(ranks *report.MedianRanks) error {
	if want := 3 * len(features.RFMSegments()); ranks.Series() != want {
		return fmt.Errorf("pipeline: a search of the RFM rows' medians of %d series, want %d", ranks.Series(), want)
	}
	return nil
}

// NewRFMRanks returns a new search of the RFM rows' medians (recency,
// frequency and monetary of each of features.RFMSegments).
func NewRFMRanks() *report.MedianRanks { return report.NewMedianRanks(3 * len(features.RFMSegments())) }

// profileGroups returns the ids of the groups profiled per cluster: the
// computed ones, sorted (report.ProfilesContext's order).
func profileGroups(groups []features.Group) []string {
	var ids []string
	for _, g := range groups {
		if g.Members != nil {
			ids = append(ids, g.ID)
		}
	}
	slices.Sort(ids)
	return ids
}
