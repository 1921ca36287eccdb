package cluster

import (
	"context"
	"slices"
	"testing"
)

func TestFitConvergence(t *testing.T) {
	x, n, d, _ := blobs(10, eightBlobs, []int{60, 60, 60, 60, 60, 60, 60, 60}, 1.2)
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		km        KMeans
		iters     int // 0: any number below MaxIter
		converged bool
	}{
		// One iteration cannot reach a fixed point from k-means++ seeds on
		// overlapping blobs, and the default tolerance is far tighter
		// than the first centroid shift.
		{"MaxIter 1", KMeans{K: 8, Restarts: 1, MaxIter: 1}, 1, false},
		// A tolerance 10⁶ times the feature variance accepts the first
		// shift.
		{"huge Tol", KMeans{K: 8, Restarts: 1, Tol: 1e6}, 1, true},
		{"defaults", KMeans{K: 8, Restarts: 1}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := tc.km.Fit(ctx, x, n, d, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Converged != tc.converged {
				t.Errorf("Converged = %v, want %v", res.Converged, tc.converged)
			}
			if tc.iters != 0 && res.Iterations != tc.iters {
				t.Errorf("Iterations = %d, want %d", res.Iterations, tc.iters)
			}
			if tc.iters == 0 && (res.Iterations < 2 || res.Iterations >= DefaultMaxIter) {
				t.Errorf("Iterations = %d, want in [2, %d)", res.Iterations, DefaultMaxIter)
			}
		})
	}
}

func TestMeanVariance(t *testing.T) {
	// Columns {1, 3} and {0, 10}: population variances 1 and 25, mean 13.
	if got := meanVariance([]float64{1, 0, 3, 10}, 2, 2); got != 13 {
		t.Errorf("meanVariance = %v, want 13", got)
	}
}

func TestStepRelocatesEmptyCluster(t *testing.T) {
	// Centroid 1 at 100 attracts no row; the row farthest from its
	// centroid (10, at distance² 81 from centroid 0 at 1) must move to it.
	x := []float64{0, 1, 2, 10}
	p := newProblem(x, 4, 1, nil, DefaultTol)
	ws := newWorkspace(p, 2, 1)
	copy(ws.centers, []float64{1, 100})
	for i := range ws.labels {
		ws.labels[i] = -1
	}
	ws.fresh = true // as lloyd starts
	ws.step()
	if !slices.Equal(ws.centers, []float64{1, 10}) {
		t.Errorf("centers after one step = %v, want [1 10]", ws.centers)
	}
	if !slices.Equal(ws.labels, []int32{0, 0, 0, 1}) {
		t.Errorf("labels = %v, want [0 0 0 1]", ws.labels)
	}
}

// TestStepRelocatesEmptyClusterInOrder: as TestStepRelocatesEmptyCluster
// with 16 rows, which the search writes the distances of in place (rows in
// order, no padding), with and without bounds.
func TestStepRelocatesEmptyClusterInOrder(t *testing.T) {
	x := make([]float64, 16)
	for i := range 15 {
		x[i] = float64(i % 3)
	}
	x[15] = 10
	for _, bounds := range []bool{false, true} {
		p := newProblem(x, 16, 1, nil, DefaultTol)
		p.bounds = bounds
		ws := newWorkspace(p, 2, 1)
		copy(ws.centers, []float64{1, 100})
		for i := range ws.labels {
			ws.labels[i] = -1
		}
		ws.fresh = true
		ws.step()
		if !slices.Equal(ws.centers, []float64{1, 10}) || ws.labels[15] != 1 {
			t.Errorf("bounds=%v: centers after one step = %v, label of row 15 = %d, want [1 10] and 1", bounds, ws.centers, ws.labels[15])
		}
		// The relocation makes the next pass sum every row afresh, labels
		// unchanged.
		if !ws.fresh {
			t.Fatalf("bounds=%v: the pass after a relocation is not fresh", bounds)
		}
		ws.step()
		ws.close()
		if !slices.Equal(ws.centers, []float64{1, 10}) || !slices.Equal(ws.wsum, []float64{15, 1}) {
			t.Errorf("bounds=%v: after the fresh step centers %v, weights %v, want [1 10] and [15 1]", bounds, ws.centers, ws.wsum)
		}
	}
}

func TestStepRelocationKeepsDonorNonEmpty(t *testing.T) {
	// Centroid 2 at 1000 attracts no row. The farthest row, 50 (distance²
	// 100 from centroid 1 at 40), is alone in its cluster, so taking it
	// would empty cluster 1; the next farthest rows, 0 and 2 (distance² 1
	// from centroid 0 at 1), tie and the lower index, row 0, moves.
	x := []float64{0, 1, 2, 50}
	p := newProblem(x, 4, 1, nil, DefaultTol)
	ws := newWorkspace(p, 3, 1)
	copy(ws.centers, []float64{1, 40, 1000})
	for i := range ws.labels {
		ws.labels[i] = -1
	}
	ws.fresh = true // as lloyd starts
	ws.step()
	if !slices.Equal(ws.centers, []float64{1.5, 50, 0}) {
		t.Errorf("centers after one step = %v, want [1.5 50 0]", ws.centers)
	}
	if !slices.Equal(ws.labels, []int32{2, 0, 0, 1}) {
		t.Errorf("labels = %v, want [2 0 0 1]", ws.labels)
	}
}

func TestFitScaleInvariant(t *testing.T) {
	// Scaling x by a power of two scales every intermediate value exactly,
	// and the tolerance is relative to the data's variance, so the fit must
	// be the same fit, iteration for iteration, with scaled centroids.
	x, n, d, _ := blobs(16, eightBlobs, []int{60, 60, 60, 60, 60, 60, 60, 60}, 1.2)
	const scale = 1 << 20
	big := make([]float64, len(x))
	for i, v := range x {
		big[i] = v * scale
	}
	for _, tol := range []float64{0, 1e-2} {
		km := KMeans{K: 8, Restarts: 2, Seed: 5, Tol: tol}
		a, err := km.Fit(context.Background(), x, n, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := km.Fit(context.Background(), big, n, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if a.Iterations != b.Iterations || !slices.Equal(a.Labels, b.Labels) {
			t.Errorf("Tol %v: iterations %d vs %d after scaling x by 2²⁰", tol, a.Iterations, b.Iterations)
		}
		for j := range a.Centroids {
			if a.Centroids[j]*scale != b.Centroids[j] {
				t.Fatalf("Tol %v: centroid value %d: %v·2²⁰ != %v", tol, j, a.Centroids[j], b.Centroids[j])
			}
		}
	}
}

// TestRunningSumsMatchFresh: the chunks' sums are updated only for rows
// that changed cluster, yet after every iteration they equal the sums of
// the rows by label taken afresh (to rounding), with and without bounds.
func TestRunningSumsMatchFresh(t *testing.T) {
	x, n, d, _ := blobs(6, eightBlobs, []int{900, 800, 700, 600, 500, 400, 300, 200}, 2)
	for _, bounds := range []bool{true, false} {
		p := newProblem(x, n, d, nil, 0)
		p.bounds = bounds
		ws := newWorkspace(p, 8, 2)
		defer ws.close()
		copy(ws.centers, x[:8*d]) // a poor start: many rows move for several iterations
		for i := range ws.labels {
			ws.labels[i] = -1
		}
		ws.fresh = true
		moved := 0
		for it := range 12 {
			changed, _ := ws.step()
			if it > 0 {
				moved += changed
			}
			fresh := make([]float64, 8*d)
			for i := range n {
				a := int(ws.labels[i])
				for j, v := range p.row(i) {
					fresh[a*d+j] += v
				}
			}
			for j, v := range fresh {
				if !relClose(ws.sums[j], v, 1e-9) {
					t.Fatalf("bounds=%v iteration %d: running sum[%d] = %v, fresh %v", bounds, it+1, j, ws.sums[j], v)
				}
			}
		}
		if moved == 0 {
			t.Fatalf("bounds=%v: no row moved after the first iteration; the test checks nothing", bounds)
		}
	}
}
