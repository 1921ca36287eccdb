package features

import (
	"fmt"
	"math"
	"time"
)

// fixed is an amount in millionths (10⁻⁶) of its unit, held exactly in an
// int64. Money and quantities are summed in fixed point so that a sum does
// not depend on the order in which lines arrive: float64 addition is not
// associative, integer addition is. Amounts are rounded to the nearest
// millionth once, when a line is read; sums convert back to float64 once,
// when the table is built, so a total like 0.1+0.2 comes out as the float64
// nearest to 0.3.
type fixed int64

// fixedUnit is the number of fixed units in one unit.
const fixedUnit = 1e6

// maxLineValue bounds the magnitude of one amount, discount or quantity:
// 10¹² units is 10¹⁸ fixed units, below the int64 limit of 9.2×10¹⁸.
const maxLineValue = 1e12

// toFixed rounds v to the nearest millionth. It reports false for NaN, ±Inf
// and magnitudes above maxLineValue.
func toFixed(v float64) (fixed, bool) {
	if !(math.Abs(v) <= maxLineValue) {
		return 0, false
	}
	return fixed(math.Round(v * fixedUnit)), true
}

// add returns x+y, setting *ovf when the sum overflows int64.
func (x fixed) add(y fixed, ovf *bool) fixed {
	s := x + y
	if (s > x) != (y > 0) {
		*ovf = true
	}
	return s
}

// abs returns |x|; x is never math.MinInt64 (see maxLineValue).
func (x fixed) abs() fixed {
	if x < 0 {
		return -x
	}
	return x
}

// float returns x in units.
func (x fixed) float() float64 { return float64(x) / fixedUnit }

// ratio returns x/y, or 0 when y is 0. The unit cancels.
func ratio(x, y fixed) float64 {
	if y == 0 {
		return 0
	}
	return float64(x) / float64(y)
}

// Invalid input lines. Each wraps ErrInvalidLine.
var (
	errTimeRange = fmt.Errorf("%w: time outside the years 1678–2261", ErrInvalidLine)
	errMissingID = fmt.Errorf("%w: empty customer or order id", ErrInvalidLine)
	errBadNumber = fmt.Errorf("%w: a number is NaN, infinite or larger than 1e12 in magnitude", ErrInvalidLine)
	errOverflow  = fmt.Errorf("%w: a sum overflows the 1e-6 fixed-point range (±9.2e12)", ErrInvalidLine)
	errTooMany   = fmt.Errorf("%w: more than 2³¹−1 customers or orders", ErrInvalidLine)
)

// maxUnixSeconds bounds |t.Unix()| so that t fits in int64 nanoseconds.
const maxUnixSeconds = math.MaxInt64/1_000_000_000 - 1

// unixNano returns t in unix nanoseconds, or false when t is outside the
// range int64 nanoseconds can hold (about the years 1678–2261).
func unixNano(t time.Time) (int64, bool) {
	s := t.Unix()
	if s < -maxUnixSeconds || s > maxUnixSeconds {
		return 0, false
	}
	return s*1e9 + int64(t.Nanosecond()), true
}

// nanosPerDay is the length of a day in nanoseconds (24h).
const nanosPerDay = int64(24 * time.Hour)

// wholeDays returns ⌊(to − from)/24h⌋ for to ≥ from, without overflowing
// when the difference exceeds the int64 range.
func wholeDays(from, to int64) float64 {
	fs, fn := splitNano(from)
	ts, tn := splitNano(to)
	secs := ts - fs // |secs| < 2×maxUnixSeconds: no overflow
	if tn < fn {
		secs--
	}
	return float64(floorDiv(secs, 86400))
}

// spanDays returns (to − from)/24h as a float, without overflow.
func spanDays(from, to int64) float64 {
	fs, fn := splitNano(from)
	ts, tn := splitNano(to)
	return (float64(ts-fs) + float64(tn-fn)/1e9) / 86400
}

// splitNano splits unix nanoseconds into seconds and a nanosecond in
// [0, 1e9).
func splitNano(ns int64) (sec, nsec int64) {
	return floorDiv(ns, 1e9), ns - floorDiv(ns, 1e9)*1e9
}

// floorDiv returns ⌊a/b⌋ for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// parseMonthDay parses "MM-DD" into month*100 + day.
func parseMonthDay(s string) (int, error) {
	t, err := time.Parse("01-02", s) // year 0 is a leap year: 02-29 parses
	if err != nil || len(s) != 5 {
		return 0, fmt.Errorf("%q is not a MM-DD day", s)
	}
	return int(t.Month())*100 + t.Day(), nil
}
