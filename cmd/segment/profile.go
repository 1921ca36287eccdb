package main

import (
	"strings"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// clusterInfo describes one cluster in raw feature units.
type clusterInfo struct {
	ID      int
	Key     string
	Name    string
	Size    int
	Revenue float64
	Mean    []float64 // raw means of profileColumns (plots)
	Rel     []float64 // Mean / population mean − 1 (0 where the population mean is 0)
	Stats   report.ClusterStats

	RFMSegment string  // the most common RFM segment ("" without RFM)
	RFMShare   float64 // its share of the cluster
	Action     string  // recommended action
	New        bool    // no previous cluster matched it (-previous): review it
}

// profileColumns are the raw feature columns profiled per cluster: the
// clustered ones, with the category mix expanded.
func (r *result) profileColumns() []string { return r.transform.Columns }

// profile computes each cluster's raw means and medians against the
// clustered population, its name and its action.
func (r *result) profile() {
	cols := r.profileColumns()
	t := r.clustered
	k := r.fit.K
	n := t.N()
	sums := make([][]float64, k)
	for c := range sums {
		sums[c] = make([]float64, len(cols))
	}
	pop := make([]float64, len(cols))
	for j, name := range cols {
		v := t.Col(name)
		for i := range n {
			sums[r.fit.Labels[i]][j] += v[i]
			pop[j] += v[i]
		}
		pop[j] /= float64(n)
	}
	monetary := t.Col(features.Monetary)
	infos := make([]clusterInfo, k)
	for c := range infos {
		size := r.fit.Sizes[c]
		ci := clusterInfo{ID: c, Size: size, Mean: make([]float64, len(cols)), Rel: make([]float64, len(cols))}
		for j := range cols {
			if size > 0 {
				ci.Mean[j] = sums[c][j] / float64(size)
			}
			if pop[j] != 0 {
				ci.Rel[j] = ci.Mean[j]/pop[j] - 1
			}
		}
		infos[c] = ci
	}
	if monetary != nil {
		for i, l := range r.fit.Labels {
			infos[l].Revenue += monetary[i]
		}
	}
	popStats, stats := r.clusterStats(cols)
	for c := range infos {
		infos[c].Stats = stats[c]
	}
	names := report.NameClusters(popStats, stats)
	for c := range infos {
		infos[c].Name = names[c]
		infos[c].Key = slug(names[c])
	}
	r.population = popStats
	r.dominantRFM(infos)
	if m := r.opts.Model; m != nil {
		// Scoring with a saved model keeps its clusters' identities.
		for c := range infos {
			mc := m.Clusters[c]
			infos[c].Name, infos[c].Key = mc.Name, mc.Key
			if mc.Action != "" {
				infos[c].Action = mc.Action
			}
		}
	}
	r.clusters = infos
	r.popMean = pop
}

// clusterStats computes the medians, quantile positions, category spend
// shares and group shares that name and describe the clusters
// (report.Profiles), with each clustered customer's seed and custom groups.
func (r *result) clusterStats(cols []string) (report.Population, []report.ClusterStats) {
	t := r.clustered
	values := make([][]float64, len(cols))
	for j, name := range cols {
		values[j] = t.Col(name)
	}
	// Rows of the clustered table → rows of the segments table.
	allRow := make([]int, t.N())
	for i, row := range r.seg.rowOf {
		if row >= 0 {
			if cr := r.clusterRow[row]; cr >= 0 {
				allRow[cr] = i
			}
		}
	}
	groups := map[string][]bool{}
	for _, g := range r.seg.groups {
		if g.Members == nil {
			continue
		}
		in := make([]bool, t.N())
		for i, a := range allRow {
			in[i] = g.Members[a]
		}
		groups[g.ID] = in
	}
	return report.Profiles(cols, values, r.fit.Labels, r.fit.K, t.Col(features.Monetary), groups)
}

// slug turns a cluster name into a key: lower-case ASCII letters and digits
// joined by single dashes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(c)
			dash = false
		default:
			dash = true
		}
	}
	return b.String()
}

// dominantRFM sets each cluster's most common RFM segment (ties go to the
// more valuable segment) and its recommended action (report.ClusterAction).
func (r *result) dominantRFM(infos []clusterInfo) {
	groupActions := map[string]string{}
	for _, g := range r.seg.groups {
		groupActions[g.ID] = g.Action
	}
	counts, _ := r.clusterRFM()
	segs := features.RFMSegments()
	for c := range infos {
		if infos[c].Size == 0 {
			continue
		}
		var seg, segAction string
		if counts != nil {
			best := 0
			for j, n := range counts[c] {
				if n > counts[c][best] {
					best = j
				}
			}
			seg, segAction = segs[best].ID, segs[best].Action
			infos[c].RFMSegment = seg
			infos[c].RFMShare = float64(counts[c][best]) / float64(infos[c].Size)
		}
		infos[c].Action = report.ClusterAction(r.population, infos[c].Stats, seg, segAction, groupActions)
	}
}

// applyNames gives the clusters named in clustering.names their team name,
// by key. A computed name that would repeat a team name is told apart.
func (r *result) applyNames() {
	if len(r.opts.Names) == 0 {
		return
	}
	taken := map[string]bool{}
	for c := range r.clusters {
		if name, ok := r.opts.Names[r.clusters[c].Key]; ok {
			r.clusters[c].Name = strings.TrimSpace(name)
			taken[r.clusters[c].Name] = true
		}
	}
	for c := range r.clusters {
		if _, ok := r.opts.Names[r.clusters[c].Key]; !ok && taken[r.clusters[c].Name] {
			r.clusters[c].Name += ", as computed"
		}
	}
}
