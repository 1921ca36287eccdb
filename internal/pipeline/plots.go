package pipeline

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// plotSet are the plots drawn, as the report links them (relative paths),
// by the section that shows them.
type plotSet struct {
	plots     []report.Plot // the Plots section at the end
	pareto    *report.Plot  // the summary's
	rfm       []report.Plot
	stability []report.Plot
	clv       *report.Plot // the lifetime-value section's tracking plot
}

// profileColumns are the raw feature columns profiled per cluster: the
// clustered ones, with the category mix expanded.
func (r *Result) profileColumns() []string { return r.Matrix.Transform.Columns }

// writePlots draws the run's plots into dir/plots.
func (r *Result) writePlots(ctx context.Context, dir string) (*plotSet, error) {
	pdir := filepath.Join(dir, "plots")
	if err := os.MkdirAll(pdir, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	k := len(r.Profiles.Clusters)
	names, sizes, revenue := make([]string, k), make([]int, k), make([]float64, k)
	stats := make([]report.ClusterStats, k)
	for i, c := range r.Profiles.Clusters {
		names[i], sizes[i], revenue[i] = c.Name, c.Size, c.Revenue
		stats[i] = c.Stats
	}
	if r.Tables.Table.Col(features.Monetary) == nil {
		revenue = nil // no spend column: customers only
	}
	var jobs []plotJob
	if sw := r.Clustering.Sweep; sw != nil {
		jobs = append(jobs, plotJob{"elbow", "Elbow: inertia by k",
			"Inertia (within-cluster sum of squares in the scaled feature space) for each k; the chosen k is marked. " + sw.Reason,
			func(w io.Writer, f report.Format) error {
				return report.ElbowPlot(w, f, sw.Ks, sw.Inertia, sw.K, sw.Silhouette)
			}, sectionPlots, true})
	}
	if len(names) > 0 { // none when clustering was skipped
		jobs = append(jobs,
			plotJob{"cluster_sizes", "Customers and revenue per cluster",
				"Each cluster's share of the clustered customers (light bar) and of their revenue (full colour): a cluster whose dark bar is longer is worth more than its size.",
				func(w io.Writer, f report.Format) error { return report.SizesPlot(w, f, names, sizes, revenue) }, sectionPlots, true},
			plotJob{"profile_heatmap", "Cluster profiles",
				"Each cell gives the cluster's median customer on a feature; its colour says where that customer ranks among all clustered customers: " +
					"green better for the business, magenta worse (a long time since the last order, discounts and returns count as worse), grey for features that are neither (darker is higher), pale when typical. " +
					"A category's column (`mix_…`) gives the segment's share of its spend in the category instead (the median customer's is often 0), as the segments table does, darker where it is above all clustered customers' share (0.75 of the scale: three times it), paler below.",
				func(w io.Writer, f report.Format) error {
					value, pos := report.HeatmapCells(r.Profiles.Population, stats, r.profileColumns())
					return report.HeatmapPlot(w, f, names, r.profileColumns(), value, pos)
				}, sectionPlots, true},
		)
	}
	if z := r.standardizedMeans(); z != nil {
		jobs = append(jobs, plotJob{"snake", "Snake plot of the clusters",
			"Each line is a cluster: its mean of each feature in standard deviations from the average customer (the 0 line). " +
				"Means far beyond the others are drawn as arrow heads on the edge with their value, so that one outlying cluster does not flatten the rest.",
			func(w io.Writer, f report.Format) error { return report.SnakePlot(w, f, r.profileColumns(), names, z) }, sectionPlots, true})
	}
	seg, err := r.segmentPlots()
	if err != nil {
		return nil, err
	}
	jobs = append(jobs, seg...)
	jobs = append(jobs, r.clvPlots()...)
	if cm := r.customers; cm != nil {
		cols := r.profileColumns()
		xl := report.PCAxisLabel(cm.explained[0], cols, cm.load[0])
		yl := report.PCAxisLabel(cm.explained[1], cols, cm.load[1])
		// PNG only: an SVG of every customer's dot grows with n.
		jobs = append(jobs, plotJob{"pca_scatter", "Map of the customers",
			"Each dot is a customer, coloured by cluster, on the two directions along which customers differ most (principal components of the scaled features); " +
				"each axis names the features it follows. Clusters that overlap here are alike; a cluster far from the others is distinct.",
			func(w io.Writer, f report.Format) error {
				return cm.points.Plot(w, f, names, xl, yl)
			}, sectionPlots, false})
	}
	set := &plotSet{}
	for _, j := range jobs {
		if !slices.Contains(plotNames, j.name) {
			// A plot the output folder's check would not know as segment's.
			return nil, fmt.Errorf("pipeline: plot %q is not in plotNames", j.name)
		}
		formats := []report.Format{report.PNG}
		if j.svg {
			formats = append(formats, report.SVG)
		}
		for _, f := range formats {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if err := writeFileContext(ctx, filepath.Join(pdir, j.name+"."+string(f)), func(w io.Writer) error { return j.draw(w, f) }); err != nil {
				return nil, err
			}
		}
		p := report.Plot{Title: j.title, Path: "plots/" + j.name + ".png", Caption: j.caption}
		switch j.section {
		case sectionPlots:
			set.plots = append(set.plots, p)
		case sectionSummary:
			set.pareto = &p
		case sectionRFM:
			set.rfm = append(set.rfm, p)
		case sectionStability:
			set.stability = append(set.stability, p)
		case sectionCLV:
			set.clv = &p
		}
	}
	return set, nil
}

// plotNames are the names of every plot a run may draw (plotJob.name),
// and of those older versions drew: an output folder's plots/ holding a
// file of another name is not replaced (foreignOutput).
var plotNames = []string{"elbow", "cluster_sizes", "profile_heatmap", "snake", "pca_scatter", "pareto",
	"rfm_grid_customers", "rfm_grid_revenue", "rfm_share", "migration_rfm", "migration_clusters", "clv_tracking"}

// plotJob is one plot of the run: drawn as name.png (and name.svg) and
// shown in a section of the report.
type plotJob struct {
	name, title, caption string
	draw                 func(w io.Writer, f report.Format) error
	section              plotSection
	svg                  bool
}

// plotSection is where the report shows a plot.
type plotSection int

const (
	sectionPlots plotSection = iota // the Plots section at the end
	sectionSummary
	sectionRFM
	sectionStability
	sectionCLV
)

// standardizedMeans returns each cluster's mean of each profile column in
// population standard deviations from the population mean (0 for a
// constant column), or nil without clusters.
func (r *Result) standardizedMeans() [][]float64 {
	cols := r.profileColumns()
	if len(r.Profiles.Clusters) == 0 || len(cols) == 0 {
		return nil
	}
	sd := r.Profiles.PopSD
	z := make([][]float64, len(r.Profiles.Clusters))
	for c, ci := range r.Profiles.Clusters {
		z[c] = make([]float64, len(cols))
		for j := range cols {
			if sd[j] > 0 {
				z[c][j] = (ci.Mean[j] - r.Profiles.PopMean[j]) / sd[j]
			}
		}
	}
	return z
}

// segmentPlots are the summary, RFM and stability plots.
func (r *Result) segmentPlots() ([]plotJob, error) {
	var jobs []plotJob
	if r.counted().anySpend {
		jobs = append(jobs, plotJob{"pareto", "Revenue concentration",
			"Customers sorted by spend, highest first, against the share of revenue they bring; the dashed line is an even spread.",
			func(w io.Writer, f report.Format) error {
				rev, err := r.revenue()
				if err != nil {
					return err
				}
				return report.ParetoPlot(w, f, rev)
			}, sectionSummary, true})
	}
	if s := r.Segments; s.RFM != nil {
		figs, err := r.segmentFigures()
		if err != nil {
			return nil, err
		}
		tally := figs.rfm
		counts, revenue := tally.Customers, tally.Revenue
		jobs = append(jobs,
			plotJob{"rfm_grid_customers", "Customers by R and FM score",
				"Each cell is an (R, FM) pair with its number of customers and its RFM segment.",
				func(w io.Writer, f report.Format) error {
					return report.RFMGridPlot(w, f, "Customers by R and FM score", counts, features.RFMSegment, func(v float64) string { return formatCount(v) })
				}, sectionRFM, true},
			plotJob{"rfm_grid_revenue", "Revenue by R and FM score",
				"Each cell is an (R, FM) pair with the net revenue of its customers and its RFM segment.",
				func(w io.Writer, f report.Format) error {
					return report.RFMGridPlot(w, f, "Revenue by R and FM score", revenue, features.RFMSegment, func(v float64) string { return formatCount(v) })
				}, sectionRFM, true})
		if ids, cust, rev := rfmShares(tally); len(ids) > 0 {
			jobs = append(jobs, plotJob{"rfm_share", "Share of customers and of revenue by RFM segment",
				"Segments whose revenue bar is longer than their customer bar are worth more than their size.",
				func(w io.Writer, f report.Format) error { return report.SharePlot(w, f, ids, cust, rev) }, sectionRFM, true})
		}
	}
	if st := r.stabilitySection(); st != nil {
		for _, m := range []struct {
			name, title string
			x           *report.Crosstab
		}{{"migration_rfm", "RFM segment migration since the previous run", st.RFMMigration},
			{"migration_clusters", "Cluster migration since the previous run", st.ClusterMigration}} {
			if m.x == nil || len(m.x.Rows) == 0 {
				continue
			}
			x := m.x
			jobs = append(jobs, plotJob{m.name, m.title,
				"Rows: the previous run's label; columns: this run's; each cell counts the customers who moved, with their share of the row.",
				func(w io.Writer, f report.Format) error {
					return report.MigrationPlot(w, f, m.title, x.RowLabels(), x.ColLabels(), x.Counts)
				}, sectionStability, true})
		}
	}
	return jobs, nil
}

// rfmShares returns the RFM segments with customers, in the order of
// features.RFMSegments, with each one's share of the customers and of the
// revenue (each segment's net revenue, negative counted as 0, over their
// sum): the customers and revenue of rfmSection's segments, counted in one
// pass over the customers without the medians, the same sums in the same
// order. It returns nothing when there are no customers or no revenue.
func rfmShares(t *rfmTally) (ids []string, cust, rev []float64) {
	infos := features.RFMSegments()
	count, revenue := t.SegCustomers, t.SegRevenue
	var totalC, totalR float64
	for k, info := range infos {
		if info.ID == features.Prospects && count[k] == 0 {
			continue // rfmSection leaves it out
		}
		totalC += float64(count[k])
		totalR += math.Max(revenue[k], 0)
	}
	if totalC == 0 || totalR == 0 {
		return nil, nil, nil
	}
	for k, info := range infos {
		if count[k] == 0 {
			continue
		}
		ids = append(ids, info.ID)
		cust = append(cust, float64(count[k])/totalC)
		rev = append(rev, math.Max(revenue[k], 0)/totalR)
	}
	return ids, cust, rev
}

// formatCount prints a count or amount, rounded, with thousands separators.
func formatCount(v float64) string { return report.FormatInt(int64(math.Round(v))) }
