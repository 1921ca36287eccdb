package features

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestHoldout checks the calibration/holdout split on hand-built
// customers: the calibration columns stop at the day before Holdout.From,
// the holdout counts purchase days from it, and the store-wide days count
// the first and repeat purchase days of the calibration customers only.
func TestHoldout(t *testing.T) {
	zone := time.FixedZone("UTC+3", 3*3600)
	day := func(m time.Month, d, h int) time.Time { return time.Date(2024, m, d, h, 0, 0, 0, zone) }
	line := func(cust, order string, at time.Time, amount float64) data.OrderLine {
		return data.OrderLine{CustomerID: cust, OrderID: order, Time: at, Quantity: 1, Amount: amount}
	}
	lines := []data.OrderLine{
		line("b", "r0", day(2, 27, 10), -5), // the oldest line, a return: not a purchase
		line("a", "o1", day(3, 1, 9), 10),
		line("a", "o2", day(3, 1, 22), 5), // same day: one transaction
		line("a", "o3", day(3, 3, 1), 20),
		line("a", "o3", day(3, 3, 2), 2.5),
		line("a", "r1", day(3, 10, 12), -4), // a return: not a purchase
		// 23:30 UTC on the 14th is 02:30 on the 15th in the store's zone:
		// the first holdout day.
		line("a", "o4", time.Date(2024, 3, 14, 23, 30, 0, 0, time.UTC), 7),
		line("a", "o5", day(3, 18, 12), 8),
		line("b", "x1", day(3, 16, 10), 30), // first purchase in the holdout
		line("c", "y1", day(3, 2, 10), 12),
	}
	asOf := day(3, 20, 0)
	want := map[string][5]float64{
		// calibration days 1 and 3: repeat 22.5, age 14 − 1, span 3 − 1;
		// holdout days 15 and 18
		"a": {2, 22.5, 13, 2, 2},
		"b": {0, 0, 0, 0, 1},
		"c": {1, 0, 12, 0, 0},
	}
	wantHold := &Holdout{Days: 5, From: day(3, 15, 0), Start: day(3, 1, 0),
		First: make([]int64, 19), Repeat: make([]int64, 19)} // March 1–19
	wantHold.First[0], wantHold.First[1] = 1, 1                            // a, c
	wantHold.Repeat[2], wantHold.Repeat[14], wantHold.Repeat[17] = 1, 1, 1 // a on the 3rd, 15th and 18th
	for _, workers := range []int{1, 3} {
		tab := aggregate(t, Options{AsOf: asOf, Location: zone, PurchaseDays: true, HoldoutDays: 5, WindowDays: 7, Workers: workers}, lines)
		for id, w := range want {
			row, ok := slices.BinarySearch(tab.IDs, id)
			if !ok {
				t.Fatalf("no row for %s", id)
			}
			for k, name := range holdoutColumns {
				col := tab.Col(name)
				if col == nil {
					t.Fatalf("no column %s in %v", name, tab.Names)
				}
				if col[row] != w[k] {
					t.Errorf("workers %d: %s[%s] = %v, want %v", workers, name, id, col[row], w[k])
				}
			}
		}
		if !reflect.DeepEqual(tab.Holdout, wantHold) {
			t.Errorf("workers %d: Holdout\n%+v\nwant\n%+v", workers, tab.Holdout, wantHold)
		}
		if got := tab.Holdout.CalibrationEnd(); !got.Equal(day(3, 14, 0)) {
			t.Errorf("calibration end %v, want March 14", got)
		}
	}
	// A holdout longer than the history: no calibration customer.
	tab := aggregate(t, Options{AsOf: asOf, Location: zone, PurchaseDays: true, HoldoutDays: 60}, lines)
	if h := tab.Holdout; h == nil || !h.Start.IsZero() || h.First != nil || h.Repeat != nil {
		t.Errorf("holdout of 60 days: %+v, want no calibration days", h)
	}
	if tab := aggregate(t, Options{AsOf: asOf, PurchaseDays: true}, lines); tab.Holdout != nil || tab.Col(HoldoutPurchaseDays) != nil {
		t.Error("holdout columns without Options.HoldoutDays")
	}
	for _, o := range []Options{{PurchaseDays: true, HoldoutDays: -1}, {HoldoutDays: 5}} {
		a := NewAggregator(o)
		a.Add(lines)
		if _, err := a.Table(); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}
