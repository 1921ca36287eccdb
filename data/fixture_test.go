package data

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// fixCol is a column of a Parquet fixture: its schema node and the value
// of row i (parquet.NullValue() for a null in an optional column).
type fixCol struct {
	name string
	node parquet.Node
	val  func(i int) parquet.Value
}

// writeFixture writes rows rows of cols to path with parquet-go, with
// writer options such as compression, row group size or page version.
func writeFixture(t testing.TB, path string, rows int, cols []fixCol, opts ...parquet.WriterOption) {
	t.Helper()
	g := make(orderedGroup, len(cols))
	for i, c := range cols {
		g[i] = orderedField{Node: c.node, name: c.name}
	}
	var buf bytes.Buffer
	opts = append([]parquet.WriterOption{parquet.NewSchema("fixture", g)}, opts...)
	w := parquet.NewWriter(&buf, opts...)
	for i := range rows {
		row := make(parquet.Row, len(cols))
		for j, c := range cols {
			v := c.val(i)
			def := 0
			if c.node.Optional() && !v.IsNull() {
				def = 1
			}
			row[j] = v.Level(0, def, j)
		}
		if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
			t.Fatalf("write fixture: %v", err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close fixture: %v", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fixtureMeta returns the footer of a Parquet file, to check that a
// fixture really has the layout a test relies on.
func fixtureMeta(t testing.TB, path string) *format.FileMetaData {
	t.Helper()
	f, pf, err := openParquet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return pf.Metadata()
}

// chunkEncodings lists the encodings of every chunk of the named column.
func chunkEncodings(meta *format.FileMetaData, column string) []format.Encoding {
	var encs []format.Encoding
	for _, rg := range meta.RowGroups {
		for _, c := range rg.Columns {
			if slices.Equal(c.MetaData.PathInSchema, []string{column}) {
				encs = append(encs, c.MetaData.Encoding...)
			}
		}
	}
	return encs
}

// writeFile writes text to dir/name, creating directories, gzipping it
// when name ends in .gz.
func writeFile(t testing.TB, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	b := []byte(text)
	if filepath.Ext(name) == ".gz" {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		b = buf.Bytes()
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll reads every line of src, copying the reused batches, and
// collects the rejects. Most tests leave src.Columns zero, which means
// DefaultOrderColumns.
func readAll(t testing.TB, src OrderSource) ([]OrderLine, []Reject, ReadStats, error) {
	t.Helper()
	var lines []OrderLine
	var rejects []Reject
	src.OnReject = func(r Reject) { rejects = append(rejects, r) }
	stats, err := ReadOrders(context.Background(), src, func(b []OrderLine) error {
		lines = append(lines, b...)
		return nil
	})
	return lines, rejects, stats, err
}

// strVal, i64Val, f64Val build parquet values for fixtures.
func strVal(s string) parquet.Value { return parquet.ByteArrayValue([]byte(s)) }
func i64Val(x int64) parquet.Value  { return parquet.Int64Value(x) }
func f64Val(x float64) parquet.Value {
	return parquet.DoubleValue(x)
}

// writeParquetFile writes tab to dir/name with WriteParquet and returns
// the path.
func writeParquetFile(t testing.TB, dir, name string, tab *Table) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, tab); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, name, buf.String())
}
