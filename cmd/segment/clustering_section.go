package main

import (
	"math"
	"strconv"
	"strings"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// defaultMinShare is clustering.min_share's default: no cluster holds
// fewer than 1 % of the clustered customers.
const defaultMinShare = 0.01

// describeExcluded lists excluded features for a message.
func describeExcluded(ex []features.Excluded) string {
	var parts []string
	for _, e := range ex {
		parts = append(parts, e.Feature+": "+e.Reason)
	}
	return strings.Join(parts, "; ")
}

// formatShare prints a share as a percentage: 0.01 → "1 %".
func formatShare(s float64) string {
	return strconv.FormatFloat(100*s, 'f', -1, 64) + " %"
}

// notClusteredCounts counts the customers left out of the clustering by
// reason, prospects included, in the order of features.NotClusteredReasons.
func (r *result) notClusteredCounts() []report.ReasonCount {
	count := map[string]int{features.NotClusteredProspect: r.seg.all.N() - r.table.N()}
	for _, why := range r.notClustered {
		if why != "" {
			count[why]++
		}
	}
	var out []report.ReasonCount
	for _, reason := range features.NotClusteredReasons {
		if n := count[reason.ID]; n > 0 {
			out = append(out, report.ReasonCount{ID: reason.ID, About: reason.About, Customers: n})
		}
	}
	return out
}

// clusteringSection says who was clustered and on what.
func (r *result) clusteringSection() *report.Clustering {
	c := &report.Clustering{
		Customers: r.seg.all.N(), Clustered: r.clustered.N(), NotClustered: r.notClusteredCounts(),
		Clipped: r.clipped, MinShare: r.opts.MinShare, KNote: r.kNote,
		MinSize: int(math.Ceil(r.opts.MinShare * float64(r.clustered.N()))),
	}
	if r.transform.Lo != nil {
		c.ClipShare = r.opts.MinShare / 2
	}
	for _, e := range r.excluded {
		c.Excluded = append(c.Excluded, report.ExcludedFeature{Name: e.Feature, Reason: e.Reason})
	}
	return c
}
