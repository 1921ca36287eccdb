package data

import (
	"math"
	"strconv"
	"time"
)

// TimeFormat says how the times of an optional table are read (the
// customers' signup_time, the products' launch_time, the events' time;
// the tables' time_format and timezone): a Parquet timestamp or date as it
// is; text in the format's layout or, without one, in the layouts the
// order lines are read in without a time_format (defaultTimeLayouts: ISO,
// 2006/01/02, 2.1.2006, a trailing " UTC", …); with an epoch format
// (EpochFormats), numbers and text of numbers as a count of its unit since
// 1970-01-01 UTC; with a layout of digits only ("%Y%m%d"), integers too.
// A time without an offset, in text or in a Parquet DATE or TIMESTAMP not
// adjusted to UTC (Column.Wall), is a time in the format's location. The
// zero TimeFormat reads text in the default layouts, in UTC.
type TimeFormat struct {
	layout string         // a Go layout; "" for the default layouts
	unit   time.Duration  // an epoch format's unit, else 0
	loc    *time.Location // nil: UTC
}

// NewTimeFormat returns the TimeFormat of format (a Go layout, a strftime
// format or an epoch format, as TimeLayout takes them; "" for the default
// layouts) with times without an offset in loc (nil: UTC).
func NewTimeFormat(format string, loc *time.Location) (TimeFormat, error) {
	layout, err := TimeLayout(format)
	if err != nil {
		return TimeFormat{}, err
	}
	f := TimeFormat{layout: layout, loc: loc}
	if f.unit = epochUnit(layout); f.unit != 0 {
		f.layout = ""
	}
	return f, nil
}

// Location returns the zone of times without an offset.
func (f TimeFormat) Location() *time.Location {
	if f.loc == nil {
		return time.UTC
	}
	return f.loc
}

// In returns f reading times without an offset in loc.
func (f TimeFormat) In(loc *time.Location) TimeFormat {
	f.loc = loc
	return f
}

// Located reports whether f has a location of its own (NewTimeFormat's loc
// was not nil).
func (f TimeFormat) Located() bool { return f.loc != nil }

// ReadsNumbers reports whether f reads a column of kind k that holds
// numbers: integers with an epoch format or a layout (of digits, such as
// "%Y%m%d"), floats with an epoch format.
func (f TimeFormat) ReadsNumbers(k Kind) bool {
	switch k {
	case KindInt64:
		return f.unit != 0 || f.layout != ""
	case KindFloat64:
		return f.unit != 0
	}
	return false
}

// parse reads text s (trimmed, not empty).
func (f TimeFormat) parse(s string) (time.Time, error) {
	loc := f.Location()
	switch {
	case f.unit != 0:
		return parseEpoch(s, f.unit)
	case f.layout != "":
		return parseIn(f.layout, s, loc)
	}
	if w, ok := cutUTC(s); ok {
		s, loc = w, time.UTC
	}
	var err error
	for _, layout := range defaultTimeLayouts {
		var t time.Time
		if t, err = parseIn(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// TimeAs returns row i of column c as a time in f's location, whether it
// is null and whether it could be read (TimeFormat says how). Text is
// trimmed of spaces; blank text, or a word for a missing value, is null.
func (c *Column) TimeAs(i int, f TimeFormat) (t time.Time, null, ok bool) {
	if c.IsNull(i) {
		return time.Time{}, true, true
	}
	var err error
	switch c.Kind {
	case KindTime:
		if t = c.Times[i]; c.Wall {
			u := t.UTC()
			t = WallTime(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), u.Nanosecond(), f.Location())
		}
	case KindString:
		s := CleanID(c.Strings[i])
		if s == "" {
			return time.Time{}, true, true
		}
		t, err = f.parse(s)
	case KindInt64:
		switch {
		case f.unit != 0:
			t, err = epochInt(c.Ints[i], f.unit)
		case f.layout != "":
			t, err = parseIn(f.layout, strconv.FormatInt(c.Ints[i], 10), f.Location())
		default:
			return time.Time{}, false, false
		}
	case KindFloat64:
		x := c.Floats[i]
		if f.unit == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			return time.Time{}, false, false
		}
		t, err = epochFloat(x, f.unit, strconv.FormatFloat(x, 'g', -1, 64))
	default:
		return time.Time{}, false, false
	}
	if err != nil {
		return time.Time{}, false, false
	}
	return t.In(f.Location()), false, true
}
