package cluster

import "math/bits"

// When more than 1/searchAllChanged of the rows changed cluster in a pass,
// or more than 1/searchAllFailed failed the bounds test, the next pass
// searches every row (with the assembly kernels only; see step).
const (
	searchAllChanged = 100
	searchAllFailed  = 8
)

// searchBatch is the number of rows whose nearest centroid nearest
// searches in one call.
const searchBatch = 64

// searchScratch holds the rows awaiting a search and what nearest finds for
// them: the nearest centroid, the squared distance to it and the bounds.
type searchScratch struct {
	rows   []int32
	best   []int32
	bestv  []float64
	up, lo []float64
	chg    []uint8 // bit r%8 of chg[r/8]: row r changed cluster
	moves  []rowMove
	// inOrder says that rows are consecutive: nearest prefetches the
	// rows that follow them.
	inOrder bool
}

func newSearchScratch() *searchScratch {
	return &searchScratch{
		rows:  make([]int32, 0, searchBatch+8),
		best:  make([]int32, searchBatch+8),
		bestv: make([]float64, searchBatch+8),
		up:    make([]float64, searchBatch+8),
		lo:    make([]float64, searchBatch+8),
		chg:   make([]uint8, searchBatch/8+1),
		moves: make([]rowMove, 0, searchBatch+8),
	}
}

// setRange sets sc.rows to the rows lo, lo+1, …, hi−1 (at most
// searchBatch of them).
func (sc *searchScratch) setRange(lo, hi int) {
	sc.rows = sc.rows[:hi-lo]
	for r := range sc.rows {
		sc.rows[r] = int32(lo + r)
	}
}

// assignChunk assigns rows [lo, hi) to the nearest centroid using
// ‖x‖² − 2x·c + ‖c‖² (clamped at 0) and updates the chunk's sums. With
// bounds, a row whose bounds prove its centroid unchanged is not searched;
// the others are searched searchBatch at a time, in row order. A fresh
// pass, a pass without bounds and a pass after many rows changed cluster
// search every row.
func (ws *workspace) assignChunk(part *chunkPart, lo, hi int) {
	fresh := ws.fresh
	if fresh {
		clear(part.sums)
		clear(part.wsum)
	}
	sc := <-ws.scratch
	defer func() { ws.scratch <- sc }()
	sc.rows = sc.rows[:0]
	// After many changes many rows would fail the test: searching every
	// row in order costs less than searching the failing ones, whose
	// reads from x the hardware cannot predict.
	sc.inOrder = !ws.bounds || fresh || ws.searchAll
	// Counts are kept in locals and stored once: chunkParts of chunks that
	// other workers process share cache lines.
	changed, failed := 0, 0
	if sc.inOrder {
		changed = ws.searchRange(part, sc, lo, hi, fresh)
	} else {
		changed, failed = ws.testAndSearch(part, sc, lo, hi)
	}
	part.changed, part.failed = changed, failed
}

// searchRange searches every row of [lo, hi), searchBatch at a time.
func (ws *workspace) searchRange(part *chunkPart, sc *searchScratch, lo, hi int, fresh bool) (changed int) {
	for g := lo; g < hi; g += searchBatch {
		sc.setRange(g, min(g+searchBatch, hi))
		changed += ws.search(part, sc, fresh)
	}
	return changed
}

// testAndSearch runs Hamerly's test on rows [lo, hi) and searches the rows
// that fail it, searchBatch at a time, in row order. The test: the bounds
// moved by the last centroid moves prove that the nearest centroid is
// still a when the upper bound on the distance to a is below both the
// lower bound on the others and half the distance from a to the nearest
// other centroid, by the rounding margin. A row that passes is not even
// read; the others are searched, which also recomputes both bounds exactly
// (with the vector kernels that beats first tightening the upper bound
// alone, as Hamerly does).
func (ws *workspace) testAndSearch(part *chunkPart, sc *searchScratch, lo, hi int) (changed, failed int) {
	margin2 := 2 * boundsMargin * ws.cmax
	// Locals spare the loop reloading the workspace's slices.
	labels, upper, lower := ws.labels[lo:hi], ws.upper[lo:hi], ws.lower[lo:hi]
	moved, half, maxMoved := ws.moved, ws.half, ws.maxMoved
	for i := lo; i < hi; {
		r := i - lo
		if useAVX512 && hi-i >= 8 {
			// Eight rows at a time, until searchBatch rows await a search.
			m := len(sc.rows)
			done, found := testBoundsAVX512(&labels[r], &upper[r], &lower[r], (hi-i)/8, &moved[0], &half[0],
				maxMoved, margin2, boundsMargin, &sc.rows[:m+8][m], i, searchBatch-m)
			sc.rows = sc.rows[:m+found]
			failed += found
			i += 8 * done
		} else {
			a := labels[r]
			if u, l, ok := hamerly(upper[r], lower[r], moved[a], half[a], maxMoved, margin2); ok {
				upper[r], lower[r] = u, l
			} else {
				sc.rows = append(sc.rows, int32(i))
				failed++
			}
			i++
		}
		if len(sc.rows) >= searchBatch {
			changed += ws.search(part, sc, false)
		}
	}
	changed += ws.search(part, sc, false)
	return changed, failed
}

// hamerly is Hamerly's test of a row with bounds upper and lower whose
// centroid moved by moved and is half from the nearest other: the moved
// bounds u and l, and whether they prove the centroid still nearest.
// testBoundsAVX512 does the same operations on eight rows at a time.
func hamerly(upper, lower, moved, half, maxMoved, margin2 float64) (u, l float64, ok bool) {
	u = upper + moved
	l = lower - maxMoved
	return u, l, u < max(half, l)-boundsMargin*u-margin2
}

// search finds the nearest centroid of each row in sc.rows, updates its
// bounds (or dist2), and moves the rows that changed cluster between the
// chunk's sums (every row on a fresh pass): Σ w·x of the old cluster loses
// the row, the new one gains it. It empties sc.rows and returns the number
// of rows that changed cluster (every row on a fresh pass).
func (ws *workspace) search(part *chunkPart, sc *searchScratch, fresh bool) (changed int) {
	m := len(sc.rows)
	if m == 0 {
		return 0
	}
	sc.rows = padRows(sc.rows)
	p, d, kp := ws.p, ws.p.d, ws.kp
	// Rows in order without padding get their bounds (or dist2) written
	// in place by nearest, which spares a pass over scattered stores, and
	// only the rows that changed cluster are visited.
	if sc.inOrder && len(sc.rows) == m {
		first, up, lo, bestv := int(sc.rows[0]), sc.up, sc.lo, sc.bestv
		if ws.bounds {
			sc.up, sc.lo = ws.upper[first:first+m], ws.lower[first:first+m]
		} else {
			sc.bestv = ws.dist2[first : first+m]
		}
		nearest(p.x, d, sc.rows, m, ws.ct, kp, ws.cnp, p.xnorm, ws.labels, sc)
		sc.up, sc.lo, sc.bestv = up, lo, bestv
		moves := sc.moves[:0]
		for g, c := range sc.chg[:m/8] {
			if fresh {
				// Every row joins the sums afresh, labels kept or not
				// (after a relocation they are kept).
				c = 0xff
			}
			for ; c != 0; c &= c - 1 {
				r := 8*g + bits.TrailingZeros8(c)
				i, best := sc.rows[r], sc.best[r]
				from := ws.labels[i]
				if fresh {
					from = -1
				}
				ws.labels[i] = best
				moves = append(moves, rowMove{i, from, best})
			}
		}
		moveRows(p.x, d, p.w, moves, part.sums, part.wsum)
		sc.rows = sc.rows[:0]
		return len(moves)
	}
	nearest(p.x, d, sc.rows, m, ws.ct, kp, ws.cnp, p.xnorm, nil, sc)
	moves := sc.moves[:0]
	for r, i := range sc.rows[:m] {
		if ws.bounds {
			ws.upper[i], ws.lower[i] = sc.up[r], sc.lo[r]
		} else {
			ws.dist2[i] = sc.bestv[r]
		}
		from, best := ws.labels[i], sc.best[r]
		if fresh {
			from = -1
		} else if best == from {
			continue
		}
		ws.labels[i] = best
		moves = append(moves, rowMove{i, from, best})
	}
	moveRows(p.x, d, p.w, moves, part.sums, part.wsum)
	sc.rows = sc.rows[:0]
	return len(moves)
}

// boundsMargin is the relative rounding margin of the bound test: the
// norm formula ‖x‖² − 2x·c + ‖c‖² loses about 1e-8·(‖x‖ + ‖c‖) of a
// distance to cancellation, so a row is skipped only when its bounds are
// apart by more than 1e-6·(‖x‖ + max ‖c‖). Rows closer to a tie are
// recomputed, which keeps the labels exactly those of plain Lloyd.
const boundsMargin = 1e-6
