package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/segment-tool/segment/data"
)

// orderRow is an order line as withRejects writes it.
type orderRow struct {
	CustomerID string  `parquet:"customer_id"`
	OrderID    string  `parquet:"order_id"`
	Time       int64   `parquet:"time,timestamp(nanosecond)"`
	ProductID  string  `parquet:"product_id"`
	Category   string  `parquet:"category"`
	Coupon     string  `parquet:"coupon"`
	Status     string  `parquet:"status"`
	City       string  `parquet:"city"`
	Country    string  `parquet:"country"`
	Channel    string  `parquet:"channel"`
	Quantity   float64 `parquet:"quantity"`
	Amount     float64 `parquet:"amount"`
	Discount   float64 `parquet:"discount"`
}

// rejectsCSV holds lines rejected for several reasons (their amounts known
// or not) and one line used.
const rejectsCSV = `customer_id,order_id,time,amount
c-x1,o-x1,,10
c-x2,,2024-01-01 00:00:00,7.25
c-x3,o-x3,2024-01-01 00:00:00,
c-x4,o-x4,2300-01-01 00:00:00,5
c-x5,o-x5,2025-01-01 10:00:00,12.5
`

// withRejects writes the lines of the order file orders into a folder of
// two Parquet files, in row groups of 500 lines, with lines spoiled so
// that they are rejected (no customer, an amount out of range, a
// customer_id that is not UTF-8) and lines repeated (within the second
// file, and from the first file in the second), and a CSV file of more
// rejected lines (rejectsCSV), and returns the folder.
func withRejects(t *testing.T, orders string) string {
	t.Helper()
	rows := readOrderRows(t, orders)
	for i := range rows {
		switch {
		case i%97 == 5:
			rows[i].CustomerID = ""
		case i%89 == 7:
			rows[i].Amount = 3e12
		case i%101 == 3:
			rows[i].CustomerID = "\xff" + rows[i].CustomerID
		}
	}
	dir := filepath.Join(t.TempDir(), "orders")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	half := len(rows) / 2
	// Lines written twice, counted as repeated (duplicates kept): copies
	// of the first file's lines at the end of the second file, and one
	// beside its original.
	second := append([]orderRow{}, rows[half:]...)
	for i := 0; i < half; i += 53 {
		second = append(second, rows[i])
	}
	second = slices.Insert(second, 10, second[9])
	for k, part := range [][]orderRow{rows[:half], second} {
		writeRowGroups(t, filepath.Join(dir, fmt.Sprintf("orders-%d.parquet", k)), part, 500)
	}
	if err := os.WriteFile(filepath.Join(dir, "orders-x.csv"), []byte(rejectsCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// readOrderRows reads the lines of the order file orders as orderRows.
func readOrderRows(t *testing.T, orders string) []orderRow {
	t.Helper()
	var rows []orderRow
	_, err := data.ReadOrders(context.Background(), data.OrderSource{Path: orders}, func(b []data.OrderLine) error {
		for _, l := range b {
			rows = append(rows, orderRow{l.CustomerID, l.OrderID, l.Time.UnixNano(), l.ProductID, l.Category, l.Coupon,
				l.Status, l.City, l.Country, l.Channel, l.Quantity, l.Amount, l.Discount})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// writeRowGroups writes rows to the Parquet file path, in row groups of
// rowGroup rows.
func writeRowGroups[T any](t *testing.T, path string, rows []T, rowGroup int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[T](f, parquet.MaxRowsPerRowGroup(rowGroup))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
