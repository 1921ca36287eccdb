package features

import (
	"slices"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestPurchaseDays checks the buy-till-you-die statistics on a hand-built
// customer: several orders on one day count once, returns and zero-value
// orders are not purchases, days are calendar days of the store's zone,
// and the window does not apply.
func TestPurchaseDays(t *testing.T) {
	zone := time.FixedZone("UTC+3", 3*3600)
	day := func(d, h int) time.Time { return time.Date(2024, 3, d, h, 0, 0, 0, zone) }
	line := func(order string, at time.Time, amount float64) data.OrderLine {
		return data.OrderLine{CustomerID: "a", OrderID: order, Time: at, Quantity: 1, Amount: amount}
	}
	lines := []data.OrderLine{
		line("o1", day(1, 9), 10),
		line("o2", day(1, 22), 5), // same calendar day as o1: one transaction
		line("o3", day(3, 1), 20),
		line("o3", day(3, 2), 2.5),
		line("r1", day(10, 12), -4), // a return only: not a purchase
		line("z1", day(12, 12), 0),  // zero value: not a purchase
		// 23:30 UTC on the 14th is 02:30 on the 15th in the store's zone.
		line("o4", time.Date(2024, 3, 14, 23, 30, 0, 0, time.UTC), 7),
		{CustomerID: "b", OrderID: "x", Time: day(5, 10), Quantity: 1, Amount: -3}, // no purchase at all
	}
	asOf := time.Date(2024, 3, 20, 0, 0, 0, 0, zone)
	want := map[string][4]float64{
		// purchase days 1, 3, 15; repeat 22.5 + 7; T = 19 − 1; t_x = 15 − 1
		"a": {3, 29.5, 18, 14},
		"b": {0, 0, 0, 0},
	}
	for _, workers := range []int{1, 3} {
		for _, window := range []int{0, 7} {
			tab := aggregate(t, Options{AsOf: asOf, Location: zone, PurchaseDays: true, WindowDays: window, Workers: workers}, lines)
			for id, w := range want {
				row, ok := slices.BinarySearch(tab.IDs, id)
				if !ok {
					t.Fatalf("no row for %s", id)
				}
				for k, name := range []string{PurchaseDays, RepeatMonetary, FirstPurchaseAgeDays, PurchaseSpanDays} {
					col := tab.Col(name)
					if col == nil {
						t.Fatalf("no column %s in %v", name, tab.Names)
					}
					if col[row] != w[k] {
						t.Errorf("workers %d window %d: %s[%s] = %v, want %v", workers, window, name, id, col[row], w[k])
					}
				}
			}
		}
	}
	if tab := aggregate(t, Options{AsOf: asOf}, lines); tab.Col(PurchaseDays) != nil {
		t.Error("purchase_days without Options.PurchaseDays")
	}
}
