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
	"unsafe"
)

// WriteCSV writes t to w as CSV with a header row. Floats are rounded to
// 12 significant digits and written in strconv's shortest 'g' form (see
// FormatFloat); times as RFC 3339 with nanoseconds in UTC; a null is an
// empty field. Fields are quoted as encoding/csv quotes them (the bytes
// are those of a csv.Writer), but each row is formatted into one buffer
// with strconv's Append functions: no string per cell.
func WriteCSV(w io.Writer, t *Table) error {
	if err := t.Validate(); err != nil { // before its rows are sliced
		return err
	}
	return WriteCSVChunks(w, Whole(t))
}

// csvChunkRows is the number of rows WriteCSVChunks asks for at a time.
const csvChunkRows = 1 << 16

// WriteCSVChunks is WriteCSV of a table given by ranges of rows: the same
// bytes as WriteCSV of the whole table.
func WriteCSVChunks(w io.Writer, c Chunks) error { return writeCSVChunks(w, c, false) }

// WriteExcelCSVChunks is WriteCSVChunks for a file meant for a
// spreadsheet: every text cell, and every column name of the header (a
// feature table's column may be named "=cmd"), goes through ExcelSafe.
func WriteExcelCSVChunks(w io.Writer, c Chunks) error { return writeCSVChunks(w, c, true) }

// writeCSVChunks is WriteCSVChunks, with text cells made ExcelSafe when
// excel.
func writeCSVChunks(w io.Writer, c Chunks, excel bool) error {
	n := c.NumRows()
	first, err := CheckedRows(c, 0, min(n, csvChunkRows), nil)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var line []byte
	for j := range first.Columns {
		if j > 0 {
			line = append(line, ',')
		}
		name := first.Columns[j].Name
		if excel {
			name = ExcelSafe(name)
		}
		line = appendCSVField(line, name)
	}
	line = append(line, '\n')
	if _, err := bw.Write(line); err != nil {
		return fmt.Errorf("data: write csv: %w", err)
	}
	memo := make([]quoteMemo, len(first.Columns))
	for j := range memo {
		memo[j].excel = excel
	}
	t := first
	for lo := 0; lo < n; lo += csvChunkRows {
		hi := min(lo+csvChunkRows, n)
		if lo > 0 {
			if t, err = CheckedRows(c, lo, hi, first); err != nil {
				return err
			}
		}
		for i := range hi - lo {
			line = line[:0]
			for j := range t.Columns {
				if j > 0 {
					line = append(line, ',')
				}
				line = appendCSVCell(line, &t.Columns[j], i, &memo[j])
			}
			line = append(line, '\n')
			if _, err := bw.Write(line); err != nil {
				return fmt.Errorf("data: write csv: %w", err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("data: write csv: %w", err)
	}
	return nil
}

// quoteMemo remembers whether a column's strings need quotes, by their
// bytes' address and length, in a few slots chosen by the address: the
// strings of a column of labels (cluster names, segments, categories)
// share a few backing arrays, and a label is then checked once instead of
// byte by byte in every row, even when the rows alternate between labels.
type quoteMemo struct {
	slots [quoteSlots]quoteSlot
	excel bool // the column's text is made ExcelSafe
}

// quoteSlots is the number of labels a quoteMemo holds at once; more
// distinct labels only share slots.
const (
	quoteBits  = 5
	quoteSlots = 1 << quoteBits
)

type quoteSlot struct {
	data  *byte
	n     int
	quote bool
	safe  bool // the text needs ExcelSafe's quote mark
}

// look returns the slot of s, filled with csvNeedsQuotes(s) and whether
// ExcelSafe changes s unless it already held s (the same bytes at the same
// address).
func (m *quoteMemo) look(s string) *quoteSlot {
	p := unsafe.StringData(s)
	h := (uint64(uintptr(unsafe.Pointer(p))) ^ uint64(len(s))) * 0x9e3779b97f4a7c15
	e := &m.slots[h>>(64-quoteBits)]
	if e.data != p || e.n != len(s) {
		*e = quoteSlot{data: p, n: len(s), quote: csvNeedsQuotes(s), safe: m.excel && ExcelSafe(s) != s}
	}
	return e
}

// appendCSVCell appends row i of c as a CSV field: the text of cellText,
// quoted where needed. Numbers, booleans and times never need quotes.
func appendCSVCell(b []byte, c *Column, i int, memo *quoteMemo) []byte {
	if c.IsNull(i) {
		return b
	}
	switch c.Kind {
	case KindString:
		s := c.Strings[i]
		e := memo.look(s)
		quote := e.quote
		if e.safe {
			s, quote = ExcelSafe(s), csvNeedsQuotes(ExcelSafe(s))
		}
		if !quote {
			return append(b, s...)
		}
		return appendCSVField(b, s)
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

// csvFloatDigits is the number of significant digits a float keeps in CSV
// text. Sums and means computed in float64 carry noise in the last digits
// (0.1+0.2 = 0.30000000000000004, 12.34*3/3 = 12.340000000000002): twelve
// digits drop it and keep every figure a store's amounts can hold (cents
// up to ten billion). Parquet and Arrow keep the exact float64.
const csvFloatDigits = 12

// FormatFloat returns v as WriteCSV writes it: rounded to 12 significant
// digits, then in strconv's shortest 'g' form of the rounded value
// (0.30000000000000004 → "0.3", 12.340000000000002 → "12.34",
// 1234567.891 → "1.234567891e+06", 1/3 → "0.333333333333"): the text of
// strconv.FormatFloat(roundFloat(v), 'g', -1, 64). A value with at most 12
// significant digits is written exactly as strconv.FormatFloat(v, 'g', -1,
// 64) writes it.
func FormatFloat(v float64) string { return string(appendFloat(nil, v)) }

// appendFloat appends FormatFloat(v). Whole numbers below a million
// (counts, days) take a shortcut that gives the same text: 'g' with the
// shortest precision writes them as integers. Other normal numbers are
// rounded once to 12 digits (by digits12, or by strconv's 'e' with 12
// digits where digits12 cannot tell), and the digits laid out as 'g' with the shortest precision lays out those of the rounded
// value: they are that value's shortest digits, since a float64 tells
// apart two numbers of 12 significant digits. Subnormals, zeros, NaN and
// infinities go through roundFloat.
func appendFloat(b []byte, v float64) []byte {
	if v == math.Trunc(v) && math.Abs(v) < 1e6 && (v != 0 || !math.Signbit(v)) {
		return strconv.AppendInt(b, int64(v), 10)
	}
	if a := math.Abs(v); !(a >= minNormal && a <= math.MaxFloat64) {
		return strconv.AppendFloat(b, roundFloat(v), 'g', -1, 64)
	}
	if v < 0 {
		b = append(b, '-')
	}
	var digs [csvFloatDigits]byte
	m, exp, ok := digits12(math.Abs(v))
	if ok {
		for i := csvFloatDigits - 2; i >= 0; i -= 2 { // two digits a division
			r := m % 100
			m /= 100
			digs[i], digs[i+1] = digitPairs[2*r], digitPairs[2*r+1]
		}
	} else {
		var buf [32]byte
		e := strconv.AppendFloat(buf[:0], math.Abs(v), 'e', csvFloatDigits-1, 64) // d.ddddddddddde±dd[d]
		digs[0] = e[0]
		copy(digs[1:], e[2:csvFloatDigits+1])
		exp = 0
		for _, c := range e[csvFloatDigits+3:] {
			exp = exp*10 + int(c-'0')
		}
		if e[csvFloatDigits+2] == '-' {
			exp = -exp
		}
	}
	nd := csvFloatDigits
	for nd > 1 && digs[nd-1] == '0' {
		nd--
	}
	// As strconv's 'g' with the shortest precision: %e when the exponent
	// is below -4 or at least 6, else %f with just the digits there are.
	if exp < -4 || exp >= 6 {
		b = append(b, digs[0])
		if nd > 1 {
			b = append(b, '.')
			b = append(b, digs[1:nd]...)
		}
		b = append(b, 'e')
		if exp < 0 {
			b, exp = append(b, '-'), -exp
		} else {
			b = append(b, '+')
		}
		if exp < 10 {
			b = append(b, '0')
		}
		return strconv.AppendInt(b, int64(exp), 10)
	}
	dp := exp + 1 // digits before the point
	switch {
	case dp <= 0:
		b = append(b, '0', '.')
		for range -dp {
			b = append(b, '0')
		}
		return append(b, digs[:nd]...)
	case dp >= nd:
		b = append(b, digs[:nd]...)
		for range dp - nd {
			b = append(b, '0')
		}
		return b
	}
	b = append(b, digs[:dp]...)
	b = append(b, '.')
	return append(b, digs[dp:nd]...)
}

// digitPairs holds the two digits of 0 to 99.
const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// minNormal is the smallest positive normal float64.
const minNormal = 0x1p-1022

// roundFloat returns v rounded to 12 significant digits: the float64
// nearest to strconv's 'e' text of v with 12 digits. This is FormatFloat's
// definition; appendFloat computes the same text faster.
func roundFloat(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
		return v
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'e', csvFloatDigits-1, 64), 64)
	if err != nil { // cannot happen: strconv's own text of a finite value
		return v
	}
	return r
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

// ExcelSafe returns s with a ' before it when a spreadsheet would read it
// as a formula: text that starts with "=", "+", "-", "@", a tab or a
// carriage return and is not a plain number (OWASP's advice on CSV
// injection: a customer named "=HYPERLINK(…)" must not run in Excel).
// Numbers ("-12.5", "+44") and other text are returned as they are.
func ExcelSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := parseFloatText(s); err == nil && !strings.ContainsAny(s, "InfinityaN") {
			return s // a plain number: not "-Inf" or "+NaN", which Excel reads as formulas
		}
		return "'" + s
	}
	return s
}
