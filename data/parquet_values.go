package data

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// integer stores an INT32 or INT64 value: a plain integer, a decimal's
// unscaled value, days of a DATE or units of a TIMESTAMP.
func (d *columnDecoder) integer(dst *vector, j int, x int64, bad func(int, error) bool) bool {
	lt := d.typ
	switch {
	case lt.decimal:
		return d.float(dst, j, float64(x)/math.Pow10(lt.scale), bad)
	case lt.date, lt.tsUnit != 0:
		var t time.Time
		if lt.date {
			t = d.date(x)
		} else {
			t = d.timestamp(x)
		}
		if d.want == KindTime {
			dst.times[j] = t
		} else {
			dst.str[j] = t.Format(time.RFC3339Nano)
		}
		return true
	}
	switch d.want {
	case KindInt64:
		dst.ints[j] = x
	case KindFloat64:
		return d.float(dst, j, float64(x), bad)
	case KindTime: // a count of seconds (…) or YYYYMMDD digits: time_format says which
		t, err := d.times.parseInt(x)
		if err != nil {
			return bad(j, err)
		}
		dst.times[j] = t
	default:
		dst.str[j] = strconv.FormatInt(x, 10)
	}
	return true
}

// unsigned stores a UINT_64 value above the int64 range: as its decimal
// digits for a string (a customer, order or product id), as a float64 for
// a number. An int64 cannot hold it; ReadOrders never asks for one.
func (d *columnDecoder) unsigned(dst *vector, j int, x uint64, bad func(int, error) bool) bool {
	if d.want == KindString {
		dst.str[j] = strconv.FormatUint(x, 10)
		return true
	}
	return d.setFloat(dst, j, float64(x), bad)
}

// float stores a number, checking it is finite when d.finite. As text (an
// id, a category), NaN is a null: pandas writes a missing value of a float
// column as NaN, and an id column of floats (12346.0) is what it makes of
// integer ids with some missing. An infinity is no text.
func (d *columnDecoder) float(dst *vector, j int, x float64, bad func(int, error) bool) bool {
	if d.want == KindString {
		switch {
		case math.IsNaN(x):
			dst.setNull(j)
			return true
		case math.IsInf(x, 0):
			return bad(j, &valueError{raw: strconv.FormatFloat(x, 'g', -1, 64), want: "a finite number"})
		}
		dst.str[j] = floatText(x)
		return true
	}
	if d.want == KindTime { // seconds (…) since 1970: an epoch time_format
		t, err := d.times.parseFloat(x)
		if err != nil {
			return bad(j, err)
		}
		dst.times[j] = t
		return true
	}
	return d.setFloat(dst, j, x, bad)
}

// floatText returns x as text: a whole number with all its digits (a
// DOUBLE id 1234567890123.0 is "1234567890123", as the same id in an INT64
// column or a CSV file, never "1.234567890123e+12"; from 2⁵³ to 10²¹ the
// digits of the double, 1e20 "100000000000000000000"), any other number
// in its shortest exact form.
func floatText(x float64) string {
	switch {
	case x == math.Trunc(x) && math.Abs(x) < 1<<53:
		return strconv.FormatInt(int64(x), 10) // -0 is "0"
	case x == math.Trunc(x) && math.Abs(x) < 1e21:
		return strconv.FormatFloat(x, 'f', 0, 64) // the double's exact value
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func (d *columnDecoder) setFloat(dst *vector, j int, x float64, bad func(int, error) bool) bool {
	if d.finite && (math.IsNaN(x) || math.IsInf(x, 0)) {
		return bad(j, &valueError{raw: strconv.FormatFloat(x, 'g', -1, 64), want: "a finite number"})
	}
	dst.num[j] = x
	return true
}

// bytes stores a BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY value: a decimal's
// big-endian unscaled value, or text.
func (d *columnDecoder) bytes(dst *vector, j int, b []byte, bad func(int, error) bool) bool {
	if d.typ.decimal {
		return d.float(dst, j, decimalBytes(b, d.typ.scale), bad)
	}
	if d.typ.uuid && len(b) == 16 {
		d.text = appendUUID(d.text[:0], b)
		b = d.text
	}
	switch d.want {
	case KindString:
		if d.intern != nil {
			dst.str[j] = d.intern.get(b)
		} else {
			dst.str[j] = string(b)
		}
	case KindFloat64:
		s := strings.TrimSpace(string(b))
		x, err := parseFloatText(s)
		if err != nil {
			// Text as spreadsheets write amounts, read as a CSV file's:
			// "$12.50", "(12.50)", "1,234.50".
			if y, perr := parseNumber(s); perr == nil {
				x, err = y, nil
			}
		}
		if err != nil {
			return bad(j, &valueError{raw: string(b), want: "number"})
		}
		return d.setFloat(dst, j, x, bad)
	case KindTime:
		t, err := d.times.parse(string(b))
		if err != nil {
			return bad(j, err)
		}
		dst.times[j] = t
	}
	return true
}

// timestamp converts a TIMESTAMP value. One not adjusted to UTC is a wall
// clock reading, placed in the decoder's location.
func (d *columnDecoder) timestamp(x int64) time.Time {
	var t time.Time
	switch d.typ.tsUnit {
	case time.Millisecond:
		t = time.UnixMilli(x).UTC()
	case time.Microsecond:
		t = time.UnixMicro(x).UTC()
	default:
		t = time.Unix(0, x).UTC()
	}
	if !d.typ.tsUTC && d.times.loc != time.UTC {
		t = WallTime(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), d.times.loc)
	}
	return t
}

// date converts a DATE (days since 1970-01-01) to midnight in the
// decoder's location.
func (d *columnDecoder) date(days int64) time.Time {
	if d.times.loc == time.UTC {
		return time.Unix(days*86400, 0).UTC()
	}
	return StartOfDay(1970, time.January, 1+int(days), d.times.loc)
}
