package cluster

import (
	"fmt"
	"math"
)

// Curve is the shape of a curve given to Kneedle.
type Curve int

const (
	// Concave curves bend downwards and have a knee (e.g. y = log x).
	Concave Curve = iota + 1
	// Convex curves bend upwards and have an elbow (e.g. the inertia of
	// k-means as k grows).
	Convex
)

// Direction is whether a curve given to Kneedle rises or falls with x.
type Direction int

const (
	// Increasing curves rise from left to right.
	Increasing Direction = iota + 1
	// Decreasing curves fall from left to right.
	Decreasing
)

// zeroTol is the magnitude below which a value of the difference curve is
// treated as 0. On a straight line the difference curve is 0 in exact
// arithmetic but rounding leaves values of order 1e-16, which would
// otherwise read as tiny maxima and minima and produce a spurious knee.
const zeroTol = 1e-12

// Kneedle returns the knee (for a concave curve) or elbow (for a convex one)
// of the curve (x, y) found by the Kneedle algorithm of Satopää, Albrecht,
// Irwin & Raghavan, "Finding a 'Kneedle' in a Haystack: Detecting Knee Points
// in System Behavior" (ICDCS workshops 2011), as the Python package kneed
// (KneeLocator, version 0.8) implements it with its defaults
// interp_method="interp1d" (no smoothing) and online=False:
//
//  1. Normalise x and y to [0, 1]: x̂ = (x − min x)/(max x − min x), same
//     for ŷ.
//  2. Turn the curve into an increasing concave one: for a convex
//     decreasing curve ŷ ← 1 − ŷ; for a concave decreasing curve ŷ is
//     reversed; for a convex increasing curve ŷ ← reverse(1 − ŷ).
//  3. Difference curve D_i = ŷ_i − x̂_i.
//  4. Local maxima and minima of D: D_i ≥ (≤) both neighbours, an endpoint
//     compared with its one neighbour (scipy's argrelextrema with
//     greater_equal / less_equal and mode "clip"). Unlike kneed, a maximum
//     must also have D_i > 0: a point on or below the chord is not a knee
//     (kneed can report the first point of a curve that lies below its
//     chord, i.e. one of the wrong shape).
//  5. Each local maximum i sets the threshold T = D_i − S·mean(x̂_{j+1} − x̂_j);
//     a local minimum resets it to 0.
//  6. Walk D from the first local maximum; the first time D_{j+1} < T, the
//     last local maximum is the knee. This is kneed's offline mode: the
//     first knee found is returned, later ones are not considered.
//
// The knee is returned as the value of x at that point together with its
// index in x (for the reversed cases the index is mirrored, as kneed does).
// ok is false when there is no knee: a flat curve, a straight line (a
// difference curve within 1e-12 of 0 everywhere), no local maximum above the
// chord, no drop below a threshold, fewer than 3 points, or non-finite
// values.
//
// s is the sensitivity S of the paper: how many "flat" points (in units of
// the mean x spacing) must follow a maximum before it is declared a knee;
// the paper and kneed use 1. Larger values are more conservative.
//
// Kneedle panics if len(x) != len(y), if x is not strictly increasing, or
// if curve or dir is not one of the defined constants. x and y are not
// modified.
func Kneedle(x, y []float64, s float64, curve Curve, dir Direction) (knee float64, idx int, ok bool) {
	if len(x) != len(y) {
		panic(fmt.Sprintf("cluster: Kneedle: len(x) = %d != len(y) = %d", len(x), len(y)))
	}
	if curve != Concave && curve != Convex {
		panic(fmt.Sprintf("cluster: Kneedle: invalid curve %d", curve))
	}
	if dir != Increasing && dir != Decreasing {
		panic(fmt.Sprintf("cluster: Kneedle: invalid direction %d", dir))
	}
	for i := 1; i < len(x); i++ {
		if !(x[i] > x[i-1]) {
			panic(fmt.Sprintf("cluster: Kneedle: x not strictly increasing at index %d", i))
		}
	}
	n := len(x)
	if n < 3 || math.IsNaN(s) {
		return 0, 0, false
	}
	for i := range n {
		if math.IsNaN(y[i]) || math.IsInf(y[i], 0) || math.IsInf(x[i], 0) {
			return 0, 0, false
		}
	}

	xn := normalize(x)
	yn := normalize(y)
	if xn == nil || yn == nil {
		return 0, 0, false // flat curve: nothing to normalise
	}
	// Step 2: make the curve concave increasing.
	switch {
	case dir == Decreasing && curve == Concave:
		reverse(yn)
	case dir == Decreasing && curve == Convex:
		for i, v := range yn {
			yn[i] = 1 - v
		}
	case dir == Increasing && curve == Convex:
		for i, v := range yn {
			yn[i] = 1 - v
		}
		reverse(yn)
	}
	// Step 3: the difference curve.
	diff := make([]float64, n)
	for i := range diff {
		v := yn[i] - xn[i]
		if math.Abs(v) <= zeroTol {
			v = 0
		}
		diff[i] = v
	}

	// Step 4: local extrema. A maximum must lie above the chord (D > 0).
	isMax := make([]bool, n)
	isMin := make([]bool, n)
	var maxima []int
	for i, v := range diff {
		l, r := diff[max(i-1, 0)], diff[min(i+1, n-1)]
		isMax[i] = v >= l && v >= r && v > 0
		isMin[i] = v <= l && v <= r
		if isMax[i] {
			maxima = append(maxima, i)
		}
	}
	if len(maxima) == 0 {
		return 0, 0, false
	}

	// Step 5: threshold offset S × mean spacing of x̂.
	var span float64
	for i := 1; i < n; i++ {
		span += xn[i] - xn[i-1]
	}
	drop := s * math.Abs(span/float64(n-1))

	// Step 6: walk from the first maximum.
	var threshold float64
	at := -1
	for i := maxima[0]; i < n-1; i++ {
		if isMax[i] {
			threshold = diff[i] - drop
			at = i
		}
		if isMin[i] {
			threshold = 0
		}
		if diff[i+1] < threshold {
			idx = at
			if (curve == Convex) == (dir == Increasing) {
				idx = n - 1 - at
			}
			return x[idx], idx, true
		}
	}
	return 0, 0, false
}

// normalize returns (v − min v)/(max v − min v), or nil if v is constant.
func normalize(v []float64) []float64 {
	lo, hi := v[0], v[0]
	for _, e := range v {
		lo, hi = min(lo, e), max(hi, e)
	}
	if !(hi > lo) {
		return nil
	}
	out := make([]float64, len(v))
	for i, e := range v {
		out[i] = (e - lo) / (hi - lo)
	}
	return out
}

func reverse(v []float64) {
	for i, j := 0, len(v)-1; i < j; i, j = i+1, j-1 {
		v[i], v[j] = v[j], v[i]
	}
}
