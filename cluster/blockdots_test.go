package cluster

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBlockDotsMatchesGo checks the assembly kernel (where the machine has
// it) against the Go reference and against dot, bit for bit.
func TestBlockDotsMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, d := range []int{1, 2, 5, 12, 17} {
		for _, k := range []int{1, 3, 8, 9, 20} {
			n := 37
			x := make([]float64, n*d)
			for i := range x {
				x[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(7)-3))
			}
			centers := make([]float64, k*d)
			for i := range centers {
				centers[i] = rng.NormFloat64() * 100
			}
			cnorm := make([]float64, k)
			for c := range k {
				cnorm[c] = dot(centers[c*d:(c+1)*d], centers[c*d:(c+1)*d])
			}
			kp := (k + 7) / 8 * 8
			ct, cnp := make([]float64, d*kp), make([]float64, kp)
			transpose(centers, cnorm, k, d, kp, ct, cnp)
			idx := []int32{5, 0, 36, 36, 17, 2}
			got, want := make([]float64, len(idx)*kp), make([]float64, len(idx)*kp)
			blockDots(x, d, idx, ct, kp, cnp, got)
			blockDotsGo(x, d, idx, ct, kp, cnp, want)
			for r, i := range idx {
				for c := range kp {
					g, w := got[r*kp+c], want[r*kp+c]
					if math.Float64bits(g) != math.Float64bits(w) {
						t.Fatalf("d=%d k=%d row %d centroid %d: kernel %v, Go %v (useAVX=%v)", d, k, i, c, g, w, useAVX)
					}
					if c >= k {
						if !math.IsInf(g, 1) {
							t.Fatalf("d=%d k=%d padding centroid %d = %v, want +Inf", d, k, c, g)
						}
						continue
					}
					if ref := cnorm[c] - 2*dot(x[int(i)*d:(int(i)+1)*d], centers[c*d:(c+1)*d]); g != ref {
						t.Fatalf("d=%d k=%d row %d centroid %d: %v, dot gives %v", d, k, i, c, g, ref)
					}
				}
			}
		}
	}
}

// TestMinsMatchesGo checks the minimum search against the Go reference,
// with ties (first index wins, the second smallest equals the smallest)
// and padding.
func TestMinsMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, kp := range []int{8, 16, 24} {
		m := 200
		dists := make([]float64, m*kp)
		for i := range dists {
			dists[i] = float64(rng.IntN(6) - 3) // many ties
			if rng.IntN(5) == 0 {
				dists[i] = rng.NormFloat64()
			}
		}
		for c := kp - 3; c < kp; c++ {
			dists[c] = math.Inf(1) // padding in row 0
		}
		b1, v1, s1 := make([]int32, m), make([]float64, m), make([]float64, m)
		b2, v2, s2 := make([]int32, m), make([]float64, m), make([]float64, m)
		mins(dists, kp, m, b1, v1, s1)
		minsGo(dists, kp, m, b2, v2, s2)
		for r := range m {
			if b1[r] != b2[r] || v1[r] != v2[r] || s1[r] != s2[r] {
				t.Fatalf("kp=%d row %d %v: got (%d %v %v), want (%d %v %v)", kp, r, dists[r*kp:(r+1)*kp], b1[r], v1[r], s1[r], b2[r], v2[r], s2[r])
			}
		}
	}
}

// TestFitSameWithoutAssembly: a fit through the Go kernels gives the same
// bits as through the assembly ones (the two do the same arithmetic).
func TestFitSameWithoutAssembly(t *testing.T) {
	if !useAVX {
		t.Skip("no assembly kernels on this machine")
	}
	rng := rand.New(rand.NewPCG(7, 7))
	n, d := 5000, 7
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64() + float64(i%d)
	}
	km := KMeans{K: 11, Restarts: 3, Seed: 4, Workers: 2}
	a, err := km.Fit(context.Background(), x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	useAVX = false
	defer func() { useAVX = true }()
	b, err := km.Fit(context.Background(), x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(a.Centroids, b.Centroids) || a.Inertia != b.Inertia || a.Iterations != b.Iterations || !slices.Equal(a.Labels, b.Labels) {
		t.Fatalf("assembly fit (inertia %v, %d iterations) differs from Go fit (inertia %v, %d iterations)", a.Inertia, a.Iterations, b.Inertia, b.Iterations)
	}
}
