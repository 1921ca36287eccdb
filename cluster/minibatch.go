package cluster

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
)

// DefaultBatchSize is the batch of mini-batch k-means when Elbow switches
// to it (above DefaultMiniBatchRows rows).
const DefaultBatchSize = 16384

// miniBatch is the state of one mini-batch restart: the centroids, the
// weight each has absorbed so far, and the batch's buffers. Parallel work
// splits the batch into chunks of chunkRows positions whose partial sums
// are added in chunk order, so the result does not depend on the workers.
type miniBatch struct {
	p       *problem
	k, b    int
	workers int

	centers, cnorm []float64
	counts         []float64 // Σ w of the rows each centroid absorbed
	kp             int
	ct, cnp        []float64
	batch          []int32
	parts          []chunkPart
	sums, wsum     []float64
	scratch        chan *searchScratch
	pool           *pool
	assignFn       func(c, lo, hi int)
}

func newMiniBatch(p *problem, k, b, workers int) *miniBatch {
	d := p.d
	mb := &miniBatch{
		p: p, k: k, b: b, workers: workers,
		centers: make([]float64, k*d),
		cnorm:   make([]float64, k),
		counts:  make([]float64, k),
		kp:      (k + 7) / 8 * 8,
		batch:   make([]int32, b),
		parts:   make([]chunkPart, numChunks(b, chunkRows)),
		sums:    make([]float64, k*d),
		wsum:    make([]float64, k),
		scratch: make(chan *searchScratch, workers),
	}
	mb.ct, mb.cnp = make([]float64, d*mb.kp), make([]float64, mb.kp)
	for c := range mb.parts {
		mb.parts[c] = chunkPart{sums: make([]float64, k*d), wsum: make([]float64, k)}
	}
	for range workers {
		mb.scratch <- newSearchScratch()
	}
	mb.pool = newPool(workers)
	mb.assignFn = mb.assignChunk
	return mb
}

// restart runs one mini-batch restart: centroids from init, or else greedy
// k-means++ on a uniform sample of min(n, 3·max(b, k)) rows (as
// scikit-learn's MiniBatchKMeans seeds), then up to maxIter steps. It
// returns the number of steps and whether the tolerance stopped them.
func (mb *miniBatch) restart(ctx context.Context, rng *rand.Rand, init []float64, maxIter int) (steps int, converged bool, err error) {
	p, d := mb.p, mb.p.d
	clear(mb.counts)
	if init != nil {
		copy(mb.centers, init)
	} else {
		m := min(p.n, 3*max(mb.b, mb.k))
		xs, ws, _ := gatherSample(p.x, p.n, d, p.w, m, rng)
		sp := newProblem(xs, m, d, ws, 0)
		sw := newWorkspace(sp, mb.k, mb.workers)
		err := sw.seed(ctx, rng)
		sw.close()
		if err != nil {
			return 0, false, err
		}
		copy(mb.centers, sw.centers)
	}
	for it := 1; it <= maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return it - 1, false, fmt.Errorf("cluster: mini-batch k-means interrupted: %w", err)
		}
		if mb.step(rng) <= p.tol {
			return it, true, nil
		}
	}
	return maxIter, false, nil
}

// step draws a batch uniformly with replacement, assigns its rows to the
// nearest centroid (‖c‖² − 2x·c, ties to the lower index) and moves each
// centroid to the weighted mean of all rows it has absorbed:
// c ← (c·count + Σ w·x) / (count + Σ w). It returns Σ_c ‖Δc‖².
func (mb *miniBatch) step(rng *rand.Rand) (shift float64) {
	p, k, d := mb.p, mb.k, mb.p.d
	for i := range mb.batch {
		mb.batch[i] = int32(rng.IntN(p.n))
	}
	transpose(mb.centers, k, d, mb.kp, mb.cnorm, mb.ct, mb.cnp)
	mb.pool.run(mb.b, chunkRows, mb.assignFn)
	clear(mb.sums)
	clear(mb.wsum)
	for i := range mb.parts {
		for j, v := range mb.parts[i].sums {
			mb.sums[j] += v
		}
		for j, v := range mb.parts[i].wsum {
			mb.wsum[j] += v
		}
	}
	for c := range k {
		if mb.wsum[c] == 0 {
			continue
		}
		old := mb.counts[c]
		mb.counts[c] += mb.wsum[c]
		for j := c * d; j < (c+1)*d; j++ {
			v := (mb.centers[j]*old + mb.sums[j]) / mb.counts[c]
			t := v - mb.centers[j]
			shift += t * t
			mb.centers[j] = v
		}
	}
	return shift
}

// assignChunk assigns the rows at batch positions [lo, hi) to their
// nearest centroids and sums them into chunk c's part.
func (mb *miniBatch) assignChunk(c, lo, hi int) {
	p, d := mb.p, mb.p.d
	part := &mb.parts[c]
	clear(part.sums)
	clear(part.wsum)
	sc := <-mb.scratch
	defer func() { mb.scratch <- sc }()
	for g := lo; g < hi; g += searchBatch {
		rows := mb.batch[g:min(g+searchBatch, hi)]
		m := len(rows)
		sc.rows = padRows(append(sc.rows[:0], rows...))
		nearest(p.x, d, sc.rows, m, mb.ct, mb.kp, mb.cnp, p.xnorm, nil, sc)
		moves := sc.moves[:0]
		for r, i := range rows {
			moves = append(moves, rowMove{i, -1, sc.best[r]})
		}
		moveRows(p.x, d, p.w, moves, part.sums, part.wsum)
	}
}

// gatherSample draws m of the n rows uniformly without replacement (Floyd's
// algorithm) from rng and returns them in row order with their weights.
func gatherSample(x []float64, n, d int, w []float64, m int, rng *rand.Rand) (xs, ws []float64, idx []int) {
	chosen := make(map[int]bool, m)
	for j := n - m; j < n; j++ {
		t := rng.IntN(j + 1)
		if chosen[t] {
			t = j
		}
		chosen[t] = true
	}
	idx = make([]int, 0, m)
	for i := range chosen {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	xs = make([]float64, 0, m*d)
	for _, i := range idx {
		xs = append(xs, x[i*d:(i+1)*d]...)
	}
	if w != nil {
		ws = make([]float64, m)
		for k, i := range idx {
			ws[k] = w[i]
		}
	}
	return xs, ws, idx
}
