package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// TestProductsOnPrism runs a store with its products table (-products:
// price tiers, launch times and categories joined on product_id; some
// lines without a category, which take their product's, and some with a
// product the table lacks) through segment run -runner prism's driver,
// clustering on premium_share and new_product_share too, and checks every
// output against a local run of the same options (compareRuns): the
// features, the mix categories, run.json's unmatched_products and inputs
// (the products file after the order files).
func TestProductsOnPrism(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: 600, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	o := pipeline.DefaultOptions()
	o.Orders, o.Out, o.Restarts, o.Workers = withProductGaps(t, filepath.Join(dir, "orders.parquet")), filepath.Join(t.TempDir(), "local"), 3, 2
	o.Products = &config.Table{Path: filepath.Join(dir, "products.parquet")}
	o.Use, o.UseSet = append(o.Use, "premium_share", "new_product_share"), true
	o.TrendDays = 90
	if _, err := pipeline.Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	b := o
	b.Out = filepath.Join(t.TempDir(), "beam")
	runOnPrism(t, b)
	compareRuns(t, o.Out, b.Out)
	m := readManifest(t, b.Out)
	if m.Rows.UnmatchedProducts == 0 || len(m.Inputs) != 2 {
		t.Errorf("rows %+v, inputs %+v: want unmatched products and the products file", m.Rows, m.Inputs)
	}
}

// withProductGaps writes the lines of orders into a Parquet file of row
// groups of 400 lines, a line of every 7 without its category and one of
// every 53 with a product the products table lacks, and returns it.
func withProductGaps(t *testing.T, orders string) string {
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
	for i := range rows {
		switch {
		case i%7 == 3:
			rows[i].Category = ""
		case i%53 == 5:
			rows[i].ProductID = "unknown-" + rows[i].ProductID
		}
	}
	path := filepath.Join(t.TempDir(), "orders.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[orderRow](f, parquet.MaxRowsPerRowGroup(400))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
