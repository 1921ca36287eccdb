package features

import (
	"math"
	"time"
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

// DefaultAsOf returns the analysis date used when none is given: midnight in
// loc (UTC when nil) at the start of the day after newest's calendar date in
// loc.
func DefaultAsOf(newest time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := newest.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// daysTo returns a function giving the whole days from an instant (unix
// nanoseconds, at most asOf) to asOf on the store's wall clock: ⌊(asOf −
// from + offset(asOf) − offset(from)) / 24h⌋, where offset is the zone's
// offset from UTC at that instant. In a zone with daylight saving time a
// calendar day may last 23 or 25 hours; counting on the wall clock keeps
// "the evening before as_of" 0 days old and "the day before" 1 day.
func (a *Aggregator) daysTo(asOf int64) func(from int64) float64 {
	if a.loc == time.UTC {
		return func(from int64) float64 { return wholeDays(from, asOf) }
	}
	ts, tn := splitNano(asOf)
	ts += int64(a.offset(ts)) // the wall clock at as_of, in seconds
	return func(from int64) float64 {
		fs, fn := splitNano(from)
		secs := ts - fs - int64(a.offset(fs)) // offsets are under a day: no overflow
		if tn < fn {
			secs--
		}
		return float64(floorDiv(secs, 86400))
	}
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
	from, ok := unixNano(asOf.In(loc).AddDate(0, 0, -days))
	if !ok {
		return math.MinInt64
	}
	return from
}

// inPeak reports whether t's calendar day lies in the peak season.
func (a *Aggregator) inPeak(t time.Time) bool {
	_, m, d := t.Date()
	md := int(m)*100 + d
	if a.peakStart <= a.peakEnd {
		return a.peakStart <= md && md <= a.peakEnd
	}
	return md >= a.peakStart || md <= a.peakEnd
}

// onSaleDay reports whether t's calendar day is one of the store's sale
// days.
func (a *Aggregator) onSaleDay(t time.Time) bool {
	if a.saleDays == nil {
		return IsBlackFridayWeekend(t)
	}
	return a.saleDays[dayKey(t)]
}

func dayKey(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// IsBlackFridayWeekend reports whether t's calendar day is Black Friday
// (the day after the fourth Thursday of November, US Thanksgiving) or Cyber
// Monday (the Monday after it), the default sale days.
func IsBlackFridayWeekend(t time.Time) bool {
	y, m, d := t.Date()
	if m != time.November && m != time.December {
		return false
	}
	nov1 := time.Date(y, time.November, 1, 0, 0, 0, 0, time.UTC).Weekday()
	thanksgiving := 1 + (int(time.Thursday)-int(nov1)+7)%7 + 21
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	bf := time.Date(y, time.November, thanksgiving+1, 0, 0, 0, 0, time.UTC)
	return day.Equal(bf) || day.Equal(bf.AddDate(0, 0, 3))
}
