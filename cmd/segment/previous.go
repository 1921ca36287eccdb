package main

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/exports"
	"github.com/segment-tool/segment/report"
)

// previousRun is what a refit remembers of the previous run: its model and
// each customer's cluster key, RFM segment and the date that segment was
// assigned.
type previousRun struct {
	dir       string
	model     *model
	keyOf     map[string]string   // customer → cluster_key
	segOf     map[string]string   // customer → rfm_segment
	changedAt map[string]string   // customer → segment_changed_at (absent before the second run)
	tags      map[string][]string // customer → campaign tags (rfm, cluster, groups), for tags_removed.csv
}

// previousDir resolves -previous: "none" disables it; "" means the output
// directory when it holds a model.json.
func previousDir(flagValue, out string) string {
	switch flagValue {
	case "none":
		return ""
	case "":
		if _, err := os.Stat(filepath.Join(out, "model.json")); err == nil {
			return out
		}
		return ""
	}
	return flagValue
}

// loadPrevious reads a previous run's model.json and assignments.parquet.
func loadPrevious(ctx context.Context, dir string) (*previousRun, error) {
	m, err := loadModel(filepath.Join(dir, "model.json"))
	if err != nil {
		return nil, fmt.Errorf("previous run: %w", err)
	}
	path := filepath.Join(dir, "assignments.parquet")
	t, err := data.ReadTable(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("previous run: %w", err)
	}
	p := &previousRun{dir: dir, model: m, keyOf: map[string]string{}, segOf: map[string]string{}, changedAt: map[string]string{},
		tags: map[string][]string{}}
	ids, keys := t.Column("customer_id"), t.Column("cluster_key")
	if ids == nil || keys == nil || ids.Kind != data.KindString || keys.Kind != data.KindString {
		return nil, fmt.Errorf("previous run: %s lacks string columns customer_id and cluster_key", path)
	}
	seg, changed := t.Column("rfm_segment"), t.Column("segment_changed_at")
	for i, id := range ids.Strings {
		p.keyOf[id] = keys.Strings[i]
		if seg != nil && seg.Kind == data.KindString && !seg.IsNull(i) {
			p.segOf[id] = seg.Strings[i]
		}
		if changed != nil && changed.Kind == data.KindString && !changed.IsNull(i) {
			p.changedAt[id] = changed.Strings[i]
		}
		var tags []string
		if seg, ok := p.segOf[id]; ok {
			tags = append(tags, exports.Tag("rfm", seg))
		}
		tags = append(tags, exports.Tag("cluster", keys.Strings[i]))
		for _, g := range m.Groups {
			if c := t.Column(g.ID); g.Computed && c != nil && c.Kind == data.KindBool && c.Bools[i] {
				tags = append(tags, exports.Tag("group", g.ID))
			}
		}
		p.tags[id] = tags
	}
	return p, nil
}

// stability is how this run's clusters relate to the previous run's.
type stability struct {
	prev       *previousRun
	prevOf     []int     // per current cluster: the matched previous cluster, or −1 (new)
	dist2      []float64 // squared distance to the matched previous centroid
	maxDist2   float64   // the "close match" threshold
	vanished   []int     // previous clusters no current cluster matched
	ari        float64   // adjusted Rand index of the cluster keys on customers in both runs
	common     int       // customers in both runs
	keyChanges int       // customers in both runs whose cluster key changed
}

// matchPrevious matches this run's clusters with the previous run's: the
// previous centroids are mapped back to raw feature values and into this
// run's clustering space, then paired by the Hungarian method on squared
// distances over the columns both runs cluster on (mix_other is left out
// when the runs' top categories differ, since it then means different
// things). A pair counts only when its squared distance is at most the
// mean squared distance of a customer to its own centroid in this run
// (inertia / n): the centroid moved less than a typical customer lies from
// it. Matched clusters take the previous key and name; the others keep
// their own name and get a key no previous cluster used.
func (r *result) matchPrevious() {
	p := r.previous
	if p == nil {
		return
	}
	k, kPrev := r.fit.K, p.model.K
	shared := sharedColumns(r.transform.Columns, p.model.Transform.Columns, r.table.Categories, p.model.Categories)
	d := len(shared)
	project := func(point []float64) []float64 {
		out := make([]float64, d)
		for i, j := range shared {
			out[i] = point[j]
		}
		return out
	}
	prevFlat, curFlat := make([]float64, 0, kPrev*d), make([]float64, 0, k*d)
	for _, c := range p.model.Centroids {
		prevFlat = append(prevFlat, project(r.transform.Point(p.model.Transform.Raw(c)))...)
	}
	for c := range k {
		curFlat = append(curFlat, project(r.fit.Centroid(c))...)
	}
	s := &stability{prev: p, maxDist2: r.fit.Inertia / float64(r.clustered.N())}
	if d > 0 {
		s.prevOf, s.dist2 = cluster.MatchCentroids(prevFlat, curFlat, kPrev, k, d, s.maxDist2)
	} else { // nothing to compare on: every cluster is new
		s.prevOf, s.dist2 = make([]int, k), make([]float64, k)
		for c := range s.prevOf {
			s.prevOf[c], s.dist2[c] = -1, math.Inf(1)
		}
	}

	used := map[string]bool{}
	matched := make([]bool, kPrev)
	for c, pc := range s.prevOf {
		if pc >= 0 {
			matched[pc] = true
			mc := p.model.Clusters[pc]
			// The key is the stable label; the name describes this run's
			// numbers (clustering.names pins one).
			r.clusters[c].Key = mc.Key
			used[mc.Key] = true
		}
	}
	for _, mc := range p.model.Clusters {
		used[mc.Key] = true // a vanished cluster's key is not reused either
	}
	for c, pc := range s.prevOf {
		if pc >= 0 {
			continue
		}
		key := r.clusters[c].Key
		for n := 2; used[key]; n++ {
			key = fmt.Sprintf("%s-%d", r.clusters[c].Key, n)
		}
		r.clusters[c].Key, r.clusters[c].New = key, true
		used[key] = true
	}
	for pc, ok := range matched {
		if !ok {
			s.vanished = append(s.vanished, pc)
		}
	}
	r.stable = s
}

// sharedColumns returns the indexes of this run's clustered columns that
// the previous run clustered too, leaving out mix_other when the two runs'
// mix categories differ.
func sharedColumns(cur, prev, curCats, prevCats []string) []int {
	sameCats := slices.Equal(curCats, prevCats)
	var idx []int
	for j, name := range cur {
		if !slices.Contains(prev, name) || (name == features.MixOther && !sameCats) {
			continue
		}
		idx = append(idx, j)
	}
	return idx
}

// measureStability compares this run's cluster keys with the previous
// run's on the customers in both (after matchPrevious set the keys).
func (r *result) measureStability() {
	s := r.stable
	if s == nil {
		return
	}
	index := map[string]int{}
	code := func(key string) int {
		if i, ok := index[key]; ok {
			return i
		}
		index[key] = len(index)
		return index[key]
	}
	var a, b []int
	for i, id := range r.table.IDs {
		prevKey, ok := s.prev.keyOf[id]
		l := r.label(i)
		if !ok || prevKey == prospectKey || prevKey == notClusteredKey || l < 0 {
			continue
		}
		key := r.clusters[l].Key
		a, b = append(a, code(prevKey)), append(b, code(key))
		if prevKey != key {
			s.keyChanges++
		}
	}
	s.common = len(a)
	if s.common > 1 {
		s.ari = cluster.AdjustedRand(a, b)
	}
}

// history returns each output row's previous RFM segment and cluster key
// ("" when the customer is new) and the date its RFM segment was assigned:
// this run's as_of when it changed (or the customer is new), else the
// previous date (the previous run's as_of when that run had none).
func (r *result) history(ids []string, segments []string) (prevSeg, prevKey, changedAt []string, nulls []bool) {
	p := r.previous
	asOf := r.table.AsOf.Format("2006-01-02")
	n := len(ids)
	prevSeg, prevKey, changedAt, nulls = make([]string, n), make([]string, n), make([]string, n), make([]bool, n)
	for i, id := range ids {
		key, known := p.keyOf[id]
		nulls[i] = !known
		prevKey[i], prevSeg[i] = key, p.segOf[id]
		switch {
		case !known || segments == nil || prevSeg[i] != segments[i]:
			changedAt[i] = asOf
		case p.changedAt[id] != "":
			changedAt[i] = p.changedAt[id]
		default:
			changedAt[i] = p.model.AsOf
		}
	}
	return prevSeg, prevKey, changedAt, nulls
}

// vanishedKeys lists the keys of the previous clusters no cluster matched.
func (s *stability) vanishedKeys() []string {
	var keys []string
	for _, pc := range s.vanished {
		keys = append(keys, s.prev.model.Clusters[pc].Key)
	}
	slices.Sort(keys)
	return keys
}

// stabilitySection summarises the comparison with the previous run for
// the report.
func (r *result) stabilitySection() *report.Stability {
	s := r.stable
	if s == nil {
		return nil
	}
	p := s.prev
	sec := &report.Stability{PreviousDir: p.dir, PreviousAsOf: p.model.AsOf, Common: s.common, ARI: s.ari, KeyChanges: s.keyChanges}
	for c, ci := range r.clusters {
		sc := report.StableCluster{Key: ci.Key, Name: ci.Name, Size: ci.Size, New: ci.New, Shift: math.NaN()}
		if pc := s.prevOf[c]; pc >= 0 {
			sc.PrevSize, sc.Shift = p.model.Clusters[pc].Size, math.Sqrt(s.dist2[c])
		}
		sec.Clusters = append(sec.Clusters, sc)
	}
	for _, pc := range s.vanished {
		mc := p.model.Clusters[pc]
		sec.Vanished = append(sec.Vanished, report.StableCluster{Key: mc.Key, Name: mc.Name, PrevSize: mc.Size})
	}
	// Sizes and migrations over the customers of each run.
	ids := r.seg.all.IDs
	var segs []string
	if r.seg.rfm != nil {
		segs = r.seg.rfm.Segment
	}
	keys := make([]string, len(ids))
	for i, row := range r.seg.rowOf {
		keys[i] = prospectKey
		if row < 0 {
			continue
		}
		keys[i] = notClusteredKey
		if l := r.label(row); l >= 0 {
			keys[i] = r.clusters[l].Key
		}
	}
	if segs != nil {
		prevCount, count := map[string]int{}, map[string]int{}
		for _, seg := range p.segOf {
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
		sec.RFMMigration = migration(ids, p.segOf, segs, rfmOrder())
	}
	sec.ClusterMigration = migration(ids, p.keyOf, keys, nil)
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
