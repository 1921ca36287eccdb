package data

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// CSVDialect says how a CSV file separates its fields and writes decimal
// numbers. The zero value detects both.
//
// Detection is safe or fails, it never guesses silently:
//
//   - Delimiter: the header row's ';' and ',' outside quotes are counted;
//     more ';' than ',' means ';', otherwise ','. A header with as many
//     of both (at least one) is an error asking for the delimiter. A
//     header with more tabs than either is tab-separated (TSV exports,
//     whose column names may hold a ","), and one with neither but with
//     '|' pipe-separated. Beside a tab or '|' a '"' inside a field is
//     read as text (such files are seldom quoted: 55" TV).
//
//   - Decimal: with a ',' delimiter numbers use a decimal point. With ';',
//     tab or '|' the numeric cells of the first 64 KiB are looked at
//     (beside a tab or '|', "1,250" reads either way, as "1.234" does):
//     cells such as "12,50" or "1.234,50" (^-?\d+(\.\d{3})*,\d+$) mean a
//     decimal comma, where "." groups thousands; cells such as "12.5"
//     mean a decimal point. Both kinds in one file is an error, and so is
//     a file whose only decimals read either way ("1.234": 1.234 or 1234).
//     When those cells are whole numbers only, the first later cell that
//     shows a mark decides it, and a later cell that reads either way
//     before that is an error (the numbers before it, whole, read the
//     same with either mark).
//
//   - Encoding: UTF-8 (with or without a byte order mark), unless the
//     first 64 KiB hold a byte of 0x80 or more that is no part of a UTF-8
//     sequence and none that is part of a valid multi-byte one: then the
//     file is Windows-1252 (which covers ISO-8859-1's characters), as
//     spreadsheets and older systems in Western Europe and the Americas
//     write it, and is read as such ("Müller", "€12" as written). A
//     UTF-8 file with a stray byte stays UTF-8 when its start holds a
//     character beyond ASCII. UTF-16 is an error.
//
// A cell later in the file that does not fit the decision is an error
// naming its row and what to set (orders.decimal), never a misread; a
// non-UTF-8 byte later in a file read as UTF-8 is rejected in an id and
// replaced by U+FFFD in other text (set orders.encoding).
type CSVDialect struct {
	Delimiter rune   // ',', ';', '\t' or '|'; 0 detects it
	Decimal   rune   // '.' or ','; 0 detects it
	Encoding  string // EncodingUTF8 or EncodingWindows1252 (ParseEncoding); "" detects it
}

// ParseCSVDialect reads the config's delimiter (",", ";", "|", "\t" or
// "tab"; "" detects) and decimal ("." or ","; "" detects).
func ParseCSVDialect(delimiter, decimal string) (CSVDialect, error) {
	var d CSVDialect
	switch delimiter {
	case "":
	case ",", ";", "|", "\t":
		d.Delimiter = rune(delimiter[0])
	case "tab":
		d.Delimiter = '\t'
	default:
		return d, fmt.Errorf(`delimiter: want ",", ";", "|" or "tab", got %q`, delimiter)
	}
	switch decimal {
	case "":
	case ".", ",":
		d.Decimal = rune(decimal[0])
	default:
		return d, fmt.Errorf(`decimal: want "." or ",", got %q`, decimal)
	}
	return d, nil
}

// csvPeek is how much of a file's start detection looks at.
const csvPeek = 64 << 10

// detectDelimiter returns the delimiter of a file whose first bytes are
// head (see CSVDialect); setting is the config key that sets it, or "".
func detectDelimiter(path string, head []byte, setting string) (rune, error) {
	commas, semis, tabs, pipes, quoted := 0, 0, 0, 0, false
	for _, c := range head {
		if c == '"' {
			quoted = !quoted
		}
		if quoted {
			continue
		}
		if c == '\n' {
			break
		}
		switch c {
		case ',':
			commas++
		case ';':
			semis++
		case '\t':
			tabs++
		case '|':
			pipes++
		}
	}
	switch {
	case tabs > commas && tabs > semis:
		return '\t', nil
	case commas == 0 && semis == 0 && pipes > 0:
		return '|', nil
	case semis > commas:
		return ';', nil
	case commas == semis && commas > 0:
		fix := `quote the column names that hold "," or ";"`
		if setting != "" {
			fix = "set " + setting + ` to the file's delimiter (",", ";", "|" or "tab")`
		}
		return 0, fmt.Errorf(`data: %s: cannot tell the field delimiter: the header has as many "," as ";" (%d) outside quotes; %s`, path, commas, fix)
	}
	return ',', nil
}

// newCSVReader returns a csv.Reader of r with field delimiter comma,
// lenient with quotes beside a tab or '|' (LazyQuotes): TSV and
// pipe-separated exports seldom quote, and a '"' in a field (55" TV) is
// text there.
func newCSVReader(r io.Reader, comma rune) *csv.Reader {
	cr := csv.NewReader(r)
	cr.Comma, cr.LazyQuotes = comma, comma == '\t' || comma == '|'
	return cr
}

// sampleRecords parses the whole records of head (the file's first
// bytes) after the header, at most 1,000.
func sampleRecords(head []byte, comma rune) [][]string {
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 && len(head) == csvPeek {
		head = head[:i+1] // the last line may be cut
	}
	r := newCSVReader(bytes.NewReader(head), comma)
	r.FieldsPerRecord = -1
	var recs [][]string
	for len(recs) <= InspectSample {
		rec, err := r.Read()
		if err != nil {
			break
		}
		recs = append(recs, rec)
	}
	if len(recs) == 0 {
		return nil
	}
	// The header, rows with another number of fields and repeated headers
	// are not data: the read rejects the last two.
	header := recs[0]
	data := recs[:0]
	for _, rec := range recs[1:] {
		if len(rec) == len(header) && !repeatsHeader(rec, header) {
			data = append(data, rec)
		}
	}
	return data
}

// peekHead returns the first csvPeek bytes of r (fewer for a shorter
// file) without consuming them.
func peekHead(r *bufio.Reader) ([]byte, error) {
	head, err := r.Peek(csvPeek)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	return head, nil
}

// sepLine returns the delimiter a file's first line names the way Excel
// reads it, "sep=;" (after an optional UTF-8 byte order mark), and the
// length of that line with its line end; 0, 0 when head does not start
// with one.
func sepLine(head []byte) (rune, int) {
	line := bytes.TrimPrefix(head, []byte("\ufeff"))
	bom := len(head) - len(line)
	rest, ok := bytes.CutPrefix(line, []byte("sep="))
	if !ok || len(rest) < 2 || !bytes.ContainsRune([]byte(",;\t|"), rune(rest[0])) {
		return 0, 0
	}
	switch {
	case rest[1] == '\n':
		return rune(rest[0]), bom + len("sep=") + 2
	case rest[1] == '\r' && len(rest) > 2 && rest[2] == '\n':
		return rune(rest[0]), bom + len("sep=") + 3
	}
	return 0, 0
}

// tableDecimals rewrites, in place, the columns of a ";", tab or "|"
// table (cells[j] is column j) that use a decimal comma as strconv reads
// numbers, column by column: a column whose numbers have a decimal comma
// ("12,50") and are otherwise integers becomes numeric; a column whose
// only decimals read either way ("1.234", or "1,250" beside tabs) is
// text: text[j] is set, and it must not be typed as a number; a column
// with both marks is an error naming it.
func tableDecimals(path string, comma rune, header []string, cells [][]string) (text []bool, err error) {
	text = make([]bool, len(cells))
	if !cellsDecideDecimal(comma) {
		return text, nil
	}
	for j, vals := range cells {
		e := newDecimalEvidence(comma)
		for _, s := range vals {
			e.add(s, header[j])
		}
		dec, err := e.decide(path, "write one decimal mark per column")
		switch {
		case err != nil:
			return nil, err
		case dec == 0:
			text[j] = true
		case dec == ',':
			cells[j] = commaColumn(vals, dec)
		}
	}
	return text, nil
}

// pointColumn returns the values of a column as strconv reads numbers
// when the file's decimal mark is a point and every non-empty value is a
// number the order lines' reader reads (parseNumber), at least one with a
// currency sign or thousands separators ("$1,234.50" → "1234.50"; not
// "1,250", which the reader refuses); it returns vals itself otherwise.
// Values strconv reads are kept as they are ("007" stays an id's text).
func pointColumn(vals []string) []string {
	var out []string
	for i, s := range vals {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if _, err := parseFloatText(s); err == nil {
			continue
		}
		t := stripCurrency(s)
		if pointGroupedRE.MatchString(t) {
			t = strings.ReplaceAll(t, ",", "")
		}
		if _, err := parseFloatText(t); err != nil {
			return vals
		}
		if out == nil {
			out = slices.Clone(vals)
		}
		out[i] = t
	}
	if out == nil {
		return vals
	}
	return out
}

// commaColumn returns the values of a column as strconv reads numbers
// when the file's decimal mark is dec = ',' and every non-empty value is
// a number with a decimal comma or an integer, at least one with a comma
// ("12,50" → "12.50"); it returns vals itself otherwise.
func commaColumn(vals []string, dec rune) []string {
	if dec != ',' {
		return vals
	}
	out, comma := make([]string, len(vals)), false
	for i, s := range vals {
		s = stripCurrency(s) // "66,06 €", as the reader reads it (parseDecimal)
		if s == "" {
			continue
		}
		v, ok := commaNumber(s)
		if !ok {
			return vals
		}
		out[i], comma = v, comma || strings.Contains(s, ",")
	}
	if !comma {
		return vals
	}
	return out
}
