package cluster

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// Sentinel errors. Returned errors wrap one of these (test with errors.Is)
// and add the detail: which row, which setting, which value.
var (
	// ErrNoRows is returned for an input with no rows or no columns.
	ErrNoRows = errors.New("cluster: no rows")
	// ErrNonFinite is returned when the input holds NaN or ±Inf.
	ErrNonFinite = errors.New("cluster: non-finite value")
	// ErrWeights is returned for a negative or non-finite weight, or when
	// all weights are zero.
	ErrWeights = errors.New("cluster: invalid weights")
	// ErrK is returned for an impossible number of clusters (K < 1, K > n).
	ErrK = errors.New("cluster: invalid number of clusters")
	// ErrSettings is returned for a negative setting.
	ErrSettings = errors.New("cluster: invalid setting")
)

// Default settings used when the corresponding KMeans field is zero.
const (
	DefaultRestarts = 10
	DefaultMaxIter  = 300
	DefaultTol      = 1e-4
)

// KMeans holds the settings of a k-means fit. The zero value of every field
// other than K selects the documented default.
//
// A fit runs Restarts independent restarts and keeps the one with the lowest
// inertia (ties go to the lower restart index). Restart i seeds its centroids
// by greedy k-means++ (Arthur & Vassilvitskii 2007, with 2 + ⌊ln K⌋
// candidates per step as in scikit-learn) from its own generator
// rand.New(rand.NewPCG(Seed, uint64(i))) and then runs Lloyd's algorithm
// until convergence or MaxIter iterations. A cluster left empty by an
// iteration is re-seeded with the row farthest from its centroid. The
// result is the same, bit for bit, whatever the value of Workers.
type KMeans struct {
	// K is the number of clusters, 1 <= K <= n. It has no default.
	K int
	// Restarts is the number of k-means++ restarts; 0 means 10.
	Restarts int
	// MaxIter caps the Lloyd iterations of one restart; 0 means 300.
	MaxIter int
	// Tol is the relative convergence tolerance; 0 means 1e-4. A restart
	// has converged when the sum over clusters of the squared centroid
	// shifts of one iteration is at most Tol × the mean per-feature variance
	// of x (scikit-learn's definition), or when no label changed.
	Tol float64
	// Seed is the only source of randomness.
	Seed uint64
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Init, when not nil, holds K×d starting centroids (row-major): the fit
	// runs Lloyd's algorithm once from them instead of seeding Restarts
	// times (Restarts is ignored). It is how a fit on a sample is refined on
	// all rows.
	Init []float64
	// NoBounds turns off the Hamerly (2010) bounds that let Lloyd passes
	// skip distance computations. The labels, centroids and inertia are the
	// same either way (the bounds only skip rows whose nearest centroid they
	// prove unchanged, with a margin for rounding); it exists for tests and
	// benchmarks.
	NoBounds bool
	// BatchSize, when positive and below n, makes every restart
	// mini-batch k-means (Sculley 2010, in scikit-learn's form) instead of
	// Lloyd's algorithm, for inputs too large for full passes: the
	// centroids start from Init, or else from greedy k-means++ on a uniform
	// sample of 3·max(BatchSize, K) rows; each of up to MaxIter steps draws
	// BatchSize rows uniformly with replacement, assigns them to the
	// nearest centroid and moves every centroid to the weighted mean of all
	// the rows it has absorbed so far. Steps stop early when the centroids
	// move by at most the tolerance (Σ‖Δc‖², as for Lloyd). Restarts are
	// compared by their inertia on all rows, and the result's labels,
	// distances and inertia are exact for its centroids; the centroids are
	// only near a local optimum of Lloyd's algorithm (Elbow measures the
	// loss), and a cluster no row ends nearest to is not re-seeded. Draws
	// come from the restart's generator, so the result is still
	// independent of Workers.
	BatchSize int
	// SampleSize, when positive and below n (without Init or BatchSize),
	// fits the restarts on a uniform sample of SampleSize rows (drawn from
	// Seed, as Elbow draws its sample) and refines the best of them on all
	// rows by Lloyd's algorithm from its centroids, as Elbow fits each k:
	// the seeding and the restarts' iterations cost a sample's passes, not
	// the matrix's. The result's Iterations and Converged are the
	// refinement's, Restart the sample's winner. 0 fits every restart on
	// all rows.
	SampleSize int

	// warm, set by Elbow, holds the (K−1)×d centroids of the fit for
	// K − 1: restart 0 keeps them and seeds only the last centroid.
	warm []float64
	// noDist2, set by Elbow, leaves Result.Dist2 nil (the sweep computes
	// it for the chosen k only).
	noDist2 bool
}

// Result is a fitted k-means partition of the n rows of x.
//
// Clusters are numbered in a canonical order that does not depend on the
// seeding: by size descending, ties by centroid in lexicographic order.
type Result struct {
	// K is the number of clusters and D the number of features.
	K, D int
	// Centroids holds the K×D centroids, row-major.
	Centroids []float64
	// Labels holds the cluster of each row, in [0, K).
	Labels []int
	// Dist2 holds the squared Euclidean distance of each row to its
	// centroid, computed exactly as Σ_j (x_ij − c_j)².
	Dist2 []float64
	// Sizes holds the number of rows in each cluster, whatever their
	// weight. Empty clusters are re-seeded during the fit, so a size is 0
	// only in degenerate cases such as x having fewer than K distinct rows
	// of positive weight.
	Sizes []int
	// Inertia is Σ_i w_i · Dist2[i].
	Inertia float64
	// Iterations is the number of Lloyd iterations (mini-batch steps with
	// KMeans.BatchSize) of the winning restart.
	Iterations int
	// Converged reports whether the winning restart met the tolerance
	// before MaxIter.
	Converged bool
	// Restart is the index of the winning restart.
	Restart int
}

// Centroid returns centroid c as a slice of Centroids (not a copy).
func (r *Result) Centroid(c int) []float64 {
	return r.Centroids[c*r.D : (c+1)*r.D : (c+1)*r.D]
}

// Fit partitions the n rows of the n×d row-major matrix x into km.K clusters,
// minimising the weighted inertia Σ_i w_i ‖x_i − c_{label(i)}‖². w holds one
// non-negative weight per row; nil means every row has weight 1. A row of
// weight w counts in the objective as w copies of that row. x and w are not
// modified.
//
// Fit panics if len(x) != n*d or w is non-nil and len(w) != n. It returns an
// error for empty input, NaN or Inf in x, invalid weights, K outside [1, n],
// negative settings, or when ctx is done (checked between iterations).
func (km KMeans) Fit(ctx context.Context, x []float64, n, d int, w []float64) (*Result, error) {
	checkShape(x, n, d, w)
	if err := checkData(x, n, d, w); err != nil {
		return nil, err
	}
	s, err := km.resolve(n)
	if err != nil {
		return nil, err
	}
	if km.SampleSize > 0 && km.SampleSize < n && km.Init == nil && km.BatchSize == 0 && km.K <= km.SampleSize {
		return km.fitSampled(ctx, x, n, d, w, s)
	}
	return km.fit(ctx, newProblem(x, n, d, w, s.tol), s)
}

// fitSampled fits the restarts on a uniform sample of km.SampleSize rows
// and refines the best on all rows (KMeans.SampleSize).
func (km KMeans) fitSampled(ctx context.Context, x []float64, n, d int, w []float64, s settings) (*Result, error) {
	xs, ws, ns := sampleMatrix(x, n, d, w, km.SampleSize, km.Seed)
	sub := km
	sub.SampleSize, sub.noDist2 = 0, true
	ss, err := sub.resolve(ns)
	if err != nil {
		return nil, err
	}
	fs, err := sub.fit(ctx, newProblem(xs, ns, d, ws, ss.tol), ss)
	if err != nil {
		return nil, err
	}
	full := km
	full.SampleSize, full.Init = 0, fs.Centroids
	res, err := full.fit(ctx, newProblem(x, n, d, w, s.tol), s)
	if err != nil {
		return nil, err
	}
	res.Restart = fs.Restart
	return res, nil
}

// fit is Fit on a checked problem (Elbow builds one per matrix and fits
// every k on it).
func (km KMeans) fit(ctx context.Context, p *problem, s settings) (*Result, error) {
	n, d := p.n, p.d
	p.bounds = !km.NoBounds
	if km.BatchSize > 0 && km.BatchSize < n {
		return km.fitMiniBatch(ctx, p, s)
	}

	// Restarts run concurrently when there are several; each restart's
	// Lloyd passes share what is left of the workers. Neither choice changes
	// the arithmetic, so the result does not depend on s.workers.
	if km.Init != nil {
		if len(km.Init) != s.k*d {
			return nil, fmt.Errorf("%w: Init has %d values for K×d = %d", ErrSettings, len(km.Init), s.k*d)
		}
		s.restarts = 1
	}
	// Large inputs run restarts one after another, each using every
	// worker: one workspace (labels, distances, bounds) instead of one per
	// concurrent restart keeps memory near the matrix's own size.
	conc := min(s.workers, s.restarts)
	if n >= 4*chunkRows*s.workers {
		conc = 1
	}
	inner := max(1, s.workers/conc)
	runs := make([]restartResult, s.restarts)
	errs := make([]error, s.restarts)
	var wg sync.WaitGroup
	wg.Add(conc)
	for g := range conc {
		go func() {
			defer wg.Done()
			ws := newWorkspace(p, s.k, inner)
			defer ws.close()
			for r := g; r < s.restarts; r += conc {
				rng := rand.New(rand.NewPCG(km.Seed, uint64(r)))
				switch {
				case km.Init != nil:
					runs[r], errs[r] = ws.from(ctx, km.Init, s.maxIter)
				case r == 0 && len(km.warm) == (s.k-1)*d && s.k > 1:
					runs[r], errs[r] = ws.restartFrom(ctx, rng, km.warm, s.maxIter)
				default:
					runs[r], errs[r] = ws.restart(ctx, rng, s.maxIter)
				}
				if errs[r] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}

	best := 0
	for r := 1; r < len(runs); r++ {
		if runs[r].inertia < runs[best].inertia {
			best = r
		}
	}
	return p.result(runs[best], best, s, !km.noDist2), nil
}

// fitMiniBatch runs s.restarts mini-batch restarts one after another, each
// with every worker, and keeps the one of lowest inertia on all rows.
func (km KMeans) fitMiniBatch(ctx context.Context, p *problem, s settings) (*Result, error) {
	mb := newMiniBatch(p, s.k, km.BatchSize, s.workers)
	defer mb.pool.close()
	var win restartResult
	best := -1
	for r := range s.restarts {
		rng := rand.New(rand.NewPCG(km.Seed, uint64(r)))
		steps, conv, err := mb.restart(ctx, rng, km.Init, s.maxIter)
		if err != nil {
			return nil, err
		}
		inertia := 0.0
		if s.restarts > 1 {
			inertia = p.assignExact(nil, nil, nil, mb.centers, s.k, s.workers)
		}
		if best < 0 || inertia < win.inertia {
			best = r
			win = restartResult{centers: slices.Clone(mb.centers), inertia: inertia, iters: steps, converged: conv}
		}
	}
	return p.result(win, best, s, !km.noDist2), nil
}

// result assigns every row exactly to the winning restart's centroids and
// returns the fit in canonical cluster order (Dist2 only when withDist2).
func (p *problem) result(win restartResult, best int, s settings, withDist2 bool) *Result {
	n, d := p.n, p.d
	res := &Result{
		K:          s.k,
		D:          d,
		Centroids:  win.centers,
		Labels:     make([]int, n),
		Sizes:      make([]int, s.k),
		Iterations: win.iters,
		Converged:  win.converged,
		Restart:    best,
	}
	if withDist2 {
		res.Dist2 = make([]float64, n)
	}
	res.Inertia = p.assignExact(res.Labels, res.Dist2, res.Sizes, win.centers, s.k, s.workers)
	canonicalize(res)
	return res
}

// settings are a KMeans's settings with defaults applied.
type settings struct {
	k, restarts, maxIter, workers int
	tol                           float64 // relative, as in KMeans.Tol
}

func (km KMeans) resolve(n int) (settings, error) {
	if km.K < 1 || km.K > n {
		return settings{}, fmt.Errorf("%w: K = %d with %d rows (need 1 <= K <= n)", ErrK, km.K, n)
	}
	switch {
	case km.Restarts < 0:
		return settings{}, fmt.Errorf("%w: Restarts = %d", ErrSettings, km.Restarts)
	case km.MaxIter < 0:
		return settings{}, fmt.Errorf("%w: MaxIter = %d", ErrSettings, km.MaxIter)
	case km.Tol < 0 || math.IsNaN(km.Tol) || math.IsInf(km.Tol, 0):
		return settings{}, fmt.Errorf("%w: Tol = %v", ErrSettings, km.Tol)
	case km.Workers < 0:
		return settings{}, fmt.Errorf("%w: Workers = %d", ErrSettings, km.Workers)
	case km.BatchSize < 0:
		return settings{}, fmt.Errorf("%w: BatchSize = %d", ErrSettings, km.BatchSize)
	case km.SampleSize < 0:
		return settings{}, fmt.Errorf("%w: SampleSize = %d", ErrSettings, km.SampleSize)
	}
	s := settings{k: km.K, restarts: km.Restarts, maxIter: km.MaxIter, workers: km.Workers, tol: km.Tol}
	if s.restarts == 0 {
		s.restarts = DefaultRestarts
	}
	if s.maxIter == 0 {
		s.maxIter = DefaultMaxIter
	}
	if s.tol == 0 {
		s.tol = DefaultTol
	}
	if s.workers == 0 {
		s.workers = runtime.GOMAXPROCS(0)
	}
	return s, nil
}

// checkShape panics if x is not n×d or w is neither nil nor of length n.
func checkShape(x []float64, n, d int, w []float64) {
	if n < 0 || d < 0 {
		panic(fmt.Sprintf("cluster: negative dimension n=%d d=%d", n, d))
	}
	if len(x) != n*d {
		panic(fmt.Sprintf("cluster: len(x) = %d, want n*d = %d*%d", len(x), n, d))
	}
	if w != nil && len(w) != n {
		panic(fmt.Sprintf("cluster: len(w) = %d, want n = %d", len(w), n))
	}
}

// checkData reports empty input, non-finite values and invalid weights.
func checkData(x []float64, n, d int, w []float64) error {
	if n == 0 || d == 0 {
		return fmt.Errorf("%w: n=%d d=%d", ErrNoRows, n, d)
	}
	if err := checkFinite(x, d); err != nil {
		return err
	}
	if w == nil {
		return nil
	}
	var total float64
	for i, v := range w {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: w[%d] = %v", ErrWeights, i, v)
		}
		total += v
	}
	if total == 0 || math.IsInf(total, 0) {
		return fmt.Errorf("%w: total weight is %v", ErrWeights, total)
	}
	return nil
}

// checkFinite returns an ErrNonFinite error naming the first NaN or Inf.
func checkFinite(x []float64, d int) error {
	for i, v := range x {
		if v-v != 0 { // NaN or ±Inf: v − v is NaN
			return fmt.Errorf("%w: row %d, column %d is %v", ErrNonFinite, i/d, i%d, v)
		}
	}
	return nil
}

// canonicalize renumbers the clusters of r by size descending, ties by
// centroid in lexicographic order, then by the old number.
func canonicalize(r *Result) {
	k, d := r.K, r.D
	order := make([]int, k)
	for c := range order {
		order[c] = c
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(r.Sizes[b], r.Sizes[a]); c != 0 {
			return c
		}
		return slices.Compare(r.Centroid(a), r.Centroid(b))
	})
	relabel := make([]int, k)
	cents := make([]float64, k*d)
	sizes := make([]int, k)
	for c, old := range order {
		relabel[old] = c
		copy(cents[c*d:(c+1)*d], r.Centroid(old))
		sizes[c] = r.Sizes[old]
	}
	for i, l := range r.Labels {
		r.Labels[i] = relabel[l]
	}
	r.Centroids, r.Sizes = cents, sizes
}
