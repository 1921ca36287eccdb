package pipeline

import (
	"context"
	"fmt"
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
// order of features.RFMSegments: customers, orders and revenue (exact
// sums: segmentSums), and the medians of recency, frequency and monetary
// (found in passes, selectk.Passes; none for prospects, who have no
// purchase). The prospects' row is left out when there are none.
func rfmRows(ctx context.Context, pass segmentPasses) ([]report.RFMSegment, error) {
	acc, sums := newRFMRowsAcc(nil), newSegmentSums(true, 0, false)
	if err := pass(func(ch segmentChunk) error {
		if err := acc.add(ctx, ch); err != nil {
			return err
		}
		ch.Members = nil // the rows only
		return sums.add(ctx, ch)
	}); err != nil {
		return nil, err
	}
	return acc.finish(ctx, pass, sums)
}

// rfmRowsAcc finds rfmRows' medians: in the first pass over the customers
// (the one that sums them) and as many more as it takes.
type rfmRowsAcc struct {
	ranks  *report.MedianRanks // segment j's recency, frequency, monetary: 3j, 3j+1, 3j+2
	search bool                // this pass counts in ranks' current round
}

// newRFMRowsAcc returns the rows' search, continuing ranks (a search of
// the medians begun or finished elsewhere: a scale-out run's job 2,
// ShardSearches) or, when nil, a search of its own.
func newRFMRowsAcc(ranks *report.MedianRanks) *rfmRowsAcc {
	if ranks == nil {
		ranks = NewRFMRanks()
	}
	return &rfmRowsAcc{ranks: ranks, search: !ranks.Done()}
}

// add counts a chunk in the search's round.
func (a *rfmRowsAcc) add(ctx context.Context, ch segmentChunk) error {
	if !a.search {
		return ctx.Err()
	}
	if ch.RFM == nil || ch.Recency == nil || ch.Frequency == nil || ch.Monetary == nil {
		return fmt.Errorf("pipeline: RFM rows: a chunk without scores or features")
	}
	for i := range ch.N {
		id := ch.RFM.Segment(i)
		j, ok := rfmSegmentIndex[id]
		if !ok || id == features.Prospects {
			continue
		}
		a.ranks.Add(3*j, ch.Recency[i])
		a.ranks.Add(3*j+1, ch.Frequency[i])
		a.ranks.Add(3*j+2, ch.Monetary[i])
	}
	return ctx.Err()
}

// finish ends the round of the pass just made, if it searched, runs the
// passes the medians' search has left, and returns the rows with sums'
// customers, orders and revenue.
func (a *rfmRowsAcc) finish(ctx context.Context, pass segmentPasses, sums *segmentSums) ([]report.RFMSegment, error) {
	for a.search {
		if err := a.ranks.EndRound(); err != nil {
			return nil, fmt.Errorf("pipeline: RFM segments: %w", err)
		}
		if a.search = !a.ranks.Done(); a.search {
			if err := pass(func(ch segmentChunk) error { return a.add(ctx, ch) }); err != nil {
				return nil, err
			}
		}
	}
	var out []report.RFMSegment
	for j, info := range features.RFMSegments() {
		if info.ID == features.Prospects && sums.segCustomers[j] == 0 {
			continue
		}
		out = append(out, report.RFMSegment{ID: info.ID, Definition: info.Definition, Action: info.Action,
			Customers: sums.segCustomers[j], Orders: sums.segOrders[j].Float64(), Revenue: sums.segRevenue[j].Float64(),
			MedianRecency: a.ranks.Median(3 * j), MedianFrequency: a.ranks.Median(3*j + 1), MedianMonetary: a.ranks.Median(3*j + 2)})
	}
	return out, nil
}

// groupCounts returns each group's members and their revenue (an exact
// sum; 0 without a monetary column), in one pass.
func groupCounts(ctx context.Context, groups int, pass segmentPasses) (members []int, revenue []float64, err error) {
	sums := newSegmentSums(false, groups, false)
	if err = pass(func(ch segmentChunk) error { return sums.add(ctx, ch) }); err != nil {
		return nil, nil, err
	}
	members, revenue = sums.groups()
	return members, revenue, nil
}

// rfmTally is what the RFM plots count: customers and revenue (net,
// negative counted as 0) by R score and FM score (Grid[5−R][FM−1], the
// prospects left out), and customers and net revenue by segment (in the
// order of features.RFMSegments), each an exact sum (segmentSums).
type rfmTally struct {
	Customers, Revenue [5][5]float64
	SegCustomers       []int
	SegRevenue         []float64
}

// tallyRFM counts the RFM plots' figures in one pass.
func tallyRFM(ctx context.Context, pass segmentPasses) (*rfmTally, error) {
	sums := newSegmentSums(true, 0, false)
	err := pass(func(ch segmentChunk) error { ch.Members = nil; return sums.add(ctx, ch) })
	return sums.tally(), err
}

func newRFMTally() *rfmTally {
	n := len(features.RFMSegments())
	return &rfmTally{SegCustomers: make([]int, n), SegRevenue: make([]float64, n)}
}

// rfmSegmentIndex is each RFM segment's place in features.RFMSegments.
var rfmSegmentIndex = func() map[string]int {
	at := map[string]int{}
	for k, info := range features.RFMSegments() {
		at[info.ID] = k
	}
	return at
}()

// repeatAcc is the buyers (frequency above 0) and those of them who
// bought more than once (concentration's repeat rate).
type repeatAcc struct{ buyers, repeat int }

// segmentFigures are the figures the plots and the report count over
// every customer's scores, groups and spend (segmentSource), in one pass
// shared by all (in a scale-out finish, one pass over the shards instead
// of one each, or none: job 2's sums), then the passes the RFM rows'
// medians take: the RFM plots' tally (nil without RFM), each group's
// members and revenue, the buyers and repeat buyers (none without
// frequency and monetary) and the RFM rows (nil without RFM). Each sum is
// exact (segmentSums), as each figure's own pass sums it.
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
		var sums *segmentSums
		if r.shards != nil {
			ranks = r.shards.rfmRanks
			if r.shards.sums != nil {
				sums = r.shards.sums.segments
			}
		}
		f.err = f.count(context.Background(), r.segmentSource(), s.RFM != nil, ranks, len(s.Groups), countsRepeat(t), sums)
	})
	return f, f.err
}

// count counts f over the customers of pass: the RFM figures when rfm
// (the rows' medians continuing rfmRanks, when not nil: job 2's search),
// groups groups, the repeat buyers when repeat. sums, when not nil, are
// the customers' sums counted elsewhere (job 2's, of that shape): pass is
// then run only for the medians' rounds left, if any.
func (f *segmentFigures) count(ctx context.Context, pass segmentPasses, rfm bool, rfmRanks *report.MedianRanks, groups int, repeat bool, sums *segmentSums) error {
	var rows *rfmRowsAcc
	if rfm {
		rows = newRFMRowsAcc(rfmRanks)
	}
	switch {
	case sums == nil:
		sums = newSegmentSums(rfm, groups, repeat)
		err := pass(func(ch segmentChunk) error {
			if err := sums.add(ctx, ch); err != nil {
				return err
			}
			if rows != nil {
				return rows.add(ctx, ch)
			}
			return nil
		})
		if err != nil {
			return err
		}
	case sums.rfm != rfm || sums.repeat != repeat || len(sums.members) != groups:
		return fmt.Errorf("pipeline: the segments' sums given are not of this run's RFM, groups and buyers")
	case rows != nil && rows.search: // the medians' rounds left, from the first
		if err := pass(func(ch segmentChunk) error { return rows.add(ctx, ch) }); err != nil {
			return err
		}
	}
	f.rfm = sums.tally()
	f.members, f.groupRevenue = sums.groups()
	if repeat {
		f.repeat = &repeatAcc{buyers: sums.buyers, repeat: sums.repeatBuyers}
	}
	if rows != nil {
		var err error
		if f.rfmRows, err = rows.finish(ctx, pass, sums); err != nil {
			return err
		}
	}
	return nil
}
