package pipeline

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// The report's figures over every customer that are neither per cluster
// (cluster_tally.go) nor per RFM segment (report_rfm_stream.go) are
// counted in one pass over the customers' rows of the assignments
// (customerRows), in customer id order: a local run's as they are
// written (assignmentChunks), a scale-out finish's read from job 2's
// shards. They are the clusters' most common city, country and channel,
// the comparison with the previous run (its keys, segments and
// migrations), the lifetime-value sums, and the counts of run.json and
// the report (customers by RFM segment, group and reason not clustered):
// so that a finish holds no customer's labels. The counts and sums do not
// depend on the customers' order (customer_tally.go): a scale-out run's
// job 2 counts them shard by shard, and the finish makes no such pass.

// customerRows calls fn with the columns cols (by name, in that order) of
// every customer's assignments row, in customer id order, a range at a
// time: from job 2's shards in a scale-out finish, else from the
// assignments as they are written.
func (r *Result) customerRows(cols []string, fn func(t *data.Table) error) error {
	if r.shards != nil {
		return r.shards.scan(cols, fn)
	}
	a := r.assignmentChunks().reusing() // fn is done with a range before the next
	n := a.NumRows()
	for lo := 0; lo < n; lo += shardPieceRows {
		p, err := columnsOf(a.Rows(lo, min(lo+shardPieceRows, n)), cols)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// columnsOf returns the columns cols (by name, in that order) of t, an
// assignments table, sharing their memory.
func columnsOf(t *data.Table, cols []string) (*data.Table, error) {
	p := &data.Table{Columns: make([]data.Column, len(cols))}
	for j, name := range cols {
		c := t.Column(name)
		if c == nil {
			return nil, fmt.Errorf("pipeline: the assignments have no column %q", name)
		}
		p.Columns[j] = *c
	}
	return p, nil
}

// counted returns the run's customerTally (WriteOutputs counts it first),
// or an empty one before it is counted.
func (r *Result) counted() *customerTally {
	if r.tally == nil {
		return &customerTally{}
	}
	return r.tally
}

// withOrders returns the number of customers with orders: the rows of the
// feature table (a finish holds none), counted as the customers who are
// not prospects.
func (r *Result) withOrders() int {
	t := r.counted()
	return t.customers - t.notClustered[features.NotClusteredProspect]
}

// tallyCustomers counts the customerTally of the run in one pass (a
// scale-out finish takes job 2's, r.shardTally, and makes none) and sets
// the stability's comparison of the keys (Common, KeyChanges, ARI).
func (r *Result) tallyCustomers(ctx context.Context) (*customerTally, error) {
	st := r.Stability
	plan := tallyPlanOf(r, st != nil, st != nil && len(st.Prev.SegCount) > 0, false)
	t := r.shardTally
	if t != nil {
		if err := plan.checkShape(t); err != nil {
			return nil, err
		}
	} else {
		t = plan.newTally()
		err := r.customerRows(plan.cols, func(p *data.Table) error {
			t.add(plan, p)
			return ctx.Err()
		})
		if err != nil {
			return nil, err
		}
	}
	if st := r.Stability; st != nil {
		st.Common, st.KeyChanges, st.ARI, st.InRun = 0, 0, 0, 0
		st.RefitMoves, st.RefitKnown = t.refitMoves, plan.refit != nil
		for pair, n := range t.keyMoves {
			if pair[0] != ProspectKey { // as Prev.Count: customers with orders
				st.InRun += n
			}
		}
		prevs, curs := map[string]int{}, map[string]int{} // the margins
		var cells []int
		for pair, n := range t.keyPairs {
			st.Common += n
			if pair[0] != pair[1] {
				st.KeyChanges += n
			}
			prevs[pair[0]] += n
			curs[pair[1]] += n
			cells = append(cells, n)
		}
		if st.Common > 1 {
			st.ARI = cluster.AdjustedRandCounts(cells, slices.Collect(maps.Values(prevs)), slices.Collect(maps.Values(curs)))
		}
	}
	return t, nil
}
