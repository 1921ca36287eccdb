package data

import (
	"fmt"
	"maps"
	"path/filepath"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// TestReadOrdersReturnConventions checks how a line's signs and status
// make it a purchase, a return of its own (Amount made negative) or a
// purchase returned in place, and that a negative discount is read as its
// magnitude and counted.
func TestReadOrdersReturnConventions(t *testing.T) {
	text := "order_id,customer_id,time,quantity,unit_price,amount,discount,status\n" +
		"O1,C1,2024-01-02,2,5,10,,complete\n" + // a purchase
		"O2,C1,2024-01-03,-1,5,-5,,\n" + // a return line, signs as written
		"O3,C1,2024-01-04,-1,5,5,,\n" + // a refund export: quantity -1, amount written positive
		"C4,C1,2024-01-05,1,5,5,,\n" + // a cancellation invoice by its id
		"O5,C1,2024-01-06,1,5,5,,refunded\n" + // a purchase its status marks returned
		"O6,C1,2024-01-07,1,5,-5,,refunded\n" + // a refund line marked by status
		"O7,C1,2024-01-08,1,5,4,-1,complete\n" + // a discount written negative
		"O8,C1,2024-01-09,3,5,12,3,complete\n"
	path := writeFile(t, t.TempDir(), "orders.csv", text)
	lines, rejects, stats, err := readAll(t, OrderSource{Path: path, CancelPrefix: "C", ReturnStatus: []string{"Refunded"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rejects) != 0 || len(lines) != 8 {
		t.Fatalf("%d lines, rejects %v", len(lines), rejects)
	}
	want := []struct {
		amount, discount  float64
		returned, inPlace bool
	}{
		{10, 0, false, false},
		{-5, 0, true, false},
		{-5, 0, true, false},
		{-5, 0, true, false},
		{5, 0, true, true},
		{-5, 0, true, false},
		{4, 1, false, false},
		{12, 3, false, false},
	}
	for i, w := range want {
		l := lines[i]
		if l.Amount != w.amount || l.Discount != w.discount || l.Returned != w.returned || l.ReturnedInPlace != w.inPlace {
			t.Errorf("line %s: amount %v discount %v returned %v in place %v, want %v %v %v %v",
				l.OrderID, l.Amount, l.Discount, l.Returned, l.ReturnedInPlace, w.amount, w.discount, w.returned, w.inPlace)
		}
	}
	if stats.NegativeDiscounts != 1 {
		t.Errorf("NegativeDiscounts = %d, want 1", stats.NegativeDiscounts)
	}
}

// TestReadOrdersNegativeDiscountAmount checks that without an amount column
// a negative discount still lowers the line's amount: 2 × 5 − |−1| = 9.
func TestReadOrdersNegativeDiscountAmount(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", "order_id,customer_id,time,quantity,unit_price,discount\nO1,C1,2024-01-02,2,5,-1\nO2,C1,2024-01-03,1,5,1\n")
	lines, _, stats, err := readAll(t, OrderSource{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[0].Amount != 9 || lines[0].Discount != 1 || lines[1].Amount != 4 {
		t.Fatalf("lines %+v: want amounts 9 and 4, discount 1", lines)
	}
	if stats.NegativeDiscounts != 1 {
		t.Errorf("NegativeDiscounts = %d, want 1", stats.NegativeDiscounts)
	}
}

// TestReadOrdersStatusOnFirstLine: an order's status written on its first
// line only (Shopify's Financial Status) holds for the lines right after
// it of the same customer and order, within a piece (a CSV file, a
// Parquet row group); a line of another order, or of the same order
// elsewhere, keeps its own.
func TestReadOrdersStatusOnFirstLine(t *testing.T) {
	type row struct{ cust, order, status string }
	rows := []row{
		{"ann", "#1", "refunded"}, {"ann", "#1", ""}, {"ann", "#1", ""}, // refunded whole
		{"ann", "#2", "paid"}, {"ann", "#2", ""}, // paid
		{"bob", "#3", "voided"}, {"ann", "#4", ""}, // another customer's order after a voided one
		{"bob", "#5", ""}, {"bob", "#5", "refunded"}, // a status after the first line: the first keeps none
	}
	inPlace := []bool{true, true, true, false, false, true, false, false, true}
	check := func(t *testing.T, path string) {
		lines, rejects, _, err := readAll(t, OrderSource{Path: path, ReturnStatus: []string{"refunded", "voided"}})
		if err != nil || len(rejects) != 0 || len(lines) != len(rows) {
			t.Fatalf("%d lines, rejects %v, error %v", len(lines), rejects, err)
		}
		for i, l := range lines {
			if l.ReturnedInPlace != inPlace[i] || l.Returned != inPlace[i] {
				t.Errorf("line %d (%s %s): returned %v in place %v, want %v", i+1, l.CustomerID, l.OrderID, l.Returned, l.ReturnedInPlace, inPlace[i])
			}
		}
	}
	text := "customer_id,order_id,time,amount,status\n"
	for _, r := range rows {
		text += r.cust + "," + r.order + ",2024-01-02," + "10," + r.status + "\n"
	}
	dir := t.TempDir()
	t.Run("csv", func(t *testing.T) { check(t, writeFile(t, dir, "orders.csv", text)) })
	t.Run("parquet", func(t *testing.T) {
		path := filepath.Join(dir, "orders.parquet")
		writeFixture(t, path, len(rows), []fixCol{
			{"customer_id", parquet.String(), func(i int) parquet.Value { return strVal(rows[i].cust) }},
			{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(rows[i].order) }},
			{"time", parquet.Timestamp(parquet.Microsecond), func(int) parquet.Value { return i64Val(1704153600000000) }},
			{"amount", parquet.Leaf(parquet.DoubleType), func(int) parquet.Value { return f64Val(10) }},
			{"status", parquet.String(), func(i int) parquet.Value { return strVal(rows[i].status) }},
		})
		check(t, path)
	})
	t.Run("row groups", func(t *testing.T) {
		// #1's lines across two row groups: the second group's first line
		// does not see the first group's.
		path := filepath.Join(dir, "groups.parquet")
		writeFixture(t, path, 2, []fixCol{
			{"customer_id", parquet.String(), func(int) parquet.Value { return strVal("ann") }},
			{"order_id", parquet.String(), func(int) parquet.Value { return strVal("#1") }},
			{"time", parquet.Timestamp(parquet.Microsecond), func(int) parquet.Value { return i64Val(1704153600000000) }},
			{"amount", parquet.Leaf(parquet.DoubleType), func(int) parquet.Value { return f64Val(10) }},
			{"status", parquet.String(), func(i int) parquet.Value { return strVal([]string{"refunded", ""}[i]) }},
		}, parquet.MaxRowsPerRowGroup(1))
		if n := len(fixtureMeta(t, path).RowGroups); n != 2 {
			t.Fatalf("%d row groups, want 2", n)
		}
		lines, _, _, err := readAll(t, OrderSource{Path: path, ReturnStatus: []string{"refunded"}})
		if err != nil || len(lines) != 2 || !lines[0].ReturnedInPlace || lines[1].Returned {
			t.Errorf("lines %+v, error %v: want the first returned, the second not", lines, err)
		}
	})
}

// TestReadOrdersCustomerOnFirstLine: an export that writes an order's
// customer on its first line only: the order's other lines, right after
// it, are that customer's; a line without a customer after a line of
// another order is still rejected, as is one in the next file.
func TestReadOrdersCustomerOnFirstLine(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.csv", "Name,Email,Created at,Lineitem quantity,Lineitem price\n"+
		"#1001,ann@example.com,2024-03-05 10:00:00,1,10\n"+
		"#1001,,2024-03-05 10:00:00,2,5\n"+
		"#1001,,2024-03-05 10:00:00,1,3\n"+
		"#1002,bob@example.com,2024-03-06 10:00:00,1,7\n"+
		"#1003,,2024-03-07 10:00:00,1,9\n"+ // no customer, another order
		"#1004,cy@example.com,2024-03-08 10:00:00,1,4\n")
	writeFile(t, dir, "b.csv", "Name,Email,Created at,Lineitem quantity,Lineitem price\n"+
		"#1004,,2024-03-08 10:00:00,1,6\n") // the order's line in another file: not carried
	cols := OrderColumns{CustomerID: "Email", OrderID: "Name", Time: "Created at", Quantity: "Lineitem quantity", UnitPrice: "Lineitem price"}
	lines, rejects, _, err := readAll(t, OrderSource{Path: filepath.Join(dir, "*.csv"), Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	spend := map[string]float64{}
	for _, l := range lines {
		spend[l.CustomerID] += l.Amount
	}
	if want := map[string]float64{"ann@example.com": 23, "bob@example.com": 7, "cy@example.com": 4}; !maps.Equal(spend, want) {
		t.Errorf("spend by customer %v, want %v", spend, want)
	}
	if len(rejects) != 2 || rejects[0].Reason != "missing customer_id" || rejects[0].Row != 5 || rejects[1].Row != 1 {
		t.Errorf("rejects %+v, want row 5 of a.csv and row 1 of b.csv, missing customer_id", rejects)
	}
}

// TestReadOrdersTotalsRow: a row an export adds to sum the rows above it
// is rejected as a totals row, and its money is not revenue excluded; a
// row without a customer that is no such row is still money lost.
func TestReadOrdersTotalsRow(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", "order_id,time,customer_id,product_id,amount\n"+
		"A1,2024-01-05,C1,p1,10\n"+
		"A2,2024-01-06,,p2,4\n"+
		"Grand Total:,,,,14\n"+
		"A3,2024-01-07,C3,p1,5\n"+
		"A3,2024-01-07,,Subtotal,5\n") // within an order: not the order's line, its customer not borrowed
	lines, rejects, st, err := readAll(t, OrderSource{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || len(rejects) != 3 || rejects[0].Reason != "missing customer_id" || rejects[1].Reason != ReasonTotalsRow || rejects[2].Reason != ReasonTotalsRow {
		t.Errorf("%d lines, rejects %+v; want 2 lines, and missing customer_id, then two %s", len(lines), rejects, ReasonTotalsRow)
	}
	if st.RevenueExcluded != 4 {
		t.Errorf("revenue excluded %v, want 4 (the totals rows' money not counted)", st.RevenueExcluded)
	}
}

// TestReadOrdersCustomerNotAcrossRowGroups: a Parquet row group is a
// piece of its own, as a scale-out run reads it: a line without a customer
// at the start of a row group does not take the customer of the last line
// of the group before, even of its order; within a group it does.
func TestReadOrdersCustomerNotAcrossRowGroups(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.parquet")
	t0 := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	// Orders of two lines (rows 2k and 2k+1), the customer on the first
	// only; row groups of 3 rows, so order 1's second line (row 3) opens
	// the second group.
	writeFixture(t, path, 8, []fixCol{
		{"customer_id", parquet.Optional(parquet.String()), func(i int) parquet.Value {
			if i%2 == 1 {
				return parquet.NullValue()
			}
			return parquet.ValueOf(fmt.Sprintf("c%d@example.com", i/2))
		}},
		{"order_id", parquet.String(), func(i int) parquet.Value { return parquet.ValueOf(fmt.Sprintf("#%d", i/2)) }},
		{"time", parquet.Timestamp(parquet.Microsecond), func(i int) parquet.Value { return parquet.ValueOf(t0.UnixMicro()) }},
		{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return parquet.ValueOf(1.0) }},
	}, parquet.MaxRowsPerRowGroup(3))
	lines, rejects, _, err := readAll(t, OrderSource{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 7 || len(rejects) != 1 || rejects[0].Row != 4 || rejects[0].Reason != "missing customer_id" {
		t.Errorf("%d lines, rejects %+v; want 7 lines and row 4 rejected as missing customer_id", len(lines), rejects)
	}
}
