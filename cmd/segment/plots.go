package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/segment-tool/segment/cluster"
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
	type plotJob struct {
		file, title, caption string
		draw                 func(w io.Writer) error
	}
	var jobs []plotJob
	if sw := r.sweep; sw != nil {
		jobs = append(jobs, plotJob{"elbow.png", "Elbow: inertia by k",
			"Inertia (within-cluster sum of squares in the scaled feature space) for each k; the chosen k is marked. " + sw.Reason,
			func(w io.Writer) error {
				return report.ElbowPlot(w, report.PNG, sw.Ks, sw.Inertia, sw.K, sw.Silhouette)
			}})
	}
	jobs = append(jobs,
		plotJob{"cluster_sizes.png", "Customers per cluster", "How many customers each cluster holds.",
			func(w io.Writer) error { return report.SizesPlot(w, report.PNG, names, sizes) }},
		plotJob{"profile_heatmap.png", "Cluster profiles (relative importance)",
			"Each cell is the cluster's mean divided by the mean of all customers, minus one: +50% means half again as high as a typical customer.",
			func(w io.Writer) error { return report.HeatmapPlot(w, report.PNG, names, r.profileColumns(), rel) }},
	)
	if r.d >= 2 {
		proj, explained, err := cluster.Project(r.x, r.table.N(), r.d, 2)
		if err != nil {
			return nil, err
		}
		xl := fmt.Sprintf("PC1 (%.0f%% of variance)", 100*explained[0])
		yl := fmt.Sprintf("PC2 (%.0f%% of variance)", 100*explained[1])
		jobs = append(jobs, plotJob{"pca_scatter.png", "Customers on the first two principal components",
			"Each dot is a customer, coloured by cluster, projected onto the two directions of largest variance of the scaled features.",
			func(w io.Writer) error { return report.ScatterPlot(w, report.PNG, proj, r.fit.Labels, names, xl, yl) }})
	}
	var plots []report.Plot
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := writeFile(filepath.Join(pdir, j.file), j.draw); err != nil {
			return nil, err
		}
		plots = append(plots, report.Plot{Title: j.title, Path: "plots/" + j.file, Caption: j.caption})
	}
	return plots, nil
}
