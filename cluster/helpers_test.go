package cluster

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// blobs returns Gaussian blobs: sizes[c] rows around centers[c] with
// standard deviation sd in every coordinate, drawn from a fixed PCG seed,
// rows of all blobs interleaved so that no blob sits in one chunk.
func blobs(seed uint64, centers [][]float64, sizes []int, sd float64) (x []float64, n, d int, truth []int) {
	rng := rand.New(rand.NewPCG(seed, 99))
	d = len(centers[0])
	left := append([]int(nil), sizes...)
	for {
		progress := false
		for c := range centers {
			if left[c] == 0 {
				continue
			}
			left[c]--
			progress = true
			for _, m := range centers[c] {
				x = append(x, m+sd*rng.NormFloat64())
			}
			truth = append(truth, c)
		}
		if !progress {
			break
		}
	}
	return x, len(truth), d, truth
}

// fiveBlobs are five well-separated centres in 3 dimensions: the closest
// pair is 10 apart, 25 standard deviations of blobs with sd = 0.4.
var fiveBlobs = [][]float64{
	{0, 0, 0},
	{10, 0, 0},
	{0, 10, 0},
	{0, 0, 10},
	{10, 10, 10},
}

// plantedInertia returns Σ_i w_i ‖x_i − μ_{truth(i)}‖² with μ the weighted
// means of the planted groups: the optimal inertia when the groups are far
// apart relative to their spread.
func plantedInertia(x []float64, n, d int, w []float64, truth []int, k int) float64 {
	mu := make([]float64, k*d)
	ws := make([]float64, k)
	for i := range n {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		ws[truth[i]] += wi
		for j := range d {
			mu[truth[i]*d+j] += wi * x[i*d+j]
		}
	}
	for c := range k {
		for j := range d {
			mu[c*d+j] /= ws[c]
		}
	}
	var s float64
	for i := range n {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		s += wi * sqdist(x[i*d:(i+1)*d], mu[truth[i]*d:(truth[i]+1)*d])
	}
	return s
}

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func relClose(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))
}

// mustPanic fails t unless fn panics with a message starting "cluster: ".
func mustPanic(t *testing.T, fn func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatal("no panic")
		}
		msg, _ := r.(string)
		if !strings.HasPrefix(msg, "cluster: ") {
			t.Fatalf("panic %v, want a message starting with \"cluster: \"", r)
		}
	}()
	fn()
}
