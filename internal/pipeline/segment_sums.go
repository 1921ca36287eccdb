package pipeline

import (
	"context"
	"fmt"
	"math"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/exactsum"
)

// segmentSums are the sums and counts of segmentFigures but the RFM rows'
// medians, over every customer: by RFM segment (in the order of
// features.RFMSegments) the customers, their orders and their net
// revenue; the RFM plots' grid of customers and revenue (net, negative
// counted as 0) by R score and FM score; each group's members and
// revenue; the buyers and repeat buyers. The sums are exact (exactsum),
// so that the sums of parts of the customers merged in any order (job 2
// of a scale-out run sums a shard each: merge) equal one pass's bit for
// bit.
type segmentSums struct {
	rfm, repeat bool
	// By RFM segment, with rfm.
	segCustomers          []int
	segOrders, segRevenue []exactsum.Sum
	gridCustomers         [5][5]int64
	gridRevenue           [5][5]exactsum.Sum
	members               []int
	groupRevenue          []exactsum.Sum
	buyers, repeatBuyers  int
}

// newSegmentSums returns the empty sums of groups groups, with the RFM
// figures when rfm, the buyers when repeat.
func newSegmentSums(rfm bool, groups int, repeat bool) *segmentSums {
	s := &segmentSums{rfm: rfm, repeat: repeat, members: make([]int, groups), groupRevenue: make([]exactsum.Sum, groups)}
	if rfm {
		n := len(features.RFMSegments())
		s.segCustomers, s.segOrders, s.segRevenue = make([]int, n), make([]exactsum.Sum, n), make([]exactsum.Sum, n)
	}
	return s
}

// add counts and sums a chunk.
func (s *segmentSums) add(ctx context.Context, ch segmentChunk) error {
	if len(ch.Members) != len(s.members) {
		return fmt.Errorf("pipeline: group rows: a chunk of %d groups, want %d", len(ch.Members), len(s.members))
	}
	if s.rfm {
		if ch.RFM == nil || ch.Recency == nil || ch.Frequency == nil || ch.Monetary == nil {
			return fmt.Errorf("pipeline: RFM rows: a chunk without scores or features")
		}
		for i := range ch.N {
			if k, ok := rfmSegmentIndex[ch.RFM.Segment(i)]; ok {
				s.segCustomers[k]++
				s.segOrders[k].Add(ch.Frequency[i])
				s.segRevenue[k].Add(ch.Monetary[i])
			}
			if ch.RFM.R[i] == 0 { // a prospect
				continue
			}
			rr, fm := 5-int(ch.RFM.R[i]), (int(ch.RFM.F[i])+int(ch.RFM.M[i]))/2-1
			s.gridCustomers[rr][fm]++
			s.gridRevenue[rr][fm].Add(math.Max(ch.Monetary[i], 0))
		}
	}
	for g, in := range ch.Members {
		if in == nil { // a group not computed (Group.Needs)
			continue
		}
		for i, m := range in[:ch.N] {
			if m {
				s.members[g]++
				if ch.Monetary != nil {
					s.groupRevenue[g].Add(ch.Monetary[i])
				}
			}
		}
	}
	if s.repeat {
		for _, f := range ch.Frequency[:ch.N] { // a prospect's frequency is null: not above 0
			if f > 0 {
				s.buyers++
				if f >= 2 {
					s.repeatBuyers++
				}
			}
		}
	}
	return ctx.Err()
}

// merge adds o's counts and sums to s; o is not changed.
func (s *segmentSums) merge(o *segmentSums) error {
	if o.rfm != s.rfm || o.repeat != s.repeat || len(o.members) != len(s.members) || len(o.groupRevenue) != len(s.groupRevenue) ||
		len(o.segCustomers) != len(s.segCustomers) || len(o.segOrders) != len(s.segOrders) || len(o.segRevenue) != len(s.segRevenue) {
		return fmt.Errorf("pipeline: segment sums: merging sums of another shape")
	}
	for k := range s.segCustomers {
		s.segCustomers[k] += o.segCustomers[k]
		s.segOrders[k].Merge(&o.segOrders[k])
		s.segRevenue[k].Merge(&o.segRevenue[k])
	}
	for r := range s.gridCustomers {
		for c := range s.gridCustomers[r] {
			s.gridCustomers[r][c] += o.gridCustomers[r][c]
			s.gridRevenue[r][c].Merge(&o.gridRevenue[r][c])
		}
	}
	for g := range s.members {
		s.members[g] += o.members[g]
		s.groupRevenue[g].Merge(&o.groupRevenue[g])
	}
	s.buyers += o.buyers
	s.repeatBuyers += o.repeatBuyers
	return nil
}

// tally returns the RFM plots' figures (nil without RFM).
func (s *segmentSums) tally() *rfmTally {
	if !s.rfm {
		return nil
	}
	t := newRFMTally()
	for r := range s.gridCustomers {
		for c := range s.gridCustomers[r] {
			t.Customers[r][c] = float64(s.gridCustomers[r][c])
			t.Revenue[r][c] = s.gridRevenue[r][c].Float64()
		}
	}
	for k := range s.segCustomers {
		t.SegCustomers[k] = s.segCustomers[k]
		t.SegRevenue[k] = s.segRevenue[k].Float64()
	}
	return t
}

// groups returns each group's members and revenue.
func (s *segmentSums) groups() (members []int, revenue []float64) {
	revenue = make([]float64, len(s.groupRevenue))
	for g := range revenue {
		revenue[g] = s.groupRevenue[g].Float64()
	}
	return append([]int(nil), s.members...), revenue
}
