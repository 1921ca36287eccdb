package features

import (
	"math"
	"time"

	"github.com/segment-tool/segment/data"
)

// Store time: the calendar of Options.Location. The default as_of, the
// whole days of recency_days and tenure_days, the window's first day and the
// peak-season and sale days are all counted on the store's wall clock, so
// that an order placed at 22:47 on 31 December in New York is a 31 December
// order whatever zone its timestamp was written in.

// location returns the store's time zone: o.Location, or UTC when nil.
func (o *Options) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

// DefaultAsOf returns the analysis date used when none is given: the start
// (data.StartOfDay: midnight, unless a daylight-saving change skips it) in
// loc (UTC when nil) of the day after newest's calendar date in loc.
func DefaultAsOf(newest time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := newest.In(loc).Date()
	return data.StartOfDay(y, m, d+1, loc)
}

// daysTo returns a function giving the whole days from an instant (unix
// nanoseconds, at most asOf) to asOf on the store's wall clock: ⌊(asOf −
// from + offset(asOf) − offset(from)) / 24h⌋, where offset is the zone's
// offset from UTC at that instant. In a zone with daylight saving time a
// calendar day may last 23 or 25 hours; counting on the wall clock keeps
// "the evening before as_of" 0 days old and "the day before" 1 day. The
// start of a day whose midnight a change skips (Santiago's 01:00) reads as
// its midnight: that day is a whole day old at the next day's start.
func (a *Aggregator) daysTo(asOf int64) func(from int64) float64 {
	if a.loc == time.UTC {
		return func(from int64) float64 { return wholeDays(from, asOf) }
	}
	ts, tn := splitNano(asOf)
	ts = a.wallSeconds(ts, tn) // the wall clock at as_of, in seconds
	return func(from int64) float64 {
		fs, fn := splitNano(from)
		secs := ts - a.wallSeconds(fs, fn) // offsets are under a day: no overflow
		if tn < fn {
			secs--
		}
		return float64(floorDiv(secs, 86400))
	}
}

// wallSeconds returns the store's wall clock at unix second sec (and
// nanosecond nsec), in seconds, the start of a day read as its midnight
// where a daylight-saving change skips midnight (the day starts at 01:00).
func (a *Aggregator) wallSeconds(sec, nsec int64) int64 {
	w := sec + int64(a.offset(sec))
	if tod := w - floorDiv(w, 86400)*86400; nsec == 0 && tod > 0 && tod <= 2*3600 {
		y, m, d := time.Unix(sec, 0).In(a.loc).Date()
		if data.StartOfDay(y, m, d, a.loc).Unix() == sec {
			w -= tod
		}
	}
	return w
}

// offset returns the store zone's offset from UTC in seconds at unix
// second sec.
func (a *Aggregator) offset(sec int64) int {
	_, off := time.Unix(sec, 0).In(a.loc).Zone()
	return off
}

// windowStart returns the first instant of a window of days calendar days
// in loc ending at asOf (exclusive), or math.MinInt64 for all history (days
// ≤ 0, or a window reaching before the earliest representable time).
func windowStart(asOf time.Time, loc *time.Location, days int) int64 {
	const maxDays = math.MaxInt64 / nanosPerDay // about 292 years
	if days <= 0 || int64(days) > maxDays {
		return math.MinInt64
	}
	y, m, d := asOf.In(loc).Date()
	from, ok := unixNano(data.StartOfDay(y, m, d-days, loc))
	if !ok {
		return math.MinInt64
	}
	return from
}

// dayFlags reports whether the calendar day of t (unix nanoseconds) in the
// store's time zone lies in the peak season and is a sale day.
func (a *Aggregator) dayFlags(t int64) (peak, sale bool) {
	y, m, d := time.Unix(0, t).In(a.loc).Date()
	md := int(m)*100 + d
	if a.peakStart <= a.peakEnd {
		peak = a.peakStart <= md && md <= a.peakEnd
	} else {
		peak = md >= a.peakStart || md <= a.peakEnd
	}
	if a.saleDays == nil {
		return peak, blackFridayWeekend(y, m, d)
	}
	return peak, a.saleDays[y*10000+md]
}

func dayKey(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// IsBlackFridayWeekend reports whether t's calendar day is Black Friday
// (the day after the fourth Thursday of November, US Thanksgiving) or Cyber
// Monday (the Monday after it), the default sale days.
func IsBlackFridayWeekend(t time.Time) bool {
	return blackFridayWeekend(t.Date())
}

// blackFridayWeekend is IsBlackFridayWeekend of a calendar day.
func blackFridayWeekend(y int, m time.Month, d int) bool {
	if m != time.November && m != time.December {
		return false
	}
	nov1 := time.Date(y, time.November, 1, 0, 0, 0, 0, time.UTC).Weekday()
	thanksgiving := 1 + (int(time.Thursday)-int(nov1)+7)%7 + 21 // 22nd to 28th
	bf, cm := thanksgiving+1, thanksgiving+4                    // Cyber Monday: Nov 26th to Dec 2nd
	if m == time.November {
		return d == bf || d == cm
	}
	return cm > 30 && d == cm-30
}

// wallSpanDays returns the days from one instant (unix nanoseconds) to a
// later one on the store's wall clock (spanDays in UTC): two orders at the
// same hour two days apart are 2 days apart across a daylight-saving
// change, as recency_days and tenure_days count them.
func (a *Aggregator) wallSpanDays(from, to int64) float64 {
	if a.loc == time.UTC {
		return spanDays(from, to)
	}
	fs, fn := splitNano(from)
	ts, tn := splitNano(to)
	// In the hour a fall-back change repeats, the wall clock runs back:
	// two purchases in it are no time apart, never a negative time.
	return max(0, (float64(a.wallSeconds(ts, tn)-a.wallSeconds(fs, fn))+float64(tn-fn)/1e9)/86400)
}
