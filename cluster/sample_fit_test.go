package cluster

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
)

// TestFitSampleSize: with SampleSize below n, the restarts run on a
// sample and the best is refined on all rows: the result is a Lloyd fit
// of all rows from the sample fit's centroids (the same as Fit with those
// centroids as Init), its inertia within 0.1 % of the fit of every restart
// on all rows, the same whatever the workers; with SampleSize at least n
// it is the full fit, bit for bit. A negative SampleSize is an error.
func TestFitSampleSize(t *testing.T) {
	centers := [][]float64{{0, 0, 0}, {4, 0, 1}, {0, 5, -1}, {3, 3, 3}, {-3, 2, 0}}
	x, n, d, _ := blobs(7, centers, []int{9000, 6000, 4000, 3000, 1000}, 1.2)
	ctx := context.Background()
	full, err := KMeans{K: 5, Seed: 3}.Fit(ctx, x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	var first *Result
	for _, workers := range []int{1, 3} {
		got, err := KMeans{K: 5, Seed: 3, SampleSize: 2000, Workers: workers}.Fit(ctx, x, n, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = got
		} else if !reflect.DeepEqual(got, first) {
			t.Errorf("workers %d: a different result from workers 1", workers)
		}
	}
	if r := first.Inertia / full.Inertia; r > 1.001 || len(first.Labels) != n || first.Iterations < 1 {
		t.Errorf("sampled fit: inertia %v of the full fit's, %d labels, %d iterations", r, len(first.Labels), first.Iterations)
	}
	// The refinement is Lloyd's algorithm on all rows from the sample's
	// best centroids.
	xs, ws, ns := sampleMatrix(x, n, d, nil, 2000, 3)
	sub, err := KMeans{K: 5, Seed: 3}.Fit(ctx, xs, ns, d, ws)
	if err != nil {
		t.Fatal(err)
	}
	refined, err := KMeans{K: 5, Seed: 3, Init: sub.Centroids}.Fit(ctx, x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	refined.Restart = sub.Restart
	if !reflect.DeepEqual(refined, first) {
		t.Errorf("the sampled fit is not the sample's best refined on all rows: inertia %v, want %v", first.Inertia, refined.Inertia)
	}
	same, err := KMeans{K: 5, Seed: 3, SampleSize: n}.Fit(ctx, x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(same, full) || math.IsNaN(same.Inertia) {
		t.Error("SampleSize = n: not the full fit")
	}
	if _, err := (KMeans{K: 5, SampleSize: -1}).Fit(ctx, x, n, d, nil); !errors.Is(err, ErrSettings) {
		t.Errorf("SampleSize = -1: %v, want ErrSettings", err)
	}
}
