package pipeline

import (
	"math"

	"github.com/segment-tool/segment/report"
)

// notClusteredCounts counts the customers left out of the clustering by
// reason, prospects included, in the order of features.NotClusteredReasons.
func (r *Result) notClusteredCounts() []report.ReasonCount {
	count := r.counted().notClustered
	var out []report.ReasonCount
	for _, reason := range notClusteredReasons {
		if n := count[reason.ID]; n > 0 {
			out = append(out, report.ReasonCount{ID: reason.ID, About: reason.About, Customers: n})
		}
	}
	return out
}

// clusteringSection says who was clustered and on what.
func (r *Result) clusteringSection() *report.Clustering {
	c := &report.Clustering{
		Customers: r.counted().customers, Clustered: r.Buyers.N(), NotClustered: r.notClusteredCounts(),
		Clipped: r.Matrix.Clipped, MinShare: r.Options.MinShare, KNote: r.Clustering.KNote,
		MinSize:    int(math.Ceil(r.Options.MinShare * float64(r.Buyers.N()))),
		WindowDays: r.orderWindow(),
	}
	if why := r.Clustering.Skipped; why != "" {
		c.KNote = "Clustering was skipped: " + skippedSentence(why) +
			" Every customer keeps their RFM segment and groups, with cluster −1 and the reason " + NotClusteredSkipped + "; no segment is named, and no model.json is written."
	}
	if r.Matrix.Transform.Lo != nil {
		c.ClipShare = r.Options.MinShare / 2
	}
	for _, e := range r.Matrix.Excluded {
		c.Excluded = append(c.Excluded, report.ExcludedFeature{Name: e.Feature, Reason: e.Reason})
	}
	return c
}

// skippedSentence ends Clustering.Skipped as a sentence of the report.
func skippedSentence(why string) string {
	return why + "."
}

// orderWindow is features.window_days of a run on order lines, the days
// its revenue, orders and spend count (0: all history); a feature table
// has no orders to limit.
func (r *Result) orderWindow() int {
	if r.Options.Features != "" {
		return 0
	}
	return r.Options.WindowDays
}
