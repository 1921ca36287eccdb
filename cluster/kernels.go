package cluster

import "math"

// blockDots computes, for each row i = idx[r] of the n×d matrix x, the
// values out[r·kp + c] = cn[c] − 2·Σ_j x[i,j]·ct[j·kp + c] for c < kp:
// ‖c‖² − 2x·c against kp centroids stored transposed (ct is d×kp, column c
// is centroid c). kp is a multiple of 8; padding centroids have cn = +Inf.
// Each dot product is summed over j in order by fused multiply-adds
// (math.FMA), so the result is bit-identical to blockDotsGo on every
// platform. len(idx) must be a multiple of 4
// (padRows repeats the last row).
func blockDots(x []float64, d int, idx []int32, ct []float64, kp int, cn, out []float64) {
	if len(idx) == 0 {
		return
	}
	if len(idx)%4 != 0 || kp%8 != 0 || len(ct) < d*kp || len(cn) < kp || len(out) < len(idx)*kp {
		panic("cluster: blockDots: bad shapes")
	}
	if useAVX {
		for _, i := range idx {
			_ = x[(int(i)+1)*d-1] // bounds check the rows before the assembly reads them
		}
		dotsAVX(&x[0], d, &idx[0], len(idx)/4, &ct[0], kp, &cn[0], &out[0])
		return
	}
	blockDotsGo(x, d, idx, ct, kp, cn, out)
}

// padRows repeats the last row until len(rows) is a multiple of 4, as
// blockDots needs (rows must have the capacity).
func padRows(rows []int32) []int32 {
	for len(rows)%4 != 0 {
		rows = append(rows, rows[len(rows)-1])
	}
	return rows
}

// blockDotsGo is blockDots in Go, the reference for the assembly.
func blockDotsGo(x []float64, d int, idx []int32, ct []float64, kp int, cn, out []float64) {
	for r, i := range idx {
		row := x[int(i)*d : (int(i)+1)*d]
		o := out[r*kp : (r+1)*kp]
		for c := range o {
			var s float64
			for j, v := range row {
				s = math.FMA(v, ct[j*kp+c], s)
			}
			o[c] = cn[c] - 2*s
		}
	}
}

// transpose writes the k×d centroids into ct (d×kp, padded with zero
// columns) and their squared norms into cnp (padded with +Inf), the layout
// blockDots reads.
func transpose(centers, cnorm []float64, k, d, kp int, ct, cnp []float64) {
	clear(ct)
	for c := range k {
		for j := range d {
			ct[j*kp+c] = centers[c*d+j]
		}
		cnp[c] = cnorm[c]
	}
	for c := k; c < kp; c++ {
		cnp[c] = math.Inf(1)
	}
}

// mins writes, for each of the m rows of kp values in dists, the index of
// the first smallest value (ties to the lower index), that value, and the
// second smallest value (equal to the smallest when it occurs twice).
func mins(dists []float64, kp, m int, best []int32, bestv, second []float64) {
	if m == 0 {
		return
	}
	if kp%4 != 0 || len(dists) < m*kp || len(best) < m || len(bestv) < m || len(second) < m {
		panic("cluster: mins: bad shapes")
	}
	if useAVX && kp <= 64 {
		minsAVX(&dists[0], kp, m, &best[0], &bestv[0], &second[0], nil, nil, nil, nil)
		return
	}
	minsGo(dists, kp, m, best, bestv, second)
}

// nearestD2 is mins for rows[:m] of the data, finished as the bounds need:
// d2[r] = max(xnorm[rows[r]] + smallest, 0), the squared distance to the
// nearest centroid, up[r] = √d2[r] and lo[r] = √max(xnorm + second, 0).
func nearestD2(dists []float64, kp, m int, rows []int32, xnorm []float64, best []int32, d2, second, up, lo []float64) {
	if m == 0 {
		return
	}
	if useAVX && kp <= 64 {
		if kp%4 != 0 || len(dists) < m*kp || len(rows) < m || len(best) < m || len(d2) < m ||
			len(second) < m || len(up) < m || len(lo) < m {
			panic("cluster: nearestD2: bad shapes")
		}
		for _, i := range rows[:m] {
			_ = xnorm[i]
		}
		minsAVX(&dists[0], kp, m, &best[0], &d2[0], &second[0], &rows[0], &xnorm[0], &up[0], &lo[0])
		return
	}
	minsGo(dists, kp, m, best, d2, second)
	for r, i := range rows[:m] {
		d2[r] = max(xnorm[i]+d2[r], 0)
		up[r] = math.Sqrt(d2[r])
		lo[r] = math.Sqrt(max(xnorm[i]+second[r], 0))
	}
}

// minsGo is mins in Go, the reference for the assembly.
func minsGo(dists []float64, kp, m int, best []int32, bestv, second []float64) {
	for r := range m {
		b, bv, sv := 0, math.Inf(1), math.Inf(1)
		for c, v := range dists[r*kp : (r+1)*kp] {
			if v < bv {
				b, bv, sv = c, v, bv
			} else if v < sv {
				sv = v
			}
		}
		best[r], bestv[r], second[r] = int32(b), bv, sv
	}
}

// nearest searches the rows (padded by padRows; the first m are wanted)
// for their nearest centroid and finishes their bounds, as blockDots then
// nearestD2 do, with the results of nearestD2 (second only from the
// two-step path). On AVX, with at most 64 centroids, the two steps run
// fused, without storing the values in between.
func nearest(x []float64, d int, rows []int32, m int, ct []float64, kp int, cn, xnorm []float64, sc *searchScratch) {
	if useAVX && kp <= 64 && m > 0 {
		if len(rows)%4 != 0 || kp%8 != 0 || len(ct) < d*kp || len(cn) < kp || len(sc.best) < len(rows) ||
			len(sc.bestv) < len(rows) || len(sc.up) < len(rows) || len(sc.lo) < len(rows) {
			panic("cluster: nearest: bad shapes")
		}
		for _, i := range rows {
			_ = x[(int(i)+1)*d-1]
			_ = xnorm[i]
		}
		nearAVX(&x[0], d, &rows[0], len(rows)/4, &ct[0], kp, &cn[0], &xnorm[0], &sc.best[0], &sc.bestv[0], &sc.up[0], &sc.lo[0])
		return
	}
	blockDots(x, d, rows, ct, kp, cn, sc.dists)
	nearestD2(sc.dists, kp, m, rows, xnorm, sc.best, sc.bestv, sc.second, sc.up, sc.lo)
}

// moveRow moves a row of weight w between two clusters' sums: t = w·row[j]
// rounded, from[j] −= t (from may be nil: a row joining its first
// cluster) and to[j] += t. The conversion float64(w*v) keeps the compiler
// from fusing the multiplication into the addition, so the assembly and
// the Go code round alike on every platform.
func moveRow(from, to, row []float64, w float64) {
	d := len(row)
	if useAVX && d > 0 {
		_ = to[d-1]
		var f *float64
		if from != nil {
			_ = from[d-1]
			f = &from[0]
		}
		moveRowAVX(f, &to[0], &row[0], d, w)
		return
	}
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
