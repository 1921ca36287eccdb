package data

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// epochUnits are the time formats of times written as a number of units
// since 1970-01-01 00:00 UTC (Unix time), as databases, event trackers and
// JavaScript export them: seconds ("unix", or strftime's "%s"),
// milliseconds, microseconds or nanoseconds. Such a time is an instant: it
// is read in UTC whatever orders.timezone says.
var epochUnits = map[string]time.Duration{
	"unix": time.Second, "unix_ms": time.Millisecond, "unix_us": time.Microsecond, "unix_ns": time.Nanosecond,
}

// EpochFormats lists the epoch time formats, for messages and the README.
const EpochFormats = "unix (or %s), unix_ms, unix_us, unix_ns"

// epochUnit returns the unit of an epoch time format, 0 for any other.
func epochUnit(format string) time.Duration {
	if format == "%s" {
		return time.Second
	}
	return epochUnits[format]
}

// parseEpoch parses s (trimmed), a whole or decimal number of units since
// 1970-01-01 UTC: "1704100000", "-86400", "1704100000.25", or in the
// exponent form spreadsheets give large numbers ("1.7041E+09"). A number
// beyond the years 1678–2261 (what time.Time's nanoseconds can reach), of
// any size, reads as a time just outside them (beyond): each reader then
// treats it as it treats a date written beyond them — an order line or an
// event rejected, "time out of range", a customers or products table
// stopped at its row — rather than as text that is not a number.
func parseEpoch(s string, unit time.Duration) (time.Time, error) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if strings.ContainsAny(s, "eE") || !isDigits(strings.TrimPrefix(whole, "-")) || (hasFrac && !isDigits(frac)) {
		x, err := strconv.ParseFloat(s, 64)
		if errors.Is(err, strconv.ErrRange) && math.IsInf(x, 0) { // 1e400: a number, beyond any float
			return beyond(x < 0), nil
		}
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return time.Time{}, epochError(s, unit)
		}
		return epochFloat(x, unit, s)
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		return beyond(strings.HasPrefix(whole, "-")), nil
	}
	if err != nil {
		return time.Time{}, epochError(s, unit)
	}
	per := int64(unit)
	if n > math.MaxInt64/per || n < math.MinInt64/per {
		return beyond(n < 0), nil
	}
	ns := n * per
	if hasFrac { // the fraction's digits, to the nanosecond
		f := frac + "000000000"
		digits, _ := strconv.ParseInt(f[:9], 10, 64)
		part := digits * per / int64(time.Second)
		if strings.HasPrefix(whole, "-") {
			part = -part
		}
		if (part > 0 && ns > math.MaxInt64-part) || (part < 0 && ns < math.MinInt64-part) {
			return beyond(part < 0), nil
		}
		ns += part
	}
	return time.Unix(0, ns).UTC(), nil
}

// epochInt converts a Parquet integer that counts units since 1970; one
// beyond the years 1678–2261 gives a time just outside them (beyond).
func epochInt(x int64, unit time.Duration) (time.Time, error) {
	per := int64(unit)
	if x > math.MaxInt64/per || x < math.MinInt64/per {
		return beyond(x < 0), nil
	}
	return time.Unix(0, x*per).UTC(), nil
}

// beyond returns the time a number of units since 1970 past the years
// 1678–2261 reads as: a second before MinTime, or after MaxTime.
func beyond(before bool) time.Time {
	if before {
		return MinTime.Add(-time.Second)
	}
	return MaxTime.Add(time.Second)
}

// epochFloat converts a number of units since 1970 held as a float (a
// DOUBLE column, or text in exponent form), to the microsecond; one beyond
// the years 1678–2261 gives a time just outside them (beyond).
func epochFloat(x float64, unit time.Duration, raw string) (time.Time, error) {
	us := math.Round(x * float64(unit) / float64(time.Microsecond))
	if math.IsNaN(us) {
		return time.Time{}, &valueError{raw: raw, want: "time", why: "not a number"}
	}
	if math.Abs(us) > math.MaxInt64/1000 {
		return beyond(us < 0), nil
	}
	return time.UnixMicro(int64(us)).UTC(), nil
}

func epochError(s string, unit time.Duration) error {
	name := "unix"
	for f, u := range epochUnits {
		if u == unit && f != "unix" {
			name = f
		}
	}
	return &valueError{raw: s, want: "time", why: fmt.Sprintf("time_format %s wants a number of %s since 1970-01-01 UTC", name, unitWord(unit))}
}

func unitWord(unit time.Duration) string {
	switch unit {
	case time.Millisecond:
		return "milliseconds"
	case time.Microsecond:
		return "microseconds"
	case time.Nanosecond:
		return "nanoseconds"
	}
	return "seconds"
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// numericTimeFormat returns the time format that numbers of a time column
// (one whose name says it holds times) are written in, judged from
// examples that are all whole numbers: "%Y%m%d" when each is a date from
// 1900 to 2199 written as eight digits (20240131), else "unix",
// "unix_ms", "unix_us" or "unix_ns" when all are seconds, milliseconds,
// microseconds (GA4's event_timestamp) or nanoseconds of the years 2001 to
// 2099, whose ranges do not meet.
// It returns "" when the examples fit none of them, or fit two of them.
func numericTimeFormat(examples []string) string {
	if len(examples) == 0 {
		return ""
	}
	ymd, sec, ms, us, ns := true, true, true, true, true
	for _, s := range examples {
		s = strings.TrimSpace(s)
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return ""
		}
		if len(s) != 8 || !validYMD(s) {
			ymd = false
		}
		// 1e9 s is 2001-09-09; 4.1e9 s is in 2099.
		sec = sec && n >= 1e9 && n < 4.1e9
		ms = ms && n >= 1e12 && n < 4.1e12
		us = us && n >= 1e15 && n < 4.1e15
		ns = ns && n >= 1e18 && n < 4.1e18
	}
	switch {
	case ymd && !sec && !ms:
		return "%Y%m%d"
	case sec && !ymd:
		return "unix"
	case ms:
		return "unix_ms"
	case us:
		return "unix_us"
	case ns:
		return "unix_ns"
	}
	return ""
}

func validYMD(s string) bool {
	t, err := time.Parse("20060102", s)
	return err == nil && t.Year() >= 1900 && t.Year() < 2200
}

// epochHint is what a time parse error adds for s when it is a whole
// number that reads as a time in one of the numeric formats: the format to
// set, and the time it would give.
func epochHint(s string) string {
	s = strings.TrimSpace(s)
	f := numericTimeFormat([]string{s})
	switch f {
	case "":
		return ""
	case "%Y%m%d":
		return `; it reads as a date written YYYYMMDD: set orders.time_format to "%Y%m%d"`
	}
	t, err := parseEpoch(s, epochUnits[f])
	if err != nil || t.Before(MinTime) || t.After(MaxTime) {
		return ""
	}
	return fmt.Sprintf("; it reads as %s since 1970 (%s UTC): set orders.time_format to %q", unitWord(epochUnits[f]), t.Format("2006-01-02 15:04:05"), f)
}
