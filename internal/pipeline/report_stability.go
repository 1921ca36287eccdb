package pipeline

import (
	"cmp"
	"math"
	"slices"

	"github.com/segment-tool/segment/features"
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
	sec := &report.Stability{PreviousDir: p.Dir, PreviousAsOf: p.Model.AsOf, Common: s.Common, ARI: s.ARI, KeyChanges: s.KeyChanges}
	for c, ci := range r.Profiles.Clusters {
		sc := report.StableCluster{Key: ci.Key, Name: ci.Name, Size: ci.Size, New: ci.New, Shift: math.NaN()}
		if pc := s.PrevOf[c]; pc >= 0 {
			sc.PrevSize, sc.Shift = p.Model.Clusters[pc].Size, math.Sqrt(s.Dist2[c])
		}
		sec.Clusters = append(sec.Clusters, sc)
	}
	for _, pc := range s.Vanished {
		mc := p.Model.Clusters[pc]
		sec.Vanished = append(sec.Vanished, report.StableCluster{Key: mc.Key, Name: mc.Name, PrevSize: mc.Size})
	}
	// Sizes and migrations over the customers of each run.
	ids := r.Segments.All.IDs
	var segs []string
	if r.Segments.RFM != nil {
		segs = r.Segments.RFM.Segments()
	}
	keys := make([]string, len(ids))
	for i, row := range r.Segments.RowOf {
		keys[i] = ProspectKey
		if row < 0 {
			continue
		}
		keys[i] = NotClusteredKey
		if l := r.label(row); l >= 0 {
			keys[i] = r.Profiles.Clusters[l].Key
		}
	}
	if segs != nil {
		prevCount, count := map[string]int{}, map[string]int{}
		for _, seg := range p.SegOf {
			prevCount[seg]++
		}
		for _, seg := range segs {
			count[seg]++
		}
		for _, info := range features.RFMSegments() {
			if prevCount[info.ID]+count[info.ID] > 0 {
				sec.Segments = append(sec.Segments, report.Drift{ID: info.ID, PrevSize: prevCount[info.ID], Size: count[info.ID]})
			}
		}
		sec.RFMMigration = migration(ids, p.SegOf, segs, rfmOrder())
	}
	sec.ClusterMigration = migration(ids, p.KeyOf, keys, nil)
	return sec
}

// rfmOrder ranks the RFM segment ids in report order.
func rfmOrder() map[string]int {
	order := map[string]int{}
	for i, info := range features.RFMSegments() {
		order[info.ID] = i
	}
	return order
}

// migration counts the customers in both runs by (previous label, label).
// Labels are ordered by order (then by name), or by name when order is nil.
func migration(ids []string, prev map[string]string, cur []string, order map[string]int) *report.Crosstab {
	counts := map[[2]string]int{}
	rowSet, colSet := map[string]bool{}, map[string]bool{}
	for i, id := range ids {
		pl, ok := prev[id]
		if !ok {
			continue
		}
		counts[[2]string{pl, cur[i]}]++
		rowSet[pl], colSet[cur[i]] = true, true
	}
	sorted := func(set map[string]bool) []string {
		var v []string
		for k := range set {
			v = append(v, k)
		}
		slices.SortFunc(v, func(a, b string) int {
			if order != nil {
				if c := cmp.Compare(order[a], order[b]); c != 0 {
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
