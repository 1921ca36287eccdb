package cluster

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sumsData is n rows of d columns in k clusters, cluster 2 left empty.
func sumsData(n, d, k int, seed uint64) ([]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 16))
	x := make([]float64, n*d)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = rng.IntN(k)
		if k > 2 && labels[i] == 2 {
			labels[i] = 0
		}
		for j := range d {
			x[i*d+j] = rng.NormFloat64() + float64(labels[i]*j)
		}
	}
	return x, labels
}

// TestMetricsOfSums: the figures from sums made in row order are those of
// the functions over the matrix, bit for bit; SilhouetteOf is Silhouette
// over every row; one cluster gives NaN.
func TestMetricsOfSums(t *testing.T) {
	const d = 3
	for _, tc := range []struct{ n, k int }{{500, 4}, {37, 5}, {20, 1}} {
		x, labels := sumsData(tc.n, d, tc.k, uint64(tc.n))
		cent, sizes := clusterMeans(x, tc.n, d, labels, tc.k)
		var within float64
		scatter := make([]float64, tc.k)
		for i, l := range labels {
			dist := sqdist(x[i*d:(i+1)*d], cent[l*d:(l+1)*d])
			within += dist
			scatter[l] += math.Sqrt(dist)
		}
		kept := slices.Clone(scatter)
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"Calinski–Harabasz", CalinskiHarabaszOf(cent, sizes, columnMeans(x, tc.n, d), within, tc.n, d), CalinskiHarabasz(x, tc.n, d, labels, tc.k)},
			{"Davies–Bouldin", DaviesBouldinOf(cent, sizes, scatter, d), DaviesBouldin(x, tc.n, d, labels, tc.k)},
			{"silhouette", SilhouetteOf(x, tc.n, d, labels, tc.k), Silhouette(x, tc.n, d, labels, tc.k, 0, 1)},
		} {
			if math.Float64bits(f.got) != math.Float64bits(f.want) {
				t.Errorf("n=%d k=%d %s: %v from sums, %v over the matrix", tc.n, tc.k, f.name, f.got, f.want)
			}
			if tc.k == 1 && !math.IsNaN(f.got) {
				t.Errorf("one cluster: %s %v, want NaN", f.name, f.got)
			}
		}
		if !slices.Equal(scatter, kept) {
			t.Errorf("DaviesBouldinOf changed its scatter: %v, was %v", scatter, kept)
		}
	}
}

// TestNewProjector: components fitted on given rows centred by a given
// mean are FitProjector's when the rows are those it takes; bad shapes
// and values are errors.
func TestNewProjector(t *testing.T) {
	const n, d = 300, 4
	x, labels := sumsData(n, d, 3, 5)
	want, err := FitProjector(n, d, 2, func(yield func([]float64, []int) error) error { return yield(x, labels) })
	if err != nil {
		t.Fatal(err)
	}
	got, err := NewProjector(x, n, d, 2, columnMeans(x, n, d))
	if err != nil {
		t.Fatal(err)
	}
	dst, ref := make([]float64, 2), make([]float64, 2)
	for i := range n {
		want.Project(ref, x[i*d:(i+1)*d])
		got.Project(dst, x[i*d:(i+1)*d])
		if !slices.Equal(dst, ref) {
			t.Fatalf("row %d: %v, FitProjector's %v", i, dst, ref)
		}
	}
	if !slices.Equal(got.Explained, want.Explained) {
		t.Errorf("explained %v, want %v", got.Explained, want.Explained)
	}
	if _, err := NewProjector(x[:d], 1, d, 2, make([]float64, d)); !errors.Is(err, ErrNoRows) {
		t.Errorf("one row: %v", err)
	}
	if _, err := NewProjector(x, n, d, 2, make([]float64, d-1)); !errors.Is(err, ErrNoRows) {
		t.Errorf("a short mean: %v", err)
	}
	bad := slices.Clone(x)
	bad[7] = math.Inf(1)
	if _, err := NewProjector(bad, n, d, 2, make([]float64, d)); !errors.Is(err, ErrNonFinite) {
		t.Errorf("an infinite value: %v", err)
	}
}

// TestElbowSilhouetteRows: with SilhouetteRows the sweep's silhouettes
// are those of the rows given; rows out of order or range are an error.
func TestElbowSilhouetteRows(t *testing.T) {
	const n, d = 400, 2
	x, _ := sumsData(n, d, 3, 9)
	rows := []int{3, 10, 11, 50, 99, 120, 200, 201, 350, 399}
	e := Elbow{KMin: 2, KMax: 4, KMeans: KMeans{Seed: 1, Workers: 1}, SilhouetteRows: rows}
	sw, err := e.Sweep(context.Background(), x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	xs := make([]float64, 0, len(rows)*d)
	for _, r := range rows {
		xs = append(xs, x[r*d:(r+1)*d]...)
	}
	for i, f := range sw.Fits {
		ls := make([]int, len(rows))
		for a, r := range rows {
			ls[a] = f.Labels[r]
		}
		if got, want := sw.Silhouette[i], SilhouetteOf(xs, len(rows), d, ls, f.K); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("k=%d: %v in the sweep, %v on the rows", f.K, got, want)
		}
	}
	for _, bad := range [][]int{{5, 5}, {9, 3}, {-1}, {n}} {
		e.SilhouetteRows = bad
		if _, err := e.Sweep(context.Background(), x, n, d, nil); !errors.Is(err, ErrSettings) {
			t.Errorf("rows %v: %v, want ErrSettings", bad, err)
		}
	}
}
