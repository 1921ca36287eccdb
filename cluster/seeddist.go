package cluster

// Distances of k-means++ seeding. Both functions do, row by row, the
// arithmetic of sqdist4 (a subtraction, a multiplication and an addition
// per term, summed over j in order) in the AVX kernel where the machine has
// one and in Go otherwise, so seeding picks the same rows either way.

// candT writes four candidate rows transposed into ct (d×4), the layout
// seedAVX reads.
func candT(ct []float64, d int, cands *[4][]float64) {
	for t, c := range cands {
		for j, v := range c[:d] {
			ct[j*4+t] = v
		}
	}
}

// seedPots adds up, for rows [lo, hi) of p, the potential of each of the
// four candidates cands (transposed in ct by candT): pot[t] =
// Σ_i w_i·min(closest[i], ‖x_i − cands[t]‖²), in row order from zero.
func (p *problem) seedPots(lo, hi int, cands *[4][]float64, ct, closest []float64, pot *[4]float64) {
	if useAVX && hi > lo {
		var w *float64
		if p.w != nil {
			w = &p.w[lo]
		}
		_ = p.x[hi*p.d-1]
		_ = closest[hi-1]
		seedAVX(&p.x[lo*p.d], p.d, hi-lo, &ct[0], &closest[lo], w, &pot[0], 0)
		return
	}
	ca, cb, cc, ce := cands[0], cands[1], cands[2], cands[3]
	var pa, pb, pc, pe float64
	for i := lo; i < hi; i++ {
		da, db, dc, de := sqdist4(p.row(i), ca, cb, cc, ce)
		w, cl := p.weight(i), closest[i]
		pa += w * min(cl, da)
		pb += w * min(cl, db)
		pc += w * min(cl, dc)
		pe += w * min(cl, de)
	}
	*pot = [4]float64{pa, pb, pc, pe}
}

// seedUpdate lowers closest[i] to ‖x_i − c‖² for rows [lo, hi), where ct
// holds c transposed (candT with one candidate).
func (p *problem) seedUpdate(lo, hi int, ct []float64, c []float64, closest []float64) {
	if useAVX && hi > lo {
		_ = p.x[hi*p.d-1]
		_ = closest[hi-1]
		seedAVX(&p.x[lo*p.d], p.d, hi-lo, &ct[0], &closest[lo], nil, nil, 1)
		return
	}
	for i := lo; i < hi; i++ {
		closest[i] = min(closest[i], sqdist(p.row(i), c))
	}
}
