package pipeline

import (
	"context"
	"fmt"
	"math"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/features"
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

// clusterTally is what Profile sums over the clustered customers, each sum
// in customer order: the sum of each profiled column by cluster, the
// population's mean and standard deviation of each, the revenue of each
// cluster (monetary's sum; 0 without monetary) and, with RFM, the count
// of each RFM segment by cluster (in the order of features.RFMSegments).
type clusterTally struct {
	Sums     [][]float64
	PopMean  []float64
	PopSD    []float64
	Revenue  []float64
	RFM      [][]int
	Clusters []int // customers by cluster
}

// clusterCounter counts a clusterTally in one pass over the clustered
// customers: the sums, and each column's spread by Welford's update (the
// running mean and the sum of squared deviations from it, in customer
// order), which leaves a constant column's deviation exactly 0.
type clusterCounter struct {
	t      *clusterTally
	k, d   int
	at     map[string]int // an RFM segment's column of t.RFM
	n      int
	mean   []float64 // each column's running mean (Welford)
	m2     []float64 // and its sum of squared deviations
	passes int       // passes ended
}

func newClusterCounter(k, d int) *clusterCounter {
	t := &clusterTally{Sums: make([][]float64, k), PopMean: make([]float64, d), PopSD: make([]float64, d),
		Revenue: make([]float64, k), Clusters: make([]int, k)}
	for c := range t.Sums {
		t.Sums[c] = make([]float64, d)
	}
	segs := features.RFMSegments()
	at := make(map[string]int, len(segs))
	for j, info := range segs {
		at[info.ID] = j
	}
	return &clusterCounter{t: t, k: k, d: d, at: at, mean: make([]float64, d), m2: make([]float64, d)}
}

// add counts a chunk.
func (cc *clusterCounter) add(ch buyerChunk) error {
	if len(ch.Cols) != cc.d {
		return fmt.Errorf("pipeline: cluster sums: a chunk of %d columns, want %d", len(ch.Cols), cc.d)
	}
	t := cc.t
	for j, v := range ch.Cols {
		mean, m2 := cc.mean[j], cc.m2[j]
		for i, l := range ch.Labels {
			x := v[i]
			t.Sums[l][j] += x
			t.PopMean[j] += x
			delta := x - mean
			mean += delta / float64(cc.n+i+1)
			m2 += delta * (x - mean)
		}
		cc.mean[j], cc.m2[j] = mean, m2
	}
	for i, l := range ch.Labels {
		t.Clusters[l]++
		if ch.Weight != nil {
			t.Revenue[l] += ch.Weight[i]
		}
	}
	if ch.RFM != nil {
		if t.RFM == nil {
			t.RFM = make([][]int, cc.k)
			for c := range t.RFM {
				t.RFM[c] = make([]int, len(cc.at))
			}
		}
		for i, l := range ch.Labels {
			t.RFM[l][cc.at[ch.RFM.Segment(i)]]++
		}
	}
	cc.n += len(ch.Labels)
	return nil
}

// endPass ends the pass: the population's means (the sums divided) and
// standard deviations.
func (cc *clusterCounter) endPass() {
	t := cc.t
	for j := range t.PopMean {
		t.PopMean[j] /= float64(cc.n)
		t.PopSD[j] = math.Sqrt(cc.m2[j] / float64(cc.n))
	}
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
