package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// writePlots draws the run's plots into dir/plots and returns them as the
// report links them (relative paths).
func (r *result) writePlots(ctx context.Context, dir string) ([]report.Plot, error) {
	pdir := filepath.Join(dir, "plots")
	if err := os.MkdirAll(pdir, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	names := make([]string, len(r.clusters))
	sizes := make([]int, len(r.clusters))
	rel := make([][]float64, len(r.clusters))
	for i, c := range r.clusters {
		names[i], sizes[i], rel[i] = c.Name, c.Size, c.Rel
	}
	var jobs []plotJob
	if sw := r.sweep; sw != nil {
		jobs = append(jobs, plotJob{"elbow", "Elbow: inertia by k",
			"Inertia (within-cluster sum of squares in the scaled feature space) for each k; the chosen k is marked. " + sw.Reason,
			func(w io.Writer, f report.Format) error {
				return report.ElbowPlot(w, f, sw.Ks, sw.Inertia, sw.K, sw.Silhouette)
			}, sectionPlots, true})
	}
	jobs = append(jobs,
		plotJob{"cluster_sizes", "Customers per cluster", "How many customers each cluster holds.",
			func(w io.Writer, f report.Format) error { return report.SizesPlot(w, f, names, sizes) }, sectionPlots, true},
		plotJob{"profile_heatmap", "Cluster profiles (relative importance)",
			"Each cell is the cluster's mean divided by the mean of all customers, minus one: +50% means half again as high as a typical customer.",
			func(w io.Writer, f report.Format) error {
				return report.HeatmapPlot(w, f, names, r.profileColumns(), rel)
			}, sectionPlots, true},
	)
	if z := r.standardizedMeans(); z != nil {
		jobs = append(jobs, plotJob{"snake", "Snake plot of the clusters",
			"Each line is a cluster: its mean of each feature in standard deviations from the average customer (0).",
			func(w io.Writer, f report.Format) error { return report.SnakePlot(w, f, r.profileColumns(), names, z) }, sectionPlots, true})
	}
	jobs = append(jobs, r.segmentPlots()...)
	if r.d >= 2 {
		proj, explained, err := cluster.Project(r.x, r.clustered.N(), r.d, 2)
		if err != nil {
			return nil, err
		}
		xl := fmt.Sprintf("PC1 (%.0f%% of variance)", 100*explained[0])
		yl := fmt.Sprintf("PC2 (%.0f%% of variance)", 100*explained[1])
		// PNG only: an SVG of every customer's dot grows with n.
		jobs = append(jobs, plotJob{"pca_scatter", "Customers on the first two principal components",
			"Each dot is a customer, coloured by cluster, projected onto the two directions of largest variance of the scaled features.",
			func(w io.Writer, f report.Format) error {
				return report.ScatterPlot(w, f, proj, r.fit.Labels, names, xl, yl)
			}, sectionPlots, false})
	}
	var plots []report.Plot
	for _, j := range jobs {
		formats := []report.Format{report.PNG}
		if j.svg {
			formats = append(formats, report.SVG)
		}
		for _, f := range formats {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if err := writeFile(filepath.Join(pdir, j.name+"."+string(f)), func(w io.Writer) error { return j.draw(w, f) }); err != nil {
				return nil, err
			}
		}
		p := report.Plot{Title: j.title, Path: "plots/" + j.name + ".png", Caption: j.caption}
		switch j.section {
		case sectionPlots:
			plots = append(plots, p)
		case sectionSummary:
			r.paretoPlot = &p
		case sectionRFM:
			r.rfmPlots = append(r.rfmPlots, p)
		case sectionStability:
			r.stabilityPlots = append(r.stabilityPlots, p)
		}
	}
	return plots, nil
}

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
)

// standardizedMeans returns each cluster's mean of each profile column in
// population standard deviations from the population mean (0 for a
// constant column), or nil without clusters.
func (r *result) standardizedMeans() [][]float64 {
	cols := r.profileColumns()
	if len(r.clusters) == 0 || len(cols) == 0 {
		return nil
	}
	sd := make([]float64, len(cols))
	for j, name := range cols {
		v := r.clustered.Col(name)
		var ss float64
		for _, x := range v {
			ss += (x - r.popMean[j]) * (x - r.popMean[j])
		}
		sd[j] = math.Sqrt(ss / float64(len(v)))
	}
	z := make([][]float64, len(r.clusters))
	for c, ci := range r.clusters {
		z[c] = make([]float64, len(cols))
		for j := range cols {
			if sd[j] > 0 {
				z[c][j] = (ci.Mean[j] - r.popMean[j]) / sd[j]
			}
		}
	}
	return z
}

// segmentPlots are the summary, RFM and stability plots.
func (r *result) segmentPlots() []plotJob {
	var jobs []plotJob
	if mon := r.table.Col(features.Monetary); mon != nil && slices.ContainsFunc(mon, func(v float64) bool { return v > 0 }) {
		jobs = append(jobs, plotJob{"pareto", "Revenue concentration",
			"Customers sorted by spend, highest first, against the share of revenue they bring; the dashed line is an even spread.",
			func(w io.Writer, f report.Format) error { return report.ParetoPlot(w, f, mon) }, sectionSummary, true})
	}
	if s := r.seg; s.rfm != nil {
		var counts, revenue [5][5]float64
		mon := s.all.Col(features.Monetary)
		for i, seg := range s.rfm.Segment {
			if seg == features.Prospects {
				continue
			}
			rr, fm := s.rfm.R[i], (s.rfm.F[i]+s.rfm.M[i])/2
			counts[5-rr][fm-1]++
			revenue[5-rr][fm-1] += math.Max(mon[i], 0)
		}
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
		if sec := r.rfmSection(); sec != nil {
			var ids []string
			var cust, rev []float64
			var totalC, totalR float64
			for _, g := range sec.Segments {
				totalC += float64(g.Customers)
				totalR += math.Max(g.Revenue, 0)
			}
			for _, g := range sec.Segments {
				if g.Customers == 0 || totalC == 0 || totalR == 0 {
					continue
				}
				ids = append(ids, g.ID)
				cust = append(cust, float64(g.Customers)/totalC)
				rev = append(rev, math.Max(g.Revenue, 0)/totalR)
			}
			if len(ids) > 0 {
				jobs = append(jobs, plotJob{"rfm_share", "Share of customers and of revenue by RFM segment",
					"Segments whose revenue bar is longer than their customer bar are worth more than their size.",
					func(w io.Writer, f report.Format) error { return report.SharePlot(w, f, ids, cust, rev) }, sectionRFM, true})
			}
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
					return report.MigrationPlot(w, f, m.title, x.Rows, x.Cols, x.Counts)
				}, sectionStability, true})
		}
	}
	return jobs
}

// formatCount prints a count or amount with thousands separators.
func formatCount(v float64) string {
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
