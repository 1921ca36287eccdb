package data

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
)

// exampleText renders a Parquet value for a person.
func exampleText(v parquet.Value, lt leafType) string {
	if v.IsNull() {
		return "null"
	}
	var s string
	switch {
	case lt.uuid && len(v.ByteArray()) == 16:
		s = string(appendUUID(nil, v.ByteArray()))
	case lt.decimal && (lt.phys == parquet.Int32 || lt.phys == parquet.Int64):
		s = strconv.FormatFloat(float64(v.Int64())/math.Pow10(lt.scale), 'f', lt.scale, 64)
	case lt.decimal:
		s = strconv.FormatFloat(decimalBytes(v.ByteArray(), lt.scale), 'f', lt.scale, 64)
	case lt.phys == parquet.Int96:
		s = int96Time(v.Int96()).Format(time.RFC3339Nano)
	case lt.date && lt.phys == parquet.Int32:
		s = time.Unix(v.Int64()*86400, 0).UTC().Format(time.DateOnly)
	case lt.tsUnit != 0 && lt.phys == parquet.Int64:
		t := time.Unix(0, v.Int64()*int64(lt.tsUnit)).UTC()
		if s = t.Format("2006-01-02 15:04:05.999999999"); lt.tsUTC {
			s += " UTC"
		}
	case lt.isBytes():
		// Text as written, but bytes that are not printable text quoted
		// with escapes: a NUL or a line break would break the table.
		if s = string(v.ByteArray()); !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) {
			s = strconv.QuoteToGraphic(s)
		}
	default:
		s = v.String()
	}
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:37]) + "…"
	}
	return s
}
