package pipeline

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// customerTally is what the customers' pass counts (report_customers.go).
// Its counts and sums do not depend on the order of the customers or on
// how they are split (the sums are exact, features.ExactSum): a scale-out run's
// job 2 counts each shard (AssignRows) and the merged tallies are a local
// run's, bit for bit (CustomerTally).
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
	// refitMoves counts the customers of keyPairs whose key changed but
	// whom the previous run's model (its transform and centres, applied
	// to their features now) puts in their previous cluster: the refit
	// moved them, not their data (tallyPlan.refit; 0 without it).
	refitMoves int
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
	clvBySeg     map[string]*clvSums
	clvByCluster map[int]*clvSums
	clvOrders    features.ExactSum // Σ expected orders of the customers scored
	clvValue     features.ExactSum // Σ lifetime value of those valued
	// scores counts the customers scored by RFM letter (R, F, M) and
	// score (1–5; 0 unused), nil without RFM: which scores nobody
	// received (shardPasses.collapsed).
	scores [][6]int
	// crosstab counts the clustered customers by cluster label and RFM
	// segment (features.RFMSegments' order), when the plan asks for it
	// (job 2's, which the finish checks against its own).
	crosstab [][]int
	// shape is what the plan counted (nil for an empty tally); mixed says
	// that tallies of different shapes were merged, or tallies with the
	// report's sums and without them.
	shape *tallyShape
	mixed bool
	// sums are the report's sums over the customers (job 2's, a shard's
	// counted by AssignRows), nil when not counted: a finish then counts
	// them in a pass over the shards.
	sums *reportSums
}

// tallyShape is what a plan counts, so that a scale-out finish can check
// that job 2's tally counts what its own pass would.
type tallyShape struct {
	Attributes   [3]bool  `json:"attributes"` // city, country, channel
	K            int      `json:"k"`
	Groups       []string `json:"groups"`
	RFM          bool     `json:"rfm"`
	Previous     bool     `json:"previous"`
	PrevSegments bool     `json:"previous_segments"`
	CLV          bool     `json:"clv"`
	Refit        bool     `json:"refit,omitempty"`
}

// shape returns what the plan counts.
func (p *tallyPlan) shape() *tallyShape {
	sh := &tallyShape{K: p.k, Groups: slices.Clone(p.groupIDs), RFM: p.seg >= 0, Previous: p.prevKey >= 0,
		PrevSegments: p.prevSeg >= 0, CLV: p.pAlive >= 0, Refit: p.refit != nil}
	for a, j := range p.attr {
		sh.Attributes[a] = j >= 0
	}
	return sh
}

// checkShape returns an error unless t counts what the plan counts.
func (p *tallyPlan) checkShape(t *customerTally) error {
	want := p.shape()
	if t.mixed || t.shape == nil || !reflect.DeepEqual(*t.shape, *want) {
		got := "tallies of different kinds"
		if !t.mixed && t.shape != nil {
			got = fmt.Sprintf("%+v", *t.shape)
		}
		return fmt.Errorf("pipeline: job 2's customers' tally counts %s, the run %+v", got, *want)
	}
	return nil
}

// scoresUsed returns, by RFM letter and score, whether some customer
// received the score: nil without a tally or its scores.
func (t *customerTally) scoresUsed() *[3][6]bool {
	if t == nil || len(t.scores) != 3 {
		return nil
	}
	var used [3][6]bool
	for l, row := range t.scores {
		for s, n := range row {
			used[l][s] = n > 0
		}
	}
	return &used
}

// clvSums are a report.CLVRow's sums, exact.
type clvSums struct {
	Name                         string
	Customers                    int
	PAlive, Orders, Value, Risks features.ExactSum
}

// row returns the sums as a report.CLVRow (PAlive still a sum).
func (s *clvSums) row() report.CLVRow {
	return report.CLVRow{Name: s.Name, Customers: s.Customers, PAlive: s.PAlive.Float64(), Orders: s.Orders.Float64(),
		Value: s.Value.Float64(), AtRisk: s.Risks.Float64()}
}

// tallyPlan is what a customerTally counts, from which columns of the
// assignments (cols, by name, the columns handed to add in this order):
// it depends on what the run has.
type tallyPlan struct {
	cols                            []string
	attr                            [3]int // -1: the run has not the attribute
	reason                          int
	groups                          []int // the columns of the computed groups…
	groupIDs                        []string
	seg, prevSeg, prevKey, monetary int
	scores                          [3]int // the r_score, f_score and m_score columns (with seg)
	pAlive, orders, value           int
	k                               int
	clusterNames                    []string       // by label: the lifetime-value sums' names
	segIndex                        map[string]int // with crosstab: the RFM segments' places
	refit                           *refitModel    // with previous: the previous run's model, when it can score these customers
}

// refitModel is the previous run's model as the tally applies it: its
// transform, centres and keys, and the plan's columns of its features.
type refitModel struct {
	tr        *features.Transform
	centroids []float64 // flat, as cluster.Predict takes them
	keys      []string
	cols      []int
}

// refitModelOf returns the previous run's model for plan p (want adds a
// column), or nil when it cannot score this run's customers: no model
// saved, or a feature it clusters on that this run's table lacks.
func refitModelOf(prev *Previous, s *Segments, want func(string) int) *refitModel {
	if prev == nil || prev.Model == nil || prev.Model.Transform == nil || len(prev.Model.Centroids) == 0 ||
		len(prev.Model.Centroids) != len(prev.Model.Clusters) || s.All == nil {
		return nil
	}
	tr := prev.Model.Transform
	for _, name := range tr.Columns {
		if c := s.All.Col(name); c == nil {
			return nil
		}
	}
	m := &refitModel{tr: tr, centroids: prev.Model.flatCentroids()}
	for _, c := range prev.Model.Clusters {
		m.keys = append(m.keys, c.Key)
	}
	for _, name := range tr.Columns {
		m.cols = append(m.cols, want(name))
	}
	return m
}

// moved counts the customers of tab at rows whom the previous run's
// model puts in the cluster of prev (their previous keys): it scores
// their features as segment assign does (cluster.Predict).
func (m *refitModel) moved(tab *data.Table, rows []int, prev []string) int {
	d := len(m.cols)
	x := make([]float64, 0, len(rows)*d)
	for _, i := range rows {
		for j, c := range m.cols {
			v := 0.0
			if col := &tab.Columns[c]; !col.IsNull(i) {
				v = col.Floats[i]
			}
			x = append(x, m.tr.PointAt(j, v))
		}
	}
	labels, _ := cluster.Predict(x, len(rows), d, m.centroids, len(m.keys), nil, nil)
	n := 0
	for r, l := range labels {
		if m.keys[l] == prev[r] {
			n++
		}
	}
	return n
}

// tallyPlanOf returns r's plan. With previous, the customers are compared
// with a previous run's (its keys, and its RFM segments with prevSegments:
// that run had them); with crosstab, the clustered customers are counted
// by cluster and RFM segment too (customerTally.crosstab).
func tallyPlanOf(r *Result, previous, prevSegments, crosstab bool) *tallyPlan {
	s, k := r.Segments, r.Clustering.Fit.K
	p := &tallyPlan{cols: []string{"cluster", "cluster_key"}, k: k, seg: -1, prevSeg: -1, prevKey: -1, monetary: -1, pAlive: -1, orders: -1, value: -1}
	at := map[string]int{}
	want := func(name string) int {
		if j, ok := at[name]; ok {
			return j
		}
		at[name] = len(p.cols)
		p.cols = append(p.cols, name)
		return at[name]
	}
	p.attr = [3]int{-1, -1, -1}
	for a, v := range [][]string{s.Attrs.City, s.Attrs.Country, s.Attrs.Channel} {
		if v != nil && k > 0 {
			p.attr[a] = want(features.AttributeNames[a])
		}
	}
	p.reason = want("not_clustered")
	for _, g := range s.Groups {
		if g.Members != nil {
			p.groups, p.groupIDs = append(p.groups, want(g.ID)), append(p.groupIDs, g.ID)
		}
	}
	if s.RFM != nil {
		p.seg = want("rfm_segment")
		p.scores = [3]int{want("r_score"), want("f_score"), want("m_score")}
		if crosstab && k > 0 {
			p.segIndex = map[string]int{}
			for j, info := range features.RFMSegments() {
				p.segIndex[info.ID] = j
			}
		}
	}
	if previous {
		p.prevKey = want("previous_cluster_key")
		p.refit = refitModelOf(r.Previous, s, want)
		if prevSegments {
			p.prevSeg = want("previous_segment")
		}
	}
	if s.All.Col(features.Monetary) != nil {
		p.monetary = want(features.Monetary)
	}
	if c := r.CLV; c != nil {
		cc := c.columns()
		p.pAlive, p.orders, p.value = want(cc[0].Name), want(cc[1].Name), want(cc[3].Name)
		for _, c := range r.Profiles.Clusters {
			p.clusterNames = append(p.clusterNames, c.Name)
		}
	}
	return p
}

// newTally returns an empty tally of the plan: its maps made for what the
// plan counts, nil for what it does not.
func (p *tallyPlan) newTally() *customerTally {
	t := &customerTally{notClustered: map[string]int{}, groups: map[string]int{}, shape: p.shape()}
	for a, j := range p.attr {
		if j >= 0 {
			t.common[a] = make([]map[string]int, p.k)
		}
	}
	for _, id := range p.groupIDs {
		t.groups[id] = 0
	}
	if p.seg >= 0 {
		t.segments, t.scores = map[string]int{}, make([][6]int, 3)
	}
	if p.prevKey >= 0 {
		t.keyPairs, t.keyMoves, t.segMoves = map[[2]string]int{}, map[[2]string]int{}, map[[2]string]int{}
	}
	if p.pAlive >= 0 {
		t.clvBySeg, t.clvByCluster = map[string]*clvSums{}, map[int]*clvSums{}
	}
	if p.segIndex != nil {
		t.crosstab = make([][]int, p.k)
		for l := range t.crosstab {
			t.crosstab[l] = make([]int, len(p.segIndex))
		}
	}
	return t
}

// add counts the customers of tab, whose columns are the plan's (cols).
func (t *customerTally) add(p *tallyPlan, tab *data.Table) {
	labels, keys := tab.Columns[0].Ints, tab.Columns[1].Strings
	t.customers += len(labels)
	c := &tab.Columns[p.reason]
	for i, why := range c.Strings {
		if !c.IsNull(i) {
			t.notClustered[why]++
		}
	}
	for g, j := range p.groups {
		n := 0
		for _, in := range tab.Columns[j].Bools {
			if in {
				n++
			}
		}
		t.groups[p.groupIDs[g]] += n
	}
	if p.seg >= 0 {
		for l, j := range p.scores {
			c := &tab.Columns[j]
			for i, s := range c.Ints {
				if s > 0 && s <= 5 && !c.IsNull(i) {
					t.scores[l][s]++
				}
			}
		}
		for i, name := range tab.Columns[p.seg].Strings {
			t.segments[name]++
			if l := labels[i]; p.segIndex != nil && l >= 0 {
				t.crosstab[l][p.segIndex[name]]++
			}
		}
	}
	if p.monetary >= 0 && !t.anySpend {
		m := &tab.Columns[p.monetary]
		for i, v := range m.Floats {
			if v > 0 && !m.IsNull(i) {
				t.anySpend = true
				break
			}
		}
	}
	for a, j := range p.attr {
		if j < 0 {
			continue
		}
		c := &tab.Columns[j]
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
	if p.prevKey >= 0 {
		pk := &tab.Columns[p.prevKey]
		var movers []int       // the rows of customers whose key changed…
		var moverPrev []string // …and their previous keys
		for i, key := range keys {
			if pk.IsNull(i) { // not in the previous run
				continue
			}
			prev := pk.Strings[i]
			t.keyMoves[[2]string{prev, key}]++
			if p.prevSeg >= 0 && p.seg >= 0 && tab.Columns[p.prevSeg].Strings[i] != "" { // "": not in the previous run's segments
				t.segMoves[[2]string{tab.Columns[p.prevSeg].Strings[i], tab.Columns[p.seg].Strings[i]}]++
			}
			if labels[i] >= 0 && prev != ProspectKey && prev != NotClusteredKey {
				t.keyPairs[[2]string{prev, key}]++
				if p.refit != nil && prev != key {
					movers, moverPrev = append(movers, i), append(moverPrev, prev)
				}
			}
		}
		if len(movers) > 0 {
			t.refitMoves += p.refit.moved(tab, movers, moverPrev)
		}
	}
	if p.pAlive >= 0 {
		t.addCLV(p, tab)
	}
}

// addCLV adds the lifetime values of the customers of tab scored (p_alive
// not null) to their RFM segment's and cluster's sums, and to the totals.
func (t *customerTally) addCLV(p *tallyPlan, tab *data.Table) {
	pa, ord, val := &tab.Columns[p.pAlive], &tab.Columns[p.orders], &tab.Columns[p.value]
	labels := tab.Columns[0].Ints
	add := func(row *clvSums, i int) {
		row.Customers++
		row.PAlive.Add(pa.Floats[i]) // a sum until divided (clvSection)
		row.Orders.Add(ord.Floats[i])
		if !val.IsNull(i) {
			row.Value.Add(val.Floats[i])
		}
		if p.monetary >= 0 {
			m := &tab.Columns[p.monetary]
			spend := 0.0 // a prospect's, null, is 0 as a run holds it
			if !m.IsNull(i) {
				spend = m.Floats[i]
			}
			row.Risks.Add((1 - pa.Floats[i]) * spend)
		}
	}
	for i := range labels {
		if !val.IsNull(i) {
			t.clvValue.Add(val.Floats[i])
		}
		if pa.IsNull(i) {
			continue
		}
		t.clvScored++
		t.clvOrders.Add(ord.Floats[i])
		if p.seg >= 0 {
			name := tab.Columns[p.seg].Strings[i]
			if t.clvBySeg[name] == nil {
				t.clvBySeg[name] = &clvSums{Name: name}
			}
			add(t.clvBySeg[name], i)
		}
		l := int(labels[i])
		if byCluster := t.clvByCluster; byCluster[l] == nil {
			name := "Not clustered"
			if l >= 0 {
				name = p.clusterNames[l]
			}
			byCluster[l] = &clvSums{Name: name}
		}
		add(t.clvByCluster[l], i)
	}
}
