package data

import (
	"fmt"
	"io"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"time"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
)

// MaxRowsPerRowGroup bounds the row groups WriteParquet writes, so that a
// reader holds at most one bounded group per column in memory and large
// files can be read by row group in parallel.
const MaxRowsPerRowGroup = 1 << 18

// createdBy is the writer name recorded in the files WriteParquet writes.
// parquet-go's default embeds its build information, which would make the
// bytes depend on how the binary was built.
const createdBy = "github.com/segment-tool/segment"

// WriteParquet writes t to w as Parquet: one leaf column per Column, in
// order, Snappy-compressed, strings
// dictionary-encoded but for columns of distinct values (see tableLayout),
// row groups of at most MaxRowsPerRowGroup rows, encoded concurrently (one
// per core, at most maxEncoding) and written in order. KindString is BYTE_ARRAY (UTF8),
// KindFloat64 DOUBLE, KindInt64 INT64, KindBool BOOLEAN and KindTime
// TIMESTAMP(MICROS, UTC). A column with Nulls is OPTIONAL, others
// REQUIRED. The same table always gives the same bytes.
func WriteParquet(w io.Writer, t *Table) error {
	if err := t.Validate(); err != nil { // before its rows are sliced
		return err
	}
	return writeParquet(w, Whole(t), tableLayout, MaxRowsPerRowGroup)
}

// WriteParquetRowGroups is WriteParquet with row groups of at most rows
// rows (at most MaxRowsPerRowGroup): for a file read back a few rows at a
// time beside others, as a scale-out run's assignment shards are merged.
func WriteParquetRowGroups(w io.Writer, t *Table, rows int) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return writeParquet(w, Whole(t), tableLayout, min(rows, MaxRowsPerRowGroup))
}

// WriteParquetChunks is WriteParquet of a table given by ranges of rows,
// one row group a range: the file holds the bytes WriteParquet gives the
// whole table, but for a string column with nulls in most of its first
// MaxRowsPerRowGroup rows, whose encoding is chosen from that first range
// (see tableNode).
func WriteParquetChunks(w io.Writer, c Chunks) error {
	return writeParquet(w, c, tableLayout, MaxRowsPerRowGroup)
}

// writeParquet writes c with the given layout, in row groups of rows rows.
func writeParquet(w io.Writer, c Chunks, l parquetLayout, rows int) error {
	if rows <= 0 {
		return fmt.Errorf("data: write parquet: row groups of %d rows", rows)
	}
	n := c.NumRows()
	first, err := CheckedRows(c, 0, min(n, rows), nil)
	if err != nil {
		return err
	}
	s := newParquetStream(w, "parquet", first.Columns, encodeSlots(), l)
	s.groupRows = rows
	t := first
	for lo := 0; lo < n; lo += rows {
		hi := min(lo+rows, n)
		if lo > 0 {
			if t, err = CheckedRows(c, lo, hi, first); err != nil {
				s.fail(err)
				break
			}
		}
		if err := s.write(tableRows{t, 0, hi - lo}); err != nil {
			break // close returns it
		}
	}
	return s.close()
}

// maxEncoding bounds the row groups a Parquet writer encodes at once. A
// group of the assignments (262,144 rows of some 60 columns) takes about
// 100 MB while it is encoded: one per core would make a writer's memory
// grow with the cores (6 GB on 64), for little speed once compression and the
// file are the bottleneck.
const maxEncoding = 4

// encodeSlots returns the semaphore of the row groups a Parquet writer
// encodes at once: one per core, at most maxEncoding.
func encodeSlots() chan struct{} {
	return make(chan struct{}, min(runtime.GOMAXPROCS(0), maxEncoding))
}

// parquetLayout is how a Parquet file's pages are encoded.
type parquetLayout struct {
	codec compress.Codec // the pages' compression
	// plainDistinct writes PLAIN a string column whose first plainSample
	// values are distinct (see distinctStart); other string columns are
	// dictionary-encoded.
	plainDistinct bool
}

// tableLayout is WriteParquet's: Snappy (s2's fast encoder: fastSnappy),
// and PLAIN columns of distinct strings. Snappy is the codec Spark, pyarrow
// and DuckDB write by default, so every Parquet reader decodes it. On the
// assignments of a million customers (56 columns) zstd at its fastest level
// made a file 29 % smaller (82 against 114 MB), but the whole Parquet
// file took 1.85 s of CPU against 0.84 s with Snappy and the other changes
// of that day (BenchmarkWriteOutputs; BENCHMARKS.md, "The outputs'
// codecs"). A dictionary of distinct values (the
// customer_id, an email) holds every value once more, and looking each
// value up in it cost more than the column's compression, for a file no
// smaller.
var tableLayout = parquetLayout{codec: &fastSnappy{}, plainDistinct: true}

// storeLayout is the generator's: zstd at its default level, every string
// column dictionary-encoded. segment gen's files keep the bytes they had
// before WriteParquet changed its layout (their checksums are in run.json
// and in the golden files of the demo).
var storeLayout = parquetLayout{codec: &parquet.Zstd}

// tableRows are rows [lo, hi) of a table, as a row group.
type tableRows struct {
	t      *Table
	lo, hi int
}

func (r tableRows) numRows() int { return r.hi - r.lo }

func (r tableRows) appendValues(dst []parquet.Value, scratch []byte, j, lo, hi int) ([]parquet.Value, []byte) {
	c := &r.t.Columns[j]
	lo, hi = r.lo+lo, r.lo+hi
	start := len(dst)
	// A loop per kind, then the levels in one pass: this runs for every
	// cell of the table, and a switch, a null check and a call per cell
	// cost more than the encoding of most cells.
	dst = slices.Grow(dst, hi-lo)[:start+hi-lo]
	out := dst[start:] // set by index: an append's checks cost a third of the loop
	switch c.Kind {
	case KindString:
		for i, s := range c.Strings[lo:hi] {
			// The value points into s without a copy: parquet-go copies
			// the bytes into its buffers (or its dictionary) and never
			// writes through them.
			out[i] = parquet.ByteArrayValue(unsafe.Slice(unsafe.StringData(s), len(s)))
		}
	case KindFloat64:
		for i, v := range c.Floats[lo:hi] {
			out[i] = parquet.DoubleValue(v)
		}
	case KindInt64:
		for i, v := range c.Ints[lo:hi] {
			out[i] = parquet.Int64Value(v)
		}
	case KindBool:
		for i, v := range c.Bools[lo:hi] {
			out[i] = parquet.BooleanValue(v)
		}
	case KindTime:
		for i, v := range c.Times[lo:hi] {
			out[i] = parquet.Int64Value(v.UnixMicro())
		}
	default:
		panic("data: invalid column kind") // Validate rejects it
	}
	// The levels: none to set in a REQUIRED column (definition and
	// repetition level 0 are the zero Value's; the column writer takes
	// the column from its position, not from the value). In an OPTIONAL
	// column, definition level 1 for a value, a null value for a null.
	if c.Nulls == nil {
		return dst, scratch
	}
	// The level is set in place (SetDefinitionLevel): a Value holds a
	// pointer, and writing a whole one back (Level returns a copy) costs
	// a write barrier while the collector runs.
	for i, null := range c.Nulls[lo:hi] {
		if null {
			out[i] = parquet.NullValue()
		} else {
			out[i].SetDefinitionLevel(1)
		}
	}
	return dst, scratch
}

// tableNode is the schema of t, its fields in column order. String columns
// are dictionary-encoded, but with plainDistinct for a column whose first
// plainSample values are distinct (an id, an email), which is PLAIN.
func tableNode(t *Table, plainDistinct bool) parquet.Node {
	g := make(orderedGroup, len(t.Columns))
	for i := range t.Columns {
		c := &t.Columns[i]
		var n parquet.Node
		switch c.Kind {
		case KindString:
			n = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
			if plainDistinct && distinctStart(c) {
				n = parquet.Encoded(parquet.String(), &parquet.Plain)
			}
		case KindFloat64:
			n = parquet.Leaf(parquet.DoubleType)
		case KindInt64:
			n = parquet.Int(64)
		case KindBool:
			n = parquet.Leaf(parquet.BooleanType)
		case KindTime:
			n = parquet.Timestamp(parquet.Microsecond)
		}
		if c.Nulls != nil {
			n = parquet.Optional(n)
		} else {
			n = parquet.Required(n)
		}
		g[i] = orderedField{Node: n, name: c.Name}
	}
	return g
}

// plainSample is the number of values of a string column that tableNode
// looks at.
const plainSample = 4096

// distinctStart reports whether the first plainSample values of c that are
// not null (all of them, when fewer) are distinct, and there is at least
// one.
func distinctStart(c *Column) bool {
	seen := make(map[string]struct{}, min(len(c.Strings), plainSample))
	for i, s := range c.Strings {
		if c.IsNull(i) {
			continue
		}
		if _, ok := seen[s]; ok {
			return false
		}
		if seen[s] = struct{}{}; len(seen) == plainSample {
			break
		}
	}
	return len(seen) > 0
}

// orderedGroup is a group node whose fields keep the order they were given
// in; parquet.Group is a map and sorts its fields by name.
type orderedGroup []orderedField

type orderedField struct {
	parquet.Node
	name string
}

func (f *orderedField) Name() string { return f.name }

func (f *orderedField) Value(base reflect.Value) reflect.Value {
	panic("data: orderedGroup does not map Go values") // rows are written as parquet.Row
}

func (g orderedGroup) ID() int                     { return 0 }
func (g orderedGroup) String() string              { return "group" }
func (g orderedGroup) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g orderedGroup) Optional() bool              { return false }
func (g orderedGroup) Repeated() bool              { return false }
func (g orderedGroup) Required() bool              { return true }
func (g orderedGroup) Leaf() bool                  { return false }
func (g orderedGroup) Encoding() encoding.Encoding { return nil }
func (g orderedGroup) Compression() compress.Codec { return nil }
func (g orderedGroup) GoType() reflect.Type        { return reflect.TypeFor[map[string]any]() }
func (g orderedGroup) Fields() []parquet.Field {
	fields := make([]parquet.Field, len(g))
	for i := range g {
		fields[i] = &g[i]
	}
	return fields
}

// cellText returns row i of c as CSV text.
func cellText(c *Column, i int) string {
	if c.IsNull(i) {
		return ""
	}
	switch c.Kind {
	case KindString:
		return c.Strings[i]
	case KindFloat64:
		return FormatFloat(c.Floats[i])
	case KindInt64:
		return strconv.FormatInt(c.Ints[i], 10)
	case KindBool:
		return strconv.FormatBool(c.Bools[i])
	case KindTime:
		return c.Times[i].UTC().Format(time.RFC3339Nano)
	}
	return ""
}
