package pipeline

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/features"
)

// repeated is a Matrix of the rows, each repeated per times, in turn.
func repeated(rows [][]float64, per int) *Matrix {
	var x []float64
	for range per {
		for _, r := range rows {
			x = append(x, r...)
		}
	}
	return &Matrix{Transform: &features.Transform{Columns: []string{"a", "b"}}, X: x, N: per * len(rows), D: len(rows[0]), IDs: rowIDs(per * len(rows))}
}

// TestClusterSkipsDegenerateMatrices: fewer distinct rows than the
// clusters asked for, a single one, or no dimension: no clustering, and
// Skipped says why. A saved model scores whatever the rows.
func TestClusterSkipsDegenerateMatrices(t *testing.T) {
	three := repeated([][]float64{{0, 0}, {5, 0}, {0, 5}}, 10)
	tests := []struct {
		name string
		m    *Matrix
		set  func(o *Options)
		want string // in Skipped; "" to cluster
	}{
		{"all alike", repeated([][]float64{{1, 1}}, 30), nil, "all 30 buyers are alike on the clustered features (a, b)"},
		{"no dimension", &Matrix{Transform: &features.Transform{}, N: 30}, nil, "no feature of clustering.use varies enough between the 30 buyers"},
		{"one buyer", &Matrix{Transform: &features.Transform{}, N: 1}, nil, "there is only 1 buyer, so there is nothing to tell apart"},
		{"fewer than k_min", three, func(o *Options) { o.KMin = 4 }, "only 3 distinct profiles on the clustered features (a, b), fewer than k_min = 4"},
		{"fewer than k", three, func(o *Options) { o.K = 5 }, "fewer than k = 5"},
		{"as many as k_min", three, func(o *Options) { o.KMin = 3 }, ""},
		{"as many as k", three, func(o *Options) { o.K = 3 }, ""},
		{"k of one on alike rows", repeated([][]float64{{1, 1}}, 30), func(o *Options) { o.K = 1 }, "all 30 buyers are alike"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOptions(t)
			o.MinShare = 0
			if tt.set != nil {
				tt.set(o)
			}
			c, err := Cluster(context.Background(), tt.m, o)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == "" && c.Skipped != "":
				t.Errorf("skipped: %s", c.Skipped)
			case tt.want != "" && !strings.Contains(c.Skipped, tt.want):
				t.Errorf("Skipped %q, want %q", c.Skipped, tt.want)
			case tt.want != "" && (c.Fit.K != 0 || c.Fit.Labels != nil):
				t.Errorf("skipped fit has k %d, %d labels", c.Fit.K, len(c.Fit.Labels))
			}
		})
	}
}

// TestClusterSweepNeverLeavesAClusterEmpty: with three distinct rows and
// no minimum cluster size, the sweep stops at k = 3 and every cluster of
// the fit holds customers: none is empty, so none is named.
func TestClusterSweepNeverLeavesAClusterEmpty(t *testing.T) {
	m := repeated([][]float64{{0, 0}, {5, 0}, {0, 5}}, 10)
	o := testOptions(t)
	o.MinShare = 0
	c, err := Cluster(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	if c.Skipped != "" || slices.Max(c.Sweep.Ks) != 3 {
		t.Fatalf("skipped %q, sweep ks %v; want a sweep up to k = 3", c.Skipped, c.Sweep.Ks)
	}
	if slices.Contains(c.Fit.Sizes, 0) || len(c.Fit.Sizes) != c.Fit.K {
		t.Errorf("k %d, sizes %v: an empty cluster", c.Fit.K, c.Fit.Sizes)
	}
}

// TestDropEmpty: clusters of size 0 are removed and the others
// renumbered in order, with their centroids and sizes.
func TestDropEmpty(t *testing.T) {
	r := &cluster.Result{K: 4, D: 1, Centroids: []float64{10, 20, 30, 40}, Sizes: []int{2, 0, 1, 0}, Labels: []int{0, 2, 0}}
	dropEmpty(r)
	if r.K != 2 || !slices.Equal(r.Sizes, []int{2, 1}) || !slices.Equal(r.Centroids, []float64{10, 30}) || !slices.Equal(r.Labels, []int{0, 1, 0}) {
		t.Errorf("after dropEmpty: k %d, sizes %v, centroids %v, labels %v", r.K, r.Sizes, r.Centroids, r.Labels)
	}
	full := &cluster.Result{K: 2, D: 1, Centroids: []float64{1, 2}, Sizes: []int{1, 1}, Labels: []int{1, 0}}
	dropEmpty(full)
	if full.K != 2 || !slices.Equal(full.Labels, []int{1, 0}) {
		t.Errorf("a fit without empty clusters changed: %+v", full)
	}
}
