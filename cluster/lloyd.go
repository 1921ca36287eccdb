package cluster

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// restartResult is what one restart hands back to Fit.
type restartResult struct {
	centers   []float64 // k×d, owned by the result
	inertia   float64   // from settle
	iters     int
	converged bool
}

// chunkPart holds one chunk's contribution to a Lloyd update.
type chunkPart struct {
	sums    []float64 // k×d, Σ w_i x_i per cluster
	wsum    []float64 // k, Σ w_i per cluster
	changed int       // rows whose label changed
	failed  int       // rows that failed the bounds test
}

// workspace holds the buffers of one restart. A goroutine that runs several
// restarts reuses one workspace; workspaces are never shared.
type workspace struct {
	p       *problem
	k       int
	workers int
	pool    *pool // workers goroutines for the passes; close releases them

	centers, next []float64 // k×d
	cnorm         []float64 // ‖c‖²
	sums, wsum    []float64 // reduced chunk parts
	labels        []int32   // current label of each row; -1 before the first pass
	dist2         []float64 // distance² of each row to its centroid (norm formula); with bounds only while relocating
	parts         []chunkPart
	inertiaParts  []float64 // per chunk, for settle
	assignFn      func(c, lo, hi int)

	// The centroids as nearest reads them (d×kp, kp = K rounded up to a
	// multiple of 8) and one scratch per worker for the rows whose nearest
	// centroid must be searched.
	kp      int
	ct, cnp []float64
	scratch chan *searchScratch

	// Hamerly (2010) bounds, when bounds is set: upper[i] bounds the
	// distance from row i to its centroid from above, lower[i] the
	// distance to every other centroid from below; half[c] is half the
	// distance from centroid c to the nearest other one; moved[c] how far
	// centroid c moved in the last update and maxMoved the largest move.
	bounds       bool
	upper, lower []float64
	half, moved  []float64
	maxMoved     float64
	cmax         float64 // max_c ‖c‖, for the rounding margin
	fresh        bool    // bounds were just invalidated: compute every distance
	searchAll    bool    // many rows failed the bounds test last pass: search all

	// k-means++ seeding: candidates per step and buffers; cum aliases dist2.
	trials   int
	closest  []float64
	cum      []float64
	candIDs  []int
	potParts []float64
	candCT   []float64      // candidates transposed, four per group
	candRows [][4][]float64 // the rows behind candCT
}

func newWorkspace(p *problem, k, workers int) *workspace {
	n, d := p.n, p.d
	ws := &workspace{
		p:       p,
		k:       k,
		workers: workers,
		centers: make([]float64, k*d),
		next:    make([]float64, k*d),
		cnorm:   make([]float64, k),
		sums:    make([]float64, k*d),
		wsum:    make([]float64, k),
		labels:  make([]int32, n),

		parts: make([]chunkPart, numChunks(n, chunkRows)),

		inertiaParts: make([]float64, numChunks(n, chunkRows)),
		trials:       localTrials(k),
		kp:           (k + 7) / 8 * 8,
	}
	ws.ct, ws.cnp = make([]float64, d*ws.kp), make([]float64, ws.kp)
	ws.scratch = make(chan *searchScratch, workers)
	for range workers {
		ws.scratch <- newSearchScratch()
	}
	for c := range ws.parts {
		ws.parts[c] = chunkPart{sums: make([]float64, k*d), wsum: make([]float64, k)}
	}
	// With bounds, upper and lower double as the seeding buffers and dist2
	// exists only while an empty cluster is re-seeded: the fit's memory
	// beyond x stays about 5 floats per row (xnorm, two bounds and the
	// result's labels and distances).
	if ws.bounds = p.bounds && k > 1; ws.bounds {
		ws.upper, ws.lower = make([]float64, n), make([]float64, n)
		ws.half, ws.moved = make([]float64, k), make([]float64, k)
		ws.closest, ws.cum = ws.upper, ws.lower
	} else {
		ws.dist2 = make([]float64, n)
		ws.closest, ws.cum = make([]float64, n), ws.dist2
	}
	ws.assignFn = func(c, lo, hi int) { ws.assignChunk(&ws.parts[c], lo, hi) }
	ws.pool = newPool(workers)
	return ws
}

// close releases the workspace's goroutines.
func (ws *workspace) close() { ws.pool.close() }

// restart seeds the centroids from rng and runs Lloyd's algorithm.
func (ws *workspace) restart(ctx context.Context, rng *rand.Rand, maxIter int) (restartResult, error) {
	if err := ws.seed(ctx, rng); err != nil {
		return restartResult{}, err
	}
	return ws.run(ctx, maxIter)
}

// restartFrom is restart with the first K−1 centroids given (seedFrom).
func (ws *workspace) restartFrom(ctx context.Context, rng *rand.Rand, warm []float64, maxIter int) (restartResult, error) {
	if err := ws.seedFrom(ctx, rng, warm); err != nil {
		return restartResult{}, err
	}
	return ws.run(ctx, maxIter)
}

// from runs Lloyd's algorithm from the given centroids.
func (ws *workspace) from(ctx context.Context, centers []float64, maxIter int) (restartResult, error) {
	copy(ws.centers, centers)
	return ws.run(ctx, maxIter)
}

// run runs Lloyd's algorithm from ws.centers and measures the result.
func (ws *workspace) run(ctx context.Context, maxIter int) (restartResult, error) {
	iters, conv, err := ws.lloyd(ctx, maxIter)
	if err != nil {
		return restartResult{}, err
	}
	inertia := ws.settle()
	return restartResult{
		centers:   append([]float64(nil), ws.centers...),
		inertia:   inertia,
		iters:     iters,
		converged: conv,
	}, nil
}

// lloyd runs Lloyd iterations from ws.centers until no label changes, the
// squared centroid shift is at most the tolerance, or maxIter iterations.
func (ws *workspace) lloyd(ctx context.Context, maxIter int) (iters int, converged bool, err error) {
	for i := range ws.labels {
		ws.labels[i] = -1
	}
	ws.fresh = true
	for it := 1; it <= maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return it - 1, false, fmt.Errorf("cluster: k-means interrupted: %w", err)
		}
		changed, shift := ws.step()
		if changed == 0 || shift <= ws.p.tol {
			return it, true, nil
		}
	}
	return maxIter, false, nil
}

// step performs one Lloyd iteration: assign every row to its nearest
// centroid, move each centroid to the weighted mean of its rows, and re-seed
// empty clusters. It returns the number of changed labels and Σ_c ‖Δc‖².
func (ws *workspace) step() (changed int, shift float64) {
	k, d := ws.k, ws.p.d
	ws.prepare()
	ws.pool.run(ws.p.n, chunkRows, ws.assignFn)
	ws.fresh = false

	clear(ws.sums)
	clear(ws.wsum)
	empty, failed := false, 0
	for i := range ws.parts {
		part := &ws.parts[i]
		for j, v := range part.sums {
			ws.sums[j] += v
		}
		for j, v := range part.wsum {
			ws.wsum[j] += v
		}
		changed += part.changed
		failed += part.failed
	}
	// The rows that changed cluster predict how many will fail the bounds
	// test next (on the benchmark matrix 1 % changed went with about 12 %
	// failing), as do the failures of a pass that tested: past about 1/8
	// failing, searching every row is cheaper. Not with the Go search
	// (no assembly kernels): there a row's search costs about 25 times its
	// test (BenchmarkNearest: some 60 ns a row at K = 8, the test some
	// 2.3 ns), so testing pays even when most rows fail (on the benchmark
	// matrix from k-means++ centroids, iterations 2 to 14 search 4.5
	// million rows instead of 7.0 million). The labels do not depend on
	// which rows are searched.
	ws.searchAll = useAVX && (changed > ws.p.n/searchAllChanged || failed > ws.p.n/searchAllFailed)
	for c := range k {
		empty = empty || ws.wsum[c] == 0
	}
	if empty {
		if ws.bounds {
			// Relocation picks the farthest row by dist2, which the bounds
			// pass does not keep: compute it as a plain pass would.
			ws.dist2 = make([]float64, ws.p.n)
			ws.refreshDist2()
			defer func() { ws.dist2 = nil }()
		}
		// Relocation moves rows between clusters behind the chunks'
		// running sums: the next pass recomputes them from scratch.
		ws.fresh = true
	}
	ws.relocateEmpty()

	for c := range k {
		dst := ws.next[c*d : (c+1)*d]
		if ws.wsum[c] == 0 {
			copy(dst, ws.centers[c*d:(c+1)*d])
			continue
		}
		for j, v := range ws.sums[c*d : (c+1)*d] {
			dst[j] = v / ws.wsum[c]
		}
	}
	ws.maxMoved = 0
	for c := range k {
		var m float64
		for j := c * d; j < (c+1)*d; j++ {
			t := ws.next[j] - ws.centers[j]
			m += t * t
		}
		shift += m
		if ws.bounds {
			ws.moved[c] = math.Sqrt(m)
			ws.maxMoved = max(ws.maxMoved, ws.moved[c])
		}
	}
	ws.centers, ws.next = ws.next, ws.centers
	return changed, shift
}

// settle assigns every row to its nearest centroid once more, after the
// last update, and returns the weighted inertia of that assignment: Σ w·
// ‖x − c‖² computed exactly, per chunk and then in chunk order. It is how
// restarts are compared (scikit-learn too ends a restart with this pass);
// with bounds most rows are not searched.
func (ws *workspace) settle() float64 {
	ws.prepare()
	p, d := ws.p, ws.p.d
	ws.pool.run(p.n, chunkRows, func(c, lo, hi int) {
		ws.assignChunk(&ws.parts[c], lo, hi)
		var s float64
		for i := lo; i < hi; i++ {
			a := int(ws.labels[i])
			s += p.weight(i) * sqdist(p.row(i), ws.centers[a*d:(a+1)*d])
		}
		ws.inertiaParts[c] = s
	})
	ws.fresh = false
	var inertia float64
	for _, v := range ws.inertiaParts {
		inertia += v
	}
	return inertia
}

// prepare computes what an assignment pass needs of the centroids: their
// norms, the transposed copy nearest reads and, with bounds, half the
// distance from each to the nearest other.
func (ws *workspace) prepare() {
	k, d := ws.k, ws.p.d
	ws.cmax = math.Sqrt(transpose(ws.centers, k, d, ws.kp, ws.cnorm, ws.ct, ws.cnp))
	if ws.bounds {
		for c := range k {
			ws.half[c] = math.Inf(1)
			for o := range k {
				if o != c {
					ws.half[c] = min(ws.half[c], math.Sqrt(sqdist(ws.centers[c*d:(c+1)*d], ws.centers[o*d:(o+1)*d]))/2)
				}
			}
		}
	}
}

// refreshDist2 recomputes every row's dist2 with the norm formula, as a
// plain assignment pass does.
func (ws *workspace) refreshDist2() {
	p, k, d := ws.p, ws.k, ws.p.d
	ws.pool.run(p.n, chunkRows, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			row := p.row(i)
			bestv := math.Inf(1)
			for c := range k {
				bestv = min(bestv, ws.cnorm[c]-2*dot(row, ws.centers[c*d:(c+1)*d]))
			}
			ws.dist2[i] = max(p.xnorm[i]+bestv, 0)
		}
	})
}

// relocateEmpty gives every cluster of zero weight the row farthest from its
// own centroid (largest dist2, ties to the lower row index), taking it from
// a cluster that keeps positive weight without it, as scikit-learn does.
// A cluster stays empty only if no such row exists (fewer than K distinct
// rows of positive weight).
func (ws *workspace) relocateEmpty() {
	p, d := ws.p, ws.p.d
	for c := range ws.k {
		if ws.wsum[c] > 0 {
			continue
		}
		far := -1
		for i := range p.n {
			wi := p.weight(i)
			if wi == 0 || ws.wsum[ws.labels[i]]-wi <= 0 {
				continue
			}
			if far < 0 || ws.dist2[i] > ws.dist2[far] {
				far = i
			}
		}
		if far < 0 {
			continue
		}
		wi, old := p.weight(far), int(ws.labels[far])
		for j, v := range p.row(far) {
			ws.sums[old*d+j] -= wi * v
			ws.sums[c*d+j] = wi * v
		}
		ws.wsum[old] -= wi
		ws.wsum[c] = wi
		ws.labels[far] = int32(c)
		ws.dist2[far] = 0
	}
}
