package features

import (
	"fmt"
	"testing"

	"github.com/segment-tool/segment/data"
)

// BenchmarkAggregate folds synthetic order lines (about 6 per customer:
// 1–4 orders of 1–3 lines, some returns) in batches of 8192, the data
// package's default batch size, and builds the table. Size classes up to
// about 1M lines; the lines/s metric is the one to compare with DuckDB's
// per-customer aggregation (DESIGN.md, "Anchors").
func BenchmarkAggregate(b *testing.B) {
	for _, customers := range []int{10_000, 170_000} {
		lines := synthLines(customers, 1)
		for _, window := range []int{0, 365} {
			b.Run(fmt.Sprintf("lines=%d/window=%d", len(lines), window), func(b *testing.B) {
				buf := make([]data.OrderLine, 0, 8192)
				for b.Loop() {
					a := NewAggregator(Options{WindowDays: window})
					for i := 0; i < len(lines); i += cap(buf) {
						buf = append(buf[:0], lines[i:min(i+cap(buf), len(lines))]...)
						a.Add(buf)
					}
					if _, err := a.Table(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(lines))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			})
		}
	}
}
