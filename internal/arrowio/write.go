package arrowio

import (
	"fmt"
	"io"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/segment-tool/segment/data"
)

// batchRows is the number of rows per record batch.
const batchRows = 65536

// Write writes t to w as an Arrow IPC file with LZ4-compressed buffers
// (LZ4_FRAME, as pyarrow's write_feather compresses by default; pandas,
// polars and DuckDB read it). Times are written as TIMESTAMP(µs, UTC). The
// bytes depend only on t.
//
// LZ4 rather than zstd: arrow/go's zstd encoder cannot be given a level
// and runs at zstd's default one, streaming each buffer through its own
// goroutines; on the assignments of 300,000 customers it cost 1.0 s of CPU
// against 0.35 s for LZ4, for a file of 31 MB against 43 MB (119 MB
// uncompressed).
func Write(w io.Writer, t *data.Table) error {
	n, err := rows(t)
	if err != nil {
		return err
	}
	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		dt, err := arrowType(c.Kind)
		if err != nil {
			return fmt.Errorf("arrowio: column %q: %w", c.Name, err)
		}
		fields[i] = arrow.Field{Name: c.Name, Type: dt}
	}
	schema := arrow.NewSchema(fields, nil)
	mem := memory.NewGoAllocator()
	fw, err := ipc.NewFileWriter(&positionWriter{w: w}, ipc.WithSchema(schema), ipc.WithLZ4(), ipc.WithAllocator(mem), ipc.WithCompressConcurrency(1))
	if err != nil {
		return fmt.Errorf("arrowio: %w", err)
	}
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for lo := 0; ; lo += batchRows { // at least one batch, so an empty table keeps its schema
		hi := min(lo+batchRows, n)
		for i, c := range t.Columns {
			appendColumn(b.Field(i), c, lo, hi)
		}
		rec := b.NewRecord()
		err := fw.Write(rec)
		rec.Release()
		if err != nil {
			fw.Close()
			return fmt.Errorf("arrowio: %w", err)
		}
		if hi >= n {
			break
		}
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("arrowio: %w", err)
	}
	return nil
}

func rows(t *data.Table) (int, error) {
	n := -1
	for _, c := range t.Columns {
		l := c.Len()
		if n >= 0 && l != n {
			return 0, fmt.Errorf("arrowio: column %q has %d rows, want %d", c.Name, l, n)
		}
		n = l
	}
	return max(n, 0), nil
}

func arrowType(k data.Kind) (arrow.DataType, error) {
	switch k {
	case data.KindString:
		return arrow.BinaryTypes.String, nil
	case data.KindFloat64:
		return arrow.PrimitiveTypes.Float64, nil
	case data.KindInt64:
		return arrow.PrimitiveTypes.Int64, nil
	case data.KindBool:
		return arrow.FixedWidthTypes.Boolean, nil
	case data.KindTime:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, nil
	}
	return nil, fmt.Errorf("unsupported column kind %v", k)
}

func appendColumn(b array.Builder, c data.Column, lo, hi int) {
	switch bb := b.(type) {
	case *array.StringBuilder:
		bb.AppendValues(c.Strings[lo:hi], nil)
	case *array.Float64Builder:
		bb.AppendValues(c.Floats[lo:hi], nil)
	case *array.Int64Builder:
		bb.AppendValues(c.Ints[lo:hi], nil)
	case *array.BooleanBuilder:
		bb.AppendValues(c.Bools[lo:hi], nil)
	case *array.TimestampBuilder:
		for _, t := range c.Times[lo:hi] {
			bb.Append(arrow.Timestamp(t.UnixMicro()))
		}
	default:
		panic(fmt.Sprintf("arrowio: no append for builder %T", b))
	}
}

// positionWriter lets ipc.NewFileWriter, which asks for an io.WriteSeeker only
// to learn the current position, write to a plain io.Writer.
type positionWriter struct {
	w   io.Writer
	pos int64
}

func (p *positionWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.pos += int64(n)
	return n, err
}

func (p *positionWriter) Seek(offset int64, whence int) (int64, error) {
	if offset != 0 || whence != io.SeekCurrent {
		return 0, fmt.Errorf("arrowio: cannot seek a stream")
	}
	return p.pos, nil
}
