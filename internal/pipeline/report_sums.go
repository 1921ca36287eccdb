package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/exactsum"
	"github.com/segment-tool/segment/report"
)

// reportSums are the sums the report's profiles and segment figures make
// over the customers (the clusters' sums and spread, clusterCounter; the
// spend and group shares, report.ProfileSums; the RFM and group rows and
// plots, segmentSums), all exact: job 2 of a scale-out run counts them
// over each shard (AssignRows, in the shard's CustomerTally), the merged
// sums are those of one pass over every customer, and the finish makes no
// pass over the shards for them.
type reportSums struct {
	cluster  *clusterCounter
	profile  *report.ProfileSums
	segments *segmentSums
}

// countReportSums counts r's reportSums over its customers held in memory
// (a shard's, in AssignRows), as a run's profiles and segment figures
// would: the clustered customers by the model's columns cols and the
// computed groups, every customer by RFM segment and group.
func countReportSums(ctx context.Context, r *Result, cols []string) (*reportSums, error) {
	s, fit := r.Segments, r.Clustering.Fit
	ids := profileGroups(s.Groups)
	ch := localBuyers(r.Buyers, fit, s, cols, ids)
	sums := &reportSums{cluster: newClusterCounter(fit.K, len(cols)), profile: report.NewProfileSums(cols, len(ids), fit.K)}
	if err := sums.cluster.add(ch); err != nil {
		return nil, err
	}
	if err := sums.profile.Add(ch.ProfileChunk); err != nil {
		return nil, err
	}
	sums.segments = newSegmentSums(s.RFM != nil, len(s.Groups), countsRepeat(r.Tables.Table))
	err := r.segmentSource()(func(ch segmentChunk) error { return sums.segments.add(ctx, ch) })
	if err != nil {
		return nil, err
	}
	return sums, nil
}

// merge adds o's sums to s; o is not changed.
func (s *reportSums) merge(o *reportSums) error {
	if err := s.cluster.merge(o.cluster); err != nil {
		return err
	}
	if err := s.profile.Merge(o.profile); err != nil {
		return err
	}
	return s.segments.merge(o.segments)
}

// clone returns a copy of s sharing nothing with it.
func (s *reportSums) clone() *reportSums {
	c := &reportSums{cluster: newClusterCounter(s.cluster.k, s.cluster.d), profile: s.profile.Empty(),
		segments: newSegmentSums(s.segments.rfm, len(s.segments.members), s.segments.repeat)}
	if err := c.merge(s); err != nil {
		panic("pipeline: reportSums.clone: " + err.Error()) // the same shape
	}
	return c
}

// reportSumsJSON is reportSums' JSON form, the exact sums as their binary
// encoding (exactsum.MarshalSums).
type reportSumsJSON struct {
	K, D         int
	ClusterSums  [][]byte
	Squares      [][]byte
	Revenue      [][]byte
	Sizes        []int
	RFM          [][]int
	Buyers       int64
	Profile      *report.ProfileSums
	SegRFM       bool
	SegRepeat    bool
	SegCustomers []int
	SegOrders    [][]byte
	SegRevenue   [][]byte
	GridCust     [5][5]int64
	GridRevenue  [][]byte // row by row
	Members      []int
	GroupRevenue [][]byte
	BuyersN      int
	RepeatN      int
}

func (s *reportSums) MarshalJSON() ([]byte, error) {
	c, g := s.cluster, s.segments
	var grid [][]byte // each Sum encoded in place: a copy of one would share its pending sums
	for r := range g.gridRevenue {
		for c := range g.gridRevenue[r] {
			b, _ := g.gridRevenue[r][c].MarshalBinary() // never fails
			grid = append(grid, b)
		}
	}
	return json.Marshal(reportSumsJSON{K: c.k, D: c.d, ClusterSums: exactsum.MarshalSums(c.sums), Squares: exactsum.MarshalSums(c.squares),
		Revenue: exactsum.MarshalSums(c.revenue), Sizes: c.sizes, RFM: c.rfm, Buyers: c.n, Profile: s.profile,
		SegRFM: g.rfm, SegRepeat: g.repeat, SegCustomers: g.segCustomers, SegOrders: exactsum.MarshalSums(g.segOrders),
		SegRevenue: exactsum.MarshalSums(g.segRevenue), GridCust: g.gridCustomers, GridRevenue: grid,
		Members: g.members, GroupRevenue: exactsum.MarshalSums(g.groupRevenue), BuyersN: g.buyers, RepeatN: g.repeatBuyers})
}

func (s *reportSums) UnmarshalJSON(b []byte) error {
	var j reportSumsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	damaged := fmt.Errorf("pipeline: the report's sums: a damaged encoding")
	if j.K < 0 || j.D < 0 || j.Profile == nil || len(j.ClusterSums) != j.K*j.D || len(j.Squares) != j.D || len(j.Revenue) != j.K || len(j.Sizes) != j.K ||
		j.RFM != nil && len(j.RFM) != j.K || len(j.GridRevenue) != 25 || len(j.GroupRevenue) != len(j.Members) ||
		len(j.SegOrders) != len(j.SegCustomers) || len(j.SegRevenue) != len(j.SegCustomers) || j.SegRFM != (j.SegCustomers != nil) ||
		j.SegRFM && len(j.SegCustomers) != len(features.RFMSegments()) || j.Profile.Clusters() != j.K || j.Profile.Features() != j.D {
		return damaged
	}
	for _, row := range j.RFM {
		if len(row) != len(features.RFMSegments()) {
			return damaged
		}
	}
	c := newClusterCounter(j.K, j.D)
	c.sizes, c.rfm, c.n = j.Sizes, j.RFM, j.Buyers
	g := &segmentSums{rfm: j.SegRFM, repeat: j.SegRepeat, segCustomers: j.SegCustomers, gridCustomers: j.GridCust, members: j.Members,
		buyers: j.BuyersN, repeatBuyers: j.RepeatN}
	var grid []exactsum.Sum
	var err error
	for _, f := range []struct {
		dst *[]exactsum.Sum
		b   [][]byte
	}{{&c.sums, j.ClusterSums}, {&c.squares, j.Squares}, {&c.revenue, j.Revenue}, {&g.segOrders, j.SegOrders},
		{&g.segRevenue, j.SegRevenue}, {&grid, j.GridRevenue}, {&g.groupRevenue, j.GroupRevenue}} {
		if *f.dst, err = exactsum.UnmarshalSums(f.b); err != nil {
			return fmt.Errorf("pipeline: the report's sums: %w", err)
		}
		if *f.dst == nil {
			*f.dst = []exactsum.Sum{}
		}
	}
	for r := range g.gridRevenue {
		copy(g.gridRevenue[r][:], grid[5*r:5*r+5])
	}
	if g.segCustomers == nil {
		g.segOrders, g.segRevenue = nil, nil
	}
	*s = reportSums{cluster: c, profile: j.Profile, segments: g}
	return nil
}

// countsRepeat reports whether the figures count the repeat buyers: t has
// frequency and monetary columns (by name: a shard of no customer with
// orders may hold them as nil).
func countsRepeat(t *features.Table) bool {
	return slices.Contains(t.Names, features.Frequency) && slices.Contains(t.Names, features.Monetary)
}
