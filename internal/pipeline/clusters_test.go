package pipeline

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

// blobMatrix is a Matrix of per points around each centre (see blobs).
func blobMatrix(centres [][]float64, per int) (*Matrix, []int) {
	x, blob := blobs(centres, per)
	return &Matrix{X: x, N: len(blob), D: len(centres[0]), IDs: rowIDs(len(blob))}, blob
}

// samePartition reports whether labels put the points together exactly as
// blob does, whatever the numbering.
func samePartition(labels, blob []int) bool {
	to, from := map[int]int{}, map[int]int{}
	for i, l := range labels {
		if b, ok := to[l]; ok && b != blob[i] {
			return false
		}
		if l2, ok := from[blob[i]]; ok && l2 != l {
			return false
		}
		to[l], from[blob[i]] = blob[i], l
	}
	return true
}

func TestClusterFixedK(t *testing.T) {
	m, blob := blobMatrix([][]float64{{0, 0}, {10, 10}}, 10)
	o := testOptions(t)
	o.K = 2
	c, err := Cluster(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	if c.Fit.K != 2 || c.Sweep != nil || c.KNote != "" {
		t.Fatalf("k %d, sweep %v, note %q; want k 2, no sweep, no note", c.Fit.K, c.Sweep, c.KNote)
	}
	if !samePartition(c.Fit.Labels, blob) || !slices.Equal(c.Fit.Sizes, []int{10, 10}) {
		t.Errorf("labels %v (sizes %v) do not separate the blobs %v", c.Fit.Labels, c.Fit.Sizes, blob)
	}
	// Blobs 14 apart with points within 0.6 of their centre.
	if c.Silhouette < 0.9 || c.DaviesBouldin > 0.1 || !(c.CalinskiHarabasz > 100) {
		t.Errorf("silhouette %g, Davies–Bouldin %g, Calinski–Harabasz %g: not the metrics of well-separated blobs",
			c.Silhouette, c.DaviesBouldin, c.CalinskiHarabasz)
	}

	o.K = 21
	if _, err := Cluster(context.Background(), m, o); err == nil || !strings.Contains(err.Error(), "k=21 but only 20 customers are clustered") {
		t.Errorf("k above n: error %v", err)
	}
}

func TestClusterElbow(t *testing.T) {
	m, blob := blobMatrix([][]float64{{0, 0}, {10, 0}, {0, 10}}, 10)
	o := testOptions(t)
	o.K, o.KMin, o.KMax = 0, 2, 6
	c, err := Cluster(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	sw := c.Sweep
	if sw == nil || !slices.Equal(sw.Ks, []int{2, 3, 4, 5, 6}) {
		t.Fatalf("sweep %+v, want k 2…6", sw)
	}
	// Three blobs: the inertia falls steeply to k = 3, then flattens.
	if c.Fit.K != 3 || sw.K != 3 || !sw.KneeFound || sw.Knee != 3 {
		t.Errorf("k %d (knee found %v, %s), want the knee at 3", c.Fit.K, sw.KneeFound, sw.Reason)
	}
	if c.Fit.K == 3 && !samePartition(c.Fit.Labels, blob) {
		t.Errorf("labels %v do not separate the blobs", c.Fit.Labels)
	}
	if c.KNote != "" {
		t.Errorf("note %q, want none", c.KNote)
	}
}

func TestClusterMinShare(t *testing.T) {
	// Two blobs of 10 and an outlier 6 away from the second: k = 3 gives
	// the outlier a cluster of its own, under min_share 10 % of 21
	// customers (3); k = 2 separates the blobs.
	m, blob := blobMatrix([][]float64{{0, 0}, {10, 10}}, 10)
	m.X, m.N, m.IDs, blob = append(m.X, 10, 16), m.N+1, rowIDs(m.N+1), append(blob, 1)

	t.Run("fixed k", func(t *testing.T) {
		o := testOptions(t)
		o.K, o.MinShare = 3, 0.1
		c, err := Cluster(context.Background(), m, o)
		if err != nil {
			t.Fatal(err)
		}
		if c.Fit.K != 2 || !samePartition(c.Fit.Labels, blob) {
			t.Errorf("k %d with labels %v, want the two blobs, the outlier with the second", c.Fit.K, c.Fit.Labels)
		}
		if !strings.Contains(c.KNote, "k = 3 was asked for") || !strings.Contains(c.KNote, "k = 2 is used") || !strings.Contains(c.KNote, "10 %") {
			t.Errorf("note %q", c.KNote)
		}
	})
	t.Run("no k admissible", func(t *testing.T) {
		o := testOptions(t)
		o.K, o.KMin, o.KMax, o.MinShare = 0, 2, 4, 0.6 // every k ≥ 2 has a cluster under 13
		c, err := Cluster(context.Background(), m, o)
		if err != nil {
			t.Fatal(err)
		}
		if c.Fit.K != 1 || c.Fit.Sizes[0] != 21 || !strings.Contains(c.KNote, "form one segment") {
			t.Errorf("k %d, sizes %v, note %q; want one segment of all 21", c.Fit.K, c.Fit.Sizes, c.KNote)
		}
	})
}

func TestClusterModel(t *testing.T) {
	m := &Matrix{X: []float64{0.1, 0, 9, 9, 4, 4, 6, 6, 11, 10}, N: 5, D: 2, IDs: rowIDs(5)}
	o := testOptions(t)
	o.K = 4 // ignored: the model's centroids decide
	o.Model = &Model{Centroids: [][]float64{{0, 0}, {10, 10}}}
	c, err := Cluster(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 0, 1, 1}; c.Fit.K != 2 || !slices.Equal(c.Fit.Labels, want) || !slices.Equal(c.Fit.Sizes, []int{2, 3}) {
		t.Errorf("k %d, labels %v, sizes %v; want 2, %v, [2 3]", c.Fit.K, c.Fit.Labels, c.Fit.Sizes, want)
	}
	// Squared distances: 0.01, 2, 32, 32, 1.
	if want := 67.01; math.Abs(c.Fit.Inertia-want) > 1e-9 || c.Sweep != nil {
		t.Errorf("inertia %v, want %v", c.Fit.Inertia, want)
	}
}

// TestClusterSweepCeiling: a sweep does not try a k above n / min_size
// (more clusters cannot all hold min_size customers), however high k_max
// is, and a k given above it is lowered from there.
func TestClusterSweepCeiling(t *testing.T) {
	m, _ := blobMatrix([][]float64{{0, 0}, {10, 0}, {0, 10}}, 10) // 30 customers
	o := testOptions(t)
	o.K, o.KMin, o.KMax, o.MinShare = 0, 2, 20, 0.2 // min size 6: at most 5 clusters
	c, err := Cluster(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	if sw := c.Sweep; sw == nil || !slices.Equal(sw.Ks, []int{2, 3, 4, 5}) || c.Fit.K != 3 {
		t.Errorf("sweep %v, k %d: want k 2…5 swept and the three blobs", sw.Ks, c.Fit.K)
	}
	o.K = 8
	if c, err = Cluster(context.Background(), m, o); err != nil {
		t.Fatal(err)
	}
	if c.Fit.K > 5 || !strings.Contains(c.KNote, "k = 8 was asked for") {
		t.Errorf("k %d, note %q: want at most 5, and the note", c.Fit.K, c.KNote)
	}
}
