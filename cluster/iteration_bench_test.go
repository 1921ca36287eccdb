package cluster

import (
	"encoding/binary"
	"math"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// BenchmarkLloydIterationFile times the Lloyd iterations of a real fit
// directly, for bench/run.sh: the matrix is the file KMEANSBENCH_MATRIX
// (float64, little-endian, KMEANSBENCH_N × KMEANSBENCH_D), the K = 8
// starting centroids the file KMEANSBENCH_INIT (or the first 8 rows), the
// tolerance 0. Each of the b.N fits is timed iteration by iteration, the
// first iteration (which assigns every row from scratch) left out, as the
// scikit-learn side's (fit of N − fit of 1) / (N − 1) leaves it out; just
// before each fit, the read bandwidth of summing x with GOMAXPROCS
// goroutines is measured (best of 5), which gives the memory floor of an
// iteration (8·n·d bytes over it). It reports ms/iter, the best over the
// fits of their mean iteration time (scikit-learn's side takes the best of
// 5 fits too), iters, the iterations to convergence, and GB/s, the best
// bandwidth. Skipped without KMEANSBENCH_MATRIX.
func BenchmarkLloydIterationFile(b *testing.B) {
	path := os.Getenv("KMEANSBENCH_MATRIX")
	if path == "" {
		b.Skip("KMEANSBENCH_MATRIX not set")
	}
	n, _ := strconv.Atoi(os.Getenv("KMEANSBENCH_N"))
	d, _ := strconv.Atoi(os.Getenv("KMEANSBENCH_D"))
	x := readFloats(b, path, n*d)
	init := x[:8*d]
	if p := os.Getenv("KMEANSBENCH_INIT"); p != "" {
		init = readFloats(b, p, 8*d)
	}
	p := newProblem(x, n, d, nil, 0)
	p.bounds = true
	ws := newWorkspace(p, 8, runtime.GOMAXPROCS(0))
	defer ws.close()
	best, gbs, iters := math.Inf(1), 0.0, 0
	for b.Loop() {
		gbs = max(gbs, bandwidth(x, runtime.GOMAXPROCS(0)))
		copy(ws.centers, init)
		for i := range ws.labels {
			ws.labels[i] = -1
		}
		ws.fresh = true
		var total time.Duration
		iters = 0
		for it := 1; it <= DefaultMaxIter; it++ {
			start := time.Now()
			changed, _ := ws.step()
			if it > 1 {
				total += time.Since(start)
			}
			iters = it
			if changed == 0 {
				break
			}
		}
		best = min(best, total.Seconds()*1000/float64(iters-1))
	}
	b.ReportMetric(best, "ms/iter")
	b.ReportMetric(float64(iters), "iters")
	b.ReportMetric(gbs, "GB/s")
}

// bandwidth returns the best of five read bandwidths, in GB/s, of summing x
// with the given number of goroutines (each sums a contiguous part).
func bandwidth(x []float64, workers int) float64 {
	best := 0.0
	for range 5 {
		start := time.Now()
		var wg sync.WaitGroup
		sums := make([]float64, workers)
		part := (len(x) + workers - 1) / workers
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				lo, hi := w*part, min((w+1)*part, len(x))
				var s0, s1, s2, s3 float64
				i := lo
				for ; i+4 <= hi; i += 4 {
					s0 += x[i]
					s1 += x[i+1]
					s2 += x[i+2]
					s3 += x[i+3]
				}
				for ; i < hi; i++ {
					s0 += x[i]
				}
				sums[w] = s0 + s1 + s2 + s3
			}()
		}
		wg.Wait()
		gbs := float64(8*len(x)) / time.Since(start).Seconds() / 1e9
		best = math.Max(best, gbs)
	}
	return best
}

func readFloats(b testing.TB, path string, m int) []float64 {
	raw, err := os.ReadFile(path)
	if err != nil || len(raw) < 8*m {
		b.Fatalf("%s: %v (want %d floats)", path, err, m)
	}
	x := make([]float64, m)
	for i := range x {
		x[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return x
}
