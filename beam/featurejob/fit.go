package featurejob

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/segment-tool/segment/features"
)

// The global values the fit needs, computed over every customer without
// gathering a column on one worker, equal bit for bit to those of a local
// run: the RFM cut points (features.FitRFMCuts) and the clustering
// transform of the buyers (features.Informative, then
// features.FitTransform). Order statistics come from orderstats.go; the
// mean and variance of each column from exact sums (features.ExactSum),
// in two passes (the mean, then the squares about it).

// Fit is what job 1 computes for the fit, in features.json.
type Fit struct {
	// Buyers counts the customers who are clustered (features.NotClustered).
	Buyers  int64            `json:"buyers"`
	RFMCuts features.RFMCuts `json:"rfm_cuts"` // fitted on the customers with a purchase
	// GroupCuts are the seed groups' store-wide cuts (features.GroupCuts).
	GroupCuts GroupCuts `json:"group_cuts"`
	// Use are the features of Config.Use that are informative, in order,
	// Excluded the others with the reason, as features.Informative.
	Use      []string            `json:"use"`
	Excluded []features.Excluded `json:"excluded,omitempty"`
	// Transform is fitted on every buyer, as features.FitTransform (no
	// columns when no feature is informative); Clipped counts the buyers
	// with a winsorised value.
	Transform *features.Transform `json:"transform"`
	Clipped   int64               `json:"clipped"`
	// Sample is the file, in FeaturesDir, of the buyers the model is fitted
	// on: the SampleRows with the smallest hash of (Seed, customer id),
	// sorted by id; every buyer when there are at most Config.SampleSize.
	Sample     string `json:"sample"`
	SampleRows int64  `json:"sample_rows"`
	Seed       uint64 `json:"seed"`
	// Customers are the customers table's counts (customers.go), nil
	// without one.
	Customers *CustomersFit `json:"customers,omitempty"`
	// Events are the events table's counts (events.go), nil without one.
	Events *EventsFit `json:"events,omitempty"`
}

// fitCols are the table's columns as the fit sees them.
type fitCols struct {
	names []string
	use   []string // clustering.use (Config.use)
	// The index in names of recency_days, frequency, monetary and
	// max_order_value, -1 for a column the table lacks (a feature table's
	// may: Config.Features).
	recency, freq, monetary, maxOrder int
	cand                              *features.Transform // the candidate columns: every column of Config.Use
	block                             []bool
	idx                               []int // candidate column j's index in names
}

// newFitCols resolves Config.Use against the table's columns; with st,
// the candidates' winsorising bounds are set.
func newFitCols(c *Config, names []string, st *orderStats) (*fitCols, error) {
	f := &fitCols{names: names, use: c.use(names), recency: slices.Index(names, features.RecencyDays),
		freq: slices.Index(names, features.Frequency), monetary: slices.Index(names, features.Monetary),
		maxOrder: slices.Index(names, features.MaxOrderValue)}
	if c.Features == "" && (f.recency < 0 || f.freq < 0 || f.monetary < 0 || f.maxOrder < 0) {
		return nil, fmt.Errorf("featurejob: the table lacks recency, frequency, monetary or max_order_value")
	}
	var err error
	if f.cand, f.block, err = features.TransformColumns(names, c.spec(f.use)); err != nil {
		return nil, fmt.Errorf("featurejob: clustering.use: %w", err)
	}
	for _, col := range f.cand.Columns {
		f.idx = append(f.idx, slices.Index(names, col))
	}
	if st != nil && f.cand.Lo != nil {
		for j := range f.cand.Columns {
			s := int32(statFirstColumn + j)
			n := st.count(s)
			if n == 0 {
				continue
			}
			lo, hi := features.ClipRanks(int(n), newRankSpec(c).Clip)
			vlo, ok1 := st.value(s, int64(lo))
			vhi, ok2 := st.value(s, int64(hi))
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("featurejob: no winsorising bounds for %s", f.cand.Columns[j])
			}
			f.cand.Lo[j], f.cand.Hi[j] = f.cand.Log(j, vlo), f.cand.Log(j, vhi)
		}
	}
	return f, nil
}

// isBuyer tells whether the customer of row values v is clustered.
func (f *fitCols) isBuyer(v []float64) bool {
	t := &features.Table{IDs: []string{""}, Names: f.names, Cols: make([][]float64, len(v))}
	for j := range v {
		t.Cols[j] = v[j : j+1]
	}
	return features.NotClustered(t)[0] == ""
}

// point returns a row's values for the order statistics: those of the
// RFM and group cuts for a customer with a purchase (of the columns the
// table has: features.FitRFMCuts and features.GroupCutsOf need frequency),
// those of the candidate columns for a buyer.
func (f *fitCols) point(v []float64) statPoint {
	var p statPoint
	if f.freq >= 0 && v[f.freq] > 0 {
		for _, c := range []struct {
			stat int32
			i    int
		}{{statRecency, f.recency}, {statFrequency, f.freq}, {statMonetary, f.monetary}, {statMaxOrder, f.maxOrder}} {
			if c.i < 0 {
				continue
			}
			x := v[c.i]
			if c.stat == statMaxOrder && f.monetary >= 0 { // big_order ranks by it (features.BigOrderValue)
				x = features.BigOrderValue(x, v[f.monetary])
			}
			p.Stats, p.Values = append(p.Stats, c.stat), append(p.Values, x)
		}
	}
	if f.isBuyer(v) {
		for j, i := range f.idx {
			p.Stats, p.Values = append(p.Stats, int32(statFirstColumn+j)), append(p.Values, v[i])
		}
	}
	return p
}

// sumInput is one buyer's terms of the exact sums, summed by sumFn.
type sumInput struct {
	Count int64
	Eq    []int64   // candidate column j equals its lower median (pass 1)
	V     []float64 // g(v) (pass 1) or (g(v) − mean)² (pass 2), by candidate column
}

// sumOut are the sums.
type sumOut struct {
	Count int64
	Eq    []int64
	Sums  []float64
}

// sumAcc accumulates sumInputs exactly.
type sumAcc struct {
	Count int64
	Eq    []int64
	Sums  []features.ExactSum
}

// sumFn is the CombineFn of the exact sums.
type sumFn struct{}

// CreateAccumulator returns an empty sum.
func (sumFn) CreateAccumulator() sumAcc { return sumAcc{} }

// grow makes a hold n columns.
func (a *sumAcc) grow(n int) {
	for len(a.Eq) < n {
		a.Eq = append(a.Eq, 0)
	}
	for len(a.Sums) < n {
		a.Sums = append(a.Sums, features.ExactSum{})
	}
}

// AddInput adds one buyer's terms.
func (sumFn) AddInput(a sumAcc, in sumInput) sumAcc {
	a.grow(max(len(in.Eq), len(in.V)))
	a.Count += in.Count
	for j, e := range in.Eq {
		a.Eq[j] += e
	}
	for j, v := range in.V {
		a.Sums[j].Add(v)
	}
	return a
}

// MergeAccumulators adds b to a.
func (sumFn) MergeAccumulators(a, b sumAcc) sumAcc {
	a.grow(len(b.Sums))
	a.Count += b.Count
	for j := range b.Eq {
		a.Eq[j] += b.Eq[j]
	}
	for j := range b.Sums {
		a.Sums[j].Merge(&b.Sums[j])
	}
	return a
}

// ExtractOutput rounds the sums.
func (sumFn) ExtractOutput(a sumAcc) sumOut {
	o := sumOut{Count: a.Count, Eq: a.Eq, Sums: make([]float64, len(a.Sums))}
	for j := range a.Sums {
		o.Sums[j] = a.Sums[j].Float64()
	}
	return o
}

// candMoments returns candidate column j's moments from the order
// statistics and the two passes' sums.
func (f *fitCols) candMoments(j int, st orderStats, pass1, pass2 sumOut) (features.ColumnMoments, bool) {
	s := int32(statFirstColumn + j)
	n := st.count(s)
	lo, ok1 := st.value(s, 0)
	hi, ok2 := st.value(s, n-1)
	if n == 0 || !ok1 || !ok2 || j >= len(pass1.Sums) {
		return features.ColumnMoments{}, false
	}
	m := features.ColumnMoments{N: int(n), Min: f.cand.Clipped(j, lo), Max: f.cand.Clipped(j, hi),
		Mean: pass1.Sums[j] / float64(n)}
	if j < len(pass2.Sums) {
		m.SumSq = pass2.Sums[j]
	}
	return m, true
}

// transform returns the informative features and the transform fitted on
// them: Lo and Hi always, the centres and scales when pass2 is given.
func (f *fitCols) transform(c *Config, absent []string, st orderStats, pass1 sumOut, pass2 *sumOut) (*features.Transform, []string, []features.Excluded, error) {
	n := pass1.Count
	// differ is n − count(lower median): the exact count of values that
	// differ from the most common one when that one holds more than half
	// the values (it is then the median), and at least ⌈n/2⌉, which is at
	// least Informative's limit for a min_share below 0.5, otherwise.
	differ := func(name string) (int, bool) {
		j := slices.Index(f.cand.Columns, name)
		if j < 0 || j >= len(pass1.Eq) {
			return 0, false
		}
		return int(n - pass1.Eq[j]), true
	}
	kept, excluded := features.InformativeBy(&features.Table{Names: f.names, Absent: absent}, int(n), f.use, c.minShare(), differ)
	if len(kept) == 0 {
		return &features.Transform{}, kept, excluded, nil
	}
	spec := c.spec(kept)
	tr, block, err := features.TransformColumns(f.names, spec)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("featurejob: %w", err)
	}
	moments := make([]features.ColumnMoments, len(tr.Columns))
	for j, col := range tr.Columns {
		k := slices.Index(f.cand.Columns, col)
		if tr.Lo != nil {
			tr.Lo[j], tr.Hi[j] = f.cand.Lo[k], f.cand.Hi[k]
		}
		if pass2 != nil {
			var ok bool
			if moments[j], ok = f.candMoments(k, st, pass1, *pass2); !ok {
				return nil, nil, nil, fmt.Errorf("featurejob: no moments for %s", col)
			}
		}
	}
	if pass2 != nil {
		tr.SetMoments(spec, block, moments)
	}
	return tr, kept, excluded, nil
}

// clippedRow tells whether a buyer has a value outside tr's winsorising
// bounds (features.Transform.ClippedRows).
func (f *fitCols) clippedRow(tr *features.Transform, v []float64) bool {
	if tr.Lo == nil {
		return false
	}
	for j, col := range tr.Columns {
		x := tr.Log(j, v[slices.Index(f.names, col)])
		if x < tr.Lo[j] || x > tr.Hi[j] {
			return true
		}
	}
	return false
}

// rfmCuts returns the RFM cut points from the order statistics.
func rfmCuts(st orderStats) (features.RFMCuts, error) {
	cuts := func(s int32) ([]float64, error) {
		c := make([]float64, 4) // four zeros without purchases, as quintileCuts
		n := st.count(s)
		if n == 0 {
			return c, nil
		}
		for i, r := range statRanks(s, n, rankSpec{})[:4] {
			v, ok := st.value(s, r)
			if !ok {
				return nil, fmt.Errorf("featurejob: no RFM cut at rank %d", r)
			}
			c[i] = v
		}
		return c, nil
	}
	var out features.RFMCuts
	var err error
	for _, p := range []struct {
		dst  *[]float64
		stat int32
	}{{&out.R, statRecency}, {&out.F, statFrequency}, {&out.M, statMonetary}} {
		if *p.dst, err = cuts(p.stat); err != nil {
			return out, err
		}
	}
	return out, nil
}

// GroupCuts are features.GroupCuts in JSON: a cut without buyers (+Inf)
// is null.
type GroupCuts struct {
	Top      *float64 `json:"top20"`
	VIP      *float64 `json:"vip_top5"`
	Elite    *float64 `json:"elite_top1"`
	BigOrder *float64 `json:"big_order"`
	Cities   []string `json:"cities"`
}

// Cuts returns the cuts as features.GroupCuts.
func (g GroupCuts) Cuts() features.GroupCuts {
	v := func(p *float64) float64 {
		if p == nil {
			return math.Inf(1)
		}
		return *p
	}
	return features.GroupCuts{Top: v(g.Top), VIP: v(g.VIP), Elite: v(g.Elite), BigOrder: v(g.BigOrder), Cities: g.Cities}
}

// groupCuts returns the seed groups' cuts from the order statistics and
// the customers of each city ("city:" names).
func groupCuts(c *Config, st orderStats, cities catTotals) (GroupCuts, error) {
	spec := newRankSpec(c)
	var g GroupCuts
	for _, p := range []struct {
		dst   **float64
		stat  int32
		share float64
	}{{&g.Top, statMonetary, spec.Top}, {&g.VIP, statMonetary, spec.VIP}, {&g.Elite, statMonetary, spec.Elite},
		{&g.BigOrder, statMaxOrder, spec.BigOrder}} {
		n := st.count(p.stat)
		if n == 0 {
			continue // no buyer: +Inf
		}
		v, ok := st.value(p.stat, int64(features.TopRank(int(n), p.share)))
		if !ok {
			return g, fmt.Errorf("featurejob: no group cut for statistic %d", p.stat)
		}
		*p.dst = &v
	}
	count := make(map[string]int, len(cities.Names))
	for i, name := range cities.Names {
		if city, ok := strings.CutPrefix(name, "city:"); ok {
			count[city] = int(cities.Gross[i])
		}
	}
	_, _, _, _, top := c.Thresholds.GroupShares()
	g.Cities = features.RankCities(count, top)
	return g, nil
}

// cityOf counts a customer in their orders' city (none for no city):
// without a customers table, the city the city_ groups count.
func cityOf(_ int, r featureRow, emit func(catTotals)) {
	if r.City != "" {
		emit(catTotals{Names: []string{"city:" + r.City}, Gross: []int64{1}})
	}
}

// countsFn is the CombineFn of counts by name (catTotals).
type countsFn struct{}

// MergeAccumulators adds two sorted lists of counts.
func (countsFn) MergeAccumulators(a, b catTotals) catTotals {
	return topCategoriesFn{}.MergeAccumulators(a, b)
}
