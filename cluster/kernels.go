package cluster

import "math"

// maxFusedKP is the largest padded K the assembly search handles (its
// table of centroid indices); beyond it the Go search runs.
const maxFusedKP = 256

// padRows repeats the last row until len(rows) is a multiple of 8, as the
// assembly search needs (rows must have the capacity).
func padRows(rows []int32) []int32 {
	for len(rows)%8 != 0 {
		rows = append(rows, rows[len(rows)-1])
	}
	return rows
}

// transpose writes the k×d centroids into ct (d×kp, padded with zero
// columns) and their squared norms into cnorm (k) and cnp (padded with
// +Inf), the layout nearest reads, and returns the largest squared norm.
func transpose(centers []float64, k, d, kp int, cnorm, ct, cnp []float64) (maxNorm2 float64) {
	clear(ct)
	for c := range k {
		cen := centers[c*d : (c+1)*d]
		cnorm[c] = dot(cen, cen)
		maxNorm2 = max(maxNorm2, cnorm[c])
		for j, v := range cen {
			ct[j*kp+c] = v
		}
		cnp[c] = cnorm[c]
	}
	for c := k; c < kp; c++ {
		cnp[c] = math.Inf(1)
	}
	return maxNorm2
}

// prefetchAhead is how far ahead of the rows it searches, in bytes, the
// AVX-512 kernel asks the cache for rows when they run in order: the
// hardware alone fetches them too late to overlap with the arithmetic.
const prefetchAhead = 4096

// nearest searches rows[:m] of the n×d matrix x (rows padded by padRows)
// for their nearest centroid, against kp centroids stored transposed (ct
// is d×kp, column c is centroid c; padding centroids have cn = +Inf). For
// row r it writes into sc the first c with the smallest
// v_c = cn[c] − 2·Σ_j x_j·ct[j·kp+c] (best, ties to the lower index) and
// the bounds: bestv = max(‖x‖² + smallest v, 0), the squared distance,
// up = √bestv and lo = √max(‖x‖² + second smallest v, 0). Each sum runs
// over j in order by fused multiply-adds: the AVX-512 kernel
// (near512_amd64.s), the AVX2 one (near_amd64.s) and nearestGo give the
// same bits. With sc.inOrder the AVX-512 kernel prefetches the rows after
// rows; when they are also consecutive and unpadded it reads them without
// the indices. Unless labels is nil, bit r%8 of sc.chg[r/8] says whether row r's
// nearest centroid differs from labels[rows[0]+r], its label when rows run
// in order (bits of padding rows are unspecified).
func nearest(x []float64, d int, rows []int32, m int, ct []float64, kp int, cn, xnorm []float64, labels []int32, sc *searchScratch) {
	if m == 0 {
		return
	}
	if len(rows)%8 != 0 || kp%8 != 0 || len(ct) < d*kp || len(cn) < kp || len(sc.best) < len(rows) ||
		len(sc.bestv) < len(rows) || len(sc.up) < len(rows) || len(sc.lo) < len(rows) || len(sc.chg) < len(rows)/8 ||
		(labels != nil && int(rows[0])+len(rows) > len(labels)) {
		panic("cluster: nearest: bad shapes")
	}
	if !useAVX || kp > maxFusedKP {
		nearestGo(x, d, rows[:m], ct, kp, cn, xnorm, sc)
		changedGo(rows[:m], labels, sc)
		return
	}
	// Bounds check the rows before the assembly reads them.
	n := len(xnorm)
	if len(x) < n*d {
		panic("cluster: nearest: x shorter than xnorm")
	}
	first, last := int(rows[0]), int(rows[len(rows)-1])
	inOrder := useAVX512 && sc.inOrder && len(rows) == m && last == first+m-1
	if inOrder {
		// The kernel reads rows first … last without the indices.
		if first < 0 || last >= n {
			panic("cluster: nearest: row out of range")
		}
	} else {
		for _, i := range rows {
			if uint(i) >= uint(n) {
				panic("cluster: nearest: row out of range")
			}
		}
	}
	ahead := 0
	if sc.inOrder {
		ahead = prefetchAhead
	}
	if useAVX512 {
		var lp *int32
		if labels != nil {
			lp = &labels[first]
		}
		idx := &rows[0]
		if inOrder {
			idx = nil
		}
		nearAVX512(&x[0], d, idx, len(rows)/8, &ct[0], kp, &cn[0], &xnorm[0], &sc.best[0], &sc.bestv[0], &sc.up[0], &sc.lo[0], ahead, lp, &sc.chg[0], first)
		return
	}
	nearAVX(&x[0], d, &rows[0], len(rows)/4, &ct[0], kp, &cn[0], &xnorm[0], &sc.best[0], &sc.bestv[0], &sc.up[0], &sc.lo[0])
	changedGo(rows[:m], labels, sc)
}

// changedGo sets sc.chg from sc.best and labels as the AVX-512 kernel does.
func changedGo(rows, labels []int32, sc *searchScratch) {
	if labels == nil {
		return
	}
	clear(sc.chg[:(len(rows)+7)/8])
	for r := range rows {
		if sc.best[r] != labels[int(rows[0])+r] {
			sc.chg[r/8] |= 1 << (r % 8)
		}
	}
}

// nearestGo is nearest in Go, the reference for the assembly and the
// search on machines without it. Each sum is the FMA chain over j in
// order, as in the kernels; eight centroids are summed at once (eight
// independent chains instead of one, the same row value reused for all
// eight) and folded into the minimum in index order, which changes the
// speed (BenchmarkNearest, K = 8: about 60 ns a row instead of 150) and
// not the bits (TestNearestGoMatchesPlain compares it with the plain
// loop). On amd64 below GOAMD64=v3 every math.FMA also tests for the
// instruction and keeps a call to the software FMA, whose spills and
// jumps cost about as much as the FMA; on machines without FMA that
// software FMA makes the search some 30 times slower.
func nearestGo(x []float64, d int, rows []int32, ct []float64, kp int, cn, xnorm []float64, sc *searchScratch) {
	ct, cn = ct[:d*kp], cn[:kp]
	bests, bestvs := sc.best[:len(rows)], sc.bestv[:len(rows)]
	ups, los := sc.up[:len(rows)], sc.lo[:len(rows)]
	for r, i := range rows {
		row := x[int(i)*d : (int(i)+1)*d]
		best, bestv, second := 0, math.Inf(1), math.Inf(1)
		c := 0
		for ; c+8 <= kp; c += 8 {
			var s0, s1, s2, s3, s4, s5, s6, s7 float64
			for j, v := range row {
				t := ct[j*kp+c : j*kp+c+8 : j*kp+c+8]
				s0 = math.FMA(v, t[0], s0)
				s1 = math.FMA(v, t[1], s1)
				s2 = math.FMA(v, t[2], s2)
				s3 = math.FMA(v, t[3], s3)
				s4 = math.FMA(v, t[4], s4)
				s5 = math.FMA(v, t[5], s5)
				s6 = math.FMA(v, t[6], s6)
				s7 = math.FMA(v, t[7], s7)
			}
			cb := cn[c : c+8 : c+8]
			best, bestv, second = fold(c, cb[0]-2*s0, best, bestv, second)
			best, bestv, second = fold(c+1, cb[1]-2*s1, best, bestv, second)
			best, bestv, second = fold(c+2, cb[2]-2*s2, best, bestv, second)
			best, bestv, second = fold(c+3, cb[3]-2*s3, best, bestv, second)
			best, bestv, second = fold(c+4, cb[4]-2*s4, best, bestv, second)
			best, bestv, second = fold(c+5, cb[5]-2*s5, best, bestv, second)
			best, bestv, second = fold(c+6, cb[6]-2*s6, best, bestv, second)
			best, bestv, second = fold(c+7, cb[7]-2*s7, best, bestv, second)
		}
		for ; c < kp; c++ { // kp is a multiple of 8 in nearest; not here
			var s float64
			for j, v := range row {
				s = math.FMA(v, ct[j*kp+c], s)
			}
			best, bestv, second = fold(c, cn[c]-2*s, best, bestv, second)
		}
		xn := xnorm[i]
		d2 := max(xn+bestv, 0)
		bests[r], bestvs[r] = int32(best), d2
		ups[r], los[r] = math.Sqrt(d2), math.Sqrt(max(xn+second, 0))
	}
}

// fold takes v, the value of centroid c, into the smallest value so far
// (bestv, at index best, the first one on ties) and the second smallest.
func fold(c int, v float64, best int, bestv, second float64) (int, float64, float64) {
	if v < bestv {
		return c, v, bestv
	}
	if v < second { // not min: a NaN v must leave second alone
		second = v
	}
	return best, bestv, second
}

// moveRow moves a row of weight w between two clusters' sums: t = w·row[j]
// rounded, from[j] −= t (from may be nil: a row joining its first
// cluster) and to[j] += t. The conversion float64(w*v) keeps the compiler
// from fusing the multiplication into the addition, so the assembly
// (moveRows) and the Go code round alike on every platform.
func moveRow(from, to, row []float64, w float64) {
	d := len(row)
	to = to[:d]
	if from != nil {
		from = from[:d]
		for j, v := range row {
			from[j] -= float64(w * v)
		}
	}
	for j, v := range row {
		to[j] += float64(w * v)
	}
}

// rowMove is a row changing cluster (from ≠ to); from is −1 when the row
// joins its first cluster (and for every row of a fresh pass).
type rowMove struct{ row, from, to int32 }

// moveRows applies the moves in order to the k×d sums and the k weight
// sums wsum, as moveRow would one by one (same bits): each row, weighted
// by w (nil: 1), leaves cluster from and joins cluster to.
func moveRows(x []float64, d int, w []float64, moves []rowMove, sums, wsum []float64) {
	if len(moves) == 0 {
		return
	}
	k := len(wsum)
	if len(sums) < k*d {
		panic("cluster: moveRows: sums shorter than k×d")
	}
	for _, mv := range moves {
		if mv.row < 0 || (int(mv.row)+1)*d > len(x) || mv.from >= int32(k) || uint32(mv.to) >= uint32(k) {
			panic("cluster: moveRows: move out of range")
		}
	}
	weight := func(i int32) float64 {
		if w == nil {
			return 1
		}
		return w[i]
	}
	if useAVX && d > 0 {
		var wp *float64
		if w != nil {
			_ = w[len(x)/d-1]
			wp = &w[0]
		}
		moveRowsAVX(&x[0], d, &moves[0], len(moves), &sums[0], wp)
	} else {
		for _, mv := range moves {
			var from []float64
			if mv.from >= 0 {
				from = sums[int(mv.from)*d : int(mv.from+1)*d]
			}
			moveRow(from, sums[int(mv.to)*d:int(mv.to+1)*d], x[int(mv.row)*d:int(mv.row+1)*d], weight(mv.row))
		}
	}
	for _, mv := range moves {
		if mv.from >= 0 {
			wsum[mv.from] -= weight(mv.row)
		}
		wsum[mv.to] += weight(mv.row)
	}
}
