package data

import (
	"testing"
	"time"
)

// TestStartOfDay: where a daylight-saving change skips midnight (Santiago,
// 3 September 2023: 00:00 −04 became 01:00 −03), the day starts when its
// clocks do, on its own date; elsewhere it starts at midnight.
func TestStartOfDay(t *testing.T) {
	santiago, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, c := range []struct {
		name    string
		y       int
		m       time.Month
		d       int
		loc     *time.Location
		want    string // RFC 3339
		wantDay int
	}{
		{"midnight skipped", 2023, time.September, 3, santiago, "2023-09-03T01:00:00-03:00", 3},
		{"the day before", 2023, time.September, 2, santiago, "2023-09-02T00:00:00-04:00", 2},
		{"normalised day", 2023, time.August, 34, santiago, "2023-09-03T01:00:00-03:00", 3},
		{"a change at 02:00", 2024, time.March, 31, berlin, "2024-03-31T00:00:00+01:00", 31},
		{"UTC", 2024, time.February, 30, time.UTC, "2024-03-01T00:00:00Z", 1},
	} {
		got := StartOfDay(c.y, c.m, c.d, c.loc)
		if got.Format(time.RFC3339) != c.want || got.Day() != c.wantDay {
			t.Errorf("%s: %s, want %s", c.name, got.Format(time.RFC3339), c.want)
		}
	}
	// A wall time skipped within a day stays on its day, as time.Date has it.
	if got := WallTime(2024, time.March, 31, 2, 30, 0, 0, berlin); got.Day() != 31 {
		t.Errorf("02:30 on the day the clocks jump: %s", got)
	}
}

// TestParseInSkippedMidnight: a date, or a time at the midnight a
// daylight-saving change skips, read in the store's zone stays on its
// day; an explicit offset is kept.
func TestParseInSkippedMidnight(t *testing.T) {
	scl, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, c := range []struct{ layout, v, want string }{
		{time.DateOnly, "2023-09-03", "2023-09-03T01:00:00-03:00"},
		{time.DateTime, "2023-09-03 00:30:00", "2023-09-03T01:00:00-03:00"},
		{time.DateTime, "2023-09-03 10:00:00", "2023-09-03T10:00:00-03:00"},
		{time.DateOnly, "2023-09-02", "2023-09-02T00:00:00-04:00"},
		{"2006-01-02 15:04 -0700", "2023-09-03 00:30 -0400", "2023-09-03T01:30:00-03:00"},
	} {
		got, err := parseIn(c.layout, c.v, scl)
		if err != nil || got.In(scl).Format(time.RFC3339) != c.want {
			t.Errorf("%q: %s, %v; want %s", c.v, got.In(scl).Format(time.RFC3339), err, c.want)
		}
	}
}
