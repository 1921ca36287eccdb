package data

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// WriteCSV writes t to w as CSV with a header row. Floats are formatted
// with strconv's 'g' and the shortest precision that reads back to the
// same float64; times as RFC 3339 with nanoseconds in UTC; a null is an
// empty field. Fields are quoted as encoding/csv quotes them (the bytes
// are those of a csv.Writer), but each row is formatted into one buffer
// with strconv's Append functions: no string per cell.
func WriteCSV(w io.Writer, t *Table) error {
	if err := t.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var line []byte
	for j := range t.Columns {
		if j > 0 {
			line = append(line, ',')
		}
		line = appendCSVField(line, t.Columns[j].Name)
	}
	line = append(line, '\n')
	if _, err := bw.Write(line); err != nil {
		return fmt.Errorf("data: write csv: %w", err)
	}
	for i := range t.NumRows() {
		line = line[:0]
		for j := range t.Columns {
			if j > 0 {
				line = append(line, ',')
			}
			line = appendCSVCell(line, &t.Columns[j], i)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("data: write csv: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("data: write csv: %w", err)
	}
	return nil
}

// appendCSVCell appends row i of c as a CSV field: the text of cellText,
// quoted where needed. Numbers, booleans and times never need quotes.
func appendCSVCell(b []byte, c *Column, i int) []byte {
	if c.IsNull(i) {
		return b
	}
	switch c.Kind {
	case KindString:
		return appendCSVField(b, c.Strings[i])
	case KindFloat64:
		return appendFloat(b, c.Floats[i])
	case KindInt64:
		return strconv.AppendInt(b, c.Ints[i], 10)
	case KindBool:
		return strconv.AppendBool(b, c.Bools[i])
	case KindTime:
		return c.Times[i].UTC().AppendFormat(b, time.RFC3339Nano)
	}
	return b
}

// appendFloat appends strconv.FormatFloat(v, 'g', -1, 64). Whole numbers
// below a million (counts, days) take a shortcut that gives the same text:
// 'g' with the shortest precision writes them as integers.
func appendFloat(b []byte, v float64) []byte {
	if v == math.Trunc(v) && math.Abs(v) < 1e6 && (v != 0 || !math.Signbit(v)) {
		return strconv.AppendInt(b, int64(v), 10)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// appendCSVField appends s as encoding/csv's Writer writes a field (comma
// separator, LF line ends): quoted when it contains a comma, a quote, CR
// or LF, begins with a space, or is `\.`; quotes inside doubled.
func appendCSVField(b []byte, s string) []byte {
	if !csvNeedsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}

// csvNeedsQuotes is encoding/csv's fieldNeedsQuotes for a comma separator.
func csvNeedsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n', '\r', '"', ',':
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}
