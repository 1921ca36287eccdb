package pipeline

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// segmentChunk is a run of consecutive customers (every customer, prospects
// too), as rfmRows and groupRows read them: in the local run a chunk of the
// whole store, in a scale-out finish ranges of the assignment shards.
type segmentChunk struct {
	N int // customers
	// RFM holds the customers' scores (0 for a prospect), nil without
	// RFM: customer i's segment is RFM.Segment(i).
	RFM *features.RFM
	// Recency, Frequency and Monetary are the customers' features (nil
	// where the store has none); a prospect's are not read.
	Recency, Frequency, Monetary []float64
	// Members are each group's members, in the order of the groups (nil
	// for a group not computed).
	Members [][]bool
}

// segmentPasses runs over every customer once per call, in the same order,
// calling yield with consecutive chunks (see report.StreamProfiles).
type segmentPasses func(yield func(segmentChunk) error) error

// segmentSource returns the passes over the run's customers: its whole
// store as one chunk, or in a scale-out finish the assignment shards.
func (r *Result) segmentSource() segmentPasses {
	s := r.Segments
	if r.shards != nil {
		return r.shards.segments(s)
	}
	ch := segmentChunk{N: s.All.N(), Recency: s.All.Col(features.RecencyDays), Frequency: s.All.Col(features.Frequency),
		Monetary: s.All.Col(features.Monetary)}
	if s.RFM != nil {
		ch.RFM = s.RFM
	}
	for _, g := range s.Groups {
		ch.Members = append(ch.Members, g.Members)
	}
	return func(yield func(segmentChunk) error) error { return yield(ch) }
}

// rfmRows returns the RFM segments' rows over every customer, in the
// order of features.RFMSegments: customers, orders and revenue summed in
// customer order, and the medians of recency, frequency and monetary
// (found in passes, selectk.Passes; none for prospects, who have no
// purchase). The prospects' row is left out when there are none.
func rfmRows(ctx context.Context, pass segmentPasses) ([]report.RFMSegment, error) {
	acc := newRFMRowsAcc(nil)
	if err := pass(func(ch segmentChunk) error { return acc.add(ctx, ch, true) }); err != nil {
		return nil, err
	}
	return acc.finish(ctx, pass)
}

// rfmRowsAcc counts rfmRows' figures: the sums in its first pass, the
// medians' search in that pass and as many more as it takes.
type rfmRowsAcc struct {
	index  map[string]int
	rows   []report.RFMSegment
	ranks  *report.MedianRanks // segment j's recency, frequency, monetary: 3j, 3j+1, 3j+2
	search bool                // this pass counts in ranks' current round
}

// newRFMRowsAcc returns the rows' counts, continuing ranks (a search of
// the medians begun or finished elsewhere: a scale-out run's job 2,
// ShardSearches) or, when nil, a search of its own.
func newRFMRowsAcc(ranks *report.MedianRanks) *rfmRowsAcc {
	infos := features.RFMSegments()
	if ranks == nil {
		ranks = NewRFMRanks()
	}
	a := &rfmRowsAcc{index: make(map[string]int, len(infos)), rows: make([]report.RFMSegment, len(infos)), ranks: ranks, search: !ranks.Done()}
	for j, info := range infos {
		a.index[info.ID] = j
		a.rows[j] = report.RFMSegment{ID: info.ID, Definition: info.Definition, Action: info.Action}
	}
	return a
}

// add counts a chunk: its sums too in the first pass.
func (a *rfmRowsAcc) add(ctx context.Context, ch segmentChunk, first bool) error {
	if ch.RFM == nil || ch.Recency == nil || ch.Frequency == nil || ch.Monetary == nil {
		return fmt.Errorf("pipeline: RFM rows: a chunk without scores or features")
	}
	for i := range ch.N {
		id := ch.RFM.Segment(i)
		j, ok := a.index[id]
		if !ok {
			continue
		}
		if first {
			row := &a.rows[j]
			row.Customers++
			row.Orders += ch.Frequency[i]
			row.Revenue += ch.Monetary[i]
		}
		if a.search && id != features.Prospects {
			a.ranks.Add(3*j, ch.Recency[i])
			a.ranks.Add(3*j+1, ch.Frequency[i])
			a.ranks.Add(3*j+2, ch.Monetary[i])
		}
	}
	return ctx.Err()
}

// finish ends the first pass and runs the passes the medians' search has
// left.
func (a *rfmRowsAcc) finish(ctx context.Context, pass segmentPasses) ([]report.RFMSegment, error) {
	for a.search {
		if err := a.ranks.EndRound(); err != nil {
			return nil, fmt.Errorf("pipeline: RFM segments: %w", err)
		}
		if a.search = !a.ranks.Done(); a.search {
			if err := pass(func(ch segmentChunk) error { return a.add(ctx, ch, false) }); err != nil {
				return nil, err
			}
		}
	}
	var out []report.RFMSegment
	for j, row := range a.rows {
		if row.ID == features.Prospects && row.Customers == 0 {
			continue
		}
		row.MedianRecency, row.MedianFrequency, row.MedianMonetary = a.ranks.Median(3*j), a.ranks.Median(3*j+1), a.ranks.Median(3*j+2)
		out = append(out, row)
	}
	return out, nil
}

// groupCounts returns each group's members and their revenue (summed in
// customer order; 0 without a monetary column), in one pass.
func groupCounts(ctx context.Context, groups int, pass segmentPasses) (members []int, revenue []float64, err error) {
	acc := newGroupAcc(groups)
	err = pass(func(ch segmentChunk) error { return acc.add(ctx, ch) })
	return acc.members, acc.revenue, err
}

// groupAcc counts groupCounts' figures.
type groupAcc struct {
	members []int
	revenue []float64
}

func newGroupAcc(groups int) *groupAcc {
	return &groupAcc{members: make([]int, groups), revenue: make([]float64, groups)}
}

func (a *groupAcc) add(ctx context.Context, ch segmentChunk) error {
	if len(ch.Members) != len(a.members) {
		return fmt.Errorf("pipeline: group rows: a chunk of %d groups, want %d", len(ch.Members), len(a.members))
	}
	for g, in := range ch.Members {
		if in == nil { // a group not computed (Group.Needs)
			continue
		}
		for i, m := range in[:ch.N] {
			if m {
				a.members[g]++
				if ch.Monetary != nil {
					a.revenue[g] += ch.Monetary[i]
				}
			}
		}
	}
	return ctx.Err()
}

// rfmTally is what the RFM plots count: customers and revenue (net,
// negative counted as 0) by R score and FM score (Grid[5−R][FM−1], the
// prospects left out), and customers and net revenue by segment (in the
// order of features.RFMSegments), each summed in customer order.
type rfmTally struct {
	Customers, Revenue [5][5]float64
	SegCustomers       []int
	SegRevenue         []float64
}

// tallyRFM counts the RFM plots' figures in one pass.
func tallyRFM(ctx context.Context, pass segmentPasses) (*rfmTally, error) {
	t := newRFMTally()
	err := pass(func(ch segmentChunk) error { return t.add(ctx, ch) })
	return t, err
}

func newRFMTally() *rfmTally {
	n := len(features.RFMSegments())
	return &rfmTally{SegCustomers: make([]int, n), SegRevenue: make([]float64, n)}
}

// add counts a chunk.
func (t *rfmTally) add(ctx context.Context, ch segmentChunk) error {
	if ch.RFM == nil || ch.Monetary == nil {
		return fmt.Errorf("pipeline: RFM plots: a chunk without scores or monetary")
	}
	for i := range ch.N {
		if k, ok := rfmSegmentIndex[ch.RFM.Segment(i)]; ok {
			t.SegCustomers[k]++
			t.SegRevenue[k] += ch.Monetary[i]
		}
		if ch.RFM.R[i] == 0 { // a prospect
			continue
		}
		rr, fm := int(ch.RFM.R[i]), (int(ch.RFM.F[i])+int(ch.RFM.M[i]))/2
		t.Customers[5-rr][fm-1]++
		t.Revenue[5-rr][fm-1] += math.Max(ch.Monetary[i], 0)
	}
	return ctx.Err()
}

// rfmSegmentIndex is each RFM segment's place in features.RFMSegments.
var rfmSegmentIndex = func() map[string]int {
	at := map[string]int{}
	for k, info := range features.RFMSegments() {
		at[info.ID] = k
	}
	return at
}()

// repeatAcc counts the buyers (frequency above 0) and those of them who
// bought more than once (concentration's repeat rate).
type repeatAcc struct{ buyers, repeat int }

func (a *repeatAcc) add(ch segmentChunk) { // a prospect's frequency is null: not above 0
	for _, f := range ch.Frequency[:ch.N] {
		if f > 0 {
			a.buyers++
			if f >= 2 {
				a.repeat++
			}
		}
	}
}

// segmentFigures are the figures the plots and the report count over
// every customer's scores, groups and spend (segmentSource), in one pass
// shared by all (in a scale-out finish, one pass over the shards instead
// of one each), then the passes the RFM rows' medians take: the RFM
// plots' tally (nil without RFM), each group's members and revenue, the
// buyers and repeat buyers (none without frequency and monetary) and the
// RFM rows (nil without RFM). Each sum is in customer order, as each
// figure's own pass sums it.
type segmentFigures struct {
	rfm          *rfmTally
	members      []int
	groupRevenue []float64
	repeat       *repeatAcc
	rfmRows      []report.RFMSegment
	once         sync.Once
	err          error
}

// segmentFigures returns the run's segmentFigures, counted at the first
// call.
func (r *Result) segmentFigures() (*segmentFigures, error) {
	f := &r.segFigures
	f.once.Do(func() {
		s, t := r.Segments, r.Tables.Table
		var ranks *report.MedianRanks
		if r.shards != nil {
			ranks = r.shards.rfmRanks
		}
		f.err = f.count(context.Background(), r.segmentSource(), s.RFM != nil, ranks, len(s.Groups), t.Col(features.Frequency) != nil && t.Col(features.Monetary) != nil)
	})
	return f, f.err
}

// count counts f over the customers of pass: the RFM figures when rfm
// (the rows' medians continuing rfmRanks, when not nil: job 2's search),
// groups groups, the repeat buyers when repeat.
func (f *segmentFigures) count(ctx context.Context, pass segmentPasses, rfm bool, rfmRanks *report.MedianRanks, groups int, repeat bool) error {
	gacc := newGroupAcc(groups)
	var rows *rfmRowsAcc
	if rfm {
		f.rfm, rows = newRFMTally(), newRFMRowsAcc(rfmRanks)
	}
	if repeat {
		f.repeat = &repeatAcc{}
	}
	err := pass(func(ch segmentChunk) error {
		if f.rfm != nil {
			if err := f.rfm.add(ctx, ch); err != nil {
				return err
			}
			if err := rows.add(ctx, ch, true); err != nil {
				return err
			}
		}
		if f.repeat != nil {
			f.repeat.add(ch)
		}
		return gacc.add(ctx, ch)
	})
	if err != nil {
		return err
	}
	f.members, f.groupRevenue = gacc.members, gacc.revenue
	if rows != nil {
		if f.rfmRows, err = rows.finish(ctx, pass); err != nil {
			return err
		}
	}
	return nil
}
