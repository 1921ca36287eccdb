package cluster

// Distances in the order the rest of the package relies on: each sum runs
// over j in order, so results do not depend on how the work is split.

// dot returns Σ_j a_j·b_j.
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// SqDist returns the squared Euclidean distance Σ_j (a_j − b_j)², summed
// as every distance of the package is (a refit compares centroids by it).
func SqDist(a, b []float64) float64 { return sqdist(a, b) }

// sqdist returns Σ_j (a_j − b_j)².
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
