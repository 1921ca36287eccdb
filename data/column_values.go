package data

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Values of a Column read as another type: the optional tables (customers,
// products, events) give ids, flags and times in whatever type the file
// stores them.

// Text returns row i as text, "" for a null: strings as they are, numbers
// in their shortest exact form, booleans as true or false and times as UTC
// RFC 3339 (whole seconds).
func (c *Column) Text(i int) string {
	if c.IsNull(i) {
		return ""
	}
	switch c.Kind {
	case KindString:
		return c.Strings[i]
	case KindInt64:
		return strconv.FormatInt(c.Ints[i], 10)
	case KindFloat64:
		return strconv.FormatFloat(c.Floats[i], 'g', -1, 64)
	case KindBool:
		return strconv.FormatBool(c.Bools[i])
	case KindTime:
		return c.Times[i].UTC().Format(time.RFC3339)
	}
	return ""
}

// Bool returns row i as a boolean, whether it is null and whether it could
// be read. A boolean column is read as it is, an integer column of 0 and 1
// as false and true, and a string column (case and surrounding spaces
// ignored) of true/false, yes/no, y/n, t/f, 1/0, on/off,
// subscribed/unsubscribed (a Mailchimp status), or yes and no in the
// languages of the stores this tool is made for, as their exports write
// them: ja/nein (German), ja/nee (Dutch), oui/non (French), sí or si/no
// (Spanish), sì or si/no (Italian), sim/não or nao (Portuguese), tak/nie
// (Polish), da/nu (Romanian), 是/否 (Chinese); a blank string, or a word
// for a missing value (CleanID: NULL, N/A, …), is null.
func (c *Column) Bool(i int) (v, null, ok bool) {
	if c.IsNull(i) {
		return false, true, true
	}
	switch c.Kind {
	case KindBool:
		return c.Bools[i], false, true
	case KindInt64:
		return c.Ints[i] != 0, false, c.Ints[i] == 0 || c.Ints[i] == 1
	case KindString:
		switch strings.ToLower(CleanID(c.Strings[i])) {
		case "true", "yes", "y", "1", "t", "on", "subscribed",
			"ja", "oui", "sí", "si", "sì", "sim", "tak", "da", "是":
			return true, false, true
		case "false", "no", "n", "0", "f", "off", "unsubscribed",
			"nein", "nee", "non", "não", "nao", "nie", "nu", "否":
			return false, false, true
		case "":
			return false, true, true
		}
	}
	return false, false, false
}

// Float64s returns a float or integer column as float64s, and false for
// any other kind. A float column's slice is returned as it is, not copied.
func (c *Column) Float64s() ([]float64, bool) {
	switch c.Kind {
	case KindFloat64:
		return c.Floats, true
	case KindInt64:
		v := make([]float64, len(c.Ints))
		for i, x := range c.Ints {
			v[i] = float64(x)
		}
		return v, true
	}
	return nil, false
}

// IDStrings returns a string or integer column of the file at path as
// customer (or product) ids; an integer is written in decimal. The strings
// of a string column are trimmed of white space at either end, and the
// words for a missing value are missing ids (CleanID), as in the order
// lines; they are copied only when one changes. c holds the file's rows
// from first+1 on (a piece of the file, as ScanTable gives it): errors
// name the file's row.
func IDStrings(path string, c Column, first int64) ([]string, error) {
	switch c.Kind {
	case KindString:
		ids := c.Strings
		for i, id := range c.Strings {
			if t := CleanID(id); len(t) != len(id) {
				if &ids[0] == &c.Strings[0] {
					ids = slices.Clone(c.Strings)
				}
				ids[i] = t
			}
		}
		return ids, nil
	case KindInt64:
		ids := make([]string, len(c.Ints))
		for i, v := range c.Ints {
			ids[i] = strconv.FormatInt(v, 10)
		}
		return ids, nil
	}
	if c.Kind == KindFloat64 {
		if i := firstFraction(c); i >= 0 {
			return nil, fmt.Errorf("%s: column %q, row %d: ids must be text or whole numbers, but the column holds decimal numbers (%s, 100.0 written for 100?): export the ids as whole numbers or text, as the order lines write them", path, c.Name, first+int64(i)+1, FormatFloat(c.Floats[i]))
		}
	}
	return nil, fmt.Errorf("%s: column %q: ids must be text or whole numbers", path, c.Name)
}

// firstFraction returns the row of c's first value with a fraction, else
// of its first value (a column of whole numbers stored as floats), or -1
// when every row is null.
func firstFraction(c Column) int {
	at := -1
	for i, v := range c.Floats {
		switch {
		case c.IsNull(i):
		case v != math.Trunc(v):
			return i
		case at < 0:
			at = i
		}
	}
	return at
}
