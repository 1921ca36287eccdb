package main

import (
	"path/filepath"
	"testing"

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
	dir := generatedStore(t, 600, 8)
	o := pipeline.DefaultOptions()
	o.Orders, o.Restarts, o.Workers = withProductGaps(t, filepath.Join(dir, "orders.parquet")), 3, 2
	o.Products = &config.Table{Path: filepath.Join(dir, "products.parquet")}
	o.Use, o.UseSet = append(o.Use, "premium_share", "new_product_share"), true
	o.TrendDays = 90
	m := readManifest(t, onPrism(t, o, nil).out)
	if m.Rows.UnmatchedProducts == 0 || len(m.Inputs) != 2 {
		t.Errorf("rows %+v, inputs %+v: want unmatched products and the products file", m.Rows, m.Inputs)
	}
}

// withProductGaps writes the lines of orders into a Parquet file of row
// groups of 400 lines, a line of every 7 without its category and one of
// every 53 with a product the products table lacks, and returns it.
func withProductGaps(t *testing.T, orders string) string {
	t.Helper()
	rows := readOrderRows(t, orders)
	for i := range rows {
		switch {
		case i%7 == 3:
			rows[i].Category = ""
		case i%53 == 5:
			rows[i].ProductID = "unknown-" + rows[i].ProductID
		}
	}
	path := filepath.Join(t.TempDir(), "orders.parquet")
	writeRowGroups(t, path, rows, 400)
	return path
}
