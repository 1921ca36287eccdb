package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/pipeline"
)

// TestDuplicatesInRowGroupsOnPrism drops repeated lines (a line of every
// 40 written again right after it, and once more in the other file) from
// two Parquet files of row groups of 300 lines, with rejected lines, and
// checks every output against a local run with orders.duplicates: drop.
func TestDuplicatesInRowGroupsOnPrism(t *testing.T) {
	rows := readOrderRows(t, filepath.Join(generatedStore(t, 500, 9), "orders.parquet"))
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
		writeRowGroups(t, filepath.Join(orders, fmt.Sprintf("orders-%d.parquet", k)), part, 300)
	}
	o := pipeline.DefaultOptions()
	o.Orders, o.Restarts, o.Workers, o.Duplicates = orders, 3, 2, data.DropDuplicates
	if m := onPrism(t, o, nil).local; m.RejectsByReason["duplicate line"] == 0 {
		t.Fatalf("rows %+v: no duplicate line dropped", m.Rows)
	}
}

// TestExcludeOnPrism leaves out the lines of two products
// (orders.exclude.product_id, passed to segment-beam as -exclude), reads
// the amounts as cents (orders.amount_scale, -amount-scale), takes a
// refund off the lines (orders.columns.refunded, -column refunded=…: the
// discount column, read a second time) and checks every output against a
// local run with the same settings.
func TestExcludeOnPrism(t *testing.T) {
	store := generatedStore(t, 400, 5)
	rows := readOrderRows(t, filepath.Join(store, "orders.parquet"))
	o := pipeline.DefaultOptions()
	o.Orders, o.Restarts, o.Workers = filepath.Join(store, "orders.parquet"), 3, 2
	o.ExcludeProducts = []string{rows[0].ProductID, rows[len(rows)/2].ProductID}
	o.AmountScale = 0.01
	o.OrderColumns.Refunded = "discount"
	if m := onPrism(t, o, nil).local; m.RejectsByReason[data.ExcludedProduct] == 0 || m.Rows.RefundOrders == 0 {
		t.Fatalf("rows %+v: no line excluded or no refund", m.Rows)
	}
}

// TestAbsentColumnsOnPrism reads order lines without a coupon or a discount
// column (not mapped): the groups made of them (coupon_first_order,
// discount_hunter) are "not computed" on both runners, and every output
// equals a local run's.
func TestAbsentColumnsOnPrism(t *testing.T) {
	store := generatedStore(t, 300, 9)
	o := pipeline.DefaultOptions()
	o.Orders, o.Restarts, o.Workers = filepath.Join(store, "orders.parquet"), 3, 2
	o.OrderColumns.Coupon, o.OrderColumns.Discount = "", nil
	run := onPrism(t, o, nil)
	report, err := os.ReadFile(filepath.Join(run.out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(report), "\n") {
		if strings.Contains(line, "`coupon_first_order`") && !strings.Contains(line, "not computed") {
			t.Errorf("coupon_first_order without a coupon column: %s", line)
		}
	}
}
