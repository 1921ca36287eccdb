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
	Mean    []float64 // raw means of profileColumns
	Rel     []float64 // Mean / population mean − 1 (0 where the population mean is 0)

	RFMSegment string  // the most common RFM segment ("" without RFM)
	RFMShare   float64 // its share of the cluster
	Action     string  // recommended action
	New        bool    // no previous cluster matched it (-previous): review it
}

// profileColumns are the raw feature columns profiled per cluster: the
// clustered ones, with the category mix expanded.
func (r *result) profileColumns() []string { return r.transform.Columns }

// profile computes each cluster's raw means, relative importance and name.
func (r *result) profile() {
	cols := r.profileColumns()
	k := r.fit.K
	n := r.table.N()
	sums := make([][]float64, k)
	for c := range sums {
		sums[c] = make([]float64, len(cols))
	}
	pop := make([]float64, len(cols))
	for j, name := range cols {
		v := r.table.Col(name)
		for i := range n {
			sums[r.fit.Labels[i]][j] += v[i]
			pop[j] += v[i]
		}
		pop[j] /= float64(n)
	}
	monetary := r.table.Col("monetary")
	infos := make([]clusterInfo, k)
	rel := make([][]float64, k)
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
		rel[c] = ci.Rel
	}
	if monetary != nil {
		for i, l := range r.fit.Labels {
			infos[l].Revenue += monetary[i]
		}
	}
	names := report.NameClusters(cols, rel, 0)
	for c := range infos {
		infos[c].Name = names[c]
		infos[c].Key = slug(names[c])
	}
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
// more valuable segment) and its recommended action: the cluster's
// strongest trait's action, then the segment's.
func (r *result) dominantRFM(infos []clusterInfo) {
	counts, _ := r.clusterRFM()
	if counts == nil {
		return
	}
	segs := features.RFMSegments()
	for c := range infos {
		best := 0
		for j, n := range counts[c] {
			if n > counts[c][best] {
				best = j
			}
		}
		if infos[c].Size == 0 {
			continue
		}
		infos[c].RFMSegment = segs[best].ID
		infos[c].RFMShare = float64(counts[c][best]) / float64(infos[c].Size)
		infos[c].Action = report.ClusterAction(r.profileColumns(), infos[c].Rel, segs[best].ID, segs[best].Action)
	}
}
