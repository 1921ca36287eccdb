package data

import (
	"testing"
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
