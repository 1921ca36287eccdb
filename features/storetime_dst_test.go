package features

import (
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestDaysSkippedMidnight: where a daylight-saving change skips midnight
// (Santiago, 8 September 2024: 00:00 became 01:00), an order at the start
// of that day is 2 days old at the start of the 10th, as one at midnight
// of any other day is.
func TestDaysSkippedMidnight(t *testing.T) {
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	start := data.StartOfDay(2024, time.September, 8, loc)
	if start.Hour() != 1 {
		t.Fatalf("the 8th starts at %v, want 01:00 (the zone data changed?)", start)
	}
	asOf := data.StartOfDay(2024, time.September, 10, loc)
	lines := []data.OrderLine{
		{CustomerID: "skipped", OrderID: "1", Time: start, Quantity: 1, UnitPrice: 10, Amount: 10},
		{CustomerID: "before", OrderID: "2", Time: data.StartOfDay(2024, time.September, 7, loc), Quantity: 1, UnitPrice: 10, Amount: 10},
		{CustomerID: "later", OrderID: "3", Time: start.Add(time.Hour), Quantity: 1, UnitPrice: 10, Amount: 10},
	}
	tab := aggregate(t, Options{AsOf: asOf, Location: loc}, lines)
	rec := tab.Col(RecencyDays)
	for i, id := range tab.IDs {
		want := map[string]float64{"before": 3, "skipped": 2, "later": 1}[id]
		if rec[i] != want {
			t.Errorf("%s: recency_days %v, want %v", id, rec[i], want)
		}
	}
}

// TestInterorderWallClock: two purchases at noon two days apart are 2
// days apart across New York's spring change (47 hours), as recency and
// tenure count days.
func TestInterorderWallClock(t *testing.T) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	noon := func(d int) time.Time { return time.Date(2024, time.March, d, 12, 0, 0, 0, loc) }
	lines := []data.OrderLine{
		{CustomerID: "c", OrderID: "1", Time: noon(9), Quantity: 1, UnitPrice: 10, Amount: 10},
		{CustomerID: "c", OrderID: "2", Time: noon(11), Quantity: 1, UnitPrice: 10, Amount: 10},
	}
	tab := aggregate(t, Options{AsOf: data.StartOfDay(2024, time.March, 20, loc), Location: loc}, lines)
	if got := tab.Col(MeanInterorderDays)[0]; got != 2 {
		t.Errorf("mean_interorder_days %v, want 2", got)
	}
	// In the hour the fall-back change repeats, 01:50 EDT then 01:10 EST
	// (20 minutes later) read 40 minutes back on the wall clock: 0 days.
	edt := time.Date(2024, time.November, 3, 5, 50, 0, 0, time.UTC)
	lines = []data.OrderLine{
		{CustomerID: "c", OrderID: "1", Time: edt, Quantity: 1, UnitPrice: 10, Amount: 10},
		{CustomerID: "c", OrderID: "2", Time: edt.Add(20 * time.Minute), Quantity: 1, UnitPrice: 10, Amount: 10},
	}
	tab = aggregate(t, Options{AsOf: data.StartOfDay(2024, time.November, 20, loc), Location: loc}, lines)
	if got := tab.Col(MeanInterorderDays)[0]; got != 0 {
		t.Errorf("across the repeated hour: mean_interorder_days %v, want 0", got)
	}
}
