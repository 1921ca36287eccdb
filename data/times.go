package data

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
)

// defaultTimeLayouts are tried in order when OrderSource.TimeFormat is
// empty: ISO dates and times, with or without an offset (Shopify writes
// "2024-01-05 10:21:33 +0100", PostgreSQL "2024-01-05 10:21:33+01"), or
// seconds; year/month/day with slashes; and day.month.year with dots, which
// is day first wherever it is written (Germany, Russia, …). Fractions of a
// second are read after the seconds in any of them, and a trailing " UTC"
// (BigQuery's text for a TIMESTAMP, "2024-01-05 10:21:33 UTC") makes the
// time one in UTC (cutUTC). Day/month dates with slashes are not here:
// which comes first is guessed per file (guessSlashDates) or set.
var defaultTimeLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02",
	"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05-07", "2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05 -07:00", "2006-01-02T15:04:05 -07:00",
	"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04Z07:00", "2006-01-02 15:04 -07:00", "2006-01-02 15:04 -0700",
	"2006/01/02 15:04:05", "2006/01/02 15:04", "2006/01/02",
	"2.1.2006 15:04:05", "2.1.2006 15:04", "2.1.2006",
}

// timeParser parses times stored as text. A time without an offset is read
// in loc. It remembers the last string it parsed: the lines of one order
// sit together in exports and share a time, so most parses are a string
// comparison. A timeParser is not safe for concurrent use.
type timeParser struct {
	layouts []string
	loc     *time.Location
	// defaults is set when layouts are defaultTimeLayouts (and the
	// file's day/month layouts): a trailing " UTC" is read (cutUTC).
	defaults bool
	last     string
	lastT    time.Time
	hit      int // the layout that parsed last, tried first
	// unit is the unit of an epoch time format (epochUnits), 0 for
	// layouts.
	unit time.Duration
}

func newTimeParser(layout string, loc *time.Location) *timeParser {
	if loc == nil {
		loc = time.UTC
	}
	p := &timeParser{layouts: defaultTimeLayouts, loc: loc, defaults: layout == ""}
	if layout != "" {
		p.layouts = []string{layout}
	}
	if p.unit = epochUnit(layout); p.unit != 0 {
		p.layouts = nil
	}
	return p
}

// readsNumbers reports whether a time_format was set, under which a
// Parquet column of plain integers is read as times: counts of an epoch
// unit, or the digits of a layout such as "%Y%m%d". An epoch format reads
// a DOUBLE column too (seconds with a fraction, as pandas writes them).
func (p *timeParser) readsNumbers(lt leafType) bool {
	if lt.decimal || lt.isTime() || lt.clock {
		return false
	}
	switch lt.phys {
	case parquet.Int32, parquet.Int64:
		return p.unit != 0 || (len(p.layouts) == 1 && &p.layouts[0] != &defaultTimeLayouts[0])
	case parquet.Float, parquet.Double:
		return p.unit != 0
	}
	return false
}

// parseInt reads a Parquet integer as a time (see readsNumbers).
func (p *timeParser) parseInt(x int64) (time.Time, error) {
	if p.unit != 0 {
		return epochInt(x, p.unit)
	}
	return p.parse(strconv.FormatInt(x, 10))
}

// parseFloat reads a Parquet float as a time: a count of the epoch unit.
func (p *timeParser) parseFloat(x float64) (time.Time, error) {
	raw := strconv.FormatFloat(x, 'g', -1, 64)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return time.Time{}, &valueError{raw: raw, want: "time"}
	}
	return epochFloat(x, p.unit, raw)
}

// parse parses s, trimmed of spaces. The error is a *valueError.
func (p *timeParser) parse(s string) (time.Time, error) {
	if s == p.last && s != "" {
		return p.lastT, nil
	}
	v := strings.TrimSpace(s)
	if p.unit != 0 {
		t, err := parseEpoch(v, p.unit)
		if err == nil {
			p.last, p.lastT = strings.Clone(s), t
		}
		return t, err
	}
	loc := p.loc
	if p.defaults {
		if w, ok := cutUTC(v); ok {
			v, loc = w, time.UTC
		}
	}
	if p.hit < len(p.layouts) { // a file's times share a layout
		if t, err := parseIn(p.layouts[p.hit], v, loc); err == nil {
			p.last, p.lastT = strings.Clone(s), t
			return t, nil
		}
	}
	var zoneErr error
	for i, l := range p.layouts {
		t, err := parseIn(l, v, loc)
		if err == nil {
			p.last, p.lastT, p.hit = strings.Clone(s), t, i
			return t, nil
		}
		if errors.Is(err, errZoneAbbreviation) {
			zoneErr = err
		}
	}
	if zoneErr != nil {
		return time.Time{}, &valueError{raw: s, want: "time", why: zoneErr.Error()}
	}
	why := "want layout " + strings.Join(p.layouts, " or ")
	if len(p.layouts) == 1 {
		for _, clock := range []string{" 15:04", " 15:04:05", "T15:04:05"} {
			if _, err := parseIn(p.layouts[0]+clock, v, loc); err == nil {
				why += " (the time_format set): the values carry a time of day it lacks; add it (" + strings.TrimSpace(strings.NewReplacer("15", "%H", "04", "%M", "05", "%S").Replace(clock)) + " in a strftime format, " + strings.TrimSpace(clock) + " in a Go layout)"
				break
			}
		}
	}
	if len(p.layouts) >= len(defaultTimeLayouts) && &p.layouts[0] == &defaultTimeLayouts[0] {
		why = "want a date or time such as 2006-01-02, 2006-01-02 15:04:05 (a T, an offset, fractions of a second allowed), 2006/01/02 or 2.1.2006 (day first); set orders.time_format for another layout"
	}
	why += epochHint(v)
	return time.Time{}, &valueError{raw: s, want: "time", why: why}
}

// cutUTC returns v without a trailing " UTC" and whether it had one: the
// text BigQuery (and other warehouses) write for a TIMESTAMP, an instant
// in UTC whatever the store's zone.
func cutUTC(v string) (string, bool) {
	if n := len(v) - 4; n >= 0 && strings.EqualFold(v[n:], " UTC") {
		return v[:n], true
	}
	return v, false
}

// errZoneAbbreviation is the error of a time whose zone abbreviation
// (layout element MST, strftime %Z) says no offset: parseIn's.
var errZoneAbbreviation = errors.New("zone abbreviation")

// parseIn is time.ParseInLocation, except that a zone abbreviation (the
// layout's MST) other than UTC or GMT that loc does not define is an
// error, where Go would read the time with a made-up zone of offset 0
// ("EST" is −5 hours in New York and +10 in Sydney): such a time needs a
// numeric offset (-0700) or orders.timezone.
func parseIn(layout, v string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(layout, v, loc)
	if err == nil && loc != time.UTC && nearZoneChange(t) && !hasOffset(layout) {
		// A wall time a daylight-saving change skips stays on its day
		// (WallTime): a date at a skipped midnight is that day's start.
		if u, err := time.Parse(layout, v); err == nil {
			t = WallTime(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), u.Nanosecond(), loc)
		}
	}
	if err != nil || !strings.Contains(layout, "MST") {
		return t, err
	}
	name, off := t.Zone()
	if off == 0 && name != "UTC" && name != "GMT" && t.Location() != loc {
		return time.Time{}, fmt.Errorf("%w %q is not one of the time zone's the times are read in, so it gives no offset: write the times with a numeric offset (%%z), or set the timezone whose abbreviation it is", errZoneAbbreviation, name)
	}
	return t, nil
}

// nearZoneChange reports whether t lies within a day of a change of its
// zone's offset (where WallTime may differ from time.Date).
func nearZoneChange(t time.Time) bool {
	start, end := t.ZoneBounds()
	return !start.IsZero() && t.Sub(start) < 26*time.Hour || !end.IsZero() && end.Sub(t) < 26*time.Hour
}

// hasOffset reports whether a Go layout reads a zone offset or name.
func hasOffset(layout string) bool {
	return strings.Contains(layout, "-07") || strings.Contains(layout, "Z07") || strings.Contains(layout, "MST")
}
