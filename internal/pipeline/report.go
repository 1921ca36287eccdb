package pipeline

import (
	"cmp"
	"fmt"
	"io"
	"math"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/internal/exports"
	"github.com/segment-tool/segment/report"
)

// writeReport writes report.md from the run's results, the plots drawn
// and the exports written.
func (r *Result) writeReport(w io.Writer, plots *plotSet, written *Written) error {
	rr := &report.Run{
		Title:      "Customer segments",
		Version:    Version,
		AsOf:       r.Tables.Table.AsOf,
		Seed:       r.Options.Seed,
		Runner:     r.runner,
		Currency:   cmp.Or(r.Options.Currency, r.Tables.Stats.Currency), // as set, or as the amounts were marked
		Period:     r.period(),
		WindowDays: r.orderWindow(),
		Quality: report.Quality{
			RowsRead: r.Tables.Stats.RowsRead, RowsUsed: r.Tables.Stats.RowsUsed, RowsRejected: r.Tables.Stats.RowsRejected,
			RejectsByReason: r.Tables.Stats.RejectsByReason, LinesAfterAsOf: r.Tables.Table.LinesAfterAsOf,
			Customers: r.withOrders(), Orders: r.Tables.Table.Purchases, Revenue: r.Tables.Table.Revenue,
			RevenueExcluded: r.Tables.Stats.RevenueExcluded, PurchasesExcluded: r.Tables.Stats.PurchasesExcluded, NegativeDiscounts: r.Tables.Stats.NegativeDiscounts,
			Repeated: r.Tables.Stats.Repeated, RepeatedEstimated: r.Tables.Stats.RepeatedEstimated,
			RefundOrders: r.Tables.Table.RefundOrders, Refunded: r.Tables.Table.Refunded,
			NotPurchases: max(r.Tables.Table.Orders-r.Tables.Table.Purchases, 0), UnmatchedProducts: r.Tables.UnmatchedProducts,
			PartlyAbsent: r.Tables.Stats.PartlyAbsent, Files: len(r.Tables.Stats.Files),
		},
		Features:   r.profileColumns(),
		Population: r.Profiles.Population,
		Plots:      plots.plots,
	}
	if m := r.Tables.CustomersMismatch; m != nil {
		rr.Quality.IDMismatches = append(rr.Quality.IDMismatches, report.IDMismatch{Table: r.Tables.Customers.Path, OrderExample: m.OrderID, TableExample: m.TableID, LeadingZeros: m.LeadingZeros})
	}
	if m := r.Tables.EventsMismatch; m != nil {
		rr.Quality.IDMismatches = append(rr.Quality.IDMismatches, report.IDMismatch{Events: true, Table: r.Tables.Events.Path, OrderExample: m.OrderID, TableExample: m.TableID, LeadingZeros: m.LeadingZeros})
	}
	if g := r.Options.dateGap(r.Tables.Table); g != nil {
		rr.Quality.DateGap = &report.DateGap{Days: g.Days, Newest: g.Newest, First: g.First, Before: g.Before, AsOf: r.Tables.Table.AsOf}
	}
	for _, in := range r.inputs() {
		rr.Inputs = append(rr.Inputs, report.Input{Path: in.Path, SHA256: in.SHA256, Rows: in.Rows})
	}
	if why := r.Clustering.Skipped; why != "" {
		rr.Elbow = report.Elbow{Skipped: true, Reason: skippedSentence(why)}
	} else if sw := r.Clustering.Sweep; sw != nil {
		rr.Elbow = report.Elbow{Ks: sw.Ks, Inertia: sw.Inertia, Silhouette: sw.Silhouette,
			CalinskiHarabasz: sw.CalinskiHarabasz, K: sw.K, KneeFound: sw.KneeFound, Knee: sw.Knee, Reason: elbowSentence(sw)}
	} else if r.Options.Model != nil {
		rr.Elbow = report.Elbow{K: r.Clustering.Fit.K, Fixed: true, Reason: "These customers were scored with the saved model " + r.Options.ModelPath + " (segment assign): each is in the cluster of the nearest saved centroid."}
	} else {
		rr.Elbow = report.Elbow{K: r.Clustering.Fit.K, Fixed: true, Reason: "Set it with -k auto (or clustering.k: auto) to let the elbow choose."}
	}
	var err error
	if rr.Concentration, err = r.concentration(); err != nil {
		return err
	}
	if rr.Concentration != nil {
		rr.Concentration.Plot = plots.pareto
	}
	if rr.RFM, err = r.rfmSection(); err != nil {
		return err
	}
	if rr.RFM != nil {
		rr.RFM.Plots = plots.rfm
	}
	if rr.Groups, err = r.groupRows(); err != nil {
		return err
	}
	rr.Clustering = r.clusteringSection()
	rr.Settings = r.settings()
	rr.Crosstab = r.rfmCrosstab()
	rr.Stability = r.stabilitySection()
	rr.Exports = exportsSection(written)
	rr.Exports.Previous = r.Previous != nil
	rr.CLV = r.clvSection()
	if rr.CLV != nil && rr.CLV.Holdout != nil {
		rr.CLV.Holdout.Plot = plots.clv
	}
	if rr.Stability != nil {
		rr.Stability.Plots = plots.stability
	}
	for _, c := range r.Profiles.Clusters {
		rr.Clusters = append(rr.Clusters, report.Cluster{ID: c.ID, Key: c.Key, Name: c.Name, Size: c.Size, Revenue: c.Revenue, Stats: c.Stats,
			RFMSegment: c.RFMSegment, RFMShare: c.RFMShare, Action: c.Action, RuleName: c.RuleName, FreshName: c.FreshName})
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
func exportsSection(w *Written) *report.Exports {
	e := &report.Exports{Dir: exportsDir, Note: w.ExportNote}
	if s := w.Exports; s != nil {
		e.Exported, e.Skipped, e.TagsRemoved, e.InvalidEmails = s.Exported, s.Skipped, s.TagsRemoved, s.InvalidEmails
		e.Files = []string{exports.KlaviyoFile, exports.MailchimpFile, exports.ShopifyFile, exports.GoogleFile, exports.MetaFile,
			exports.TagsRemovedFile, exports.InvalidEmailsFile}
	}
	return e
}

// period returns the data period: the store dates of the first and last
// order line counted (zero for a feature table).
func (r *Result) period() report.Period {
	return report.Period{First: r.Tables.Table.FirstLine, Last: r.Tables.Table.LastLine}
}
