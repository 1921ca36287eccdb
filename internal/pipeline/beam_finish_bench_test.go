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

	"github.com/segment-tool/segment/data"
)

// BenchmarkFinishBeamMemory measures the peak heap of a scale-out run's
// finish (FinishBeam, its input made as TestFinishBeamMatchesRun makes
// it, from a local run) on generated stores of two sizes, with a
// customers table (prospects, the exports): "peak-heap-MB" is the
// largest heap in use above the heap before the finish, sampled every
// millisecond with the collector at GOGC 10, so that the heap stays near
// what is live. Outside CI (its stores take a minute to generate and
// run):
//
//	go test ./internal/pipeline -run '^$' -bench FinishBeamMemory -benchtime 1x
func BenchmarkFinishBeamMemory(b *testing.B) {
	for _, n := range []int{100_000, 400_000} {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: n, Seed: 3}); err != nil {
				b.Fatal(err)
			}
			o := DefaultOptions()
			o.Orders, o.CustomersPath, o.Out, o.K, o.Restarts = filepath.Join(dir, "orders.parquet"), filepath.Join(dir, "customers.parquet"), filepath.Join(b.TempDir(), "out"), 6, 2
			if _, err := Run(ctx, o); err != nil {
				b.Fatal(err)
			}
			f := beamFinishOf(b, &o, 4)
			defer debug.SetGCPercent(debug.SetGCPercent(10))
			var peak uint64
			for b.Loop() {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				base := ms.HeapAlloc
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
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}
