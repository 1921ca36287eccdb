package pipeline

import (
	"context"
	"fmt"
	"math"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/selectk"
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
	infos := features.RFMSegments()
	index := make(map[string]int, len(infos))
	rows := make([]report.RFMSegment, len(infos))
	for j, info := range infos {
		index[info.ID] = j
		rows[j] = report.RFMSegment{ID: info.ID, Definition: info.Definition, Action: info.Action}
	}
	ranks := selectk.NewPasses(3 * len(infos)) // segment j's recency, frequency, monetary: 3j, 3j+1, 3j+2
	each := func(ch segmentChunk, first bool) error {
		if ch.RFM == nil || ch.Recency == nil || ch.Frequency == nil || ch.Monetary == nil {
			return fmt.Errorf("pipeline: RFM rows: a chunk without scores or features")
		}
		for i := range ch.N {
			id := ch.RFM.Segment(i)
			j, ok := index[id]
			if !ok {
				continue
			}
			if first {
				row := &rows[j]
				row.Customers++
				row.Orders += ch.Frequency[i]
				row.Revenue += ch.Monetary[i]
			}
			if id != features.Prospects {
				ranks.Add(3*j, ch.Recency[i])
				ranks.Add(3*j+1, ch.Frequency[i])
				ranks.Add(3*j+2, ch.Monetary[i])
			}
		}
		return ctx.Err()
	}
	if err := pass(func(ch segmentChunk) error { return each(ch, true) }); err != nil {
		return nil, err
	}
	if err := ranks.EndPass(); err != nil {
		return nil, fmt.Errorf("pipeline: RFM segments: %w", err)
	}
	median := ranks.WantMedians()
	for !ranks.Done() {
		if err := pass(func(ch segmentChunk) error { return each(ch, false) }); err != nil {
			return nil, err
		}
		if err := ranks.EndPass(); err != nil {
			return nil, fmt.Errorf("pipeline: RFM segments: %w", err)
		}
	}
	var out []report.RFMSegment
	for j, row := range rows {
		if row.ID == features.Prospects && row.Customers == 0 {
			continue
		}
		row.MedianRecency, row.MedianFrequency, row.MedianMonetary = median(3*j), median(3*j+1), median(3*j+2)
		out = append(out, row)
	}
	return out, nil
}

// groupCounts returns each group's members and their revenue (summed in
// customer order; 0 without a monetary column), in one pass.
func groupCounts(ctx context.Context, groups int, pass segmentPasses) (members []int, revenue []float64, err error) {
	members, revenue = make([]int, groups), make([]float64, groups)
	err = pass(func(ch segmentChunk) error {
		if len(ch.Members) != groups {
			return fmt.Errorf("pipeline: group rows: a chunk of %d groups, want %d", len(ch.Members), groups)
		}
		for g, in := range ch.Members {
			if in == nil { // a group not computed (Group.Needs)
				continue
			}
			for i, m := range in[:ch.N] {
				if m {
					members[g]++
					if ch.Monetary != nil {
						revenue[g] += ch.Monetary[i]
					}
				}
			}
		}
		return ctx.Err()
	})
	return members, revenue, err
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
	infos := features.RFMSegments()
	at := make(map[string]int, len(infos))
	for k, info := range infos {
		at[info.ID] = k
	}
	t := &rfmTally{SegCustomers: make([]int, len(infos)), SegRevenue: make([]float64, len(infos))}
	err := pass(func(ch segmentChunk) error {
		if ch.RFM == nil || ch.Monetary == nil {
			return fmt.Errorf("pipeline: RFM plots: a chunk without scores or monetary")
		}
		for i := range ch.N {
			if k, ok := at[ch.RFM.Segment(i)]; ok {
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
	})
	return t, err
}
