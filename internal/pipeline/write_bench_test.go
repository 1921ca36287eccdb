package pipeline

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/arrowio"
)

// benchResult runs the stages, k = 8, on the orders of a generated store
// of n customers (seed 1), as `segment run -k 8 -orders …` does. With
// SEGMENT_BENCH_ORDERS set it reads that orders file instead (a store
// made once with `segment gen`).
func benchResult(b *testing.B, n int) *Result {
	b.Helper()
	orders := os.Getenv("SEGMENT_BENCH_ORDERS")
	if orders == "" {
		dir := b.TempDir()
		if err := data.WriteGeneratedStore(context.Background(), dir, data.GenOptions{Customers: n, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		orders = filepath.Join(dir, "orders.parquet")
	}
	o := DefaultOptions()
	o.Out = filepath.Join(b.TempDir(), "out")
	o.K, o.Orders = 8, orders
	o.Log = o.logger()
	ctx := context.Background()
	in, err := AggregateOrders(ctx, &o, func(data.Reject) {})
	if err != nil {
		b.Fatal(err)
	}
	r, err := analyse(ctx, &o, in, nil, &timer{})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkWriteOutputs writes the outputs of a run on 100,000 generated
// customers: each kind of file alone, then the whole output stage
// (WriteOutputs, its files written concurrently). Bytes are those of the
// file written.
func BenchmarkWriteOutputs(b *testing.B) {
	n := 100_000
	if s := os.Getenv("SEGMENT_BENCH_CUSTOMERS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	r := benchResult(b, n)
	t := r.assignments()
	for _, bc := range []struct {
		name  string
		write func(w io.Writer) error
	}{
		{"assignments.parquet", func(w io.Writer) error { return data.WriteParquet(w, t) }},
		{"assignments.csv", func(w io.Writer) error { return data.WriteCSV(w, t) }},
		{"assignments.arrow", func(w io.Writer) error { return arrowio.Write(w, t) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var c countWriter
			cpu := processCPU()
			for b.Loop() {
				c = 0
				if err := bc.write(&c); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
			b.SetBytes(int64(c))
		})
	}
	b.Run("plots", func(b *testing.B) {
		dir := b.TempDir()
		cpu := processCPU()
		for b.Loop() {
			if _, err := r.writePlots(context.Background(), dir); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
	b.Run("all", func(b *testing.B) {
		// A new directory each time, as a run's staging directory: writing
		// over the files of the previous loop would time the freeing of
		// their blocks too.
		tmp := b.TempDir()
		cpu := processCPU()
		i := 0
		for b.Loop() {
			i++
			dir := filepath.Join(tmp, strconv.Itoa(i))
			if err := os.Mkdir(dir, 0o755); err != nil {
				b.Fatal(err)
			}
			if _, err := WriteOutputs(context.Background(), dir, r); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
}

// reportCPU reports the process's CPU time since start per operation, as
// cpu-ms/op: all goroutines', the garbage collector's included.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(processCPU()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// countWriter counts the bytes written to it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}
