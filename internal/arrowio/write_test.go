package arrowio

import (
	"bytes"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/segment-tool/segment/data"
)

func TestWriteRoundTrip(t *testing.T) {
	n := batchRows + 7 // two record batches
	ids := make([]string, n)
	f := make([]float64, n)
	in := make([]int64, n)
	bs := make([]bool, n)
	ts := make([]time.Time, n)
	base := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range n {
		ids[i] = string(rune('a'+i%26)) + "x"
		f[i] = float64(i) / 3
		in[i] = int64(i * 7)
		bs[i] = i%3 == 0
		ts[i] = base.Add(time.Duration(i) * time.Minute)
	}
	tab := &data.Table{Columns: []data.Column{
		{Name: "customer_id", Kind: data.KindString, Strings: ids},
		{Name: "monetary", Kind: data.KindFloat64, Floats: f},
		{Name: "cluster", Kind: data.KindInt64, Ints: in},
		{Name: "vip", Kind: data.KindBool, Bools: bs},
		{Name: "first_order", Kind: data.KindTime, Times: ts},
	}}
	var buf bytes.Buffer
	if err := Write(&buf, tab); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := Write(&again, tab); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two writes of the same table differ")
	}

	r, err := ipc.NewFileReader(bytes.NewReader(buf.Bytes()), ipc.WithAllocator(memory.NewGoAllocator()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := r.Schema().Field(4).Type.(*arrow.TimestampType).Unit; got != arrow.Microsecond {
		t.Errorf("time unit %v, want µs", got)
	}
	row := 0
	for i := range r.NumRecords() {
		rec, err := r.Record(i)
		if err != nil {
			t.Fatal(err)
		}
		s := rec.Column(0).(*array.String)
		fl := rec.Column(1).(*array.Float64)
		it := rec.Column(2).(*array.Int64)
		bo := rec.Column(3).(*array.Boolean)
		tm := rec.Column(4).(*array.Timestamp)
		for j := range int(rec.NumRows()) {
			if s.Value(j) != ids[row] || fl.Value(j) != f[row] || it.Value(j) != in[row] || bo.Value(j) != bs[row] ||
				int64(tm.Value(j)) != ts[row].UnixMicro() {
				t.Fatalf("row %d does not round-trip", row)
			}
			row++
		}
	}
	if row != n {
		t.Errorf("read %d rows, want %d", row, n)
	}
}

func TestWriteRejectsRaggedTable(t *testing.T) {
	tab := &data.Table{Columns: []data.Column{
		{Name: "a", Kind: data.KindFloat64, Floats: []float64{1, 2}},
		{Name: "b", Kind: data.KindFloat64, Floats: []float64{1}},
	}}
	if err := Write(&bytes.Buffer{}, tab); err == nil {
		t.Error("ragged table: want an error")
	}
}

// TestWriteCompresses: the buffers are compressed (LZ4): a table of
// repetitive columns takes far less room than its values.
func TestWriteCompresses(t *testing.T) {
	n := 4 * batchRows
	f := make([]float64, n)
	keys := make([]string, n)
	for i := range n {
		f[i] = float64(i % 10)
		keys[i] = "champions"
	}
	tab := &data.Table{Columns: []data.Column{
		{Name: "x", Kind: data.KindFloat64, Floats: f},
		{Name: "key", Kind: data.KindString, Strings: keys},
	}}
	var buf bytes.Buffer
	if err := Write(&buf, tab); err != nil {
		t.Fatal(err)
	}
	// 8 bytes a float, 9 a key and 4 an offset: 21 bytes a row; LZ4
	// makes a fifth of them, uncompressed they would all be there.
	if raw := 21 * n; buf.Len() > raw/3 {
		t.Errorf("%d bytes for %d bytes of values: not compressed", buf.Len(), raw)
	}
}

// builderWrite is Write done with arrow's array builders, a value or a
// null at a time: the bytes Write must reproduce.
func builderWrite(t *testing.T, tab *data.Table) []byte {
	t.Helper()
	n, err := rows(tab)
	if err != nil {
		t.Fatal(err)
	}
	fields := make([]arrow.Field, len(tab.Columns))
	for i, c := range tab.Columns {
		dt, err := arrowType(c.Kind)
		if err != nil {
			t.Fatal(err)
		}
		fields[i] = arrow.Field{Name: c.Name, Type: dt, Nullable: c.Nulls != nil}
	}
	schema := arrow.NewSchema(fields, nil)
	mem := memory.NewGoAllocator()
	var buf bytes.Buffer
	fw, err := ipc.NewFileWriter(&positionWriter{w: &buf}, ipc.WithSchema(schema), ipc.WithLZ4(), ipc.WithAllocator(mem), ipc.WithCompressConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for lo := 0; ; lo += batchRows {
		hi := min(lo+batchRows, n)
		for i, c := range tab.Columns {
			for r := lo; r < hi; r++ {
				if c.IsNull(r) {
					b.Field(i).AppendNull()
					continue
				}
				switch bb := b.Field(i).(type) {
				case *array.StringBuilder:
					bb.Append(c.Strings[r])
				case *array.Float64Builder:
					bb.Append(c.Floats[r])
				case *array.Int64Builder:
					bb.Append(c.Ints[r])
				case *array.BooleanBuilder:
					bb.Append(c.Bools[r])
				case *array.TimestampBuilder:
					bb.Append(arrow.Timestamp(c.Times[r].UnixMicro()))
				}
			}
		}
		rec := b.NewRecord()
		if err := fw.Write(rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
		if hi >= n {
			break
		}
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestWriteMatchesBuilders: Write, which lays the arrays over the table's
// own memory, gives the bytes of arrow's builders, for no rows, a few, and
// three batches, with every kind and nulls in a string column. (With
// nulls, arrow's builders of fixed-width arrays keep their validity
// bitmaps at their capacity, so their bytes are not a reference there:
// TestWriteNulls.)
func TestWriteMatchesBuilders(t *testing.T) {
	base := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, n := range []int{0, 1, 9, 2*batchRows + 13} {
		tab := &data.Table{Columns: []data.Column{
			{Name: "id", Kind: data.KindString, Strings: make([]string, n)},
			{Name: "x", Kind: data.KindFloat64, Floats: make([]float64, n)},
			{Name: "k", Kind: data.KindInt64, Ints: make([]int64, n)},
			{Name: "b", Kind: data.KindBool, Bools: make([]bool, n)},
			{Name: "at", Kind: data.KindTime, Times: make([]time.Time, n)},
			{Name: "seg", Kind: data.KindString, Strings: make([]string, n), Nulls: make([]bool, n)},
		}}
		c := tab.Columns
		for i := range n {
			c[0].Strings[i] = "C" + strconv.Itoa(i*7919%100003)
			c[1].Floats[i] = float64(i) / 7
			c[2].Ints[i], c[3].Bools[i] = int64(i*i%1009), i%3 == 0
			c[4].Times[i] = base.Add(time.Duration(i*i%86413) * time.Second)
			c[5].Strings[i], c[5].Nulls[i] = []string{"champions", "", "at_risk"}[i%3], i%3 == 1
		}
		var got bytes.Buffer
		if err := Write(&got, tab); err != nil {
			t.Fatal(err)
		}
		want := builderWrite(t, tab)
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%d rows: %d bytes, the builders' %d, not the same", n, got.Len(), len(want))
		}
		var chunked bytes.Buffer
		if err := WriteChunks(&chunked, copiedChunks{tab}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(chunked.Bytes(), want) {
			t.Errorf("%d rows by chunks: %d bytes, the builders' %d, not the same", n, chunked.Len(), len(want))
		}
		checkNulls(t, got.Bytes(), tab)
	}
}

// TestWriteNulls: nulls of every kind are nulls in the file, in nullable
// fields, the other values read back, and the bytes do not depend on what
// the table holds in a null's slot (NaN as data.ReadTable leaves it, or
// zero) or on the ranges it is given in.
func TestWriteNulls(t *testing.T) {
	base := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	n := batchRows + 9
	tab := &data.Table{Columns: []data.Column{
		{Name: "x", Kind: data.KindFloat64, Floats: make([]float64, n), Nulls: make([]bool, n)},
		{Name: "k", Kind: data.KindInt64, Ints: make([]int64, n), Nulls: make([]bool, n)},
		{Name: "b", Kind: data.KindBool, Bools: make([]bool, n), Nulls: make([]bool, n)},
		{Name: "at", Kind: data.KindTime, Times: make([]time.Time, n), Nulls: make([]bool, n)},
		{Name: "s", Kind: data.KindString, Strings: make([]string, n), Nulls: make([]bool, n)},
	}}
	c := tab.Columns
	for i := range n {
		c[0].Floats[i], c[0].Nulls[i] = float64(i)/7, i%11 == 0
		c[1].Ints[i], c[1].Nulls[i] = int64(i*3), i%5 == 2
		c[2].Bools[i], c[2].Nulls[i] = i%2 == 0, i%7 == 4 && i < batchRows // none in the second batch
		c[3].Times[i], c[3].Nulls[i] = base.Add(time.Duration(i)*time.Second), i%13 == 4
		c[4].Strings[i], c[4].Nulls[i] = strconv.Itoa(i), i%3 == 1
	}
	write := func(c data.Chunks) []byte {
		var b bytes.Buffer
		if err := WriteChunks(&b, c); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	got := write(data.Whole(tab))
	checkNulls(t, got, tab)
	if !bytes.Equal(write(copiedChunks{tab}), got) {
		t.Error("written by ranges: other bytes")
	}
	for i := range n { // other values in the nulls' slots
		if c[0].Nulls[i] {
			c[0].Floats[i] = math.NaN()
		}
		if c[1].Nulls[i] {
			c[1].Ints[i] = -1
		}
		if c[2].Nulls[i] {
			c[2].Bools[i] = true
		}
		if c[3].Nulls[i] {
			c[3].Times[i] = time.Time{}
		}
		if c[4].Nulls[i] {
			c[4].Strings[i] = "junk"
		}
	}
	if !bytes.Equal(write(data.Whole(tab)), got) {
		t.Error("other values in the nulls' slots: other bytes")
	}
	r, err := ipc.NewFileReader(bytes.NewReader(got), ipc.WithAllocator(memory.NewGoAllocator()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	row := 0
	for i := range r.NumRecords() {
		rec, err := r.Record(i)
		if err != nil {
			t.Fatal(err)
		}
		x, k, b := rec.Column(0).(*array.Float64), rec.Column(1).(*array.Int64), rec.Column(2).(*array.Boolean)
		at, s := rec.Column(3).(*array.Timestamp), rec.Column(4).(*array.String)
		for j := range int(rec.NumRows()) {
			i := row + j
			if !c[0].Nulls[i] && x.Value(j) != c[0].Floats[i] || !c[1].Nulls[i] && k.Value(j) != c[1].Ints[i] ||
				!c[2].Nulls[i] && b.Value(j) != c[2].Bools[i] || !c[3].Nulls[i] && int64(at.Value(j)) != c[3].Times[i].UnixMicro() ||
				!c[4].Nulls[i] && s.Value(j) != c[4].Strings[i] {
				t.Fatalf("row %d does not read back", i)
			}
		}
		row += int(rec.NumRows())
	}
}

// checkNulls fails unless the Arrow file b has tab's nulls, and its
// nullable columns' fields are nullable.
func checkNulls(t *testing.T, b []byte, tab *data.Table) {
	t.Helper()
	r, err := ipc.NewFileReader(bytes.NewReader(b), ipc.WithAllocator(memory.NewGoAllocator()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for j, c := range tab.Columns {
		if f := r.Schema().Field(j); f.Nullable != (c.Nulls != nil) {
			t.Errorf("column %q: nullable %t", c.Name, f.Nullable)
		}
	}
	row := 0
	for i := range r.NumRecords() {
		rec, err := r.Record(i)
		if err != nil {
			t.Fatal(err)
		}
		for j, c := range tab.Columns {
			for k := range int(rec.NumRows()) {
				if rec.Column(j).IsNull(k) != c.IsNull(row+k) {
					t.Fatalf("column %q, row %d: null %t, want %t", c.Name, row+k, rec.Column(j).IsNull(k), c.IsNull(row+k))
				}
			}
		}
		row += int(rec.NumRows())
	}
}

// copiedChunks gives the rows of a table as fresh copies, nothing shared
// between ranges.
type copiedChunks struct{ t *data.Table }

func (c copiedChunks) NumRows() int { return c.t.NumRows() }

func (c copiedChunks) Rows(lo, hi int) *data.Table {
	out := &data.Table{}
	for _, col := range c.t.Slice(lo, hi).Columns {
		col.Strings = append([]string(nil), col.Strings...)
		col.Floats = append([]float64(nil), col.Floats...)
		col.Ints = append([]int64(nil), col.Ints...)
		col.Bools = append([]bool(nil), col.Bools...)
		col.Times = append(col.Times[:0:0], col.Times...)
		if col.Nulls != nil {
			col.Nulls = append([]bool{}, col.Nulls...)
		}
		out.Columns = append(out.Columns, col)
	}
	return out
}
