package data

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
)

// Inspection describes an input file for a person setting segment up:
// its format, size, layout and columns. For a glob or a directory of parts
// the first file is inspected and Files counts them all.
type Inspection struct {
	Path      string // the file inspected
	Files     int    // files the path names
	Format    string // "parquet", "csv" or "csv.gz"
	Rows      int64  // data rows of the inspected file
	RowGroups []int64
	Codecs    []string // compression codecs used (Parquet)
	// Delimiter and Decimal are a CSV file's field delimiter and decimal
	// mark as detected (CSVDialect); Decimal is "" when they cannot be
	// told apart, and DialectNote then says why and what to set, or when
	// the first rows show no mark (whole numbers only: the run decides
	// on the first number that shows one).
	Delimiter, Decimal, DialectNote string
	// Encoding is a CSV file's text encoding as detected (CSVDialect):
	// EncodingUTF8, EncodingWindows1252, or "" for a plain ASCII start.
	Encoding string
	Columns  []ColumnInfo
	// Duplicates counts the rows among a CSV file's first InspectSample
	// that repeat an earlier one exactly (orders.duplicates).
	Duplicates int

	// numbers holds a CSV file's first InspectSample values of each
	// numeric column, by name, as the reader reads them (NaN where one
	// does not parse): Guess compares a product's prices across lines.
	// ids holds the values of every column as text.
	numbers map[string][]float64
	ids     map[string][]string
}

// ColumnInfo describes one column.
type ColumnInfo struct {
	Name string
	// Type is the Parquet physical and logical type ("INT64
	// TIMESTAMP(MICROS)", "BYTE_ARRAY STRING") or, for CSV, the type
	// inferred from the first rows: integer, number, boolean, time, string.
	Type string
	Kind Kind // the Kind segment reads it as (KindTime for a time string)
	// TimeFormat is the layout of a CSV column of time strings (a Go
	// layout, or a strftime format for day/month dates), "" else.
	TimeFormat string
	// TimeNote says why a column of day/month dates has no TimeFormat:
	// its dates read both ways (03/04/2021) and time_format must be set.
	TimeNote string
	// TimeGuess, with TimeNote, is the day-first format of its dates (time
	// of day included), which a starter config suggests commented out.
	TimeGuess string
	Optional  bool
	// Empty is set when the column holds no value: in no row of a CSV
	// file (empty cells, or words for a missing value), or in none of a
	// Parquet file's rows by its statistics.
	Empty    bool
	Nulls    int64 // nulls (Parquet statistics; CSV: cells of the sample that are empty or a word for a missing value, CleanID); −1 unknown
	Examples []string
	// Offsets are the offsets from UTC other than zero that a CSV column
	// of time strings carries ("-05:00", at most three, in the order
	// seen): the times are instants, and days are counted in
	// orders.timezone, UTC unless set.
	Offsets []string
	// Values are the distinct values of a text column, sorted, when it
	// has at most maxInspectValues of them (a status or a channel): in
	// every row of a CSV file, in the first inspectParquetRows rows of a
	// Parquet file. nil for other columns, and for more values.
	Values []string
	// Repeats is set when a value of the column repeats in the first
	// InspectSample rows (an order id on each line of its order).
	Repeats bool
}

// maxInspectValues bounds the distinct values Inspect lists of a column.
const maxInspectValues = 32

// inspectParquetRows is the number of a Parquet file's first rows whose
// distinct text values Inspect lists.
const inspectParquetRows = 10000

// InspectSample is the number of CSV rows whose values are inspected.
const InspectSample = 1000

// Inspect describes the data file path names (a file, a glob or a
// directory of parts; see OrderSource.Path). It reads a Parquet file's
// footer and first rows, and counts a CSV file's rows while typing its
// columns from the first 1,000.
func Inspect(ctx context.Context, path string) (*Inspection, error) {
	files, err := expandPath(path)
	if err != nil {
		return nil, err
	}
	in := &Inspection{Path: files[0].path, Files: len(files)}
	switch files[0].format {
	case formatParquet:
		in.Format = "parquet"
		err = in.parquet()
	case formatCSV:
		in.Format = "csv"
		err = in.csv(ctx, false)
	case formatCSVGzip:
		in.Format = "csv.gz"
		err = in.csv(ctx, true)
	}
	return in, err
}

func (in *Inspection) parquet() (err error) {
	defer recoverParquet(in.Path, &err)
	f, pf, err := openParquet(in.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	in.Rows = pf.NumRows()
	md := pf.Metadata()
	codecs := map[string]bool{}
	nulls := map[int]int64{}
	for _, rg := range md.RowGroups {
		in.RowGroups = append(in.RowGroups, rg.NumRows)
		for j, c := range rg.Columns {
			codecs[c.MetaData.Codec.String()] = true
			nulls[j] += c.MetaData.Statistics.NullCount
		}
	}
	for c := range codecs {
		in.Codecs = append(in.Codecs, c)
	}
	slices.Sort(in.Codecs)
	// leafOf maps a top-level column's leaf index (its column chunks', its
	// values') to its place in in.Columns: a nested column (a list, a
	// struct, a map) has several leaves, none of them readable as an order
	// column, so the indexes differ after it.
	leafOf := map[int]int{}
	types := map[int]leafType{} // of the leaf columns, by place in in.Columns
	for _, field := range pf.Schema().Fields() {
		info := ColumnInfo{Name: field.Name(), Optional: field.Optional()}
		if !field.Leaf() {
			info.Type, info.Nulls = nestedType, -1
			in.Columns = append(in.Columns, info)
			continue
		}
		t := field.Type()
		types[len(in.Columns)] = leafTypeOf(t)
		j := pf.Root().Column(field.Name()).Index()
		info.Type, info.Kind, info.Nulls = t.String(), leafTypeOf(t).natural(), nulls[j]
		info.Empty = in.Rows > 0 && nulls[j] >= in.Rows
		leafOf[j] = len(in.Columns)
		in.Columns = append(in.Columns, info)
	}
	// A few example values from the first rows.
	if len(pf.RowGroups()) > 0 {
		guard := newPageGuard(in.Path, f, pf.Size())
		for _, col := range leafColumns(pf.Root()) {
			if err := guard.chunk(pf, 0, col); err != nil {
				return err
			}
		}
		rows := pf.RowGroups()[0].Rows()
		defer rows.Close()
		text := make([]distinct, len(in.Columns))
		firsts := make([][]string, len(in.Columns)) // the first InspectSample rows' values (ColumnInfo.Repeats)
		buf := make([]parquet.Row, 256)
		for read := 0; read < inspectParquetRows; {
			n, err := rows.ReadRows(buf)
			for _, row := range buf[:n] {
				for _, v := range row {
					c, ok := leafOf[v.Column()]
					if !ok {
						continue
					}
					if len(in.Columns[c].Examples) < 3 {
						in.Columns[c].Examples = append(in.Columns[c].Examples, exampleText(v, types[c]))
					}
					if in.Columns[c].Kind == KindString && !v.IsNull() {
						text[c].add(string(v.ByteArray()))
					}
					if len(firsts[c]) < InspectSample && !v.IsNull() {
						firsts[c] = append(firsts[c], v.String())
					}
				}
			}
			if read += n; n == 0 || err != nil {
				break
			}
		}
		for c := range text {
			in.Columns[c].Values = text[c].values()
			in.Columns[c].Repeats = repeats(firsts[c])
		}
	}
	for i := range in.Columns {
		numericTime(&in.Columns[i], in.Columns[i].Examples)
	}
	return nil
}

// numericTime marks c, a column of whole numbers whose name says it holds
// times (created_at, order_date…), as times in the numeric format its
// values are written in (numericTimeFormat), if they fit one. values are
// c's examples, or a CSV column's sample, empty cells and all.
func numericTime(c *ColumnInfo, values []string) {
	if c.Kind != KindInt64 || !timeNamed(c.Name) {
		return
	}
	var nums []string
	for _, s := range values {
		if CleanID(s) != "" {
			nums = append(nums, s)
		}
	}
	if f := numericTimeFormat(nums); f != "" {
		c.Kind, c.TimeFormat = KindTime, f
	}
}

func (in *Inspection) csv(ctx context.Context, gz bool) error {
	c, err := openCSV(in.Path, gz, CSVDialect{}, "orders.delimiter")
	if err != nil {
		return err
	}
	defer c.close()
	in.Delimiter, in.Encoding = string(c.comma), c.enc
	all := make([]int, len(c.header))
	for j := range all {
		all[j] = j
	}
	dec, decided, err := detectDecimal(in.Path, c.comma, c.sample, all, c.header)
	switch {
	case err != nil:
		in.DialectNote = err.Error()
	case decided:
		in.Decimal = string(dec)
	}
	if c.comma == ',' && quotedDecimalComma(c.sample, c.header) {
		// "12,50 €" quoted in a file separated by commas (a spreadsheet
		// in a European locale): orders.decimal "," reads them.
		dec, in.Decimal = ',', ","
	}
	sample := make([][]string, len(c.header))
	seen := map[string]bool{}
	filled := make([]bool, len(c.header)) // a value in some row
	// The day/month order of slash dates is decided on every row, as the
	// reader decides it, not only on the sample.
	slash := make([]slashEvidence, len(c.header))
	text := make([]distinct, len(c.header))
	for {
		rec, err := c.r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.Is(err, csv.ErrFieldCount) { // a ragged row, which the read rejects
			return fmt.Errorf("data: %s: %w", in.Path, err)
		}
		in.Rows++
		if err != nil || repeatsHeader(rec, c.header) {
			continue
		}
		if err := c.checkQuotes(in.Path, in.Rows, rec); err != nil {
			return err
		}
		for j, v := range rec {
			if j < len(slash) {
				slash[j].add(v)
				text[j].add(v)
				filled[j] = filled[j] || CleanID(v) != ""
			}
		}
		if in.Rows <= InspectSample {
			key := strings.Join(rec, "\x00")
			if seen[key] {
				in.Duplicates++
			}
			seen[key] = true
			for j, s := range rec {
				if j < len(sample) {
					sample[j] = append(sample[j], strings.Clone(s))
				}
			}
		}
		if in.Rows%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	in.Encoding = c.encoding() // decided past the start where it was plain ASCII
	in.numbers, in.ids = map[string][]float64{}, map[string][]string{}
	for j, name := range c.header {
		vals := sample[j]
		nums := commaColumn(vals, dec) // "12,50" with a decimal comma
		if dec == '.' {
			nums = pointColumn(vals) // "$1,234.50"
		}
		info := ColumnInfo{Name: name, Kind: csvKind(nums), Empty: !filled[j]}
		if info.Kind == KindFloat64 || info.Kind == KindInt64 {
			in.numbers[name] = parsedNumbers(nums)
		}
		in.ids[name] = vals
		for _, s := range vals {
			if CleanID(s) == "" { // empty, or NULL, \N, NaN, …
				info.Nulls++
			} else if len(info.Examples) < 3 {
				info.Examples = append(info.Examples, s)
			}
		}
		info.Optional = info.Nulls > 0
		info.Repeats = repeats(vals)
		if info.Kind == KindString {
			if format, note, ok := slash[j].format(); ok {
				// Day/month dates: the order every date fits, as the
				// reader decides it, or none (and why) when both fit.
				info.Kind, info.TimeFormat, info.TimeNote = KindTime, format, note
				if note != "" {
					info.TimeGuess = slash[j].dayFirst()
				}
			} else if layout := timeLayoutOf(vals); layout != "" {
				info.Kind, info.TimeFormat, info.Offsets = KindTime, layout, offsetsOf(layout, vals)
			}
		}
		numericTime(&info, vals)
		if info.Kind == KindString {
			info.Values = text[j].values()
		}
		info.Type = info.Kind.String()
		switch {
		case info.TimeFormat != "":
			info.Type = fmt.Sprintf("time (%s)", info.TimeFormat)
		case info.TimeNote != "":
			info.Type = "time (day/month order unknown)"
		}
		in.Columns = append(in.Columns, info)
	}
	return nil
}

// inspectTimeLayouts are the time layouts Inspect recognises in text.
var inspectTimeLayouts = []string{
	time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02",
	"2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05-07",
	"2006-01-02 15:04:05 -07:00", "2006-01-02T15:04:05 -07:00", "2006-01-02 15:04Z07:00", "2006-01-02 15:04 -07:00", "2006-01-02 15:04 -0700",
	"2006/01/02 15:04:05", "2006/01/02", "01/02/2006 15:04:05", "01/02/2006 15:04", "1/2/2006 15:04", "01/02/2006",
	"02.01.2006 15:04:05", "02.01.2006", "2.1.2006 15:04", "2.1.2006",
	// BigQuery's text for a TIMESTAMP ("2024-01-05 10:21:33 UTC"): a zone
	// abbreviation, UTC or GMT only (parseIn).
	"2006-01-02 15:04:05 MST", "2006-01-02T15:04:05 MST",
}

// timeLayoutOf returns the first layout that parses every non-empty value
// of vals (at least one), or "".
func timeLayoutOf(vals []string) string {
	for _, layout := range inspectTimeLayouts {
		ok, seen := true, false
		for _, s := range vals {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			seen = true
			if _, err := parseIn(layout, s, time.UTC); err != nil {
				ok = false
				break
			}
		}
		if ok && seen {
			return layout
		}
	}
	return ""
}

// nestedType is the Type of a nested Parquet column (a list, a struct, a
// map): described, never mapped.
const nestedType = "group (nested)"

// offsetsOf returns the distinct offsets from UTC other than zero that
// vals, times in the Go layout, carry (ColumnInfo.Offsets).
func offsetsOf(layout string, vals []string) []string {
	if !hasOffset(layout) {
		return nil
	}
	var out []string
	for _, v := range vals {
		t, err := time.Parse(layout, strings.TrimSpace(v))
		if err != nil {
			continue
		}
		if _, off := t.Zone(); off != 0 {
			if s := t.Format("-07:00"); !slices.Contains(out, s) {
				if out = append(out, s); len(out) == 3 {
					break
				}
			}
		}
	}
	return out
}

// parsedNumbers reads the values a numeric column's sample holds (as
// pointColumn or commaColumn wrote them), NaN for a value that does not
// parse.
func parsedNumbers(vals []string) []float64 {
	out := make([]float64, len(vals))
	for i, s := range vals {
		v, err := parseFloatText(strings.TrimSpace(s))
		if err != nil {
			v = math.NaN()
		}
		out[i] = v
	}
	return out
}
