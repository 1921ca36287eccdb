package cluster

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func miniBatchBlobs() ([]float64, int, int, []int) {
	return blobs(21, [][]float64{{0, 0, 0, 0}, {5, 0, 0, 0}, {0, 5, 0, 0}, {0, 0, 5, 0}, {3, 3, 3, 3}},
		[]int{12000, 9000, 7000, 5000, 3000}, 1)
}

// TestMiniBatchSameWithAnyWorkers: batches come from the restart's
// generator and partial sums are reduced in chunk order.
func TestMiniBatchSameWithAnyWorkers(t *testing.T) {
	x, n, d, _ := miniBatchBlobs()
	var first *Result
	for _, workers := range []int{1, 2, 8} {
		res, err := KMeans{K: 5, Restarts: 2, Seed: 3, Workers: workers, BatchSize: 5000}.Fit(context.Background(), x, n, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res
			continue
		}
		if !sameBits(res.Centroids, first.Centroids) || res.Inertia != first.Inertia || !slices.Equal(res.Labels, first.Labels) {
			t.Fatalf("workers=%d: inertia %v, want %v with bit-identical centroids", workers, res.Inertia, first.Inertia)
		}
	}
}

// TestMiniBatchQuality: on planted blobs mini-batch k-means finds the
// blobs and loses under 1 % of inertia against Lloyd's algorithm, seeded
// or started from given centroids; labels and inertia are exact for its
// centroids.
func TestMiniBatchQuality(t *testing.T) {
	x, n, d, truth := miniBatchBlobs()
	ctx := context.Background()
	lloyd, err := KMeans{K: 5, Restarts: 3, Seed: 1}.Fit(ctx, x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := KMeans{K: 5, Restarts: 3, Seed: 1, BatchSize: 2048}.Fit(ctx, x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := mb.Inertia / lloyd.Inertia; r > 1.01 {
		t.Fatalf("mini-batch inertia %v = %.4f× Lloyd's %v", mb.Inertia, r, lloyd.Inertia)
	}
	if ari, want := AdjustedRand(mb.Labels, truth), AdjustedRand(lloyd.Labels, truth); ari < want-0.005 {
		t.Fatalf("mini-batch ARI with the planted blobs = %.4f, Lloyd's %.4f", ari, want)
	}
	if got := inertiaOf(x, n, d, mb.Labels, mb.Centroids); !relClose(got, mb.Inertia, 1e-12) {
		t.Fatalf("reported inertia %v, recomputed %v", mb.Inertia, got)
	}
	from, err := KMeans{K: 5, Seed: 1, BatchSize: 2048, Init: lloyd.Centroids}.Fit(ctx, x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := from.Inertia / lloyd.Inertia; r > 1.001 {
		t.Fatalf("mini-batch from Lloyd's centroids: inertia %.5f× Lloyd's", r)
	}
}

// TestMiniBatchOff: a batch of n rows or more is plain Lloyd; a negative
// one is an error.
func TestMiniBatchOff(t *testing.T) {
	x, n, d, _ := miniBatchBlobs()
	ctx := context.Background()
	a, err := KMeans{K: 4, Restarts: 2, Seed: 2}.Fit(ctx, x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := KMeans{K: 4, Restarts: 2, Seed: 2, BatchSize: n}.Fit(ctx, x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(a.Centroids, b.Centroids) || a.Inertia != b.Inertia {
		t.Fatal("BatchSize = n should run Lloyd's algorithm")
	}
	if _, err := (KMeans{K: 4, BatchSize: -1}).Fit(ctx, x, n, d, nil); !errors.Is(err, ErrSettings) {
		t.Fatalf("BatchSize -1: err = %v, want ErrSettings", err)
	}
}

// TestSweepMiniBatch: above MiniBatchRows the sweep refines by mini-batch
// and says so; its inertia stays within 1 % of the Lloyd-refined sweep at
// every k.
func TestSweepMiniBatch(t *testing.T) {
	x, n, d, _ := miniBatchBlobs()
	ctx := context.Background()
	base := Elbow{KMin: 2, KMax: 8, KMeans: KMeans{Restarts: 2, Seed: 5}, SampleSize: 4000, SkipMetrics: true}
	exact, err := base.Sweep(ctx, x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	mbe := base
	mbe.MiniBatchRows = 10000
	mb, err := mbe.Sweep(ctx, x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if exact.MiniBatch != 0 || mb.MiniBatch != DefaultBatchSize {
		t.Fatalf("MiniBatch = %d and %d, want 0 and %d", exact.MiniBatch, mb.MiniBatch, DefaultBatchSize)
	}
	for i, k := range mb.Ks {
		if r := mb.Inertia[i] / exact.Inertia[i]; r > 1.01 {
			t.Errorf("k=%d: mini-batch inertia %.4f× the Lloyd-refined one", k, r)
		}
	}
	if mb.K != exact.K {
		t.Errorf("mini-batch sweep chose k=%d, Lloyd-refined k=%d", mb.K, exact.K)
	}
}

// inertiaOf recomputes Σ ‖x_i − c_label(i)‖² directly.
func inertiaOf(x []float64, n, d int, labels []int, centroids []float64) float64 {
	var s float64
	for i := range n {
		s += sqdist(x[i*d:(i+1)*d], centroids[labels[i]*d:(labels[i]+1)*d])
	}
	return s
}

// TestMiniBatchManyClusters: with K above the batch size the seeding sample
// grows to 3·K rows, so every cluster starts on a distinct row and none
// ends empty on distinct data (with a sample of 3·BatchSize rows some do).
func TestMiniBatchManyClusters(t *testing.T) {
	x, _, d, _ := miniBatchBlobs()
	n := 2000
	x = x[:n*d]
	res, err := KMeans{K: 700, Restarts: 1, Seed: 1, BatchSize: 100}.Fit(context.Background(), x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	for c, size := range res.Sizes {
		if size == 0 {
			t.Fatalf("cluster %d of %d is empty", c, res.K)
		}
	}
}
