package pipeline

import (
	"context"
	"slices"
	"testing"
)

// A refit numbers the clusters that match the previous run's as that run
// did, whatever their sizes now; unmatched clusters take the numbers left.
func TestClusterLikePrevious(t *testing.T) {
	o := testOptions(t)
	o.K = 2
	in := &Tables{Table: twoGroups(t)}
	u := upToClusters(t, in, o)
	fit := u.c.Fit
	high := u.clusterOfID(t, "H1")
	for _, tt := range []struct {
		name      string
		centroids [][]float64
		wantHigh  int
	}{
		{"the same order", [][]float64{slices.Clone(fit.Centroid(0)), slices.Clone(fit.Centroid(1))}, high},
		{"the other order", [][]float64{slices.Clone(fit.Centroid(1)), slices.Clone(fit.Centroid(0))}, 1 - high},
		// Only the big spenders' cluster matches (the other centroid is far
		// from both): it keeps its previous number, the other takes the
		// number left.
		{"one matched", [][]float64{farFrom(fit.Centroid(0), 1e3), slices.Clone(fit.Centroid(high))}, 1},
		// Matched to a previous cluster numbered beyond k: numbered as a
		// new cluster, by size (ties by centroid), as without a previous run.
		// (The rest, matched to the previous cluster their customers were
		// in, matchByFormer, takes its number when below k.)
		{"a previous number beyond k", [][]float64{farFrom(fit.Centroid(0), 1e3), farFrom(fit.Centroid(0), 2e3), slices.Clone(fit.Centroid(high))}, high},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := previousOf(t, in, u, tt.centroids, []string{"a", "b", "c"}[:len(tt.centroids)])
			c, err := clusterLike(context.Background(), u.m, o, p, in.Table.Categories)
			if err != nil {
				t.Fatal(err)
			}
			r := c.Fit
			if got := r.Labels[slices.Index(u.b.Table.IDs, "H1")]; got != tt.wantHigh {
				t.Fatalf("the big spenders are cluster %d, want %d", got, tt.wantHigh)
			}
			for i, l := range fit.Labels { // the same partition, renumbered
				if want := l; (l == high) != (r.Labels[i] == tt.wantHigh) {
					t.Fatalf("row %d: cluster %d, was %d", i, r.Labels[i], want)
				}
			}
			if !slices.Equal(r.Centroid(tt.wantHigh), fit.Centroid(high)) || r.Sizes[tt.wantHigh] != fit.Sizes[high] {
				t.Errorf("the big spenders' centroid or size did not follow their number")
			}
		})
	}
}

// farFrom returns point moved by delta in every coordinate.
func farFrom(point []float64, delta float64) []float64 {
	out := slices.Clone(point)
	for j := range out {
		out[j] += delta
	}
	return out
}
