package data

import (
	"strings"
	"testing"
	"time"
)

// TestDefaultTimeLayouts: without a time format, the layouts exports write
// read as the same instant or day (Shopify's offset with a space,
// PostgreSQL's short offset, minutes only, slashes year first, dots day
// first), in the store's zone when they carry no offset; a layout none
// reads names the accepted ones and orders.time_format.
func TestDefaultTimeLayouts(t *testing.T) {
	loc := time.FixedZone("UTC+1", 3600)
	at := time.Date(2024, 1, 5, 10, 21, 33, 0, loc)
	for in, want := range map[string]time.Time{
		"2024-01-05 10:21:33 +0100":  at,
		"2024-01-05 10:21:33+01":     at,
		"2024-01-05 10:21:33+01:00":  at,
		"2024-01-05T10:21:33+0100":   at,
		"2024-01-05 09:21:33Z":       at,
		"2024-01-05 10:21:33.5":      at.Add(500 * time.Millisecond),
		"2024-01-05 10:21":           at.Add(-33 * time.Second),
		"2024-01-05T10:21":           at.Add(-33 * time.Second),
		"2024/01/05 10:21:33":        at,
		"2024/01/05":                 time.Date(2024, 1, 5, 0, 0, 0, 0, loc),
		"05.01.2024":                 time.Date(2024, 1, 5, 0, 0, 0, 0, loc),
		"5.1.2024 10:21":             at.Add(-33 * time.Second),
		"05.01.2024 10:21:33":        at,
		" 2024-01-05T10:21:33+01:00": at,
		// BigQuery's text for a TIMESTAMP: UTC, whatever the store's zone.
		"2024-01-05 09:21:33 UTC":   at,
		"2024-01-05 09:21:33.5 UTC": at.Add(500 * time.Millisecond),
		"2024-01-05T09:21:33 UTC":   at,
		"2024-01-05 09:21:33 utc":   at,
		// A colon offset after a space, minutes only with an offset.
		"2024-01-05 10:21:33 +01:00": at,
		"2024-01-05T10:21:33 +01:00": at,
		"2024-01-05 10:21 +01:00":    at.Add(-33 * time.Second),
		"2024-01-05 10:21+01:00":     at.Add(-33 * time.Second),
		"2024-01-05 10:21 +0100":     at.Add(-33 * time.Second),
	} {
		p := newTimeParser("", loc)
		got, err := p.parse(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"20240105", "01/05/2024", "Jan 5, 2024", "2024.13.05"} {
		if got, err := newTimeParser("", loc).parse(in); err == nil {
			t.Errorf("parse(%q) = %v, want an error", in, got)
		} else if !strings.Contains(err.Error(), "set orders.time_format") {
			t.Errorf("parse(%q): %v: want the accepted layouts and orders.time_format named", in, err)
		}
	}
}

// TestTimeParserLayoutFirst: the layout that parsed last is tried first,
// and a later time of another layout still parses.
func TestTimeParserLayoutFirst(t *testing.T) {
	p := newTimeParser("", time.UTC)
	for _, s := range []string{"5.1.2024", "6.1.2024", "2024-01-07", "8.1.2024"} {
		if _, err := p.parse(s); err != nil {
			t.Fatal(err)
		}
	}
	if got := p.layouts[p.hit]; got != "2.1.2006" {
		t.Errorf("last layout %q, want 2.1.2006", got)
	}
}
