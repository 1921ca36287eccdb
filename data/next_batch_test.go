package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// TestReadOrdersNextBatch: with NextBatch the callback may keep every batch
// it is given (none is filled again) and reads the lines it reads without;
// a slice too small for a batch is replaced.
func TestReadOrdersNextBatch(t *testing.T) {
	for _, name := range []string{"orders.parquet", "orders.csv"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if filepath.Ext(name) == ".parquet" {
				writeFixture(t, path, 100, orderFixture())
			} else {
				text := "customer_id,order_id,time,amount\n"
				for i := range 100 {
					text += fmt.Sprintf("C%d,O%d,2011-12-09 12:50:00,%d.5\n", i%3, i, i)
				}
				if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			want, _, _, err := readAll(t, OrderSource{Path: path, BatchSize: 7})
			if err != nil {
				t.Fatal(err)
			}
			var kept [][]OrderLine
			calls := 0
			src := OrderSource{Path: path, BatchSize: 7, NextBatch: func() []OrderLine {
				calls++
				if calls%2 == 0 {
					return nil // too small: the reader makes one
				}
				return make([]OrderLine, 0, 7)
			}}
			if _, err := ReadOrders(context.Background(), src, func(b []OrderLine) error {
				kept = append(kept, b) // kept, not copied
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if got := slices.Concat(kept...); len(want) != 100 || !reflect.DeepEqual(got, want) {
				t.Errorf("with NextBatch %d lines differ from the %d read without", len(got), len(want))
			}
			if calls != len(kept) {
				t.Errorf("NextBatch called %d times for %d batches", calls, len(kept))
			}
		})
	}
}
