package data

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// benchOrdersAs writes an orders file of n lines shaped like the
// synthetic store's (string ids, TIMESTAMP(µs), int quantity, float price
// and discount, low-cardinality category and coupon) as format, "parquet"
// or "csv", and returns its path.
func benchOrdersAs(b *testing.B, n int, format string) string {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	orderIDs, custIDs, cats, coupons := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	times := make([]time.Time, n)
	qty := make([]int64, n)
	price, disc := make([]float64, n), make([]float64, n)
	categories := []string{"apparel", "home", "beauty", "electronics", "grocery", "sports", "books", "garden"}
	for i := range n {
		orderIDs[i] = fmt.Sprintf("O%08d", i/3)
		custIDs[i] = fmt.Sprintf("C%07d", rng.IntN(n/10+1))
		times[i] = t0.Add(time.Duration(i) * time.Second)
		cats[i] = categories[rng.IntN(len(categories))]
		if rng.IntN(10) == 0 {
			coupons[i] = "SAVE10"
		}
		qty[i] = int64(1 + rng.IntN(3))
		price[i] = float64(rng.IntN(10000)) / 100
		disc[i] = float64(rng.IntN(200)) / 100
	}
	t := &Table{Columns: []Column{
		{Name: "order_id", Kind: KindString, Strings: orderIDs},
		{Name: "customer_id", Kind: KindString, Strings: custIDs},
		{Name: "time", Kind: KindTime, Times: times},
		{Name: "category", Kind: KindString, Strings: cats},
		{Name: "quantity", Kind: KindInt64, Ints: qty},
		{Name: "unit_price", Kind: KindFloat64, Floats: price},
		{Name: "discount", Kind: KindFloat64, Floats: disc},
		{Name: "coupon", Kind: KindString, Strings: coupons},
	}}
	path := filepath.Join(b.TempDir(), "orders."+format)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	write := WriteParquet
	if format == "csv" {
		write = WriteCSV
	}
	if err := write(f, t); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkReadOrdersParquet reads an orders file by row group and page
// with a column projection; bytes/s is of the compressed file, lines/s is
// reported as a metric.
func BenchmarkReadOrdersParquet(b *testing.B) { benchReadOrders(b, "parquet") }

// BenchmarkReadOrdersCSV reads benchOrders' lines from a CSV file.
func BenchmarkReadOrdersCSV(b *testing.B) { benchReadOrders(b, "csv") }

func benchReadOrders(b *testing.B, format string) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			path := benchOrdersAs(b, n, format)
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.Size())
			src := OrderSource{Path: path, Columns: DefaultOrderColumns()}
			var rs ReadStats
			for b.Loop() {
				var err error
				rs, err = ReadOrders(context.Background(), src, func([]OrderLine) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
			if rs.RowsRead != int64(n) { // the generator's lines, some rejected
				b.Fatalf("read %d rows, want %d", rs.RowsRead, n)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}
