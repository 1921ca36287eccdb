package cluster

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
)

// eightBlobs overlap enough (sd 1.2 against centres 3–4 apart) that single
// k-means++ restarts often stop in a poor local minimum.
var eightBlobs = [][]float64{
	{0, 0}, {4, 0}, {8, 0}, {0, 4}, {4, 4}, {8, 4}, {2, 8}, {6, 8},
}

func TestFitWithinBestOf50Restarts(t *testing.T) {
	x, n, d, _ := blobs(1, eightBlobs, []int{150, 150, 150, 150, 150, 150, 150, 150}, 1.2)
	ctx := context.Background()

	fit, err := KMeans{K: 8, Seed: 1}.Fit(ctx, x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	best, worst := math.Inf(1), 0.0
	for s := range uint64(50) {
		r, err := KMeans{K: 8, Restarts: 1, Seed: 1000 + s}.Fit(ctx, x, n, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		best, worst = min(best, r.Inertia), max(worst, r.Inertia)
	}
	// The bar: within 0.1 % of the best of 50 restarts.
	if fit.Inertia > best*1.001 {
		t.Errorf("inertia %v, best of 50 restarts %v: more than 0.1%% worse", fit.Inertia, best)
	}
	// The bar means something only if single restarts can miss it.
	if worst <= best*1.001 {
		t.Errorf("every single restart within 0.1%% of the best (%v..%v): dataset too easy for this test", best, worst)
	}
}

func TestFitFindsPlantedClusters(t *testing.T) {
	x, n, d, truth := blobs(2, fiveBlobs, []int{120, 100, 80, 60, 40}, 0.4)
	res, err := KMeans{K: 5, Seed: 3}.Fit(context.Background(), x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ari := AdjustedRand(res.Labels, truth); ari != 1 {
		t.Errorf("ARI against planted clusters = %v, want 1", ari)
	}
	want := plantedInertia(x, n, d, nil, truth, 5)
	if !relClose(res.Inertia, want, 1e-12) {
		t.Errorf("inertia %v, planted optimum %v", res.Inertia, want)
	}
	if !res.Converged || res.Iterations < 1 || res.Iterations >= DefaultMaxIter {
		t.Errorf("Converged=%v after %d iterations", res.Converged, res.Iterations)
	}
	// Canonical order: planted sizes are distinct, so clusters come out
	// largest first.
	if !slices.Equal(res.Sizes, []int{120, 100, 80, 60, 40}) {
		t.Errorf("Sizes = %v, want [120 100 80 60 40]", res.Sizes)
	}
	// Dist2 and Inertia are exact and consistent with the centroids.
	var sum float64
	for i := range n {
		d2 := sqdist(x[i*d:(i+1)*d], res.Centroid(res.Labels[i]))
		if d2 != res.Dist2[i] {
			t.Fatalf("Dist2[%d] = %v, want %v", i, res.Dist2[i], d2)
		}
		sum += d2
	}
	if !relClose(sum, res.Inertia, 1e-12) {
		t.Errorf("Σ Dist2 = %v, Inertia = %v", sum, res.Inertia)
	}
}

func TestFitCanonicalOrderIndependentOfSeed(t *testing.T) {
	// Two pairs of equal sizes: ties are broken by centroid order.
	centers := [][]float64{{10, 0}, {0, 10}, {0, 0}, {10, 10}}
	x, n, d, _ := blobs(4, centers, []int{50, 30, 50, 30}, 0.5)
	var first *Result
	for seed := range uint64(5) {
		res, err := KMeans{K: 4, Restarts: 2, Seed: seed}.Fit(context.Background(), x, n, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Sizes, []int{50, 50, 30, 30}) {
			t.Fatalf("seed %d: Sizes = %v, want [50 50 30 30]", seed, res.Sizes)
		}
		for c := 1; c < 4; c++ {
			if res.Sizes[c] == res.Sizes[c-1] && slices.Compare(res.Centroid(c-1), res.Centroid(c)) >= 0 {
				t.Errorf("seed %d: equal-size clusters %d, %d not in centroid order", seed, c-1, c)
			}
		}
		if first == nil {
			first = res
			continue
		}
		if !slices.Equal(res.Labels, first.Labels) {
			t.Errorf("seed %d: labels differ from seed 0", seed)
		}
	}
}

func TestFitDoesNotModifyInputs(t *testing.T) {
	x, n, d, _ := blobs(5, eightBlobs, []int{40, 40, 40, 40, 40, 40, 40, 40}, 1)
	w := make([]float64, n)
	for i := range w {
		w[i] = float64(1 + i%3)
	}
	x0, w0 := slices.Clone(x), slices.Clone(w)
	if _, err := (KMeans{K: 6, Seed: 1, Workers: 2}).Fit(context.Background(), x, n, d, w); err != nil {
		t.Fatal(err)
	}
	if !sameBits(x, x0) {
		t.Error("Fit modified x")
	}
	if !sameBits(w, w0) {
		t.Error("Fit modified w")
	}
}

func TestFitSameBitsWithAnyWorkers(t *testing.T) {
	// 3 full chunks and a partial one.
	n := 3*chunkRows + 123
	per := []int{n / 4, n / 4, n / 4, n - 3*(n/4)}
	x, n, d, _ := blobs(6, [][]float64{{0, 0, 0}, {3, 0, 1}, {0, 3, 2}, {2, 2, 2}}, per, 1.5)
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 + float64(i%7)/3
	}
	for _, tc := range []struct {
		name string
		w    []float64
	}{{"uniform", nil}, {"weighted", w}} {
		t.Run(tc.name, func(t *testing.T) {
			var ref *Result
			for _, workers := range []int{1, 2, 8} {
				// Restarts 3: with 8 workers the restarts also run
				// concurrently, and Lloyd passes split over chunks.
				res, err := KMeans{K: 6, Restarts: 3, Seed: 11, Workers: workers}.Fit(context.Background(), x, n, d, tc.w)
				if err != nil {
					t.Fatal(err)
				}
				if ref == nil {
					ref = res
					continue
				}
				if !slices.Equal(res.Labels, ref.Labels) {
					t.Errorf("Workers=%d: labels differ from Workers=1", workers)
				}
				if !sameBits(res.Centroids, ref.Centroids) || !sameBits(res.Dist2, ref.Dist2) ||
					math.Float64bits(res.Inertia) != math.Float64bits(ref.Inertia) {
					t.Errorf("Workers=%d: centroids, Dist2 or inertia differ in bits from Workers=1", workers)
				}
				if res.Iterations != ref.Iterations || res.Restart != ref.Restart || res.Converged != ref.Converged {
					t.Errorf("Workers=%d: (iter, restart, conv) = (%d, %d, %v), Workers=1 (%d, %d, %v)", workers,
						res.Iterations, res.Restart, res.Converged, ref.Iterations, ref.Restart, ref.Converged)
				}
			}
		})
	}
}

func TestFitWeightsEqualDuplicatedRows(t *testing.T) {
	x, n, d, truth := blobs(7, fiveBlobs, []int{30, 30, 30, 30, 30}, 0.5)
	w := make([]float64, n)
	var dup []float64
	for i := range n {
		w[i] = float64(1 + i%3) // weights 1, 2, 3
		for range int(w[i]) {
			dup = append(dup, x[i*d:(i+1)*d]...)
		}
	}
	ctx := context.Background()
	rw, err := KMeans{K: 5, Seed: 1}.Fit(ctx, x, n, d, w)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := KMeans{K: 5, Seed: 1}.Fit(ctx, dup, len(dup)/d, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !relClose(rw.Inertia, rd.Inertia, 1e-12) {
		t.Errorf("weighted inertia %v, duplicated rows %v", rw.Inertia, rd.Inertia)
	}
	if !relClose(rw.Inertia, plantedInertia(x, n, d, w, truth, 5), 1e-12) {
		t.Errorf("weighted inertia %v is not the weighted planted optimum", rw.Inertia)
	}
	for j := range rw.Centroids {
		if math.Abs(rw.Centroids[j]-rd.Centroids[j]) > 1e-12 {
			t.Fatalf("centroid value %d: weighted %v, duplicated %v", j, rw.Centroids[j], rd.Centroids[j])
		}
	}
	// Row i of x must land where each of its copies lands.
	k := 0
	for i := range n {
		for range int(w[i]) {
			if rd.Labels[k] != rw.Labels[i] {
				t.Fatalf("row %d: weighted label %d, copy %d label %d", i, rw.Labels[i], k, rd.Labels[k])
			}
			k++
		}
	}
	// Inertia is weighted: Σ w_i Dist2[i].
	var s float64
	for i := range n {
		s += w[i] * rw.Dist2[i]
	}
	if !relClose(s, rw.Inertia, 1e-12) {
		t.Errorf("Σ w·Dist2 = %v, Inertia = %v", s, rw.Inertia)
	}
}

func TestFitEdgeCases(t *testing.T) {
	ctx := context.Background()
	t.Run("k=n gives inertia 0", func(t *testing.T) {
		x := []float64{0, 0, 1, 0, 0, 1, 5, 5, 2, 7}
		res, err := KMeans{K: 5, Seed: 1}.Fit(ctx, x, 5, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Inertia != 0 || !slices.Equal(res.Sizes, []int{1, 1, 1, 1, 1}) {
			t.Errorf("inertia %v sizes %v, want 0 and all ones", res.Inertia, res.Sizes)
		}
	})
	t.Run("k=1 gives the weighted mean", func(t *testing.T) {
		x := []float64{0, 0, 4, 0, 0, 8}
		w := []float64{2, 1, 1}
		res, err := KMeans{K: 1}.Fit(ctx, x, 3, 2, w)
		if err != nil {
			t.Fatal(err)
		}
		// Weighted mean (0·2 + 4 + 0)/4 = 1, (0 + 0 + 8)/4 = 2; inertia
		// 2·(1+4) + 1·(9+4) + 1·(1+36) = 60.
		if !slices.Equal(res.Centroids, []float64{1, 2}) || res.Inertia != 60 {
			t.Errorf("centroid %v inertia %v, want [1 2] and 60", res.Centroids, res.Inertia)
		}
	})
	t.Run("fewer distinct rows than k", func(t *testing.T) {
		// 3 distinct points, each repeated; K = 5 leaves 2 clusters empty.
		x := []float64{1, 1, 1, 1, 5, 5, 9, 9, 5, 5, 1, 1}
		res, err := KMeans{K: 5, Seed: 2}.Fit(ctx, x, 6, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Inertia != 0 || !slices.Equal(res.Sizes, []int{3, 2, 1, 0, 0}) {
			t.Errorf("inertia %v sizes %v, want 0 and [3 2 1 0 0]", res.Inertia, res.Sizes)
		}
	})
	t.Run("duplicate points split like their weighted row", func(t *testing.T) {
		x := []float64{0, 0, 0, 10, 10}
		res, err := KMeans{K: 2, Seed: 4}.Fit(ctx, x, 5, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Labels, []int{0, 0, 0, 1, 1}) || !slices.Equal(res.Centroids, []float64{0, 10}) {
			t.Errorf("labels %v centroids %v", res.Labels, res.Centroids)
		}
	})
	t.Run("constant column", func(t *testing.T) {
		x, n, d, truth := blobs(8, [][]float64{{0, 3}, {10, 3}, {20, 3}}, []int{20, 20, 20}, 0.5)
		for i := range n {
			x[i*d+1] = 3 // constant feature
		}
		res, err := KMeans{K: 3, Seed: 1}.Fit(ctx, x, n, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if AdjustedRand(res.Labels, truth) != 1 {
			t.Error("constant column changed the partition")
		}
		for c := range 3 {
			if res.Centroid(c)[1] != 3 {
				t.Errorf("centroid %d constant column = %v, want 3", c, res.Centroid(c)[1])
			}
		}
	})
	t.Run("zero-weight rows do not pull centroids", func(t *testing.T) {
		x := []float64{0, 1, 100, 10, 11}
		w := []float64{1, 1, 0, 1, 1}
		res, err := KMeans{K: 2, Seed: 1}.Fit(ctx, x, 5, 1, w)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Centroids, []float64{10.5, 0.5}) {
			t.Errorf("centroids %v, want [10.5 0.5]", res.Centroids)
		}
	})
}

func TestFitErrors(t *testing.T) {
	ok := []float64{0, 1, 2, 3}
	for _, tc := range []struct {
		name string
		km   KMeans
		x    []float64
		n, d int
		w    []float64
		want error
	}{
		{"k > n", KMeans{K: 5}, ok, 4, 1, nil, ErrK},
		{"k = 0", KMeans{}, ok, 4, 1, nil, ErrK},
		{"no rows", KMeans{K: 1}, nil, 0, 3, nil, ErrNoRows},
		{"NaN", KMeans{K: 1}, []float64{0, math.NaN(), 2, 3}, 2, 2, nil, ErrNonFinite},
		{"Inf", KMeans{K: 1}, []float64{0, 1, math.Inf(-1), 3}, 4, 1, nil, ErrNonFinite},
		{"negative weight", KMeans{K: 1}, ok, 4, 1, []float64{1, -1, 1, 1}, ErrWeights},
		{"NaN weight", KMeans{K: 1}, ok, 4, 1, []float64{1, math.NaN(), 1, 1}, ErrWeights},
		{"zero weights", KMeans{K: 1}, ok, 4, 1, []float64{0, 0, 0, 0}, ErrWeights},
		{"negative restarts", KMeans{K: 1, Restarts: -1}, ok, 4, 1, nil, ErrSettings},
		{"negative tol", KMeans{K: 1, Tol: -1}, ok, 4, 1, nil, ErrSettings},
		{"negative workers", KMeans{K: 1, Workers: -2}, ok, 4, 1, nil, ErrSettings},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.km.Fit(context.Background(), tc.x, tc.n, tc.d, tc.w)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err.Error()[:9] != "cluster: " {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestFitCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	x, n, d, _ := blobs(9, fiveBlobs, []int{10, 10, 10, 10, 10}, 1)
	_, err := KMeans{K: 3}.Fit(ctx, x, n, d, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestFitPanicsOnShapeMismatch(t *testing.T) {
	for _, tc := range []struct {
		name string
		x    []float64
		n, d int
		w    []float64
	}{
		{"len(x) != n*d", []float64{1, 2, 3}, 2, 2, nil},
		{"len(w) != n", []float64{1, 2, 3, 4}, 2, 2, []float64{1}},
		{"negative n", nil, -1, 2, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mustPanic(t, func() { _, _ = KMeans{K: 1}.Fit(context.Background(), tc.x, tc.n, tc.d, tc.w) })
		})
	}
}
