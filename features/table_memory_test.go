package features

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/segment-tool/segment/data"
)

// wideRow is a row of a products or customers table with a wide column
// that segment does not use.
type wideRow struct {
	ID          string `parquet:"id"`
	Category    string `parquet:"category"`
	Email       string `parquet:"email"`
	Description string `parquet:"description"`
}

// writeWideTable writes n rows in row groups of 500, each with a 4 KB
// description.
func writeWideTable(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[wideRow](f, parquet.MaxRowsPerRowGroup(500))
	pad := strings.Repeat("x", 4000)
	rows := make([]wideRow, 0, 1000)
	for i := range n {
		rows = append(rows, wideRow{ID: fmt.Sprintf("P%06d", i), Category: []string{"toys", "books"}[i%2],
			Email: fmt.Sprintf("c%d@example.com", i), Description: fmt.Sprintf("%06d%s", i, pad)})
		if len(rows) == cap(rows) || i == n-1 {
			if _, err := w.Write(rows); err != nil {
				t.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// peakHeap runs fn and returns the most live heap (as marked by a
// collection) seen while it ran, above what was live before, with the
// collector set to run after every 5 % of growth so that it marks often.
// Live, not allocated: garbage not yet swept, which grows with whatever
// earlier tests left on the heap, does not count.
func peakHeap(fn func()) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	runtime.GC()
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			peak = max(peak, read())
			select {
			case <-done:
				return
			case <-time.After(100 * time.Microsecond):
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	if peak < base {
		return 0
	}
	return peak - base
}

// TestTablesStreamed: the products and customers tables are read a row
// group at a time and keep only the columns segment uses, so their peak
// heap is a fraction of the whole table's (data.ReadTable), which holds a
// wide unused column of 80 MB.
func TestTablesStreamed(t *testing.T) {
	if testing.Short() {
		t.Skip("writes an 80 MB table")
	}
	path := filepath.Join(t.TempDir(), "wide.parquet")
	writeWideTable(t, path, 20000)
	ctx := context.Background()
	var whole any
	wholePeak := peakHeap(func() {
		tab, err := data.ReadTable(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		whole = tab
	})
	runtime.KeepAlive(whole)
	whole = nil
	var products *ProductTable
	productsPeak := peakHeap(func() {
		var err error
		if products, err = ReadProductTable(ctx, path, map[string]string{"product_id": "id"}, data.TimeFormat{}); err != nil {
			t.Fatal(err)
		}
	})
	var customers *CustomerTable
	customersPeak := peakHeap(func() {
		var err error
		if customers, err = ReadCustomerTable(ctx, path, map[string]string{"customer_id": "id"}, data.TimeFormat{}); err != nil {
			t.Fatal(err)
		}
	})
	if products.Rows != 20000 || products.Categories["P019999"] != "books" || len(customers.IDs) != 20000 {
		t.Fatalf("read %d products (P019999: %q), %d customers", products.Rows, products.Categories["P019999"], len(customers.IDs))
	}
	t.Logf("peak heap: whole table %d, products %d, customers %d", wholePeak, productsPeak, customersPeak)
	for name, peak := range map[string]uint64{"products": productsPeak, "customers": customersPeak} {
		if peak > wholePeak/4 {
			t.Errorf("%s table: peak heap %d bytes, the whole table %d: not streamed", name, peak, wholePeak)
		}
	}
}

// TestTablesStreamedRows: a duplicate id found in a later row group is
// reported with the rows of both copies, counted over the whole file.
func TestTablesStreamedRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dup.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[wideRow](f, parquet.MaxRowsPerRowGroup(4))
	var rows []wideRow
	for i := range 11 {
		id := fmt.Sprintf("P%d", i)
		if i == 9 {
			id = "P2" // row 10 repeats row 3, two row groups later
		}
		rows = append(rows, wideRow{ID: id, Category: "toys", Email: "a@b.c"})
	}
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = ReadProductTable(context.Background(), path, map[string]string{"product_id": "id"}, data.TimeFormat{})
	if err == nil || !strings.Contains(err.Error(), `product_id "P2" on rows 3 and 10`) {
		t.Errorf("products: %v", err)
	}
	_, err = ReadCustomerTable(context.Background(), path, map[string]string{"customer_id": "id"}, data.TimeFormat{})
	if err == nil || !strings.Contains(err.Error(), `customer_id "P2" on rows 3 and 10`) {
		t.Errorf("customers: %v", err)
	}
}
