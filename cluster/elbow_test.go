package cluster

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestElbowFindsPlantedK(t *testing.T) {
	x, n, d, truth := blobs(14, fiveBlobs, []int{120, 100, 100, 80, 60}, 0.8)
	x0 := slices.Clone(x)
	e := Elbow{KMin: 2, KMax: 10, KMeans: KMeans{Seed: 1, Restarts: 4}}
	sw, err := e.Sweep(context.Background(), x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(x, x0) {
		t.Error("Sweep modified x")
	}
	if !slices.Equal(sw.Ks, []int{2, 3, 4, 5, 6, 7, 8, 9, 10}) {
		t.Fatalf("Ks = %v", sw.Ks)
	}
	if sw.K != 5 || !sw.KneeFound || sw.Reason != "knee at k=5 (Kneedle, S=1)" {
		t.Errorf("K=%d KneeFound=%v Reason=%q, want 5, true, \"knee at k=5 (Kneedle, S=1)\"", sw.K, sw.KneeFound, sw.Reason)
	}
	if ari := AdjustedRand(sw.Fit().Labels, truth); ari != 1 {
		t.Errorf("ARI of the chosen fit against the planted clusters = %v, want 1", ari)
	}
	chosen := sw.Fit()
	var sum float64
	for i, l := range chosen.Labels {
		if want := sqdist(x[i*d:(i+1)*d], chosen.Centroid(l)); chosen.Dist2[i] != want {
			t.Fatalf("chosen fit: Dist2[%d] = %v, want %v", i, chosen.Dist2[i], want)
		}
		sum += chosen.Dist2[i]
	}
	if !relClose(sum, chosen.Inertia, 1e-12) {
		t.Errorf("chosen fit: Σ Dist2 = %v, inertia %v", sum, chosen.Inertia)
	}
	for i, k := range sw.Ks {
		f := sw.Fits[i]
		if f.K != k || f.Inertia != sw.Inertia[i] {
			t.Errorf("Fits[%d] has K=%d inertia %v; Ks[%d]=%d Inertia %v", i, f.K, f.Inertia, i, k, sw.Inertia[i])
		}
		if (f.Dist2 != nil) != (k == sw.K) {
			t.Errorf("k=%d: Dist2 kept = %v, want only for the chosen k=%d", k, f.Dist2 != nil, sw.K)
		}
		if i > 0 && sw.Inertia[i] > sw.Inertia[i-1] {
			t.Errorf("inertia rises from k=%d to k=%d", k-1, k)
		}
		if math.IsNaN(sw.Silhouette[i]) || math.IsNaN(sw.CalinskiHarabasz[i]) {
			t.Errorf("k=%d: silhouette %v CH %v", k, sw.Silhouette[i], sw.CalinskiHarabasz[i])
		}
	}
	// The planted k also has the best silhouette and CH.
	if best := sw.Ks[argmax(sw.Silhouette)]; best != 5 {
		t.Errorf("best silhouette at k=%d, want 5", best)
	}
	if best := sw.Ks[argmax(sw.CalinskiHarabasz)]; best != 5 {
		t.Errorf("best CH at k=%d, want 5", best)
	}
}

func argmax(v []float64) int {
	best := 0
	for i := range v {
		if v[i] > v[best] {
			best = i
		}
	}
	return best
}

func TestElbowClampsKMax(t *testing.T) {
	x := []float64{0, 1, 10, 11, 20}
	sw, err := Elbow{KMeans: KMeans{Seed: 1}}.Sweep(context.Background(), x, 5, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Defaults KMin 2, KMax 12 clamped to the 5 rows.
	if !slices.Equal(sw.Ks, []int{2, 3, 4, 5}) {
		t.Errorf("Ks = %v, want [2 3 4 5]", sw.Ks)
	}
	if sw.Inertia[len(sw.Inertia)-1] != 0 {
		t.Errorf("inertia at k=n is %v, want 0", sw.Inertia[len(sw.Inertia)-1])
	}
}

func TestElbowChooseFallback(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name    string
		ks      []int
		inertia []float64
		sil     []float64
		k       int
		knee    bool
		reason  string
	}{
		{
			name:    "straight line falls back to silhouette",
			ks:      []int{2, 3, 4, 5, 6},
			inertia: []float64{50, 40, 30, 20, 10},
			sil:     []float64{0.31, 0.52, 0.48, 0.40, 0.33},
			k:       3,
			reason:  "no knee in inertia for k=2..6; fell back to the k with the best silhouette (k=3)",
		},
		{
			name:    "no silhouette defined",
			ks:      []int{1, 2, 3},
			inertia: []float64{9, 9, 9},
			sil:     []float64{nan, nan, nan},
			k:       1,
			reason:  "no knee in inertia for k=1..3 and no silhouette defined; fell back to the smallest k (k=1)",
		},
		{
			name:    "single k",
			ks:      []int{4},
			inertia: []float64{3},
			sil:     []float64{0.5},
			k:       4,
			reason:  "only k=4 was tried",
		},
		{
			name:    "knee",
			ks:      []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
			inertia: []float64{100, 40, 20, 15, 10, 5, 4, 3, 2, 1}, // kneed's convex_decreasing
			sil:     []float64{nan, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9},
			k:       3,
			knee:    true,
			reason:  "knee at k=3 (Kneedle, S=1)",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sw := &Sweep{Ks: tc.ks, Inertia: tc.inertia, Silhouette: tc.sil}
			sw.choose(1)
			if sw.K != tc.k || sw.KneeFound != tc.knee || sw.Reason != tc.reason {
				t.Errorf("got (%d, %v, %q), want (%d, %v, %q)", sw.K, sw.KneeFound, sw.Reason, tc.k, tc.knee, tc.reason)
			}
		})
	}
}

func TestElbowErrors(t *testing.T) {
	x := []float64{0, 1, 2, 3}
	for _, tc := range []struct {
		name string
		e    Elbow
		x    []float64
		want error
	}{
		{"KMin > n", Elbow{KMin: 5, KMax: 8}, x, ErrK},
		{"KMin > KMax", Elbow{KMin: 3, KMax: 2}, x, ErrK},
		{"negative KMin", Elbow{KMin: -1}, x, ErrSettings},
		{"negative sample", Elbow{SilhouetteSample: -5}, x, ErrSettings},
		{"NaN", Elbow{}, []float64{0, math.NaN(), 2, 3}, ErrNonFinite},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.e.Sweep(context.Background(), tc.x, 4, 1, nil); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Elbow{}).Sweep(ctx, x, 4, 1, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
}

func TestElbowProgress(t *testing.T) {
	x, n, d, _ := blobs(3, [][]float64{{0, 0}, {8, 8}, {0, 8}}, []int{50, 50, 50}, 1)
	var calls [][2]int
	e := Elbow{KMin: 2, KMax: 5, KMeans: KMeans{Restarts: 2, Seed: 1}, Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }}
	if _, err := e.Sweep(context.Background(), x, n, d, nil); err != nil {
		t.Fatal(err)
	}
	if want := [][2]int{{1, 4}, {2, 4}, {3, 4}, {4, 4}}; !slices.Equal(calls, want) {
		t.Errorf("progress calls %v, want %v", calls, want)
	}
}

// TestSampledSweep: above SampleSize every k is fitted on a sample and
// refined on all rows (here 1,000 of 3,000): the same k is chosen, inertia is within 2 % of the
// unsampled sweep at every k (2 %: beyond the planted k the local optima
// differ), and the result does not depend on workers.
func TestSampledSweep(t *testing.T) {
	x, n, d, _ := blobs(8, [][]float64{{0, 0}, {7, 0}, {0, 7}, {7, 7}}, []int{900, 800, 700, 600}, 1.2)
	full, err := Elbow{KMin: 2, KMax: 7, KMeans: KMeans{Restarts: 3, Seed: 2}, SampleSize: -1}.Sweep(context.Background(), x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ref *Sweep
	for _, workers := range []int{1, 2} {
		sw, err := Elbow{KMin: 2, KMax: 7, KMeans: KMeans{Restarts: 3, Seed: 2, Workers: workers}, SampleSize: 1000}.Sweep(context.Background(), x, n, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sw.Sampled != 1000 || sw.K != full.K || sw.K != 4 {
			t.Errorf("sampled %d, k %d (full sweep %d), want 1000 and 4", sw.Sampled, sw.K, full.K)
		}
		for i := range sw.Ks {
			if r := sw.Inertia[i] / full.Inertia[i]; r > 1.02 {
				t.Errorf("k=%d: sampled inertia %.4g×%.4f of the full sweep's", sw.Ks[i], full.Inertia[i], r)
			}
		}
		if ref != nil && !slices.Equal(sw.Inertia, ref.Inertia) {
			t.Error("sampled sweep depends on workers")
		}
		ref = sw
	}
}

// TestFitFromInit: a fit from given centroids runs Lloyd once from them;
// from the centroids of a converged fit it stays there.
func TestFitFromInit(t *testing.T) {
	x, n, d, _ := blobs(8, [][]float64{{0, 0}, {7, 0}, {0, 7}}, []int{300, 300, 300}, 1)
	res, err := KMeans{K: 3, Seed: 5}.Fit(context.Background(), x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := KMeans{K: 3, Init: res.Centroids}.Fit(context.Background(), x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The running per-chunk sums of the first fit and the fresh sums of the
	// refit differ in the last bits, so the inertia may too (1e-12).
	if !slices.Equal(again.Labels, res.Labels) || math.Abs(again.Inertia-res.Inertia) > 1e-12*res.Inertia || again.Iterations != 1 {
		t.Errorf("refit from converged centroids: inertia %v vs %v, %d iterations", again.Inertia, res.Inertia, again.Iterations)
	}
	if _, err := (KMeans{K: 3, Init: res.Centroids[:4]}).Fit(context.Background(), x, n, d, nil); err == nil {
		t.Error("Init of the wrong length: no error")
	}
}

// TestSweepWarmStartMonotone: restart 0 of each k starts from the k − 1
// solution plus one seeded centroid, and Lloyd's algorithm never raises
// inertia, so with one restart on all rows the inertia curve never rises
// (on this grid of 36 blobs it does without the warm start, from k=9 to
// k=10; sampled sweeps refine on all rows and have no such guarantee).
func TestSweepWarmStartMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	n, d := 3000, 2
	x := make([]float64, n*d)
	for i := range n {
		b := rng.IntN(36)
		x[i*d] = float64(3*(b%6)) + 0.3*rng.NormFloat64()
		x[i*d+1] = float64(3*(b/6)) + 0.3*rng.NormFloat64()
	}
	sw, err := Elbow{KMin: 1, KMax: 40, KMeans: KMeans{Restarts: 1, Seed: 1}, SampleSize: -1, SkipMetrics: true}.Sweep(context.Background(), x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(sw.Ks); i++ {
		if sw.Inertia[i] > sw.Inertia[i-1] {
			t.Errorf("inertia rises from k=%d (%v) to k=%d (%v)", sw.Ks[i-1], sw.Inertia[i-1], sw.Ks[i], sw.Inertia[i])
		}
	}
}

// TestSeedFromKeepsWarmCentroids: seeding from k − 1 given centroids keeps
// them and adds one row of the data.
func TestSeedFromKeepsWarmCentroids(t *testing.T) {
	x, n, d, _ := blobs(2, [][]float64{{0, 0}, {5, 5}, {0, 5}}, []int{100, 100, 100}, 0.5)
	p := newProblem(x, n, d, nil, 1e-4)
	ws := newWorkspace(p, 3, 2)
	warm := []float64{0, 0, 5, 5}
	if err := ws.seedFrom(context.Background(), rand.New(rand.NewPCG(1, 1)), warm); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ws.centers[:4], warm) {
		t.Fatalf("first centroids %v, want %v", ws.centers[:4], warm)
	}
	last := ws.centers[4:6]
	if last[0] > 2.5 || last[1] < 2.5 {
		t.Fatalf("added centroid %v is not in the uncovered blob at (0, 5)", last)
	}
}

func TestSweepAdmitMovesToAdmissibleK(t *testing.T) {
	tests := []struct {
		name       string
		admissible []bool
		knee, want int
	}{
		{"knee admissible", []bool{true, true, true, true}, 4, 4},
		{"largest admissible below", []bool{true, true, false, false}, 5, 3},
		{"smallest admissible above", []bool{false, false, true, true}, 3, 4},
		{"none admissible", []bool{false, false, false, false}, 4, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sw := &Sweep{Ks: []int{2, 3, 4, 5}, Admissible: tt.admissible, K: tt.knee, KneeFound: true, MinSize: 10}
			sw.admit()
			if sw.K != tt.want {
				t.Errorf("K = %d, want %d (reason %q)", sw.K, tt.want, sw.Reason)
			}
			if moved := sw.K != tt.knee; moved == sw.KneeFound {
				t.Errorf("KneeFound = %v after moving from %d to %d", sw.KneeFound, tt.knee, sw.K)
			}
		})
	}
}

func TestFitMinSizeLowersK(t *testing.T) {
	// Two groups of 50 rows and 2 outliers: k = 3 gives the outliers a
	// cluster of their own; with a minimum of 10 rows k drops to 2.
	var x []float64
	for i := range 100 {
		x = append(x, float64(i%50)*0.01+float64(i/50)*10)
	}
	x = append(x, 30, 31)
	km := KMeans{K: 3, Seed: 1}
	plain, err := km.Fit(context.Background(), x, len(x), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Min(plain.Sizes) >= 10 {
		t.Fatalf("the fixture does not isolate the outliers: sizes %v", plain.Sizes)
	}
	fit, err := km.FitMinSize(context.Background(), x, len(x), 1, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if fit.K != 2 || slices.Min(fit.Sizes) < 10 {
		t.Errorf("K = %d, sizes %v: want 2 clusters of at least 10", fit.K, fit.Sizes)
	}
}
