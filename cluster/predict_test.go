package cluster

import (
	"context"
	"slices"
	"testing"
)

// TestPredictReproducesFit: scoring the fitted rows with the fitted
// centroids gives the fit's labels and distances bit for bit, and
// SumInertia of the distances the fit's inertia (rows over two chunks).
func TestPredictReproducesFit(t *testing.T) {
	centers := [][]float64{{0, 0, 0}, {5, 5, 0}, {0, 5, 5}, {5, 0, 5}, {9, 9, 9}}
	x, n, d, _ := blobs(11, centers, []int{2400, 2000, 2800, 1600, 1200}, 1.5)
	orig := slices.Clone(x)
	res, err := KMeans{K: 5, Restarts: 3, Seed: 2}.Fit(context.Background(), x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	labels, dist2 := Predict(x, n, d, res.Centroids, res.K, nil, nil)
	if !slices.Equal(labels, res.Labels) {
		t.Error("Predict labels differ from the fit's")
	}
	if !slices.Equal(dist2, res.Dist2) {
		t.Error("Predict distances differ from the fit's")
	}
	if got := SumInertia(dist2); got != res.Inertia {
		t.Errorf("SumInertia %v, the fit's inertia %v", got, res.Inertia)
	}
	if !slices.Equal(x, orig) {
		t.Error("x modified")
	}
	// Ties go to the lower index.
	l, _ := Predict([]float64{0, 0}, 1, 2, []float64{1, 0, -1, 0}, 2, nil, nil)
	if l[0] != 0 {
		t.Errorf("tie: label %d, want 0", l[0])
	}
}
