package pipeline

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/exactsum"
	"github.com/segment-tool/segment/report"
)

// buyerChunk is a run of consecutive clustered customers, as Profile reads
// them: in a local run all of them at once, in a scale-out finish ranges
// of the assignment shards (shardPasses.buyers).
type buyerChunk struct {
	report.ProfileChunk // labels, profiled columns, monetary as the weight, groups
	// RFM holds their scores, nil without RFM.
	RFM *features.RFM
}

// buyerPasses runs over every clustered customer once per call, in the
// same order, calling yield with consecutive chunks.
type buyerPasses func(yield func(buyerChunk) error) error

// profileChunks is the passes as report.StreamProfiles reads them.
func (bp buyerPasses) profileChunks() func(yield func(report.ProfileChunk) error) error {
	return func(yield func(report.ProfileChunk) error) error {
		return bp(func(b buyerChunk) error { return yield(b.ProfileChunk) })
	}
}

// localBuyers is a local run's clustered customers as one chunk, with the
// profiled columns cols, the groups ids (computed groups, profileGroups)
// and their RFM scores.
func localBuyers(b *Buyers, fit *cluster.Result, s *Segments, cols, ids []string) buyerChunk {
	t := b.Table
	ch := buyerChunk{ProfileChunk: report.ProfileChunk{Labels: fit.Labels, Cols: make([][]float64, len(cols)), Weight: t.Col(features.Monetary)}}
	for j, name := range cols {
		ch.Cols[j] = t.Col(name)
	}
	// Rows of the buyers' table → rows of the segments table.
	allRow := make([]int, t.N())
	for i, row := range s.RowOf {
		if row >= 0 {
			if cr := b.Row[row]; cr >= 0 {
				allRow[cr] = i
			}
		}
	}
	members := map[string][]bool{}
	for _, g := range s.Groups {
		members[g.ID] = g.Members
	}
	for _, id := range ids {
		in := make([]bool, t.N())
		for i, a := range allRow {
			in[i] = members[id][a]
		}
		ch.Groups = append(ch.Groups, in)
	}
	if s.RFM != nil {
		ch.RFM = &features.RFM{R: make([]int8, t.N()), F: make([]int8, t.N()), M: make([]int8, t.N())}
		for i, a := range allRow {
			ch.RFM.R[i], ch.RFM.F[i], ch.RFM.M[i] = s.RFM.R[a], s.RFM.F[a], s.RFM.M[a]
		}
	}
	return ch
}

// passes returns the passes over ch, in ranges, so that a pass checks its
// context as it goes.
func (ch buyerChunk) passes() buyerPasses {
	n := len(ch.Labels)
	return func(yield func(buyerChunk) error) error {
		for lo := 0; lo < n || lo == 0; lo += localChunkRows {
			hi := min(lo+localChunkRows, n)
			if err := yield(ch.rows(lo, hi)); err != nil {
				return err
			}
		}
		return nil
	}
}

// localChunkRows is the number of customers in a chunk of a local run's
// passes (their columns are sliced, not copied).
const localChunkRows = 1 << 16

// rows returns rows [lo, hi) of ch, sharing its memory.
func (ch buyerChunk) rows(lo, hi int) buyerChunk {
	out := buyerChunk{ProfileChunk: report.ProfileChunk{Labels: ch.Labels[lo:hi], Cols: make([][]float64, len(ch.Cols)), Groups: make([][]bool, len(ch.Groups))}}
	for j, c := range ch.Cols {
		out.Cols[j] = c[lo:hi]
	}
	if ch.Weight != nil {
		out.Weight = ch.Weight[lo:hi]
	}
	for g, in := range ch.Groups {
		out.Groups[g] = in[lo:hi]
	}
	if ch.RFM != nil {
		out.RFM = &features.RFM{R: ch.RFM.R[lo:hi], F: ch.RFM.F[lo:hi], M: ch.RFM.M[lo:hi]}
	}
	return out
}

// clusterTally is what Profile sums over the clustered customers: the
// sum of each profiled column by cluster, the population's mean and
// standard deviation of each, the revenue of each cluster (monetary's
// sum; 0 without monetary) and, with RFM, the count of each RFM segment by
// cluster (in the order of features.RFMSegments). Each sum is exact
// (clusterCounter), each rounded once.
type clusterTally struct {
	Sums     [][]float64
	PopMean  []float64
	PopSD    []float64
	Revenue  []float64
	RFM      [][]int
	Clusters []int // customers by cluster
}

// clusterCounter counts a clusterTally in one pass over the clustered
// customers, or over parts of them merged (merge: job 2 of a scale-out run
// counts a shard each): each sum is exact (exactsum), and each column's
// spread is its exact population variance from its sum and its sum of
// squares (exactsum.PopVariance), which leaves a constant column's
// deviation exactly 0 and does not depend on the customers' order.
type clusterCounter struct {
	t       *clusterTally // set when the pass ends
	k, d    int
	at      map[string]int // an RFM segment's column of rfm
	n       int64
	sums    []exactsum.Sum // by cluster and column, c·d+j
	squares []exactsum.Sum // by column: Σ x²
	revenue []exactsum.Sum // by cluster
	sizes   []int
	rfm     [][]int
	passes  int // passes ended
}

func newClusterCounter(k, d int) *clusterCounter {
	segs := features.RFMSegments()
	at := make(map[string]int, len(segs))
	for j, info := range segs {
		at[info.ID] = j
	}
	return &clusterCounter{k: k, d: d, at: at, sums: make([]exactsum.Sum, k*d), squares: make([]exactsum.Sum, d),
		revenue: make([]exactsum.Sum, k), sizes: make([]int, k)}
}

// add counts a chunk.
func (cc *clusterCounter) add(ch buyerChunk) error {
	if len(ch.Cols) != cc.d {
		return fmt.Errorf("pipeline: cluster sums: a chunk of %d columns, want %d", len(ch.Cols), cc.d)
	}
	for _, l := range ch.Labels {
		if l < 0 || l >= cc.k {
			return fmt.Errorf("pipeline: cluster sums: cluster %d out of [0, %d)", l, cc.k)
		}
	}
	d := cc.d
	for j, v := range ch.Cols {
		sq := &cc.squares[j]
		for i, l := range ch.Labels {
			x := v[i]
			cc.sums[l*d+j].Add(x)
			sq.AddSquare(x)
		}
	}
	for i, l := range ch.Labels {
		cc.sizes[l]++
		if ch.Weight != nil {
			cc.revenue[l].Add(ch.Weight[i])
		}
	}
	if ch.RFM != nil {
		if cc.rfm == nil {
			cc.rfm = make([][]int, cc.k)
			for c := range cc.rfm {
				cc.rfm[c] = make([]int, len(cc.at))
			}
		}
		for i, l := range ch.Labels {
			cc.rfm[l][cc.at[ch.RFM.Segment(i)]]++
		}
	}
	cc.n += int64(len(ch.Labels))
	return nil
}

// merge adds o's counts and sums to cc (a pass not ended); o is not
// changed.
func (cc *clusterCounter) merge(o *clusterCounter) error {
	if o.k != cc.k || o.d != cc.d {
		return fmt.Errorf("pipeline: cluster sums: merging sums of %d columns in %d clusters into %d in %d", o.d, o.k, cc.d, cc.k)
	}
	for i := range cc.sums {
		cc.sums[i].Merge(&o.sums[i])
	}
	for j := range cc.squares {
		cc.squares[j].Merge(&o.squares[j])
	}
	for c := range cc.sizes {
		cc.sizes[c] += o.sizes[c]
		cc.revenue[c].Merge(&o.revenue[c])
	}
	if o.rfm != nil {
		if cc.rfm == nil {
			cc.rfm = make([][]int, cc.k)
			for c := range cc.rfm {
				cc.rfm[c] = make([]int, len(o.rfm[c]))
			}
		}
		for c := range o.rfm {
			if len(o.rfm[c]) != len(cc.rfm[c]) {
				return fmt.Errorf("pipeline: cluster sums: merging RFM counts of %d segments into %d", len(o.rfm[c]), len(cc.rfm[c]))
			}
			for s, n := range o.rfm[c] {
				cc.rfm[c][s] += n
			}
		}
	}
	cc.n += o.n
	return nil
}

// endPass ends the pass: the tally, its sums rounded, the population's
// means and standard deviations.
func (cc *clusterCounter) endPass() {
	t := &clusterTally{Sums: make([][]float64, cc.k), PopMean: make([]float64, cc.d), PopSD: make([]float64, cc.d),
		Revenue: make([]float64, cc.k), RFM: cc.rfm, Clusters: slices.Clone(cc.sizes)}
	for c := range t.Sums {
		t.Sums[c] = make([]float64, cc.d)
		for j := range t.Sums[c] {
			t.Sums[c][j] = cc.sums[c*cc.d+j].Float64()
		}
		t.Revenue[c] = cc.revenue[c].Float64()
	}
	for j := range t.PopMean {
		var all exactsum.Sum // the clusters' sums merged
		for c := range cc.k {
			all.Merge(&cc.sums[c*cc.d+j])
		}
		t.PopMean[j] = all.Float64() / float64(cc.n)
		t.PopSD[j] = math.Sqrt(exactsum.PopVariance(cc.n, &all, &cc.squares[j]))
		if cc.n == 0 {
			t.PopSD[j] = math.NaN() // no customer: no spread, as no mean
		}
	}
	cc.t = t
	cc.passes++
}

// done reports whether the pass has ended.
func (cc *clusterCounter) done() bool { return cc.passes == 1 }

// riding returns pass whose first run also counts cc, so that another
// reader of the customers (the profiles' statistics) counts it in its own
// pass: finish (which counts cc in a pass of its own when pass was not
// run) completes it.
func (cc *clusterCounter) riding(ctx context.Context, pass buyerPasses) (rides buyerPasses, finish func() error) {
	rides = func(yield func(buyerChunk) error) error {
		counting := !cc.done()
		err := pass(func(ch buyerChunk) error {
			if counting {
				if err := cc.add(ch); err != nil {
					return err
				}
			}
			return yield(ch)
		})
		if err == nil && counting {
			cc.endPass()
		}
		return err
	}
	finish = func() error {
		for !cc.done() {
			if err := pass(func(ch buyerChunk) error {
				if err := cc.add(ch); err != nil {
					return err
				}
				return ctx.Err()
			}); err != nil {
				return err
			}
			cc.endPass()
		}
		return nil
	}
	return rides, finish
}
