package main

import (
	"fmt"
	"io"
	"math"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/internal/exports"
	"github.com/segment-tool/segment/report"
)

// writeReport writes report.md from the run's results.
func (r *result) writeReport(w io.Writer, plots []report.Plot) error {
	rr := &report.Run{
		Title:    "Customer segments",
		Version:  version,
		AsOf:     r.table.AsOf,
		Seed:     r.opts.Seed,
		Currency: r.opts.Currency,
		Period:   r.period(),
		Quality: report.Quality{
			RowsRead: r.stats.RowsRead, RowsUsed: r.stats.RowsUsed, RowsRejected: r.stats.RowsRejected,
			RejectsByReason: r.stats.RejectsByReason, LinesAfterAsOf: r.table.LinesAfterAsOf,
			Customers: r.table.N(), Orders: r.table.Purchases, Revenue: r.table.Revenue,
			RevenueExcluded: r.stats.RevenueExcluded,
		},
		Features:   r.profileColumns(),
		Population: r.population,
		Plots:      plots,
	}
	for _, in := range r.inputJSON() {
		rr.Inputs = append(rr.Inputs, report.Input{Path: in.Path, SHA256: in.SHA256, Rows: in.Rows})
	}
	if sw := r.sweep; sw != nil {
		rr.Elbow = report.Elbow{Ks: sw.Ks, Inertia: sw.Inertia, Silhouette: sw.Silhouette,
			CalinskiHarabasz: sw.CalinskiHarabasz, K: sw.K, KneeFound: sw.KneeFound, Reason: elbowSentence(sw)}
	} else if r.opts.Model != nil {
		rr.Elbow = report.Elbow{K: r.fit.K, Fixed: true, Reason: "These customers were scored with the saved model " + r.opts.ModelPath + " (segment assign): each is in the cluster of the nearest saved centroid."}
	} else {
		rr.Elbow = report.Elbow{K: r.fit.K, Fixed: true, Reason: "Set it with -k auto (or clustering.k: auto) to let the elbow choose."}
	}
	rr.Concentration = r.concentration()
	if rr.Concentration != nil {
		rr.Concentration.Plot = r.paretoPlot
	}
	rr.RFM = r.rfmSection()
	if rr.RFM != nil {
		rr.RFM.Plots = r.rfmPlots
	}
	rr.Groups = r.groupRows()
	rr.Clustering = r.clusteringSection()
	rr.Settings = r.settings()
	_, rr.Crosstab = r.clusterRFM()
	rr.Stability = r.stabilitySection()
	rr.Exports = r.exportsSection()
	if rr.Stability != nil {
		rr.Stability.Plots = r.stabilityPlots
	}
	for _, c := range r.clusters {
		rr.Clusters = append(rr.Clusters, report.Cluster{ID: c.ID, Key: c.Key, Name: c.Name, Size: c.Size, Revenue: c.Revenue, Stats: c.Stats,
			RFMSegment: c.RFMSegment, RFMShare: c.RFMShare, Action: c.Action})
	}
	r.addCommonValues(rr.Clusters)
	return report.WriteMarkdown(w, rr)
}

// elbowSentence explains the choice of k beyond the bare knee: how the
// silhouette agrees with it.
func elbowSentence(sw *cluster.Sweep) string {
	if !sw.KneeFound {
		return sw.Reason + "."
	}
	best, bestK, atK := math.Inf(-1), 0, math.NaN()
	for i, k := range sw.Ks {
		if s := sw.Silhouette[i]; s > best {
			best, bestK = s, k
		}
		if k == sw.K {
			atK = sw.Silhouette[i]
		}
	}
	if bestK == sw.K {
		return fmt.Sprintf("Kneedle (sensitivity S = 1) over k = %d…%d; the silhouette is also highest there (%.3f).", sw.Ks[0], sw.Ks[len(sw.Ks)-1], atK)
	}
	return fmt.Sprintf("Kneedle (sensitivity S = 1) over k = %d…%d; the silhouette there is %.3f (highest: %.3f at k = %d).", sw.Ks[0], sw.Ks[len(sw.Ks)-1], atK, best, bestK)
}

// exportsSection describes the campaign exports for the report.
func (r *result) exportsSection() *report.Exports {
	e := &report.Exports{Dir: exportsDir, Note: r.exportNote}
	if s := r.exportSummary; s != nil {
		e.Exported, e.Skipped, e.TagsRemoved = s.Exported, s.Skipped, s.TagsRemoved
		e.Files = []string{exports.KlaviyoFile, exports.MailchimpFile, exports.ShopifyFile, exports.GoogleFile, exports.MetaFile, exports.TagsRemovedFile}
	}
	return e
}

// period returns the data period: the store dates of the first and last
// order line counted (zero for a feature table).
func (r *result) period() report.Period {
	return report.Period{First: r.table.FirstLine, Last: r.table.LastLine}
}
