package data

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/canceltest"
)

// TestReadCancel cancels the readers part-way through, with a context that
// cancels itself at its fourth check: each stops with context.Canceled
// before the end of its input.
func TestReadCancel(t *testing.T) {
	dir := t.TempDir()
	const lines = 50000
	var b strings.Builder
	b.WriteString("order_id,customer_id,time,quantity,unit_price\n")
	for i := range lines {
		fmt.Fprintf(&b, "O%d,C%d,2024-06-01 10:00:00,1,%d.50\n", i, i%5000, 1+i%90)
	}
	ordersCSV := writeFile(t, dir, "orders.csv", b.String())
	store := filepath.Join(dir, "store")
	if err := WriteGeneratedStore(context.Background(), store, GenOptions{Customers: 2000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	ordersParquet := filepath.Join(store, "orders.parquet")

	for _, tc := range []struct {
		name string
		read func(ctx context.Context) (done bool, err error) // done: the whole input was read
	}{
		{"orders csv", ordersReader(ordersCSV)},
		{"orders parquet", ordersReader(ordersParquet)},
		{"table csv", tableReader(ordersCSV)},
		{"table parquet", tableReader(ordersParquet)},
		{"checksum", func(ctx context.Context) (bool, error) {
			_, err := fileSHA256(ctx, ordersCSV)
			return err == nil, err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if done, err := tc.read(context.Background()); err != nil || !done {
				t.Fatalf("uncancelled: done %v, error %v", done, err)
			}
			ctx := canceltest.AfterChecks(3)
			defer ctx.Cancel()
			done, err := tc.read(ctx)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error %v, want context.Canceled", err)
			}
			if done {
				t.Errorf("read to the end after the cancellation (%d checks)", ctx.Checks())
			}
		})
	}
}

// ordersReader reads the order lines at path; done when every line
// reached the callback.
func ordersReader(path string) func(ctx context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		var n int64
		stats, err := ReadOrders(ctx, OrderSource{Path: path}, func(batch []OrderLine) error {
			n += int64(len(batch))
			return nil
		})
		return err == nil && n == stats.RowsRead && n > 0, err
	}
}

// tableReader reads the table at path; done when it returns one.
func tableReader(path string) func(ctx context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		tab, err := ReadTable(ctx, path)
		return tab != nil, err
	}
}
