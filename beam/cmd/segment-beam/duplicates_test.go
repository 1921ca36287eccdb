package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/pipeline"
)

// TestDuplicatesInRowGroupsOnPrism drops repeated lines (a line of every
// 40 written again right after it, and once more in the other file) from
// two Parquet files of row groups of 300 lines, with rejected lines, and
// checks every output against a local run with orders.duplicates: drop.
func TestDuplicatesInRowGroupsOnPrism(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: 500, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	var rows []orderRow
	_, err := data.ReadOrders(ctx, data.OrderSource{Path: filepath.Join(dir, "orders.parquet")}, func(b []data.OrderLine) error {
		for _, l := range b {
			rows = append(rows, orderRow{l.CustomerID, l.OrderID, l.Time.UnixNano(), l.ProductID, l.Category, l.Coupon,
				l.Status, l.City, l.Country, l.Channel, l.Quantity, l.Amount, l.Discount})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var files [2][]orderRow
	for i, r := range rows {
		k := min(2*i/len(rows), 1)
		if i%97 == 5 {
			r.CustomerID = "" // rejected before it is compared
		}
		files[k] = append(files[k], r)
		if i%40 == 9 {
			files[k] = append(files[k], r)
			files[1-k] = append(files[1-k], r)
		}
	}
	orders := filepath.Join(t.TempDir(), "orders")
	if err := os.MkdirAll(orders, 0o755); err != nil {
		t.Fatal(err)
	}
	for k, part := range files {
		f, err := os.Create(filepath.Join(orders, fmt.Sprintf("orders-%d.parquet", k)))
		if err != nil {
			t.Fatal(err)
		}
		w := parquet.NewGenericWriter[orderRow](f, parquet.MaxRowsPerRowGroup(300))
		if _, err := w.Write(part); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	o := pipeline.DefaultOptions()
	o.Orders, o.Out, o.Restarts, o.Workers, o.Duplicates = orders, filepath.Join(t.TempDir(), "local"), 3, 2, data.DropDuplicates
	m, err := pipeline.Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if m.RejectsByReason["duplicate line"] == 0 {
		t.Fatalf("rows %+v: no duplicate line dropped", m.Rows)
	}
	b := o
	b.Out = filepath.Join(t.TempDir(), "beam")
	runOnPrism(t, b)
	compareRuns(t, o.Out, b.Out)
}
