package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
)

// ReadTable reads a whole small table, a Parquet or CSV (.csv, .csv.gz)
// file, into memory.
//
// Parquet columns keep their type: integers are KindInt64, floating point
// and decimal numbers KindFloat64, booleans KindBool, TIMESTAMP, DATE and
// INT96 KindTime, and everything else (strings, byte arrays) KindString.
// Nulls are flagged in Column.Nulls, with NaN in the slot of a float.
// Nested and repeated columns are errors.
//
// CSV columns are typed by their content, ignoring empty fields: KindInt64
// when every value is an integer, KindFloat64 when every value is a
// number, KindBool when every value is true or false, KindTime when every
// value is an RFC 3339 time, KindString otherwise. A value with a leading
// zero ("007") keeps its column a string, so ids are not mangled. Empty
// fields of a typed column are nulls; in a string column they are "".
// The delimiter is detected (CSVDialect); in a ";" file a column of
// decimal-comma numbers ("12,50") is numeric, a column whose only
// decimals read either way ("1.500") is a string column, and a column
// with both decimal marks is an error.
func ReadTable(ctx context.Context, path string) (*Table, error) {
	f, err := formatOf(path)
	if err != nil {
		return nil, err
	}
	if f == formatParquet {
		return readParquetTable(ctx, path)
	}
	return readCSVTable(ctx, path, f == formatCSVGzip)
}

func readParquetTable(ctx context.Context, path string) (*Table, error) {
	var t *Table
	err := scanParquetTable(ctx, path, true, nil, func(part *Table, _ int64) error {
		t = part
		return nil
	})
	return t, err
}

// ScanTable reads a table as ReadTable does, a piece at a time: fn is
// called with each Parquet row group as a Table of its own (first is the
// index of its first row in the file), in file order, so that memory grows
// with a row group, not with the file; a file without row groups gives one
// empty table. A CSV file is read twice (scanCSVTable): once to type its
// columns as ReadTable types them, from every value, then to give fn
// tables of csvScanRows rows, so that memory grows with csvScanRows rows,
// not with the file; a file without rows gives one empty table. The
// tables given to fn are not reused; an error from fn stops the scan and
// is returned.
func ScanTable(ctx context.Context, path string, fn func(t *Table, first int64) error) error {
	return scanTableColumns(ctx, path, nil, false, fn)
}

// ScanTableRagged is ScanTable keeping the rows of a CSV file whose
// number of fields is not the header's, which ScanTable stops at: each is
// a row of the table with every cell empty (so that rows keep their
// place: first plus the row's index is still its row in the file), listed
// in the table's Ragged with its fields. A reader of such a table rejects
// those rows. A Parquet file has none.
func ScanTableRagged(ctx context.Context, path string, fn func(t *Table, first int64) error) error {
	return scanTableColumns(ctx, path, nil, true, fn)
}

// scanTableColumns is ScanTable (ScanTableRagged with ragged) reading
// only the columns named in cols (all with nil) of a Parquet file, whose
// other columns are not decoded; a CSV file's tables keep every column.
func scanTableColumns(ctx context.Context, path string, cols []string, ragged bool, fn func(t *Table, first int64) error) error {
	f, err := formatOf(path)
	if err != nil {
		return err
	}
	if f == formatParquet {
		return scanParquetTable(ctx, path, false, cols, fn)
	}
	return scanCSVTable(ctx, path, f == formatCSVGzip, ragged, fn)
}

// scanParquetTable reads the row groups of a Parquet file into tables and
// gives them to fn: one table of the whole file when whole, else one per
// row group; only the columns named in cols, or all with nil.
func scanParquetTable(ctx context.Context, path string, whole bool, cols []string, fn func(t *Table, first int64) error) (err error) {
	defer recoverParquet(path, &err)
	f, pf, err := openParquet(path)
	if err != nil {
		return err
	}
	defer f.Close()
	times := newTimeParser("", time.UTC)
	leaves := pf.Root().Columns()
	if cols != nil {
		leaves = slices.DeleteFunc(slices.Clone(leaves), func(c *parquet.Column) bool { return !slices.Contains(cols, c.Name()) })
	}
	decs := make([]*columnDecoder, len(leaves))
	kinds := make([]Kind, len(leaves))
	for i, col := range leaves {
		kinds[i] = KindString
		if col.Leaf() {
			kinds[i] = leafTypeOf(col.Type()).natural()
		}
		if decs[i], err = newColumnDecoder(path, col, kinds[i], false, times); err != nil {
			return err
		}
	}
	newTable := func() *Table {
		t := &Table{Columns: make([]Column, len(leaves))}
		for i, col := range leaves {
			t.Columns[i] = Column{Name: col.Name(), Kind: kinds[i], Wall: kinds[i] == KindTime && col.Leaf() && leafTypeOf(col.Type()).wall()}
		}
		return t
	}
	t := newTable()
	var vec vector
	var first, base int64 // the file's row of the group, and of t's first row
	guard := newPageGuard(path, f, pf.Size())
	for g, rg := range pf.RowGroups() {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunks := rg.ColumnChunks()
		for i, col := range leaves {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := guard.chunk(pf, g, col); err != nil {
				return err
			}
			c := &t.Columns[i]
			if whole {
				reserve(c, int(pf.NumRows()))
			} else {
				reserve(c, int(rg.NumRows()))
			}
			if err := readChunk(decs[i], chunks[col.Index()], first, rg.NumRows(), base, &vec, c); err != nil {
				return err
			}
		}
		first += rg.NumRows()
		if !whole {
			if err := fn(t, base); err != nil {
				return err
			}
			t, base = newTable(), first
		}
	}
	if whole || len(pf.RowGroups()) == 0 { // a file without rows still has its columns
		return fn(t, 0)
	}
	return nil
}

// readChunk appends the n values of one column chunk, rows first… of the
// file, to c, whose first row is the file's row base.
func readChunk(d *columnDecoder, chunk parquet.ColumnChunk, first, n, base int64, vec *vector, c *Column) error {
	pages := chunk.Pages()
	defer pages.Close()
	for row := first; row < first+n; {
		page, err := pages.ReadPage()
		if errors.Is(err, io.EOF) {
			return &ColumnError{File: d.file, Column: d.column, Row: row + 1,
				Err: fmt.Errorf("%w: the column ends before its row group", ErrNotParquet)}
		}
		if err != nil {
			return &ColumnError{File: d.file, Column: d.column, Row: row + 1, Err: fmt.Errorf("%w: %w", ErrNotParquet, err)}
		}
		err = d.decode(page, row, vec)
		parquet.Release(page)
		if err != nil {
			return err
		}
		k := min(vec.n, int(first+n-row))
		appendVector(c, vec, k, int(row-base))
		row += int64(k)
	}
	return nil
}

// reserve makes room in c's values for n rows in all, so that the pages
// of a row group are appended without growing the slices page by page (a
// copy and garbage each time). It trusts the footer's row count only so
// far: a file that claims more rows than it holds makes it reserve at
// most maxReserve rows more.
func reserve(c *Column, n int) {
	n = min(n, c.Len()+maxReserve)
	if n <= c.Len() {
		return
	}
	switch c.Kind {
	case KindString:
		c.Strings = slices.Grow(c.Strings, n-len(c.Strings))
	case KindFloat64:
		c.Floats = slices.Grow(c.Floats, n-len(c.Floats))
	case KindInt64:
		c.Ints = slices.Grow(c.Ints, n-len(c.Ints))
	case KindBool:
		c.Bools = slices.Grow(c.Bools, n-len(c.Bools))
	case KindTime:
		c.Times = slices.Grow(c.Times, n-len(c.Times))
	}
}

// maxReserve bounds the rows reserve adds at once.
const maxReserve = 1 << 20

// appendVector appends the first k values of v to c; c already has rows
// values.
func appendVector(c *Column, v *vector, k, rows int) {
	if v.hasNul {
		if c.Nulls == nil {
			c.Nulls = make([]bool, rows, rows+k)
		}
		c.Nulls = append(c.Nulls, v.null[:k]...)
	} else if c.Nulls != nil {
		c.Nulls = append(c.Nulls, make([]bool, k)...)
	}
	switch c.Kind {
	case KindString:
		c.Strings = append(c.Strings, v.str[:k]...)
	case KindFloat64:
		start := len(c.Floats)
		c.Floats = append(c.Floats, v.num[:k]...)
		if v.hasNul {
			for i, null := range v.null[:k] {
				if null {
					c.Floats[start+i] = math.NaN()
				}
			}
		}
	case KindInt64:
		c.Ints = append(c.Ints, v.ints[:k]...)
	case KindBool:
		c.Bools = append(c.Bools, v.bools[:k]...)
	case KindTime:
		c.Times = append(c.Times, v.times[:k]...)
	}
}

func readCSVTable(ctx context.Context, path string, gz bool) (*Table, error) {
	c, err := openCSV(path, gz, CSVDialect{}, "")
	if err != nil {
		return nil, err
	}
	defer c.close()
	cells := make([][]string, len(c.header))
	for row := 1; ; row++ {
		if row%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := c.r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("data: %s: %w", path, err)
		}
		if err := c.checkQuotes(path, int64(row), rec); err != nil {
			return nil, err
		}
		for j, s := range rec {
			cells[j] = append(cells[j], s)
		}
	}
	text, err := tableDecimals(path, c.comma, c.header, cells)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: make([]Column, len(c.header))}
	for j, name := range c.header {
		if text[j] { // numbers that read either way: kept as written
			t.Columns[j] = Column{Name: name, Kind: KindString, Strings: cells[j]}
			continue
		}
		t.Columns[j] = typedColumn(name, cells[j])
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// typedColumn builds a column from CSV text, typed by content.
func typedColumn(name string, vals []string) Column {
	return typedColumnOf(name, vals, csvKind(vals))
}

// typedColumnOf builds a column of kind k from CSV text (as csvKind typed
// it).
func typedColumnOf(name string, vals []string, k Kind) Column {
	c := Column{Name: name, Kind: k}
	if c.Kind == KindString {
		c.Strings = vals
		return c
	}
	for i, s := range vals {
		s = strings.TrimSpace(s)
		null := s == ""
		if null {
			if c.Nulls == nil {
				c.Nulls = make([]bool, len(vals))
			}
			c.Nulls[i] = true
		}
		switch c.Kind {
		case KindInt64:
			x, _ := strconv.ParseInt(s, 10, 64)
			c.Ints = append(c.Ints, x)
		case KindFloat64:
			x := math.NaN()
			if !null {
				x, _ = strconv.ParseFloat(s, 64)
			}
			c.Floats = append(c.Floats, x)
		case KindBool:
			c.Bools = append(c.Bools, strings.EqualFold(s, "true"))
		case KindTime:
			var t time.Time
			if !null {
				t, _ = time.Parse(time.RFC3339Nano, s)
			}
			c.Times = append(c.Times, t)
		}
	}
	return c
}

// csvKind is the narrowest kind every non-empty value of a CSV column
// parses as.
func csvKind(vals []string) Kind {
	k := newKindState()
	for _, s := range vals {
		if k.add(s) {
			break
		}
	}
	return k.kind()
}

// kindState is csvKind a value at a time: the kinds that every non-empty
// value seen so far parses as.
type kindState struct {
	isInt, isFloat, isBool, isTime, seen bool
}

// newKindState is the state before any value: every kind still possible.
func newKindState() kindState {
	return kindState{isInt: true, isFloat: true, isBool: true, isTime: true}
}

// add notes the value s and reports whether the column is known to be
// KindString whatever follows.
func (k *kindState) add(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	k.seen = true
	if !k.isInt && !k.isFloat && !k.isBool && !k.isTime {
		return true
	}
	if leadingZero(s) {
		k.isInt, k.isFloat = false, false
	}
	if k.isInt {
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			k.isInt = false
		}
	}
	if k.isFloat && !k.isInt {
		if _, err := parseFloatText(s); err != nil {
			k.isFloat = false
		}
	}
	if k.isBool && !strings.EqualFold(s, "true") && !strings.EqualFold(s, "false") {
		k.isBool = false
	}
	if k.isTime {
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			k.isTime = false
		}
	}
	return !k.isInt && !k.isFloat && !k.isBool && !k.isTime
}

// kind is the kind of the values seen.
func (k *kindState) kind() Kind {
	switch {
	case !k.seen:
		return KindString
	case k.isInt:
		return KindInt64
	case k.isFloat:
		return KindFloat64
	case k.isBool:
		return KindBool
	case k.isTime:
		return KindTime
	}
	return KindString
}

// leadingZero reports whether s is a number written with a leading zero
// ("007", "-01"), which is an id rather than a number.
func leadingZero(s string) bool {
	s = strings.TrimLeft(s, "+-")
	return len(s) > 1 && s[0] == '0' && s[1] >= '0' && s[1] <= '9'
}
