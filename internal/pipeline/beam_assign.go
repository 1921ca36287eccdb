package pipeline

import (
	"context"
	"fmt"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// AssignRows labels the customers of t, a part of a store's customers
// with orders (one shard of a scale-out run's feature table, with AsOf
// set), with model m fitted on the whole store: each buyer's cluster is
// the nearest of m's centroids in m's transform (as segment assign
// scores), the RFM scores use m's cut points, and the seed groups the
// store-wide cuts (features.SeedGroupsWith), so that a customer's labels
// do not depend on the customers t holds with it; o.Custom, the custom
// groups, are evaluated on each customer's row, RFM scores and seed
// groups, as a run evaluates them. With prev, the previous run (its
// model's as_of and, in prev.Customers or in its folder, at least t's
// customers' cluster keys, RFM segments and dates), the history columns (previous_segment,
// previous_cluster_key, segment_changed_at) are filled as a run fills
// them. With lv, the lifetime-value models fitted on the whole store
// (FitCLV), each customer's predictions and the lifetime-value groups
// are those of a run with the clv section (o.ChurnThreshold its
// churn_threshold). It returns the rows of the assignments table a run
// writes for these customers (o.CLV and o.Previous are not used) and
// their customers' tally (Assigned); prev.SegCount, the previous run's
// customers by RFM segment (empty when it had none), decides whether the
// tally compares their segments with the previous run's, as a run's does. With c, the customers table's rows of
// these customers (of the same part of the store), the customers of c
// without orders (not in t) are prospects, and c's columns, profile and
// attributes are joined as a run joins them; storeProspects says that
// the store has prospects, so that the columns a prospect leaves null are
// nullable whether or not t's part has one (every part then has the same
// columns). With e, the events table folded for these customers (their
// events features, of the same part of the store), the customers of e
// without orders are prospects too and the events columns are joined as
// a run joins them. t is not modified.
func AssignRows(ctx context.Context, t *features.Table, c *features.CustomerTable, e *features.EventTable, storeProspects bool, m *Model, cuts features.GroupCuts,
	prev *Previous, lv *CLVFit, o *Options) (*Assigned, error) {
	if m.Transform == nil || len(m.Clusters) != m.K {
		return nil, fmt.Errorf("pipeline: assign: a model without a transform or clusters")
	}
	b := newBuyers(t)
	d := len(m.Transform.Columns)
	fit := &cluster.Result{K: m.K, D: d, Sizes: make([]int, m.K)}
	if n := b.Table.N(); n > 0 {
		x, err := m.Transform.Apply(b.Table, nil)
		if err != nil {
			return nil, fmt.Errorf("pipeline: assign: %w", err)
		}
		fit = predict(x, n, d, m.Centroids)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	so := *o
	so.Model, so.ModelPath, so.CLV = m, "", nil
	in := &Tables{Table: t, Events: e}
	if c != nil {
		in.Customers, in.Prospects = c, c.Prospects(t.IDs)
	}
	seg, err := segment(ctx, in, &so, &cuts)
	if err != nil {
		return nil, err
	}
	var pred *CLV
	seg, pred = seg.withCLV(lv, o)
	clusters := make([]ClusterInfo, m.K)
	for c, mc := range m.Clusters {
		clusters[c] = ClusterInfo{ID: mc.ID, Key: mc.Key, Name: mc.Name}
	}
	r := &Result{Options: &so, Tables: in, Segments: seg, Buyers: b, Clustering: &Clustering{Fit: fit},
		Profiles: &Profiles{Clusters: clusters}, Previous: prev, CLV: pred}
	if prev != nil {
		if r.history, err = alignPrevious(ctx, prev, seg.All.IDs, nil); err != nil {
			return nil, err
		}
	}
	a := r.assignmentChunks()
	if storeProspects { // as when the part has a prospect
		a.prospects = true
		if seg.RFM != nil {
			a.prospectScores = true
		}
	}
	rows := a.Rows(0, a.NumRows())
	// The customers' tally, as a run counts it over its assignments, with
	// the crosstab of clusters and RFM segments (the finish checks its own
	// against it).
	plan := tallyPlanOf(r, prev != nil, prev != nil && len(prev.SegCount) > 0, true)
	p, err := columnsOf(rows, plan.cols)
	if err != nil {
		return nil, err
	}
	tally := plan.newTally()
	tally.add(plan, p)
	if tally.sums, err = countReportSums(ctx, r, m.Transform.Columns); err != nil {
		return nil, fmt.Errorf("pipeline: assign: %w", err)
	}
	return &Assigned{Rows: rows, Tally: &CustomerTally{tally}}, nil
}

// Assigned is what AssignRows returns for a part of a store's customers.
type Assigned struct {
	// Rows are the rows of the assignments table a run writes for them.
	Rows *data.Table
	// Tally is what a run's customers' pass counts over them (the
	// clusters' common values, the comparison with the previous run, the
	// lifetime-value sums, the counts by RFM segment, group and reason not
	// clustered), and the crosstab of clusters and RFM segments: the
	// tallies of every part, merged, are those of the whole store.
	Tally *CustomerTally
}
