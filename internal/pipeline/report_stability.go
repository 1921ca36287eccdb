package pipeline

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/outdir"
	"github.com/segment-tool/segment/report"
)

// stabilitySection summarises the comparison with the previous run for
// the report.
func (r *Result) stabilitySection() *report.Stability {
	s := r.Stability
	if s == nil {
		return nil
	}
	p := s.Prev
	sec := &report.Stability{PreviousDir: p.Dir, Common: s.Common, ARI: s.ARI, KeyChanges: s.KeyChanges,
		RefitMoves: s.RefitMoves, RefitKnown: s.RefitKnown}
	if isDate(p.Model.AsOf) {
		sec.PreviousAsOf = p.Model.AsOf
	}
	if a, err := outdir.Resolve(p.Dir); err == nil {
		b, err := outdir.Resolve(r.Options.Out)
		sec.Replaced = err == nil && a == b
	}
	if n, ok := s.missing(); ok {
		sec.Missing, sec.PreviousCustomers = n, p.Count
	}
	if h := r.history; h != nil {
		sec.Shorter, sec.ShorterExample = h.shorter, h.shorterExample
	}
	o, pf := r.Options, p.Model.Features
	for _, c := range []struct {
		key       string
		prev, now int
	}{{"features.window_days", pf.WindowDays, o.WindowDays}, {"features.top_categories", pf.TopCategories, o.TopN}} {
		if c.prev != c.now {
			days := func(n int) string {
				if n == 0 && c.key == "features.window_days" {
					return "0 (all history)"
				}
				return strconv.Itoa(n)
			}
			sec.Changed = append(sec.Changed, fmt.Sprintf("%s: %s → %s", c.key, days(c.prev), days(c.now)))
		}
	}
	// Amounts in another currency are of another scale: spend features,
	// centres and the RFM cut points moved with them (checkCurrency warns
	// in the log too).
	if was, now := p.Model.Currency, amountsCurrency(o.Currency, r.Tables.Stats.Currency); was != "" && now != "" && !data.SameCurrency(was, now) {
		sec.Changed = append(sec.Changed, fmt.Sprintf("the amounts' currency: %s → %s", was, now))
	}
	if p.Model.Transform != nil {
		cur, old := r.Matrix.Transform.Columns, p.Model.Transform.Columns
		for _, c := range cur {
			if !slices.Contains(old, c) {
				sec.Added = append(sec.Added, c)
			}
		}
		for _, c := range old {
			if !slices.Contains(cur, c) {
				sec.Dropped = append(sec.Dropped, c)
			}
		}
	}
	for c, ci := range r.Profiles.Clusters {
		sc := report.StableCluster{Key: ci.Key, Name: ci.Name, FreshName: ci.FreshName, Size: ci.Size, New: ci.New, Shift: math.NaN()}
		if pc := s.PrevOf[c]; pc >= 0 {
			sc.PrevSize, sc.PrevName, sc.Shift = p.Model.Clusters[pc].Size, p.Model.Clusters[pc].Name, math.Sqrt(s.Dist2[c])
			sc.ByCustomers = s.Dist2[c] > s.MaxDist2
			sc.ActionChanged = p.Model.Clusters[pc].Action != "" && p.Model.Clusters[pc].Action != ci.Action
		}
		sec.Clusters = append(sec.Clusters, sc)
	}
	for _, pc := range s.Vanished {
		mc := p.Model.Clusters[pc]
		sec.Vanished = append(sec.Vanished, report.StableCluster{Key: mc.Key, Name: mc.Name, PrevSize: mc.Size})
	}
	// Sizes and migrations over the customers of each run (the previous
	// run's sizes over all of its customers).
	t := r.tally
	if r.Segments.RFM != nil {
		prevCount := p.SegCount
		for _, info := range features.RFMSegments() {
			if prevCount[info.ID]+t.segments[info.ID] > 0 {
				sec.Segments = append(sec.Segments, report.Drift{ID: info.ID, PrevSize: prevCount[info.ID], Size: t.segments[info.ID]})
			}
		}
		sec.RFMMigration = crosstab(t.segMoves, rfmOrder())
	}
	sec.ClusterMigration = crosstab(t.keyMoves, r.keyOrder())
	names := r.keyNames()
	sec.ClusterMigration.RowNames, sec.ClusterMigration.ColNames = namesOf(sec.ClusterMigration.Rows, names), namesOf(sec.ClusterMigration.Cols, names)
	return sec
}

// keyNames names the cluster keys of the migration table: this run's
// clusters by their name, the previous run's others (vanished) by theirs,
// "(previous run)" added where that repeats one of this run's names, and
// the customers not clustered (a key of neither run) as such; a kept key
// can read unlike its cluster's name (a kept key, a fresh name), which a
// reader of the table knows by name.
func (r *Result) keyNames() map[string]string {
	names, taken := map[string]string{}, map[string]bool{}
	for _, c := range r.Profiles.Clusters {
		names[c.Key], taken[c.Name] = c.Name, true
	}
	for _, mc := range r.Stability.Prev.Model.Clusters {
		if _, ok := names[mc.Key]; !ok {
			name := mc.Name
			if taken[name] {
				name += " (previous run)"
			}
			names[mc.Key] = name
		}
	}
	names[NotClusteredKey] = "not clustered"
	return names
}

// namesOf returns the names of keys (keyNames), a key without a name as
// itself.
func namesOf(keys []string, names map[string]string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = cmp.Or(names[k], k)
	}
	return out
}

// keyOrder ranks cluster keys in the report's order: this run's clusters
// by number, then the previous run's other (vanished) clusters by theirs,
// then the customers not clustered; so the migration table reads in the
// order of the report's other tables and, where the clusters match, its
// diagonal is the kept customers.
func (r *Result) keyOrder() map[string]int {
	order := map[string]int{}
	add := func(key string) {
		if _, ok := order[key]; !ok {
			order[key] = len(order)
		}
	}
	for _, c := range r.Profiles.Clusters {
		add(c.Key)
	}
	for _, mc := range r.Stability.Prev.Model.Clusters {
		add(mc.Key)
	}
	add(NotClusteredKey)
	return order
}

// rfmOrder ranks the RFM segment ids in report order.
func rfmOrder() map[string]int {
	order := map[string]int{}
	for i, info := range features.RFMSegments() {
		order[info.ID] = i
	}
	return order
}

// crosstab lays out counts of customers by (previous label, label) as a
// table. Labels are ordered by order (labels it lacks last, then by
// name), or by name when order is nil.
func crosstab(counts map[[2]string]int, order map[string]int) *report.Crosstab {
	rowSet, colSet := map[string]bool{}, map[string]bool{}
	for pair := range counts {
		rowSet[pair[0]], colSet[pair[1]] = true, true
	}
	sorted := func(set map[string]bool) []string {
		var v []string
		for k := range set {
			v = append(v, k)
		}
		slices.SortFunc(v, func(a, b string) int {
			if order != nil {
				rank := func(l string) int {
					if i, ok := order[l]; ok {
						return i
					}
					return len(order)
				}
				if c := cmp.Compare(rank(a), rank(b)); c != 0 {
					return c
				}
			}
			return cmp.Compare(a, b)
		})
		return v
	}
	x := &report.Crosstab{Rows: sorted(rowSet), Cols: sorted(colSet)}
	for _, rl := range x.Rows {
		row := make([]int, len(x.Cols))
		for j, cl := range x.Cols {
			row[j] = counts[[2]string{rl, cl}]
		}
		x.Counts = append(x.Counts, row)
	}
	return x
}
