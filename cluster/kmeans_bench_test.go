package cluster

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// benchData returns n rows of d features around k random centres.
func benchData(n, d, k int) []float64 {
	rng := rand.New(rand.NewPCG(42, 0))
	centres := make([]float64, k*d)
	for i := range centres {
		centres[i] = 10 * rng.Float64()
	}
	x := make([]float64, n*d)
	for i := range n {
		c := rng.IntN(k)
		for j := range d {
			x[i*d+j] = centres[c*d+j] + rng.NormFloat64()
		}
	}
	return x
}

// BenchmarkFit times a whole fit (seeding and Lloyd to convergence) with one
// restart, with one worker and with all of them.
func BenchmarkFit(b *testing.B) {
	sizes := []struct{ n, d, k int }{{10000, 8, 8}, {100000, 12, 8}}
	for _, s := range sizes {
		x := benchData(s.n, s.d, s.k)
		for _, workers := range []int{1, 0} {
			name := fmt.Sprintf("n=%d/d=%d/k=%d/workers=%d", s.n, s.d, s.k, workers)
			b.Run(name, func(b *testing.B) {
				km := KMeans{K: s.k, Restarts: 1, Seed: 1, Workers: workers}
				b.SetBytes(int64(8 * s.n * s.d))
				for b.Loop() {
					if _, err := km.Fit(context.Background(), x, s.n, s.d, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkLloydStep times one Lloyd iteration, the unit the DESIGN.md
// anchor (scikit-learn, ~38 ms per iteration on 1M × 12, k = 8, 1 thread)
// is quoted in. SetBytes is the size of x, read once per iteration.
func BenchmarkLloydStep(b *testing.B) {
	for _, s := range []struct{ n, d, k int }{{100000, 12, 8}, {1000000, 12, 8}} {
		x := benchData(s.n, s.d, s.k)
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("n=%d/d=%d/k=%d/workers=%d", s.n, s.d, s.k, workers), func(b *testing.B) {
				p := newProblem(x, s.n, s.d, nil, DefaultTol)
				ws := newWorkspace(p, s.k, workers)
				copy(ws.centers, x[:s.k*s.d])
				ws.fresh = true
				b.SetBytes(int64(8 * s.n * s.d))
				for b.Loop() {
					ws.step()
				}
			})
		}
	}
}

// BenchmarkSilhouette times the silhouette on a 2000-row sample.
func BenchmarkSilhouette(b *testing.B) {
	const n, d, k = 20000, 12, 8
	x := benchData(n, d, k)
	res, err := KMeans{K: k, Restarts: 1, Seed: 1}.Fit(context.Background(), x, n, d, nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		Silhouette(x, n, d, res.Labels, k, 2000, 1)
	}
}

// BenchmarkFitBounds compares a whole fit (seeding and Lloyd to
// convergence, one restart) with and without the Hamerly bounds at
// n = 1,000,000, d = 12, k = 8, the size, with 2 workers.
func BenchmarkFitBounds(b *testing.B) {
	const n, d, k = 1000000, 12, 8
	x := benchData(n, d, k)
	for _, noBounds := range []bool{true, false} {
		name := "bounds"
		if noBounds {
			name = "plain"
		}
		b.Run(name, func(b *testing.B) {
			km := KMeans{K: k, Restarts: 1, Seed: 3, Workers: 2, NoBounds: noBounds}
			iters := 0
			for b.Loop() {
				res, err := km.Fit(context.Background(), x, n, d, nil)
				if err != nil {
					b.Fatal(err)
				}
				iters = res.Iterations
			}
			b.ReportMetric(float64(iters), "iterations")
		})
	}
}

// BenchmarkSilhouetteSample10k times the silhouette on a sample of 10,000
// rows of n = 1,000,000 (issue 5's target: at most 1 s on this machine).
func BenchmarkSilhouetteSample10k(b *testing.B) {
	const n, d, k = 1000000, 12, 8
	x := benchData(n, d, k)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = i % k
	}
	for b.Loop() {
		Silhouette(x, n, d, labels, k, 10000, 1)
	}
}

// BenchmarkNearest: the nearest-centroid search of the Lloyd passes on 64
// rows (d = 12, in cache) against 8, 12 and 24 centroids, per row: the
// AVX-512 and AVX2 kernels and the Go code.
func BenchmarkNearest(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	n, d := 4096, 12
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	p := newProblem(x, n, d, nil, DefaultTol)
	defer func(v, v512 bool) { useAVX, useAVX512 = v, v512 }(useAVX, useAVX512)
	for _, k := range []int{8, 12, 24} {
		kp := (k + 7) / 8 * 8
		ct, cnp, cnorm := make([]float64, d*kp), make([]float64, kp), make([]float64, k)
		transpose(x[:k*d], k, d, kp, cnorm, ct, cnp)
		for _, kernel := range []string{"avx512", "avx2", "go"} {
			b.Run(fmt.Sprintf("k=%d/%s", k, kernel), func(b *testing.B) {
				useAVX, useAVX512 = kernel != "go", kernel == "avx512"
				if (useAVX512 && !cpuAVX512) || (useAVX && !cpuAVX) {
					b.Skip("no such kernel (-tags purego, not amd64, or the machine lacks the instructions)")
				}
				sc := newSearchScratch()
				for it := range b.N {
					sc.rows = sc.rows[:0]
					lo := (it * 64) % (n - 64)
					for i := lo; i < lo+64; i++ {
						sc.rows = append(sc.rows, int32(i))
					}
					nearest(x, d, sc.rows, 64, ct, kp, cnp, p.xnorm, nil, sc)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/64, "ns/row")
			})
		}
	}
}

// BenchmarkSweepSilhouettes times the silhouettes of an elbow sweep's 11
// fits (k = 2..12) on a sample of 10,000 rows of 100,000: in one pass over
// the pairs of rows, as the sweep computes them, and one fit at a time.
func BenchmarkSweepSilhouettes(b *testing.B) {
	const n, d = 100000, 12
	x := benchData(n, d, 8)
	var labels [][]int
	var ks []int
	for k := 2; k <= 12; k++ {
		l := make([]int, n)
		for i := range l {
			l[i] = (i * 7 / 3) % k
		}
		labels, ks = append(labels, l), append(ks, k)
	}
	workers := runtime.GOMAXPROCS(0)
	b.Run("one pass", func(b *testing.B) {
		for b.Loop() {
			silhouettes(x, n, d, labels, ks, sampleRows(n, 10000, 1), workers)
		}
	})
	b.Run("per fit", func(b *testing.B) {
		for b.Loop() {
			for j := range labels {
				silhouette(x, n, d, labels[j], ks[j], 10000, 1, workers)
			}
		}
	})
}
