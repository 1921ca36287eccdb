package cluster

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// problem is the read-only part of a fit, shared by all restarts.
type problem struct {
	x      []float64 // n×d, row-major
	n, d   int
	w      []float64 // nil means uniform
	xnorm  []float64 // ‖x_i‖²
	tol    float64   // absolute tolerance on Σ‖Δc‖²
	bounds bool      // use Hamerly bounds in Lloyd passes
}

func newProblem(x []float64, n, d int, w []float64, relTol float64) *problem {
	p := &problem{x: x, n: n, d: d, w: w, xnorm: make([]float64, n)}
	for i := range n {
		r := p.row(i)
		p.xnorm[i] = dot(r, r)
	}
	p.tol = relTol * meanVariance(x, n, d)
	return p
}

// meanVariance returns the mean over columns of the population variance of
// each column, unweighted, as scikit-learn's KMeans tolerance uses.
func meanVariance(x []float64, n, d int) float64 {
	mean := make([]float64, d)
	for i := range n {
		for j, v := range x[i*d : (i+1)*d] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	var ss float64
	for i := range n {
		for j, v := range x[i*d : (i+1)*d] {
			t := v - mean[j]
			ss += t * t
		}
	}
	return ss / float64(n) / float64(d)
}

func (p *problem) row(i int) []float64 {
	return p.x[i*p.d : (i+1)*p.d : (i+1)*p.d]
}

func (p *problem) weight(i int) float64 {
	if p.w == nil {
		return 1
	}
	return p.w[i]
}

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

	// The centroids as blockDots reads them (d×kp, kp = K rounded up to a
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
		ws.scratch <- newSearchScratch(ws.kp)
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
	// failing, searching every row is cheaper.
	ws.searchAll = changed > ws.p.n/searchAllChanged || failed > ws.p.n/searchAllFailed
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
// norms, the transposed copy blockDots reads and, with bounds, half the
// distance from each to the nearest other.
func (ws *workspace) prepare() {
	k, d := ws.k, ws.p.d
	ws.cmax = 0
	for c := range k {
		cen := ws.centers[c*d : (c+1)*d]
		ws.cnorm[c] = dot(cen, cen)
		ws.cmax = max(ws.cmax, math.Sqrt(ws.cnorm[c]))
	}
	transpose(ws.centers, ws.cnorm, k, d, ws.kp, ws.ct, ws.cnp)
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

// When more than 1/searchAllChanged of the rows changed cluster in a pass,
// or more than 1/searchAllFailed failed the bounds test, the next pass
// searches every row.
const (
	searchAllChanged = 100
	searchAllFailed  = 8
)

// searchBatch is the number of rows whose nearest centroid blockDots
// searches in one call.
const searchBatch = 64

// searchScratch holds the rows awaiting a search and their ‖c‖² − 2x·c.
type searchScratch struct {
	rows          []int32
	dists         []float64
	best          []int32
	bestv, second []float64
	up, lo        []float64 // bounds of the searched rows (nearestD2)
}

func newSearchScratch(kp int) *searchScratch {
	return &searchScratch{
		rows:   make([]int32, 0, searchBatch+3),
		dists:  make([]float64, (searchBatch+3)*kp),
		best:   make([]int32, searchBatch+3),
		bestv:  make([]float64, searchBatch+3),
		second: make([]float64, searchBatch+3),
		up:     make([]float64, searchBatch+3),
		lo:     make([]float64, searchBatch+3),
	}
}

// assignChunk assigns rows [lo, hi) to the nearest centroid using
// ‖x‖² − 2x·c + ‖c‖² (clamped at 0) and updates the chunk's sums. With
// bounds, a row whose bounds prove its centroid unchanged is not searched;
// the others are searched searchBatch at a time, in row order.
func (ws *workspace) assignChunk(part *chunkPart, lo, hi int) {
	fresh := ws.fresh
	if fresh {
		clear(part.sums)
		clear(part.wsum)
	}
	// Counts are kept in locals and stored once: chunkParts of chunks that
	// other workers process share cache lines.
	changed, failed := 0, 0
	sc := <-ws.scratch
	defer func() { ws.scratch <- sc }()
	sc.rows = sc.rows[:0]
	useBounds := ws.bounds && !fresh
	margin2 := 2 * boundsMargin * ws.cmax
	// Locals spare the loops reloading the workspace's slices.
	var labels []int32
	var upper, lower []float64
	moved, half, maxMoved := ws.moved, ws.half, ws.maxMoved
	if useBounds {
		labels, upper, lower = ws.labels[lo:hi], ws.upper[lo:hi], ws.lower[lo:hi]
	}
	if useBounds && ws.searchAll {
		// Many rows changed cluster in the last pass, so many will fail
		// the test: searching every row in order costs less than
		// searching the failing ones, whose reads from x the hardware
		// cannot predict, behind mispredicted branches.
		for i := lo; i < hi; i++ {
			sc.rows = append(sc.rows, int32(i))
			if len(sc.rows) == searchBatch {
				changed += ws.search(part, sc, fresh)
			}
		}
	} else {
		for i := lo; i < hi; i++ {
			if useBounds {
				// Hamerly's test: the bounds moved by the last centroid
				// moves prove that the nearest centroid is still a when
				// the upper bound on the distance to a is below both the
				// lower bound on the others and half the distance from a
				// to the nearest other centroid, by the rounding margin.
				// A row that passes is not even read; the others are
				// searched, which also recomputes both bounds exactly
				// (with the vector kernels that beats first tightening
				// the upper bound alone, as Hamerly does).
				r := i - lo
				a := labels[r]
				u := upper[r] + moved[a]
				l := lower[r] - maxMoved
				if u < max(half[a], l)-boundsMargin*u-margin2 {
					upper[r], lower[r] = u, l
					continue
				}
				failed++
			}
			sc.rows = append(sc.rows, int32(i))
			if len(sc.rows) == searchBatch {
				changed += ws.search(part, sc, fresh)
			}
		}
	}
	changed += ws.search(part, sc, fresh)
	part.changed, part.failed = changed, failed
}

// search finds the nearest centroid of each row in sc.rows, updates its
// bounds (or dist2), and moves the rows that changed cluster between the
// chunk's sums (every row on a fresh pass). It empties sc.rows and returns
// the number of rows that changed cluster.
func (ws *workspace) search(part *chunkPart, sc *searchScratch, fresh bool) (changed int) {
	m := len(sc.rows)
	if m == 0 {
		return 0
	}
	sc.rows = padRows(sc.rows)
	p, d, kp := ws.p, ws.p.d, ws.kp
	nearest(p.x, d, sc.rows, m, ws.ct, kp, ws.cnp, p.xnorm, sc)
	for r, i := range sc.rows[:m] {
		best := int(sc.best[r])
		if ws.bounds {
			ws.upper[i], ws.lower[i] = sc.up[r], sc.lo[r]
		} else {
			ws.dist2[i] = sc.bestv[r]
		}
		old := int(ws.labels[i])
		if !fresh && best == old {
			continue
		}
		// The chunk's sums change only for rows that moved (all rows on a
		// fresh pass): Σ w·x of the old cluster loses the row, the new one
		// gains it.
		ws.labels[i] = int32(best)
		changed++
		row, wi := p.row(int(i)), p.weight(int(i))
		var from []float64
		if !fresh && old >= 0 {
			from = part.sums[old*d : (old+1)*d]
			part.wsum[old] -= wi
		}
		moveRow(from, part.sums[best*d:(best+1)*d], row, wi)
		part.wsum[best] += wi
	}
	sc.rows = sc.rows[:0]
	return changed
}

// boundsMargin is the relative rounding margin of the bound test: the
// norm formula ‖x‖² − 2x·c + ‖c‖² loses about 1e-8·(‖x‖ + ‖c‖) of a
// distance to cancellation, so a row is skipped only when its bounds are
// apart by more than 1e-6·(‖x‖ + max ‖c‖). Rows closer to a tie are
// recomputed, which keeps the labels exactly those of plain Lloyd.
const boundsMargin = 1e-6

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

// assignExact assigns every row to its nearest centroid by the exact
// squared distance Σ_j (x_ij − c_j)² (ties to the lower cluster index) and
// returns the weighted inertia, summed per chunk and then in chunk order.
// labels, dist2 and sizes are filled when non-nil.
//
// The search runs on the fast kernels (‖c‖² − 2x·c); only when the two
// nearest centroids are within exactMargin of each other by that formula,
// where its rounding could change the order, are all K exact distances
// compared. The outcome is that of the exact scan.
func (p *problem) assignExact(labels []int, dist2 []float64, sizes []int, centers []float64, k, workers int) float64 {
	d := p.d
	kp := (k + 7) / 8 * 8
	cnorm, ct, cnp := make([]float64, k), make([]float64, d*kp), make([]float64, kp)
	var cmax2 float64
	for c := range k {
		cen := centers[c*d : (c+1)*d]
		cnorm[c] = dot(cen, cen)
		cmax2 = max(cmax2, cnorm[c])
	}
	transpose(centers, cnorm, k, d, kp, ct, cnp)
	scratch := make(chan *searchScratch, workers)
	for range workers {
		scratch <- newSearchScratch(kp)
	}
	parts := make([]float64, numChunks(p.n, chunkRows))
	forChunks(p.n, chunkRows, workers, func(c, lo, hi int) {
		sc := <-scratch
		defer func() { scratch <- sc }()
		var s float64
		for g := lo; g < hi; g += searchBatch {
			sc.rows = sc.rows[:0]
			for i := g; i < min(g+searchBatch, hi); i++ {
				sc.rows = append(sc.rows, int32(i))
			}
			m := len(sc.rows)
			sc.rows = padRows(sc.rows)
			blockDots(p.x, d, sc.rows, ct, kp, cnp, sc.dists)
			mins(sc.dists, kp, m, sc.best, sc.bestv, sc.second)
			for r := range m {
				i := g + r
				row := p.row(i)
				best := int(sc.best[r])
				var bestv float64
				if sc.second[r]-sc.bestv[r] > exactMargin*(p.xnorm[i]+cmax2) {
					bestv = sqdist(row, centers[best*d:(best+1)*d])
				} else {
					best, bestv = 0, math.Inf(1)
					for cc := range k {
						if v := sqdist(row, centers[cc*d:(cc+1)*d]); v < bestv {
							best, bestv = cc, v
						}
					}
				}
				s += p.weight(i) * bestv
				if labels != nil {
					labels[i] = best
				}
				if dist2 != nil {
					dist2[i] = bestv
				}
			}
		}
		parts[c] = s
	})
	var inertia float64
	for _, v := range parts {
		inertia += v
	}
	if sizes != nil && labels != nil {
		clear(sizes)
		for _, l := range labels {
			sizes[l]++
		}
	}
	return inertia
}

// exactMargin is the relative gap, in units of ‖x‖² + max ‖c‖², above
// which the order of two distances by ‖c‖² − 2x·c is also their order by
// Σ (x − c)²: both formulas err by a few d·ε·(‖x‖ + ‖c‖)², far below it
// for any realistic d.
const exactMargin = 1e-9

func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// dot4 returns the dot products of x with a, b, c and e.
func dot4(x, a, b, c, e []float64) (sa, sb, sc, se float64) {
	a, b, c, e = a[:len(x)], b[:len(x)], c[:len(x)], e[:len(x)]
	for j, v := range x {
		sa += v * a[j]
		sb += v * b[j]
		sc += v * c[j]
		se += v * e[j]
	}
	return sa, sb, sc, se
}

func sqdist(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for i, v := range a {
		t := v - b[i]
		s += t * t
	}
	return s
}

// sqdist4 returns the squared distances from x to a, b, c and e, each
// summed over j in order exactly as sqdist would (four independent sums
// hide the latency of the additions).
func sqdist4(x, a, b, c, e []float64) (sa, sb, sc, se float64) {
	a, b, c, e = a[:len(x)], b[:len(x)], c[:len(x)], e[:len(x)]
	for j, v := range x {
		ta, tb, tc, te := v-a[j], v-b[j], v-c[j], v-e[j]
		sa += ta * ta
		sb += tb * tb
		sc += tc * tc
		se += te * te
	}
	return sa, sb, sc, se
}
