package features

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestRefunded checks that money refunded on purchase lines
// (data.OrderLine.Refunded) counts as that purchase with a return line of
// the refund beside it: customers "refund" and "split" must have the same
// features, in memory and spilled, with any workers and line order. An
// order refunded in full is no purchase; a refund on an order's first line
// larger than that line (Shopify writes the order's refund there) nets the
// order, not the line; a refund larger than its order's value (one that
// holds the tax or the shipping) takes off at most that value, not the
// customer's other orders; a returned line's refund adds nothing (all its
// money is back already).
func TestRefunded(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 10, 0, 0, 0, time.UTC) }
	buy := func(id, order string, d int, cat string, amount float64) data.OrderLine {
		return data.OrderLine{CustomerID: id, OrderID: order, Time: day(d), Category: cat, Quantity: 1, UnitPrice: amount, Amount: amount}
	}
	back := func(l data.OrderLine, refund float64) data.OrderLine {
		l.Quantity, l.Amount, l.UnitPrice, l.Returned = -1, -refund, refund, true
		return l
	}
	var lines []data.OrderLine
	for _, id := range []string{"refund", "split"} {
		o1a, o1b := buy(id, "O1", 2, "Books", 100), buy(id, "O1", 2, "Toys", 50)
		o2 := buy(id, "O2", 5, "Books", 40)
		o3a, o3b := buy(id, "O3", 9, "Toys", 10), buy(id, "O3", 9, "Books", 30)
		o5 := buy(id, "O5", 15, "Books", 20)
		if id == "refund" {
			o1a.Refunded, o2.Refunded, o3a.Refunded, o5.Refunded = 30, 40, 25, 35
			returned := back(buy(id, "O4", 12, "Toys", 8), 8)
			returned.Refunded = 8 // the same money: adds nothing more
			lines = append(lines, o1a, o1b, o2, o3a, o3b, returned, o5)
			continue
		}
		lines = append(lines, o1a, o1b, back(o1a, 30), o2, back(o2, 40), o3a, o3b, back(o3a, 25), back(buy(id, "O4", 12, "Toys", 8), 8),
			o5, back(o5, 20)) // 35 refunded, 20 taken off
	}
	want := aggregate(t, Options{}, lines)
	a, _ := row(t, want, "refund")
	b, _ := row(t, want, "split")
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("refunded:\n%v\nas return lines:\n%v", a, b)
	}
	if a[Frequency] != 2 || a[Monetary] != 127 || a[ReturnRate] != 123.0/250 || a[MaxOrderValue] != 120 {
		t.Errorf("frequency %v monetary %v return_rate %v max_order_value %v, want 2, 127 (120 + 15 − the 8 of O4), 123/250, 120",
			a[Frequency], a[Monetary], a[ReturnRate], a[MaxOrderValue])
	}
	// 30 + 40 + 25 + 20 taken off, in 4 orders of each customer: the
	// split customer's return lines are returns, not refunds.
	if want.RefundOrders != 4 || want.Refunded != 115 {
		t.Errorf("RefundOrders %d, Refunded %v; want 4 and 115", want.RefundOrders, want.Refunded)
	}
	reversed := slices.Clone(lines)
	slices.Reverse(reversed)
	for _, workers := range []int{1, 2} {
		for name, in := range map[string][]data.OrderLine{"in order": lines, "reversed": reversed} {
			t.Run(fmt.Sprintf("spilled/workers %d/%s", workers, name), func(t *testing.T) {
				agg := NewAggregator(Options{Workers: workers, Spill: &Spill{Dir: t.TempDir(), Parts: 3}})
				defer agg.Close()
				agg.Add(in)
				got, err := agg.Table()
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					diffTables(t, got, want)
				}
			})
		}
	}
}
