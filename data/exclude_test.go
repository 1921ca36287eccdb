package data

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestReadOrdersExclude: lines whose status (case and surrounding spaces
// aside, and carried from
// the order's first line) or product id orders.exclude lists are
// rejected with their reason and their amount counted as excluded; the
// others are read as before.
func TestReadOrdersExclude(t *testing.T) {
	text := "customer_id,order_id,time,amount,status,product_id\n" +
		"ann,1,2024-01-02,10,Paid,A\n" +
		"ann,2,2024-01-02,20, failed  ,A\n" + // a failed payment (padded, as a CHAR column)
		"ann,2,2024-01-02,5,,B\n" + // its second line: the status is the order's
		"bob,3,2024-01-03,7,Paid,POST\n" + // postage
		"bob,4,2024-01-04,30,Paid,B\n"
	src := func(path string) OrderSource {
		return OrderSource{Path: path, ExcludeStatus: []string{"FAILED"}, ExcludeProducts: []string{"POST"}}
	}
	check := func(t *testing.T, path string) {
		lines, rejects, stats, err := readAll(t, src(path))
		if err != nil {
			t.Fatal(err)
		}
		var orders []string
		for _, l := range lines {
			orders = append(orders, l.OrderID)
		}
		if got := strings.Join(orders, " "); got != "1 4" {
			t.Errorf("orders read %q, want \"1 4\"", got)
		}
		var reasons []string
		for _, r := range rejects {
			reasons = append(reasons, r.Reason)
		}
		want := []string{ExcludedStatus, ExcludedStatus, ExcludedProduct}
		if strings.Join(reasons, "|") != strings.Join(want, "|") {
			t.Errorf("reject reasons %q, want %q", reasons, want)
		}
		if stats.RevenueExcluded != 32 || stats.PurchasesExcluded != 32 {
			t.Errorf("RevenueExcluded = %v, PurchasesExcluded = %v, want 32 and 32", stats.RevenueExcluded, stats.PurchasesExcluded)
		}
	}
	dir := t.TempDir()
	csvPath := writeFile(t, dir, "orders.csv", text)
	t.Run("csv", func(t *testing.T) { check(t, csvPath) })
	t.Run("parquet", func(t *testing.T) {
		rows := strings.Split(strings.TrimSpace(text), "\n")[1:]
		cell := func(i, j int) string { return strings.Split(rows[i], ",")[j] }
		path := filepath.Join(dir, "orders.parquet")
		writeFixture(t, path, len(rows), []fixCol{
			{"customer_id", parquet.String(), func(i int) parquet.Value { return strVal(cell(i, 0)) }},
			{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(cell(i, 1)) }},
			{"time", parquet.Timestamp(parquet.Microsecond), func(int) parquet.Value { return i64Val(1704153600000000) }},
			{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val([]float64{10, 20, 5, 7, 30}[i]) }},
			{"status", parquet.String(), func(i int) parquet.Value { return strVal(cell(i, 4)) }},
			{"product_id", parquet.String(), func(i int) parquet.Value { return strVal(cell(i, 5)) }},
		})
		check(t, path)
	})
	// The report tells these reasons apart by their start (report's
	// excludedReason).
	for _, r := range []string{ExcludedStatus, ExcludedProduct} {
		if !strings.HasPrefix(r, "excluded by orders.exclude.") {
			t.Errorf("reason %q does not start as the report expects", r)
		}
	}
	t.Run("no such column", func(t *testing.T) {
		path := writeFile(t, dir, "nostatus.csv", "customer_id,order_id,time,amount\nann,1,2024-01-02,10\n")
		_, _, _, err := readAll(t, OrderSource{Path: path, ExcludeStatus: []string{"failed"}})
		if !errors.Is(err, ErrMissingColumn) || !strings.Contains(err.Error(), "orders.exclude.status") || !strings.Contains(err.Error(), "nostatus.csv") {
			t.Errorf("error %v: want the file named and orders.exclude.status's missing column", err)
		}
	})
}

// TestReadOrdersAmountScale: money written in cents is read × 0.01,
// exactly (1234 cents are 12.34, not 12.340000000000002), the amount
// computed from the scaled unit price and discount.
func TestReadOrdersAmountScale(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "cents.csv", "customer_id,order_id,time,amount,unit_price,discount,quantity\n"+
		"ann,1,2024-01-02,1234,1300,66,1\n")
	lines, _, _, err := readAll(t, OrderSource{Path: path, AmountScale: 0.01})
	if err != nil || len(lines) != 1 {
		t.Fatalf("%d lines, error %v", len(lines), err)
	}
	if l := lines[0]; l.Amount != 12.34 || l.UnitPrice != 13 || l.Discount != 0.66 {
		t.Errorf("amount %v, unit price %v, discount %v: want 12.34, 13, 0.66", l.Amount, l.UnitPrice, l.Discount)
	}
	computed := writeFile(t, dir, "computed.csv", "customer_id,order_id,time,unit_price,discount,quantity\nann,1,2024-01-02,1300,66,2\n")
	lines, _, _, err = readAll(t, OrderSource{Path: computed, AmountScale: 0.01})
	if err != nil || len(lines) != 1 || lines[0].Amount != 25.34 {
		t.Errorf("lines %+v, error %v: want the amount 2 × 13 − 0.66 = 25.34", lines, err)
	}
}

// TestReadOrdersAmountBeforeDiscount: an amount that is a line's total
// before its discount nets the discount; a file without an amount column
// is an error, since the amount is computed.
func TestReadOrdersAmountBeforeDiscount(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "gross.csv", "customer_id,order_id,time,amount,discount\nann,1,2024-01-02,30,-5\n")
	lines, _, _, err := readAll(t, OrderSource{Path: path, AmountBeforeDiscount: true})
	if err != nil || len(lines) != 1 || lines[0].Amount != 25 || lines[0].Discount != 5 {
		t.Fatalf("lines %+v, error %v: want amount 25 (30 − 5) and discount 5", lines, err)
	}
	computed := writeFile(t, dir, "computed.csv", "customer_id,order_id,time,quantity,unit_price\nann,1,2024-01-02,1,3\n")
	if _, _, _, err := readAll(t, OrderSource{Path: computed, AmountBeforeDiscount: true}); !errors.Is(err, ErrMissingColumn) || !strings.Contains(err.Error(), "amount_before_discount") {
		t.Errorf("error %v: want amount_before_discount's missing amount column", err)
	}
}

// TestStatusIn: a status matches a listed value whatever its letter case
// and surrounding spaces (either side); a blank status matches nothing.
func TestStatusIn(t *testing.T) {
	list := []string{"refunded", " Cancelled "}
	for _, tc := range []struct {
		status string
		want   bool
	}{
		{"refunded", true}, {"REFUNDED", true}, {"refunded  ", true}, {" Refunded", true}, {"\tcancelled\n", true},
		{"refund", false}, {"re funded", false}, {"", false}, {"   ", false}, {"paid", false},
	} {
		if got := statusIn(list, tc.status); got != tc.want {
			t.Errorf("statusIn(%q) = %v, want %v", tc.status, got, tc.want)
		}
	}
	if statusIn(nil, "refunded") || statusIn([]string{""}, " ") {
		t.Error("an empty list or value matched")
	}
}
