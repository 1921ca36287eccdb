package cluster

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBoundsSameAsPlainLloyd: with and without the Hamerly bounds a fit
// gives bit-identical centroids, labels, inertia and iteration counts, on
// separated blobs, on overlapping noise (many near-ties), with duplicate
// points and weights, and with empty clusters to re-seed.
func TestBoundsSameAsPlainLloyd(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	noise := make([]float64, 3000*5)
	for i := range noise {
		noise[i] = rng.NormFloat64()
	}
	dup := make([]float64, 0, 2000*2)
	for i := range 1000 {
		v := float64(i % 7)
		dup = append(dup, v, v, v, -v) // every point twice
	}
	weights := make([]float64, 3000)
	for i := range weights {
		weights[i] = float64(1 + i%5)
	}
	blobsX, bn, bd, _ := blobs(5, [][]float64{{0, 0, 0}, {6, 0, 0}, {0, 6, 0}, {0, 0, 6}, {6, 6, 6}}, []int{800, 700, 600, 500, 400}, 1)
	cases := []struct {
		name string
		x    []float64
		n, d int
		w    []float64
		ks   []int
	}{
		{"blobs", blobsX, bn, bd, nil, []int{2, 5, 9}},
		{"noise", noise, 3000, 5, nil, []int{3, 8, 16}},
		{"weighted noise", noise, 3000, 5, weights, []int{6}},
		{"duplicates", dup, 2000, 2, nil, []int{4, 7, 12}},
	}
	for _, c := range cases {
		for _, k := range c.ks {
			for _, workers := range []int{1, 2} {
				plain, err := KMeans{K: k, Restarts: 3, Seed: 4, Workers: workers, NoBounds: true}.Fit(context.Background(), c.x, c.n, c.d, c.w)
				if err != nil {
					t.Fatal(err)
				}
				fast, err := KMeans{K: k, Restarts: 3, Seed: 4, Workers: workers}.Fit(context.Background(), c.x, c.n, c.d, c.w)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(plain.Labels, fast.Labels) || !sameBits(plain.Centroids, fast.Centroids) ||
					plain.Inertia != fast.Inertia || plain.Iterations != fast.Iterations {
					t.Errorf("%s k=%d workers=%d: bounds change the fit (inertia %v vs %v, iterations %d vs %d)",
						c.name, k, workers, plain.Inertia, fast.Inertia, plain.Iterations, fast.Iterations)
				}
			}
		}
	}
}

// TestBoundsSkipWork: after the first passes most rows are skipped (the
// bounds do their job), counted on a well-separated data set.
func TestBoundsSkipWork(t *testing.T) {
	x, n, d, _ := blobs(5, [][]float64{{0, 0}, {10, 0}, {0, 10}, {10, 10}}, []int{2000, 2000, 2000, 2000}, 1.5)
	ws := seededWithBounds(t, x, n, d, 4, 1)
	defer ws.close()
	ws.step()
	ws.step()
	ws.step()
	if failed := failedRows(ws); failed > n/10 || ws.searchAll {
		t.Errorf("%d of %d rows failed the bounds test in the third pass (search all next: %v), want at most 10%%", failed, n, ws.searchAll)
	}
}

// seededWithBounds returns a workspace with bounds for K = k, seeded by
// k-means++ (seed 1) and ready for a fit's first pass.
func seededWithBounds(t *testing.T, x []float64, n, d, k, workers int) *workspace {
	t.Helper()
	p := newProblem(x, n, d, nil, 0)
	p.bounds = true
	ws := newWorkspace(p, k, workers)
	if err := ws.seed(context.Background(), rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	for i := range ws.labels {
		ws.labels[i] = -1
	}
	ws.fresh = true
	return ws
}

// failedRows is the number of rows that failed the bounds test in the
// last pass.
func failedRows(ws *workspace) int {
	failed := 0
	for _, part := range ws.parts {
		failed += part.failed
	}
	return failed
}

// TestBoundsPassCountsSame: the AVX-512 bounds test fails the same rows as
// the Go one pass after pass (the count that decides whether the next pass
// searches every row).
func TestBoundsPassCountsSame(t *testing.T) {
	if !cpuAVX512 {
		t.Skip("no AVX-512 kernels (-tags purego, not amd64, or no AVX-512)")
	}
	defer func() { useAVX512 = cpuAVX512 }()
	rng := rand.New(rand.NewPCG(6, 6))
	n, d := 20003, 3
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	counts := map[bool][]int{}
	for _, avx512 := range []bool{false, true} {
		useAVX512 = avx512
		ws := seededWithBounds(t, x, n, d, 6, 2)
		for range 30 {
			ws.step()
			counts[avx512] = append(counts[avx512], failedRows(ws))
		}
		ws.close()
	}
	if !slices.Equal(counts[false], counts[true]) || slices.Max(counts[true]) == 0 {
		t.Errorf("rows failing the bounds test per pass: Go %v, AVX-512 %v", counts[false], counts[true])
	}
}
