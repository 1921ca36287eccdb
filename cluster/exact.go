package cluster

import "math"

// assignExact assigns every row to its nearest centroid by the exact
// squared distance Σ_j (x_ij − c_j)² (ties to the lower cluster index) and
// returns the weighted inertia, summed per chunk and then in chunk order.
// labels, dist2 and sizes are filled when non-nil.
//
// The search runs on the fast kernels (‖c‖² − 2x·c, as the Lloyd passes
// search); only when the two nearest centroids are within exactMargin of
// each other by that formula, where its rounding could change the order,
// are all K exact distances compared. The outcome is that of the exact
// scan.
func (p *problem) assignExact(labels []int, dist2 []float64, sizes []int, centers []float64, k, workers int) float64 {
	d := p.d
	kp := (k + 7) / 8 * 8
	cnorm, ct, cnp := make([]float64, k), make([]float64, d*kp), make([]float64, kp)
	cmax2 := transpose(centers, k, d, kp, cnorm, ct, cnp)
	scratch := make(chan *searchScratch, workers)
	for range workers {
		scratch <- newSearchScratch()
	}
	parts := make([]float64, numChunks(p.n, chunkRows))
	forChunks(p.n, chunkRows, workers, func(c, lo, hi int) {
		sc := <-scratch
		defer func() { scratch <- sc }()
		sc.inOrder = true
		var s float64
		for g := lo; g < hi; g += searchBatch {
			sc.setRange(g, min(g+searchBatch, hi))
			m := len(sc.rows)
			sc.rows = padRows(sc.rows)
			nearest(p.x, d, sc.rows, m, ct, kp, cnp, p.xnorm, nil, sc)
			for r := range m {
				i := g + r
				row := p.row(i)
				best := int(sc.best[r])
				var bestv float64
				// lo² − d2 is the gap between the two nearest squared
				// distances, or less where they were clamped at 0.
				if sc.lo[r]*sc.lo[r]-sc.bestv[r] > exactMargin*(p.xnorm[i]+cmax2) {
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
