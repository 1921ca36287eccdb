package features

import (
	"fmt"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestOrderIndex: orders are found by customer and id, whatever else
// shares the id: two customers with the same 3,000 order ids (the index
// grows several times), lines of one order far apart, and more lines added
// after a Table (whose lists of each customer's orders are then made
// again).
func TestOrderIndex(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 3000
	var lines []data.OrderLine
	for o := range n {
		for _, c := range []string{"a", "b"} {
			lines = append(lines, data.OrderLine{CustomerID: c, OrderID: fmt.Sprint("o", o), Time: start.Add(time.Duration(o) * time.Hour),
				Quantity: 1, UnitPrice: 2, Amount: 2})
		}
	}
	for o := range n { // a second line of every order of a, far from its first
		lines = append(lines, data.OrderLine{CustomerID: "a", OrderID: fmt.Sprint("o", o), Time: start.Add(time.Duration(o) * time.Hour),
			Quantity: 1, UnitPrice: 1, Amount: 1})
	}
	o := Options{AsOf: start.AddDate(1, 0, 0), PurchaseDays: true}
	a := NewAggregator(o)
	a.Add(lines)
	check := func(want map[string][2]float64) {
		t.Helper()
		tab, err := a.Table()
		if err != nil {
			t.Fatal(err)
		}
		for id, w := range want {
			got, _ := row(t, tab, id)
			if got["frequency"] != w[0] || got["monetary"] != w[1] {
				t.Errorf("%s: frequency %v, monetary %v; want %v, %v", id, got["frequency"], got["monetary"], w[0], w[1])
			}
		}
	}
	check(map[string][2]float64{"a": {n, 3 * n}, "b": {n, 2 * n}})
	a.Add([]data.OrderLine{
		{CustomerID: "b", OrderID: "o0", Time: start, Quantity: 1, UnitPrice: 5, Amount: 5},                            // an order b has
		{CustomerID: "b", OrderID: "new", Time: start.Add(time.Hour * 24 * 200), Quantity: 1, UnitPrice: 7, Amount: 7}, // a new one
		{CustomerID: "c", OrderID: "o1", Time: start, Quantity: 1, UnitPrice: 9, Amount: 9},                            // a new customer
	})
	check(map[string][2]float64{"a": {n, 3 * n}, "b": {n + 1, 2*n + 12}, "c": {1, 9}})
}
