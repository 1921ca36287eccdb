package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/data"
)

// BenchmarkFinishBeamMemory measures the peak heap of a scale-out run's
// finish (FinishBeam, its input made as TestFinishBeamMatchesRun makes
// it, from a local run) on generated stores of two sizes, from the order
// history alone and with the customers table (prospects, the exports,
// which the caller holds whole). "input-MB" is the heap its input holds
// (the feature table, or only its header; the customers table), and
// "peak-heap-MB" the largest heap in use during the finish, both above
// the heap before the input is made, sampled every millisecond with the
// collector at GOGC 10, so that the heap stays near what is live. The
// writers' ranges (a Parquet row group holds 262,144 rows, up to three in
// memory) make most of the peak (BENCHMARKS.md). Outside CI (its stores
// take minutes to generate and run):
//
//	go test ./internal/pipeline -run '^$' -bench FinishBeamMemory -benchtime 1x
func BenchmarkFinishBeamMemory(b *testing.B) {
	for _, c := range []struct {
		n         int
		customers bool
	}{{200_000, false}, {800_000, false}, {200_000, true}, {800_000, true}} {
		n := c.n
		b.Run(fmt.Sprintf("customers=%d/table=%v", n, c.customers), func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: n, Seed: 3}); err != nil {
				b.Fatal(err)
			}
			o := DefaultOptions()
			o.Orders, o.Out, o.K, o.Restarts = filepath.Join(dir, "orders.parquet"), filepath.Join(b.TempDir(), "out"), 6, 2
			if c.customers {
				o.CustomersPath = filepath.Join(dir, "customers.parquet")
			}
			if _, err := Run(ctx, o); err != nil {
				b.Fatal(err)
			}
			defer debug.SetGCPercent(debug.SetGCPercent(10))
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			base := ms.HeapAlloc
			f := beamFinishOf(b, &o, 4)
			f.Fit = trimmedFit(f.Fit)
			var input, peak uint64
			for b.Loop() {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				input = ms.HeapAlloc - min(base, ms.HeapAlloc)
				stop, done := make(chan struct{}), sync.WaitGroup{}
				done.Add(1)
				go func() {
					defer done.Done()
					t := time.NewTicker(time.Millisecond)
					defer t.Stop()
					for {
						select {
						case <-stop:
							return
						case <-t.C:
							runtime.ReadMemStats(&ms)
							if ms.HeapAlloc > base {
								peak = max(peak, ms.HeapAlloc-base)
							}
						}
					}
				}()
				_, err := FinishBeam(ctx, b.TempDir(), &o, f)
				close(stop)
				done.Wait()
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(input)/(1<<20), "input-MB")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// trimmedFit is fit without what a fit on a sample holds per customer of
// the sample (its tables, buyers, matrix rows, labels): beamFinishOf fits
// on every buyer, which a scale-out run never does, and the finish reads
// none of those.
func trimmedFit(fit *Result) *Result {
	c := fit.Clustering
	return &Result{Options: fit.Options, Profiles: fit.Profiles, Stability: fit.Stability, Previous: fit.Previous,
		Matrix: &Matrix{Transform: fit.Matrix.Transform, Excluded: fit.Matrix.Excluded, Clipped: fit.Matrix.Clipped},
		Clustering: &Clustering{Sweep: c.Sweep, KNote: c.KNote,
			Fit: &cluster.Result{K: c.Fit.K, Iterations: c.Fit.Iterations, Converged: c.Fit.Converged, Restart: c.Fit.Restart}}}
}
