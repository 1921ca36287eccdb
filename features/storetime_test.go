package features

import (
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

func newYork(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	return loc
}

// TestStoreTimeAsOf: the default as_of is midnight in the store's zone after
// the newest line's store-time date, whatever zone the line's time carries,
// and recency and tenure count store-time days up to it.
func TestStoreTimeAsOf(t *testing.T) {
	ny := newYork(t)
	// 2017-12-31 22:47 in New York is 2018-01-01 03:47 UTC: a UTC calendar
	// would put as_of at 2018-01-02.
	last := time.Date(2017, 12, 31, 22, 47, 0, 0, ny)
	first := time.Date(2017, 12, 1, 9, 0, 0, 0, ny)
	for _, c := range []struct {
		name string
		zone *time.Location // the zone the line times are written in
	}{
		{"times in store time", ny},
		{"times in UTC", time.UTC},
	} {
		t.Run(c.name, func(t *testing.T) {
			lines := []data.OrderLine{
				{CustomerID: "a", OrderID: "1", Time: first.In(c.zone), Amount: 10, Quantity: 1},
				{CustomerID: "a", OrderID: "2", Time: last.In(c.zone), Amount: 20, Quantity: 1},
			}
			tab := aggregate(t, Options{Location: ny}, lines)
			want := time.Date(2018, 1, 1, 0, 0, 0, 0, ny)
			if !tab.AsOf.Equal(want) || tab.AsOf.Format(time.DateOnly) != "2018-01-01" {
				t.Errorf("AsOf = %v, want %v", tab.AsOf, want)
			}
			got, _ := row(t, tab, "a")
			// 1 h 13 min before as_of; 30 days and 15 h after 1 December 09:00.
			if got[RecencyDays] != 0 || got[TenureDays] != 30 || tab.LinesAfterAsOf != 0 {
				t.Errorf("recency, tenure, after as_of = %v, %v, %d; want 0, 30, 0", got[RecencyDays], got[TenureDays], tab.LinesAfterAsOf)
			}
		})
	}

	// Without a Location the calendar is UTC: the same order is a 1 January
	// order (UTC), as_of 2018-01-02 UTC.
	tab := aggregate(t, Options{}, []data.OrderLine{{CustomerID: "a", OrderID: "2", Time: last, Amount: 20, Quantity: 1}})
	if want := time.Date(2018, 1, 2, 0, 0, 0, 0, time.UTC); !tab.AsOf.Equal(want) {
		t.Errorf("UTC: AsOf = %v, want %v", tab.AsOf, want)
	}
}

// TestStoreTimeExplicitAsOf: with an explicit as_of at store midnight, the
// evening before counts and lines from midnight on are counted apart.
func TestStoreTimeExplicitAsOf(t *testing.T) {
	ny := newYork(t)
	asOf := time.Date(2018, 1, 1, 0, 0, 0, 0, ny)
	lines := []data.OrderLine{
		{CustomerID: "a", OrderID: "1", Time: time.Date(2017, 12, 31, 22, 47, 0, 0, time.UTC).Add(5 * time.Hour), Amount: 20},
		{CustomerID: "a", OrderID: "2", Time: asOf, Amount: 5},                          // at as_of
		{CustomerID: "b", OrderID: "3", Time: asOf.Add(3 * time.Hour), Amount: 7},       // after
		{CustomerID: "b", OrderID: "4", Time: asOf.Add(-time.Nanosecond), Amount: 1e-6}, // just before
	}
	tab := aggregate(t, Options{AsOf: asOf, Location: ny}, lines)
	if tab.Lines != 2 || tab.LinesAfterAsOf != 2 {
		t.Errorf("Lines, LinesAfterAsOf = %d, %d; want 2, 2", tab.Lines, tab.LinesAfterAsOf)
	}
	got, _ := row(t, tab, "a")
	if got[RecencyDays] != 0 || got[Monetary] != 20 {
		t.Errorf("a: recency, monetary = %v, %v; want 0, 20", got[RecencyDays], got[Monetary])
	}
}

// TestStoreDaysAcrossDST: whole days are counted on the store's wall clock,
// so a day that lasts 23 hours (the spring change) is still a day.
func TestStoreDaysAcrossDST(t *testing.T) {
	ny := newYork(t)
	// New York moved its clocks forward on 2018-03-11: from 2018-03-10
	// 23:30 to 2018-03-12 00:00 is 23.5 hours but one whole day and a half
	// hour on the wall clock. In autumn (2018-11-04) the day has 25 hours:
	// from 2018-11-03 00:30 to 2018-11-05 00:00 is 48.5 hours, one whole day
	// and 23.5 hours on the wall clock.
	for _, c := range []struct {
		name       string
		last, asOf time.Time
		want       float64
	}{
		{"spring", time.Date(2018, 3, 10, 23, 30, 0, 0, ny), time.Date(2018, 3, 12, 0, 0, 0, 0, ny), 1},
		{"autumn", time.Date(2018, 11, 3, 0, 30, 0, 0, ny), time.Date(2018, 11, 5, 0, 0, 0, 0, ny), 1},
		{"same day", time.Date(2018, 3, 11, 23, 59, 0, 0, ny), time.Date(2018, 3, 12, 0, 0, 0, 0, ny), 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			tab := aggregate(t, Options{AsOf: c.asOf, Location: ny},
				[]data.OrderLine{{CustomerID: "a", OrderID: "1", Time: c.last, Amount: 1}})
			if got, _ := row(t, tab, "a"); got[RecencyDays] != c.want || got[TenureDays] != c.want {
				t.Errorf("recency, tenure = %v, %v; want %v", got[RecencyDays], got[TenureDays], c.want)
			}
		})
	}
}

// TestStoreTimeCalendarDays: the window's first day and the peak season are
// store-time calendar days.
func TestStoreTimeCalendarDays(t *testing.T) {
	ny := newYork(t)
	asOf := time.Date(2018, 1, 1, 0, 0, 0, 0, ny)
	// 2017-12-02 00:30 New York is 05:30 UTC, inside a 30-day window that
	// starts at 2017-12-02 00:00 New York; 2017-12-01 23:30 is outside.
	// With a peak season of 15–30 November, 2017-11-15 00:30 New York (05:30
	// UTC) is a peak-season day in store time; 2017-11-14 23:30 New York is
	// 2017-11-15 04:30 UTC but not in the store's peak season.
	lines := []data.OrderLine{
		{CustomerID: "in", OrderID: "1", Time: time.Date(2017, 12, 2, 5, 30, 0, 0, time.UTC), Amount: 1},
		{CustomerID: "out", OrderID: "2", Time: time.Date(2017, 12, 2, 4, 30, 0, 0, time.UTC), Amount: 1},
		{CustomerID: "peak", OrderID: "3", Time: time.Date(2017, 11, 15, 5, 30, 0, 0, time.UTC), Amount: 1},
		{CustomerID: "nopeak", OrderID: "4", Time: time.Date(2017, 11, 15, 4, 30, 0, 0, time.UTC), Amount: 1},
	}
	tab := aggregate(t, Options{AsOf: asOf, Location: ny, WindowDays: 30, PeakStart: "11-15", PeakEnd: "11-30"}, lines)
	for id, want := range map[string][2]float64{"in": {1, 0}, "out": {0, 0}, "peak": {0, 1}, "nopeak": {0, 0}} {
		got, _ := row(t, tab, id)
		if got[Frequency] != want[0] || got[FirstOrderInPeak] != want[1] {
			t.Errorf("%s: frequency, first_order_in_peak = %v, %v; want %v, %v", id, got[Frequency], got[FirstOrderInPeak], want[0], want[1])
		}
	}
}

// TestWindowAcrossDaylightSaving: a 31-day window that spans the spring
// clock change starts at midnight in store time, not 31 × 24 hours before
// as_of (which would be an hour earlier, at 23:00 the evening before).
func TestWindowAcrossDaylightSaving(t *testing.T) {
	ny := newYork(t)
	asOf := time.Date(2018, 4, 1, 0, 0, 0, 0, ny) // the clocks went forward on 11 March
	lines := []data.OrderLine{
		{CustomerID: "inside", OrderID: "1", Time: time.Date(2018, 3, 1, 0, 30, 0, 0, ny), Amount: 1},
		{CustomerID: "outside", OrderID: "2", Time: time.Date(2018, 2, 28, 23, 30, 0, 0, ny), Amount: 1},
	}
	tab := aggregate(t, Options{AsOf: asOf, Location: ny, WindowDays: 31}, lines)
	for id, want := range map[string]float64{"inside": 1, "outside": 0} {
		if got, _ := row(t, tab, id); got[Frequency] != want {
			t.Errorf("%s: frequency %v in the 31-day window, want %v", id, got[Frequency], want)
		}
	}
}

// TestStoreTimeMidnightSkipped: in a zone whose daylight-saving change
// skips midnight (Santiago, 3 September 2023: 00:00 −04 became 01:00 −03),
// as_of after a 2 September order is the start of 3 September, not 23:00
// on 2 September, and an order at 23:50 on 2 September is 0 days old; a
// window of 30 days from as_of 3 October starts at the start of 3
// September.
func TestStoreTimeMidnightSkipped(t *testing.T) {
	scl, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	lines := []data.OrderLine{
		{CustomerID: "a", OrderID: "1", Time: time.Date(2023, 8, 20, 10, 0, 0, 0, scl), Amount: 10, Quantity: 1},
		{CustomerID: "d", OrderID: "2", Time: time.Date(2023, 9, 2, 23, 50, 0, 0, scl), Amount: 7, Quantity: 1},
	}
	tab := aggregate(t, Options{Location: scl}, lines)
	if tab.AsOf.Format(time.DateOnly) != "2023-09-03" || tab.LinesAfterAsOf != 0 {
		t.Errorf("AsOf = %v, %d lines after it; want the start of 2023-09-03, none", tab.AsOf, tab.LinesAfterAsOf)
	}
	got, _ := row(t, tab, "d")
	if got[RecencyDays] != 0 || got[TenureDays] != 0 {
		t.Errorf("recency, tenure = %v, %v; want 0, 0", got[RecencyDays], got[TenureDays])
	}
	asOf := data.StartOfDay(2023, 10, 3, scl)
	if from := windowStart(asOf, scl, 30); time.Unix(0, from).In(scl).Format(time.RFC3339) != "2023-09-03T01:00:00-03:00" {
		t.Errorf("window start %s", time.Unix(0, from).In(scl).Format(time.RFC3339))
	}
}
