package data

import "time"

// Wall-clock times in a store's zone. time.Date gives a wall time that a
// daylight-saving change skips (02:30 when the clocks jump from 02:00 to
// 03:00; midnight where they jump at midnight, as in Santiago, Asunción,
// Havana or Beirut) an offset of its choosing, which may put it on the day
// before: midnight of 3 September 2023 in Santiago came out as 23:00 on 2
// September, and every count of days from it was one off. WallTime keeps a
// skipped time on its own calendar day.

// WallTime returns the instant of the wall-clock time in loc, as time.Date
// does (its arguments normalised as time.Date normalises them), except
// that a time skipped by a daylight-saving change that time.Date would put
// on another calendar day is the first instant of its own day: the end of
// the skip.
func WallTime(year int, month time.Month, day, hour, min, sec, nsec int, loc *time.Location) time.Time {
	t := time.Date(year, month, day, hour, min, sec, nsec, loc)
	if loc == time.UTC {
		return t
	}
	// The calendar day asked for, normalised as time.Date does it.
	y, m, d := time.Date(year, month, day, hour, min, sec, nsec, time.UTC).Date()
	if ty, tm, td := t.Date(); ty == y && tm == m && td == d {
		return t
	}
	if _, end := t.ZoneBounds(); !end.IsZero() {
		if ey, em, ed := end.Date(); ey == y && em == m && ed == d {
			return end
		}
	}
	return t
}

// StartOfDay returns the first instant of the calendar day year-month-day
// (normalised as time.Date normalises it) in loc: its midnight, or, where a
// daylight-saving change skips midnight, the instant its clocks start.
func StartOfDay(year int, month time.Month, day int, loc *time.Location) time.Time {
	return WallTime(year, month, day, 0, 0, 0, 0, loc)
}
