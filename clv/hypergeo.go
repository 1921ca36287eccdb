package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Eq. 10 of Fader, Hardie & Lee (2005a) (and eq. 9 with x = 0, T = 0) needs
//
//	h = [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)] / (a−1),
//	z = t / (α+T+t) ∈ [0, 1).
//
// Summed as it stands, ₂F₁ grows like (1−z)^(a−1−r−x) for large x and the
// bracket cancels catastrophically; at a = 1 it is 0/0. Euler's
// transformation ₂F₁(A, B; C; z) = (1−z)^(C−A−B) ₂F₁(C−A, C−B; C; z)
// (Abramowitz & Stegun 15.3.3) turns the product into
//
//	(1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z),
//
// whose second parameter is a−1, so ₂F₁ = 1 + (a−1)·S with
//
//	S = Σ_{k≥1} (a+b−1−r)_k (a)_(k−1) / ((a+b+x−1)_k k!) z^k
//
// and, dividing by a−1 exactly,
//
//	h = −ln(1−z)·φ((a−1)ln(1−z)) − (1−z)^(a−1)·S,   φ(y) = (e^y − 1)/y,
//
// which is smooth in a through a = 1. The terms of S fall like
// k^(a−r−x−2) z^k, so the series converges for every z < 1; it is summed
// until the bound on the geometric tail is below 1e-16 of the sum.
// gonum's mathext.Hypergeo (Cephes, with analytic continuation) covers the
// rare z so close to 1 that the series would need more than maxTerms terms.

// maxTerms bounds the series; z ≤ 0.999 needs at most about 37,000 terms.
const maxTerms = 100000

// expectH returns h above for the BG/NBD parameters, frequency x and
// z = t/(α+T+t) in [0, 1); ok is false if h is not finite.
func expectH(m BGNBD, x int, z float64) (h float64, ok bool) {
	if z == 0 {
		return 0, true
	}
	l := math.Log1p(-z)
	am1 := m.A - 1
	phi := 1.0
	if y := am1 * l; y != 0 {
		phi = math.Expm1(y) / y
	}
	first := -l * phi
	pw := math.Exp(am1 * l) // (1−z)^(a−1)
	bigA, bigC := m.A+m.B-1-m.R, m.A+m.B+float64(x)-1
	s, ok := seriesS(bigA, m.A, bigC, z)
	if !ok {
		// Fall back to Cephes for ₂F₁(A, a−1; C; z) − 1 = (a−1)·S.
		if am1 == 0 {
			return 0, false
		}
		f := mathext.Hypergeo(bigA, am1, bigC, z)
		s = (f - 1) / am1
	}
	h = first - pw*s
	return h, !math.IsNaN(h) && !math.IsInf(h, 0)
}

// seriesS sums S = Σ_{k≥1} (A)_k (a)_(k−1) / ((C)_k k!) z^k; ok is false if
// maxTerms terms do not reach the tolerance.
func seriesS(bigA, a, bigC, z float64) (s float64, ok bool) {
	term := bigA / bigC * z
	s = term
	for k := 1; k < maxTerms; k++ {
		if term == 0 {
			return s, true
		}
		ratio := (bigA + float64(k)) * (a + float64(k) - 1) / ((bigC + float64(k)) * float64(k+1)) * z
		term *= ratio
		s += term
		// Past k = −A and 1−a the terms keep one sign and the ratio tends to
		// z as z(1 + (a−r−x−2)/k): from below it rises to z, from above it
		// falls, so q = max(|ratio|, z) bounds every later ratio and the
		// tail is at most |term|·q/(1−q).
		if q := math.Max(math.Abs(ratio), z); float64(k) > -bigA && float64(k) > 1-a {
			if math.Abs(term)*q/(1-q) <= 1e-16*math.Abs(s) {
				return s, true
			}
		}
	}
	return s, false
}
