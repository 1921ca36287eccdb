// Command kmeansbench is the Go half of bench/run.sh: it writes the shared
// benchmark matrix, and times package cluster on it the way
// bench/sklearn_bench.py times scikit-learn, printing one JSON object. (The
// Lloyd iterations are timed directly by BenchmarkLloydIterationFile in
// package cluster, which run.sh runs too.)
package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/segment-tool/segment/cluster"
)

func main() {
	var (
		mode    = flag.String("mode", "go", "gen: write the matrix; go: time package cluster")
		path    = flag.String("matrix", "matrix.bin", "matrix file (float64, little-endian, row-major)")
		n       = flag.Int("n", 1000000, "rows")
		d       = flag.Int("d", 12, "columns")
		workers = flag.Int("workers", 2, "goroutines")
		profile = flag.String("cpuprofile", "", "write a CPU profile of -mode go to this file")
	)
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	var err error
	switch *mode {
	case "gen":
		err = writeMatrix(*path, *n, *d)
	case "go":
		err = timeGo(*path, *n, *d, *workers)
	default:
		err = fmt.Errorf("unknown -mode %q", *mode)
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "kmeansbench:", err)
		os.Exit(1)
	}
}

// writeMatrix writes n rows around 8 overlapping Gaussian centres (seeded),
// so that Lloyd needs many iterations, as on real customer features.
func writeMatrix(path string, n, d int) error {
	rng := rand.New(rand.NewPCG(2024, 11))
	const k = 8
	centres := make([]float64, k*d)
	for i := range centres {
		centres[i] = 6 * rng.Float64()
	}
	buf := make([]byte, 8*n*d)
	for i := range n {
		c := rng.IntN(k)
		for j := range d {
			v := centres[c*d+j] + 1.5*rng.NormFloat64()
			binary.LittleEndian.PutUint64(buf[8*(i*d+j):], math.Float64bits(v))
		}
	}
	return os.WriteFile(path, buf, 0o644)
}

// readMatrix reads the matrix in 1 MB pieces, so that the peak memory
// measured afterwards is the matrix's, not twice it.
func readMatrix(path string, n, d int) ([]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	x := make([]float64, n*d)
	buf := make([]byte, 1<<20)
	for i := 0; i < len(x); {
		m := min(len(buf), 8*(len(x)-i))
		if _, err := io.ReadFull(f, buf[:m]); err != nil {
			return nil, fmt.Errorf("%s: %w (want %d rows × %d)", path, err, n, d)
		}
		for j := 0; j < m; j += 8 {
			x[i] = math.Float64frombits(binary.LittleEndian.Uint64(buf[j:]))
			i++
		}
	}
	return x, nil
}

type result struct {
	Tool            string             `json:"tool"`
	IterCount       int                `json:"iter_count"`   // iterations of the longer timing fit
	IterRowsMS      float64            `json:"iter_rows_ms"` // the same from the first 8 rows
	IterRowsCount   int                `json:"iter_rows_count"`
	FitS            float64            `json:"fit_s"`
	FitInertia      float64            `json:"fit_inertia"`
	SweepS          float64            `json:"sweep_s"`
	SweepInertia    map[string]float64 `json:"sweep_inertia"`
	SweepSampled    int                `json:"sweep_sampled"`
	SweepMBS        float64            `json:"sweep_minibatch_s"`
	SweepMBInertia  map[string]float64 `json:"sweep_minibatch_inertia"`
	PeakRSSMB       float64            `json:"peak_rss_mb"`
	FitAllocMB      float64            `json:"fit_alloc_mb"` // bytes the 10-restart fit allocated, in MB
	BaselineRSSMB   float64            `json:"baseline_rss_mb"`
	MatrixMB        float64            `json:"matrix_mb"`
	SilhouetteS     float64            `json:"silhouette_s"`
	GoVersion       string             `json:"go_version"`
	Workers         int                `json:"workers"`
	IterationsOfFit int                `json:"iterations_of_fit"`
}

func timeGo(path string, n, d, workers int) error {
	x, err := readMatrix(path, n, d)
	if err != nil {
		return err
	}
	runtime.GC()
	r := result{Tool: "segment/cluster", GoVersion: runtime.Version(), Workers: workers, MatrixMB: float64(8*n*d) / 1e6,
		SweepInertia: map[string]float64{}, SweepMBInertia: map[string]float64{}}
	r.BaselineRSSMB = rssMB("VmRSS")
	ctx := context.Background()

	sweepOnly := os.Getenv("KMEANSBENCH_SWEEP_ONLY") != ""

	if sweepOnly {
		if err := sweeps(ctx, x, n, d, workers, &r); err != nil {
			return err
		}
		return json.NewEncoder(os.Stdout).Encode(r)
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	fit, err := cluster.KMeans{K: 8, Restarts: 10, Seed: 1, Workers: workers}.Fit(ctx, x, n, d, nil)
	if err != nil {
		return err
	}
	r.FitS, r.FitInertia, r.IterationsOfFit = time.Since(start).Seconds(), fit.Inertia, fit.Iterations
	runtime.ReadMemStats(&after)
	r.FitAllocMB = float64(after.TotalAlloc-before.TotalAlloc) / 1e6
	r.PeakRSSMB = rssMB("VmHWM")
	if os.Getenv("KMEANSBENCH_FIT_ONLY") != "" {
		return json.NewEncoder(os.Stdout).Encode(r)
	}

	if err := sweeps(ctx, x, n, d, workers, &r); err != nil {
		return err
	}
	start = time.Now()
	cluster.Silhouette(x, n, d, fit.Labels, fit.K, 10000, 1)
	r.SilhouetteS = time.Since(start).Seconds()
	return json.NewEncoder(os.Stdout).Encode(r)
}

// sweeps times the elbow sweep k = 2..12 with 3 restarts, refined on all
// rows by Lloyd's algorithm and by mini-batch k-means.
func sweeps(ctx context.Context, x []float64, n, d, workers int, r *result) error {
	// The elbow sweep as segment runs it (cluster.Elbow, sampling above
	// DefaultSampleSize rows, then refining on all rows by Lloyd's
	// algorithm), without the per-k metrics, which scikit-learn's loop
	// does not compute either.
	start := time.Now()
	e := cluster.Elbow{KMin: 2, KMax: 12, KMeans: cluster.KMeans{Restarts: 3, Seed: 1, Workers: workers}, SkipMetrics: true,
		MiniBatchRows: -1}
	sw, err := e.Sweep(ctx, x, n, d, nil)
	if err != nil {
		return err
	}
	r.SweepS = time.Since(start).Seconds()
	for i, k := range sw.Ks {
		r.SweepInertia[strconv.Itoa(k)] = sw.Inertia[i]
	}
	r.SweepSampled = sw.Sampled

	// The same sweep with the refinement on all rows done by mini-batch
	// k-means, as segment does above Elbow.MiniBatchRows rows: its time
	// and its inertia against the Lloyd-refined sweep measure the trade.
	e.MiniBatchRows = 1
	start = time.Now()
	mb, err := e.Sweep(ctx, x, n, d, nil)
	if err != nil {
		return err
	}
	r.SweepMBS = time.Since(start).Seconds()
	for i, k := range mb.Ks {
		r.SweepMBInertia[strconv.Itoa(k)] = mb.Inertia[i]
	}
	return nil
}

// rssMB reads a memory line (VmRSS, VmHWM) of /proc/self/status in MB.
func rssMB(field string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1000
		}
	}
	return 0
}
