package cluster

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
)

// silhouettes returns the silhouette of every fit, on the rows idx
// (see silhouettes), or NaNs when skip.
func (sw *Sweep) silhouettes(x []float64, n, d int, idx []int, workers int, skip bool) []float64 {
	if skip {
		out := make([]float64, len(sw.Fits))
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	labels := make([][]int, len(sw.Fits))
	for i, f := range sw.Fits {
		labels[i] = f.Labels
	}
	return silhouettes(x, n, d, labels, sw.Ks, idx, workers)
}

// Defaults of an Elbow sweep, used when the corresponding field is zero.
const (
	DefaultKMin             = 2
	DefaultKMax             = 12
	DefaultSilhouetteSample = 10000
	DefaultSensitivity      = 1.0
)

// Elbow chooses the number of clusters by the elbow method: it fits k-means
// for every k in [KMin, KMax] and looks for the knee of the inertia curve,
// which is convex and decreasing in k, with Kneedle (Satopää et al. 2011).
// When the curve has no knee it falls back to the k with the highest
// silhouette and says so in Sweep.Reason. The zero value of every field
// selects the documented default.
type Elbow struct {
	// KMin and KMax bound the k tried; 0 means 2 and 12. KMax is clamped
	// to the number of rows.
	KMin, KMax int
	// KMeans holds the settings of every fit; its K is ignored.
	KMeans KMeans
	// SilhouetteSample is the number of rows on which the silhouette of
	// each k is computed; 0 means 10000. The same rows are used for every
	// k (the sample is drawn from KMeans.Seed).
	SilhouetteSample int
	// SilhouetteRows, when not nil, are the rows the silhouette of each
	// k is computed on instead (increasing, each in [0, n)): a sample the
	// caller drew, SilhouetteSample then unused.
	SilhouetteRows []int
	// S is Kneedle's sensitivity; 0 means 1, the paper's value.
	S float64
	// SampleSize: when n exceeds it, each k is fitted (with every restart)
	// on a uniform sample of SampleSize rows drawn from KMeans.Seed, and
	// that fit is refined by Lloyd's algorithm on all rows from the sample's
	// centroids; inertia, metrics and Fits are those of the refined, full
	// fits. 0 means DefaultSampleSize; negative means never sample.
	SampleSize int
	// MiniBatchRows: when n exceeds it (and the sweep samples), the
	// refinement on all rows is mini-batch k-means from the sample's
	// centroids (KMeans.BatchSize = DefaultBatchSize, up to KMeans.MaxIter
	// steps) instead of Lloyd's algorithm; labels and inertia are still
	// exact for the centroids it reaches. 0 means DefaultMiniBatchRows;
	// negative means never.
	MiniBatchRows int
	// MinSize, when positive, is the fewest rows a cluster of an
	// admissible fit may hold: the sweep only chooses a k whose fit has no
	// smaller cluster (see Sweep.Admissible), so that a handful of outlying
	// rows never owns a cluster. 0 admits every fit.
	MinSize int
	// SkipMetrics leaves Silhouette and CalinskiHarabasz NaN (for
	// benchmarks that time the fits alone).
	SkipMetrics bool
	// Progress, when not nil, is called after each k is fitted with the
	// number of k done and the number to do (for a progress bar). It is
	// called from the goroutine that called Sweep.
	Progress func(done, total int)
}

// Sweep is the outcome of an elbow sweep. Slices are indexed like Ks.
type Sweep struct {
	// Ks are the numbers of clusters tried, KMin..KMax in order.
	Ks []int
	// Inertia is the weighted inertia of the fit for each k.
	Inertia []float64
	// Silhouette is the mean silhouette on the sample (NaN where undefined,
	// as for k = 1).
	Silhouette []float64
	// CalinskiHarabasz is the Calinski–Harabasz index on all rows (NaN
	// where undefined).
	CalinskiHarabasz []float64
	// Fits holds the fit for each k; only the chosen k's has Dist2.
	Fits []*Result
	// Admissible reports whether each k's fit has no cluster smaller than
	// Elbow.MinSize.
	Admissible []bool
	// MinSize is Elbow.MinSize.
	MinSize int
	// K is the chosen number of clusters.
	K int
	// Sampled is the number of rows each k was first fitted on (see
	// Elbow.SampleSize), 0 when the sweep fitted all rows directly.
	Sampled int
	// MiniBatch is the batch size of the mini-batch refinement (see
	// Elbow.MiniBatchRows), 0 when the refinement was Lloyd's algorithm.
	MiniBatch int
	// KneeFound reports whether K is Kneedle's knee rather than a fallback.
	KneeFound bool
	// Knee is Kneedle's knee, 0 when the curve has none; it differs from
	// K when the knee's fit has a cluster under MinSize.
	Knee int
	// Reason is one sentence saying how K was chosen, for reports.
	Reason string
}

// Fit returns the fit of the chosen k.
func (s *Sweep) Fit() *Result {
	for i, k := range s.Ks {
		if k == s.K {
			return s.Fits[i]
		}
	}
	return nil
}

// Sweep fits k-means for each k in [e.KMin, min(e.KMax, n)] on the n×d
// matrix x with weights w (nil for uniform) and chooses k. Every fit uses
// e.KMeans with its K replaced, except that restart 0 of each k after the
// first keeps the k − 1 centroids of the previous fit and seeds only one
// more by a greedy k-means++ step (on all rows this makes the inertia
// curve non-increasing). The whole sweep is deterministic for a given
// e.KMeans.Seed and independent of the number of workers. x and w are not
// modified.
//
// Every fit is kept in Sweep.Fits with its labels; distances only for the
// chosen k: memory grows as (KMax − KMin + 1)·8·n bytes, plus 8·n.
//
// It panics on a shape mismatch and returns the errors of KMeans.Fit, and
// an ErrSettings or ErrK error for a negative setting or KMin > min(KMax, n).
func (e Elbow) Sweep(ctx context.Context, x []float64, n, d int, w []float64) (*Sweep, error) {
	checkShape(x, n, d, w)
	kmin, kmax, sample, s := e.KMin, e.KMax, e.SilhouetteSample, e.S
	if kmin == 0 {
		kmin = DefaultKMin
	}
	if kmax == 0 {
		kmax = DefaultKMax
	}
	if sample == 0 {
		sample = DefaultSilhouetteSample
	}
	if s == 0 {
		s = DefaultSensitivity
	}
	switch {
	case kmin < 0 || kmax < 0:
		return nil, fmt.Errorf("%w: KMin = %d, KMax = %d", ErrSettings, e.KMin, e.KMax)
	case sample < 0:
		return nil, fmt.Errorf("%w: SilhouetteSample = %d", ErrSettings, sample)
	case s < 0 || math.IsNaN(s) || math.IsInf(s, 0):
		return nil, fmt.Errorf("%w: S = %v", ErrSettings, s)
	}
	if err := checkData(x, n, d, w); err != nil {
		return nil, err
	}
	for i, r := range e.SilhouetteRows {
		if r < 0 || r >= n || i > 0 && r <= e.SilhouetteRows[i-1] {
			return nil, fmt.Errorf("%w: SilhouetteRows[%d] = %d is not increasing in [0, %d)", ErrSettings, i, r, n)
		}
	}
	kmax = min(kmax, n)
	if kmin > kmax {
		return nil, fmt.Errorf("%w: KMin = %d > KMax = %d (after clamping to n = %d rows)", ErrK, kmin, kmax, n)
	}
	workers := e.KMeans.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	sampleSize := e.SampleSize
	if sampleSize == 0 {
		sampleSize = DefaultSampleSize
	}
	var xs, ws []float64
	ns := 0
	if sampleSize > 0 && n > sampleSize {
		xs, ws, ns = sampleMatrix(x, n, d, w, sampleSize, e.KMeans.Seed)
	}
	sw := &Sweep{Sampled: ns, MinSize: e.MinSize}
	mbRows := e.MiniBatchRows
	if mbRows == 0 {
		mbRows = DefaultMiniBatchRows
	}
	if ns > 0 && mbRows > 0 && n > mbRows {
		sw.MiniBatch = DefaultBatchSize
	}
	// One problem per matrix (row norms, tolerance) serves every k.
	tol := e.KMeans.Tol
	if tol == 0 {
		tol = DefaultTol
	}
	full := newProblem(x, n, d, w, tol)
	var sub *problem
	if ns > 0 {
		sub = newProblem(xs, ns, d, ws, tol)
	}
	fit := func(km KMeans, p *problem) (*Result, error) {
		s, err := km.resolve(p.n)
		if err != nil {
			return nil, err
		}
		return km.fit(ctx, p, s)
	}
	// Restart 0 of each k after the first keeps the k − 1 centroids of
	// the fit before (on the sample when sampling) and seeds one more.
	var warm []float64
	for k := kmin; k <= kmax; k++ {
		km := e.KMeans
		km.K, km.noDist2 = k, true
		if e.KMeans.Init == nil {
			km.warm = warm
		}
		var res *Result
		var err error
		if ns > 0 && k <= ns {
			var fs *Result
			if fs, err = fit(km, sub); err != nil {
				return nil, err
			}
			warm = fs.Centroids
			km.Init, km.warm = fs.Centroids, nil
			km.BatchSize = sw.MiniBatch
			res, err = fit(km, full)
		} else {
			res, err = fit(km, full)
			if err == nil {
				warm = res.Centroids
			}
		}
		if err != nil {
			return nil, err
		}
		sw.Ks = append(sw.Ks, k)
		sw.Fits = append(sw.Fits, res)
		sw.Inertia = append(sw.Inertia, res.Inertia)
		sw.Admissible = append(sw.Admissible, slices.Min(res.Sizes) >= e.MinSize)
		if e.SkipMetrics {
			sw.CalinskiHarabasz = append(sw.CalinskiHarabasz, math.NaN())
		} else {
			sw.CalinskiHarabasz = append(sw.CalinskiHarabasz, CalinskiHarabasz(x, n, d, res.Labels, k))
		}
		if e.Progress != nil {
			e.Progress(k-kmin+1, kmax-kmin+1)
		}
	}
	idx := e.SilhouetteRows
	if idx == nil {
		idx = sampleRows(n, sample, e.KMeans.Seed)
	}
	sw.Silhouette = sw.silhouettes(x, n, d, idx, workers, e.SkipMetrics)
	sw.choose(s)
	sw.admit()
	chosen := sw.Fit()
	chosen.Dist2 = make([]float64, n)
	forChunks(n, chunkRows, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			c := chosen.Labels[i]
			chosen.Dist2[i] = sqdist(x[i*d:(i+1)*d], chosen.Centroid(c))
		}
	})
	return sw, nil
}

// choose sets K, KneeFound and Reason from the inertia curve.
func (sw *Sweep) choose(s float64) {
	first, last := sw.Ks[0], sw.Ks[len(sw.Ks)-1]
	if first == last {
		sw.K = first
		sw.Reason = fmt.Sprintf("only k=%d was tried", first)
		return
	}
	ks := make([]float64, len(sw.Ks))
	for i, k := range sw.Ks {
		ks[i] = float64(k)
	}
	if _, i, ok := Kneedle(ks, sw.Inertia, s, Convex, Decreasing); ok {
		sw.K, sw.KneeFound, sw.Knee = sw.Ks[i], true, sw.Ks[i]
		sw.Reason = fmt.Sprintf("knee at k=%d (Kneedle, S=%g)", sw.K, s)
		return
	}
	best := -1
	for i, v := range sw.Silhouette {
		if !math.IsNaN(v) && (best < 0 || v > sw.Silhouette[best]) {
			best = i
		}
	}
	if best < 0 {
		sw.K = first
		sw.Reason = fmt.Sprintf("no knee in inertia for k=%d..%d and no silhouette defined; fell back to the smallest k (k=%d)", first, last, first)
		return
	}
	sw.K = sw.Ks[best]
	sw.Reason = fmt.Sprintf("no knee in inertia for k=%d..%d; fell back to the k with the best silhouette (k=%d)", first, last, sw.K)
}

// admit moves K to an admissible k when the chosen one is not: the
// largest admissible k below it, else the smallest above it. When none is
// admissible K stays and Reason says so (the caller decides what to do;
// Admissible tells it).
func (sw *Sweep) admit() {
	at := slices.Index(sw.Ks, sw.K)
	if sw.Admissible[at] {
		return
	}
	pick := -1
	for i := at - 1; i >= 0 && pick < 0; i-- {
		if sw.Admissible[i] {
			pick = i
		}
	}
	for i := at + 1; i < len(sw.Ks) && pick < 0; i++ {
		if sw.Admissible[i] {
			pick = i
		}
	}
	if pick < 0 {
		sw.Reason += fmt.Sprintf("; no k from %d to %d gives every cluster at least %d customers", sw.Ks[0], sw.Ks[len(sw.Ks)-1], sw.MinSize)
		return
	}
	sw.Reason += fmt.Sprintf("; k=%d leaves a cluster under %d customers, so k=%d, the nearest k whose clusters all have at least that many, is used", sw.K, sw.MinSize, sw.Ks[pick])
	sw.K, sw.KneeFound = sw.Ks[pick], false
}

// DefaultMiniBatchRows is the number of rows above which Elbow.Sweep
// refines each k with mini-batch k-means rather than Lloyd's algorithm.
const DefaultMiniBatchRows = 2000000

// DefaultSampleSize is the number of rows above which Elbow.Sweep fits each
// k on a uniform sample first (then refines on all rows).
const DefaultSampleSize = 100000

// sampleMatrix draws m of the n rows uniformly without replacement (Floyd's
// algorithm, from rand.NewPCG(seed, 1<<32)) and returns them in row order,
// with their weights (nil when w is nil).
func sampleMatrix(x []float64, n, d int, w []float64, m int, seed uint64) (xs, ws []float64, ns int) {
	xs, ws, _ = gatherSample(x, n, d, w, m, rand.New(rand.NewPCG(seed, 1<<32)))
	return xs, ws, m
}
