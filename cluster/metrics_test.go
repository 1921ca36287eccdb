package cluster

import (
	"math"
	"slices"
	"testing"
)

// Two small clusterings whose metrics are worked out by hand below; the
// values agree with scikit-learn 1.2.1's silhouette_score,
// calinski_harabasz_score and davies_bouldin_score.
var (
	// 1-D: cluster 0 = {0, 2}, cluster 1 = {5, 9}.
	line1D       = []float64{0, 2, 5, 9}
	line1DLabels = []int{0, 0, 1, 1}
	// 2-D: a triangle, a pair, and a singleton.
	plane2D = []float64{
		0, 0, 1, 0, 0, 1, // cluster 0
		5, 5, 6, 5, // cluster 1
		0, 6, // cluster 2
	}
	plane2DLabels = []int{0, 0, 0, 1, 1, 2}
)

func TestSilhouetteKnownValues(t *testing.T) {
	for _, tc := range []struct {
		name   string
		x      []float64
		n, d   int
		labels []int
		k      int
		want   float64
	}{
		// s(0) = (7−2)/7 (a = |0−2|, b = (5+9)/2), s(2) = (5−2)/5,
		// s(5) = (4−4)/4, s(9) = (8−4)/8; mean (5/7 + 3/5 + 0 + 1/2)/4
		// = 127/280.
		{"1-D", line1D, 4, 1, line1DLabels, 2, 127.0 / 280},
		// Includes a singleton (s = 0 by definition); value from
		// scikit-learn 1.2.1 silhouette_score.
		{"2-D with singleton", plane2D, 6, 2, plane2DLabels, 3, 0.6721582870426642},
		// Empty label values do not count as clusters.
		{"1-D with unused label", line1D, 4, 1, []int{0, 0, 3, 3}, 5, 127.0 / 280},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x0 := slices.Clone(tc.x)
			got := Silhouette(tc.x, tc.n, tc.d, tc.labels, tc.k, 0, 1)
			if math.Abs(got-tc.want) > 1e-14 {
				t.Errorf("Silhouette = %.17g, want %.17g", got, tc.want)
			}
			if !sameBits(tc.x, x0) {
				t.Error("Silhouette modified x")
			}
		})
	}
}

func TestSilhouetteOnSample(t *testing.T) {
	x, n, d, truth := blobs(13, eightBlobs, []int{100, 100, 100, 100, 100, 100, 100, 100}, 1.5)
	const size = 150
	idx := sampleRows(n, size, 7)
	if len(idx) != size || !slices.IsSorted(idx) || len(slices.Compact(slices.Clone(idx))) != size {
		t.Fatalf("sample is not %d distinct sorted rows", size)
	}
	if slices.Equal(idx, sampleRows(n, size, 8)) {
		t.Error("seeds 7 and 8 drew the same sample")
	}
	// The sampled silhouette is the exact silhouette of the sampled rows.
	sub := make([]float64, 0, size*d)
	subLabels := make([]int, 0, size)
	for _, i := range idx {
		sub = append(sub, x[i*d:(i+1)*d]...)
		subLabels = append(subLabels, truth[i])
	}
	want := Silhouette(sub, size, d, subLabels, 8, 0, 99)
	for _, workers := range []int{1, 3} {
		got := silhouette(x, n, d, truth, 8, size, 7, workers)
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("workers=%d: sampled silhouette %v, silhouette of the sample %v", workers, got, want)
		}
	}
	// sample >= n uses every row.
	if a, b := Silhouette(x, n, d, truth, 8, n, 1), Silhouette(x, n, d, truth, 8, 0, 2); a != b {
		t.Errorf("sample = n gives %v, sample = 0 gives %v", a, b)
	}
}

func TestCalinskiHarabaszKnownValues(t *testing.T) {
	// 1-D: mean 4, centroids 1 and 7: B = 2·9 + 2·9 = 36, W = 1+1+4+4 = 10,
	// CH = (36/1)/(10/2) = 7.2.
	if got := CalinskiHarabasz(line1D, 4, 1, line1DLabels, 2); math.Abs(got-7.2) > 1e-12 {
		t.Errorf("1-D: CH = %v, want 7.2", got)
	}
	// 2-D: mean (2, 17/6), centroids (1/3, 1/3), (5.5, 5), (0, 6):
	// B = 3·(25/9 + 25/4) + 2·(49/4 + 169/36) + (4 + 361/36) = 75,
	// W = 12/9 + 1/2 + 0 = 11/6, CH = (75/2)/((11/6)/3) = 675/11.
	if got := CalinskiHarabasz(plane2D, 6, 2, plane2DLabels, 3); math.Abs(got-675.0/11) > 1e-12 {
		t.Errorf("2-D: CH = %v, want 675/11", got)
	}
}

func TestDaviesBouldinKnownValues(t *testing.T) {
	// 1-D: S_0 = 1, S_1 = 2, centroid distance 6: R = 3/6 for both
	// clusters, DB = 0.5.
	if got := DaviesBouldin(line1D, 4, 1, line1DLabels, 2); math.Abs(got-0.5) > 1e-12 {
		t.Errorf("1-D: DB = %v, want 0.5", got)
	}
	// 2-D: value from scikit-learn 1.2.1 davies_bouldin_score.
	if got := DaviesBouldin(plane2D, 6, 2, plane2DLabels, 3); math.Abs(got-0.14891167890425028) > 1e-14 {
		t.Errorf("2-D: DB = %.17g, want 0.14891167890425028", got)
	}
}

func TestMetricsDegenerate(t *testing.T) {
	one := []int{0, 0, 0, 0}
	if v := Silhouette(line1D, 4, 1, one, 1, 0, 1); !math.IsNaN(v) {
		t.Errorf("Silhouette of one cluster = %v, want NaN", v)
	}
	if v := Silhouette(line1D, 4, 1, []int{0, 1, 2, 3}, 4, 0, 1); !math.IsNaN(v) {
		t.Errorf("Silhouette of all singletons = %v, want NaN", v)
	}
	if v := CalinskiHarabasz(line1D, 4, 1, one, 1); !math.IsNaN(v) {
		t.Errorf("CH of one cluster = %v, want NaN", v)
	}
	if v := DaviesBouldin(line1D, 4, 1, one, 1); !math.IsNaN(v) {
		t.Errorf("DB of one cluster = %v, want NaN", v)
	}
	// Tight clusters: W = 0 gives 1 for CH and S = 0 gives 0 for DB, as in
	// scikit-learn.
	dup := []float64{1, 1, 4, 4}
	if v := CalinskiHarabasz(dup, 4, 1, line1DLabels, 2); v != 1 {
		t.Errorf("CH with W = 0 is %v, want 1", v)
	}
	if v := DaviesBouldin(dup, 4, 1, line1DLabels, 2); v != 0 {
		t.Errorf("DB with zero scatter is %v, want 0", v)
	}
}

func TestMetricsPanic(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func()
	}{
		{"label out of range", func() { Silhouette(line1D, 4, 1, []int{0, 0, 2, 1}, 2, 0, 1) }},
		{"negative label", func() { CalinskiHarabasz(line1D, 4, 1, []int{0, -1, 1, 1}, 2) }},
		{"labels length", func() { DaviesBouldin(line1D, 4, 1, []int{0, 1}, 2) }},
		{"x shape", func() { Silhouette(line1D, 3, 1, []int{0, 1, 1}, 2, 0, 1) }},
		{"ARI lengths", func() { AdjustedRand([]int{0}, []int{0, 1}) }},
	} {
		t.Run(tc.name, func(t *testing.T) { mustPanic(t, tc.fn) })
	}
}

func TestAdjustedRand(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b []int
		want float64
	}{
		{"identical", []int{0, 0, 1, 1, 2}, []int{0, 0, 1, 1, 2}, 1},
		{"permuted labels", []int{0, 0, 1, 1, 2}, []int{7, 7, -3, -3, 0}, 1},
		// Contingency rows (2,1,0) and (0,1,2): Σ C(n_ij,2) = 2,
		// Σ C(a_i,2) = 6, Σ C(b_j,2) = 3, E = 6·3/15 = 1.2,
		// ARI = (2 − 1.2)/(4.5 − 1.2) = 8/33.
		{"hand-computed", []int{0, 0, 0, 1, 1, 1}, []int{0, 0, 1, 1, 2, 2}, 8.0 / 33},
		// scikit-learn's adjusted_rand_score documentation examples:
		// 0.57… (= 4/7 by the formula), −0.5, and 0 for one cluster
		// against all singletons.
		{"split one cluster", []int{0, 0, 1, 1}, []int{0, 0, 1, 2}, 4.0 / 7},
		{"discordant", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}, -0.5},
		{"one vs singletons", []int{0, 0, 0, 0}, []int{0, 1, 2, 3}, 0},
		{"all singletons both", []int{0, 1, 2}, []int{5, 4, 3}, 1},
		{"empty", nil, nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := AdjustedRand(tc.a, tc.b); math.Abs(got-tc.want) > 1e-15 {
				t.Errorf("AdjustedRand = %v, want %v", got, tc.want)
			}
		})
	}
}
