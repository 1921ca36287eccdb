package pipeline

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
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
// so that a finish holds no customer's labels.

// customerTally is what the pass counts.
type customerTally struct {
	// common[a][c] counts cluster c's customers by their value of
	// attribute a (features.AttributeNames); nil for an attribute the run
	// has not.
	common [3][]map[string]int
	// keyPairs counts the customers in both runs that both runs clustered
	// by (previous cluster key, cluster key): the keys' adjusted Rand
	// index. keyMoves and segMoves count every customer in both runs by
	// (previous, current) cluster key and RFM segment. nil without a
	// previous run.
	keyPairs, keyMoves, segMoves map[[2]string]int
	// customers counts every customer; segments counts them by RFM
	// segment (nil without RFM), groups by computed group (members),
	// notClustered by reason not clustered (prospects included).
	customers    int
	segments     map[string]int
	groups       map[string]int
	notClustered map[string]int
	// clvScored counts the customers the lifetime-value models scored
	// (p_alive not null); anySpend is whether any has a positive monetary.
	clvScored int
	anySpend  bool
	// The lifetime-value sums per RFM segment and per cluster (−1: not
	// clustered), and over every customer (clvSummary's): nil without a
	// clv section.
	clvBySeg     map[string]*report.CLVRow
	clvByCluster map[int]*report.CLVRow
	clvOrders    float64 // Σ expected orders of the customers scored
	clvValue     float64 // Σ lifetime value of those valued
}

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
		t := a.Rows(lo, min(lo+shardPieceRows, n))
		p := &data.Table{Columns: make([]data.Column, len(cols))}
		for j, name := range cols {
			c := t.Column(name)
			if c == nil {
				return fmt.Errorf("pipeline: the assignments have no column %q", name)
			}
			p.Columns[j] = *c
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
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

// tallyCustomers counts the customerTally of the run in one pass and sets
// the stability's comparison of the keys (Common, KeyChanges, ARI).
func (r *Result) tallyCustomers(ctx context.Context) (*customerTally, error) {
	t := &customerTally{}
	s, k := r.Segments, r.Clustering.Fit.K
	cols := []string{"cluster", "cluster_key"}
	at := map[string]int{}
	want := func(name string) int {
		if j, ok := at[name]; ok {
			return j
		}
		at[name] = len(cols)
		cols = append(cols, name)
		return at[name]
	}
	attr := [3]int{-1, -1, -1}
	for a, v := range [][]string{s.Attrs.City, s.Attrs.Country, s.Attrs.Channel} {
		if v != nil && k > 0 {
			attr[a] = want(features.AttributeNames[a])
			t.common[a] = make([]map[string]int, k)
		}
	}
	reason := want("not_clustered")
	t.notClustered, t.groups = map[string]int{}, map[string]int{}
	var groups []int // the columns of the computed groups, as s.Groups
	var groupIDs []string
	for _, g := range s.Groups {
		if g.Members != nil {
			groups, groupIDs = append(groups, want(g.ID)), append(groupIDs, g.ID)
			t.groups[g.ID] = 0
		}
	}
	seg, prevSeg, prevKey := -1, -1, -1
	if s.RFM != nil {
		seg = want("rfm_segment")
		t.segments = map[string]int{}
	}
	if st := r.Stability; st != nil {
		prevKey = want("previous_cluster_key")
		if len(st.Prev.SegCount) > 0 { // the previous run had RFM segments
			prevSeg = want("previous_segment")
		}
		t.keyPairs, t.keyMoves, t.segMoves = map[[2]string]int{}, map[[2]string]int{}, map[[2]string]int{}
	}
	monetary := -1
	if s.All.Col(features.Monetary) != nil {
		monetary = want(features.Monetary)
	}
	pAlive, orders, value := -1, -1, -1
	if c := r.CLV; c != nil {
		cc := c.columns()
		pAlive, orders, value = want(cc[0].Name), want(cc[1].Name), want(cc[3].Name)
		t.clvBySeg, t.clvByCluster = map[string]*report.CLVRow{}, map[int]*report.CLVRow{}
	}
	err := r.customerRows(cols, func(p *data.Table) error {
		labels, keys := p.Columns[0].Ints, p.Columns[1].Strings
		t.customers += len(labels)
		c := &p.Columns[reason]
		for i, why := range c.Strings {
			if !c.IsNull(i) {
				t.notClustered[why]++
			}
		}
		for g, j := range groups {
			n := 0
			for _, in := range p.Columns[j].Bools {
				if in {
					n++
				}
			}
			t.groups[groupIDs[g]] += n
		}
		if seg >= 0 {
			for _, name := range p.Columns[seg].Strings {
				t.segments[name]++
			}
		}
		if monetary >= 0 && !t.anySpend {
			m := &p.Columns[monetary]
			for i, v := range m.Floats {
				if v > 0 && !m.IsNull(i) {
					t.anySpend = true
					break
				}
			}
		}
		for a, j := range attr {
			if j < 0 {
				continue
			}
			c := &p.Columns[j]
			for i, l := range labels {
				if l < 0 || c.IsNull(i) || c.Strings[i] == "" {
					continue
				}
				if t.common[a][l] == nil {
					t.common[a][l] = map[string]int{}
				}
				t.common[a][l][c.Strings[i]]++
			}
		}
		if prevKey >= 0 {
			pk := &p.Columns[prevKey]
			for i, key := range keys {
				if pk.IsNull(i) { // not in the previous run
					continue
				}
				prev := pk.Strings[i]
				t.keyMoves[[2]string{prev, key}]++
				if prevSeg >= 0 && seg >= 0 && p.Columns[prevSeg].Strings[i] != "" { // "": not in the previous run's segments
					t.segMoves[[2]string{p.Columns[prevSeg].Strings[i], p.Columns[seg].Strings[i]}]++
				}
				if labels[i] >= 0 && prev != ProspectKey && prev != NotClusteredKey {
					t.keyPairs[[2]string{prev, key}]++
				}
			}
		}
		if pAlive >= 0 {
			t.addCLV(r, p, pAlive, orders, value, monetary, seg)
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	if st := r.Stability; st != nil {
		st.Common, st.KeyChanges, st.ARI = 0, 0, 0
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

// addCLV adds the lifetime values of the customers of p scored (p_alive
// not null) to their RFM segment's and cluster's sums, and to the totals.
func (t *customerTally) addCLV(r *Result, p *data.Table, pAlive, orders, value, monetary, seg int) {
	pa, ord, val := &p.Columns[pAlive], &p.Columns[orders], &p.Columns[value]
	labels := p.Columns[0].Ints
	add := func(row *report.CLVRow, i int) {
		row.Customers++
		row.PAlive += pa.Floats[i] // a sum until divided (clvSection)
		row.Orders += ord.Floats[i]
		if !val.IsNull(i) {
			row.Value += val.Floats[i]
		}
		if monetary >= 0 {
			m := &p.Columns[monetary]
			spend := 0.0 // a prospect's, null, is 0 as a run holds it
			if !m.IsNull(i) {
				spend = m.Floats[i]
			}
			row.AtRisk += (1 - pa.Floats[i]) * spend
		}
	}
	for i := range labels {
		if !val.IsNull(i) {
			t.clvValue += val.Floats[i]
		}
		if pa.IsNull(i) {
			continue
		}
		t.clvScored++
		t.clvOrders += ord.Floats[i]
		if seg >= 0 {
			name := p.Columns[seg].Strings[i]
			if t.clvBySeg[name] == nil {
				t.clvBySeg[name] = &report.CLVRow{Name: name}
			}
			add(t.clvBySeg[name], i)
		}
		l := int(labels[i])
		if byCluster := t.clvByCluster; byCluster[l] == nil {
			name := "Not clustered"
			if l >= 0 {
				name = r.Profiles.Clusters[l].Name
			}
			byCluster[l] = &report.CLVRow{Name: name}
		}
		add(t.clvByCluster[l], i)
	}
}
