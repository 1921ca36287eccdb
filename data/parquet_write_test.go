package data

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// referenceParquet writes tab row by row through parquet-go's own
// WriteRows, as WriteParquet did before it shared the generator's
// concurrent row-group stream: the bytes WriteParquet must reproduce.
func referenceParquet(t *testing.T, tab *Table) []byte {
	t.Helper()
	var buf bytes.Buffer
	pw := parquet.NewWriter(&buf, parquet.NewSchema("table", tableNode(tab, tableLayout.plainDistinct)),
		parquet.Compression(tableLayout.codec),
		parquet.MaxRowsPerRowGroup(MaxRowsPerRowGroup),
		parquet.CreatedBy(createdBy, "", ""),
	)
	const chunk = 1024
	n := tab.NumRows()
	rows := make([]parquet.Row, chunk)
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		for i := lo; i < hi; i++ {
			row := rows[i-lo][:0]
			for j := range tab.Columns {
				c := &tab.Columns[j]
				def := 0
				if c.Nulls != nil && !c.Nulls[i] {
					def = 1
				}
				row = append(row, cellValue(c, i).Level(0, def, j))
			}
			rows[i-lo] = row
		}
		if _, err := pw.WriteRows(rows[:hi-lo]); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// mixedTable is a table of n rows with every kind of column, nulls, and
// strings that repeat (dictionary pages) and that do not.
func mixedTable(n int, seed uint64) *Table {
	rng := rand.New(rand.NewPCG(seed, 7))
	tab := &Table{Columns: []Column{
		{Name: "id", Kind: KindString, Strings: make([]string, n)},
		{Name: "segment", Kind: KindString, Strings: make([]string, n), Nulls: make([]bool, n)},
		{Name: "x", Kind: KindFloat64, Floats: make([]float64, n), Nulls: make([]bool, n)},
		{Name: "k", Kind: KindInt64, Ints: make([]int64, n)},
		{Name: "b", Kind: KindBool, Bools: make([]bool, n), Nulls: make([]bool, n)},
		{Name: "t", Kind: KindTime, Times: make([]time.Time, n), Nulls: make([]bool, n)},
	}}
	c := tab.Columns
	for i := range n {
		c[0].Strings[i] = "C" + strconv.Itoa(i)
		c[1].Strings[i], c[1].Nulls[i] = fmt.Sprint("seg", rng.IntN(9)), rng.IntN(5) == 0
		c[2].Floats[i], c[2].Nulls[i] = rng.NormFloat64()*100, rng.IntN(7) == 0
		c[3].Ints[i] = rng.Int64N(1000)
		c[4].Bools[i], c[4].Nulls[i] = rng.IntN(2) == 0, rng.IntN(13) == 0
		c[5].Times[i], c[5].Nulls[i] = time.Unix(rng.Int64N(2e9), 0), rng.IntN(11) == 0
	}
	return tab
}

// TestWriteParquetMatchesRowWriter: WriteParquet (column by column, row
// groups encoded concurrently) gives the bytes of parquet-go's row writer,
// for no rows, a few, several pages and more than one row group.
func TestWriteParquetMatchesRowWriter(t *testing.T) {
	sizes := []int{0, 1, 63, 64, 65, 5000}
	if !testing.Short() {
		sizes = append(sizes, 2*MaxRowsPerRowGroup+100)
	}
	for _, n := range sizes {
		tab := mixedTable(n, uint64(n))
		var got bytes.Buffer
		if err := WriteParquet(&got, tab); err != nil {
			t.Fatalf("%d rows: %v", n, err)
		}
		if want := referenceParquet(t, tab); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%d rows: %d bytes differ from the row writer's %d", n, got.Len(), len(want))
		}
	}
}

// cellValue returns row i of c as a parquet value (without levels), one
// cell at a time: the reference for tableRows.appendValues.
func cellValue(c *Column, i int) parquet.Value {
	if c.IsNull(i) {
		return parquet.NullValue()
	}
	switch c.Kind {
	case KindString:
		return parquet.ByteArrayValue([]byte(c.Strings[i]))
	case KindFloat64:
		return parquet.DoubleValue(c.Floats[i])
	case KindInt64:
		return parquet.Int64Value(c.Ints[i])
	case KindBool:
		return parquet.BooleanValue(c.Bools[i])
	case KindTime:
		return parquet.Int64Value(c.Times[i].UnixMicro())
	}
	panic("data: invalid column kind")
}

// TestWriteParquetStringEncodings: a string column is dictionary-encoded
// unless its first plainSample values (not null) are distinct; then it is
// PLAIN. Either way it reads back.
func TestWriteParquetStringEncodings(t *testing.T) {
	n := plainSample + 10
	col := func(name string, f func(i int) string, null func(i int) bool) Column {
		c := Column{Name: name, Kind: KindString, Strings: make([]string, n)}
		for i := range n {
			c.Strings[i] = f(i)
		}
		if null != nil {
			c.Nulls = make([]bool, n)
			for i := range n {
				c.Nulls[i] = null(i)
			}
		}
		return c
	}
	tab := &Table{Columns: []Column{
		col("id", func(i int) string { return fmt.Sprintf("C%07d", i) }, nil),
		col("segment", func(i int) string { return fmt.Sprint("seg", i%9) }, nil),
		// Distinct but for the nulls' slots, which are not looked at.
		col("email", func(i int) string { return fmt.Sprint(i%2*i, "@example.com") }, func(i int) bool { return i%2 == 0 }),
		// Distinct in the first plainSample values only: the sample decides.
		col("late", func(i int) string { return strconv.Itoa(min(i, plainSample)) }, nil),
		// A repeat right after the sample: not looked at either.
		col("repeat", func(i int) string { return strconv.Itoa(i % (plainSample + 1)) }, nil),
		col("twice", func(i int) string { return strconv.Itoa(i / 2) }, nil),
		col("nulls", func(int) string { return "" }, func(int) bool { return true }),
	}}
	want := map[string]format.Encoding{
		"id": format.Plain, "segment": format.RLEDictionary, "email": format.Plain, "late": format.Plain,
		"repeat": format.Plain, "twice": format.RLEDictionary, "nulls": format.RLEDictionary,
	}
	path := filepath.Join(t.TempDir(), "t.parquet")
	var buf bytes.Buffer
	if err := WriteParquet(&buf, tab); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	meta := fixtureMeta(t, path)
	for _, c := range tab.Columns {
		t.Run(c.Name, func(t *testing.T) {
			encs := chunkEncodings(meta, c.Name)
			if dict := slices.Contains(encs, format.RLEDictionary); dict != (want[c.Name] == format.RLEDictionary) {
				t.Errorf("encodings %v, want %v", encs, want[c.Name])
			}
		})
	}
	got, err := ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sameTable(got, tab); err != nil {
		t.Error(err)
	}
}

// TestEncodeSlots: a Parquet writer encodes one row group per core, but
// never more than maxEncoding at once, so that its memory does not grow
// with the cores.
func TestEncodeSlots(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(64))
	if got := cap(encodeSlots()); got != maxEncoding {
		t.Errorf("64 cores: %d row groups at once, want %d", got, maxEncoding)
	}
	runtime.GOMAXPROCS(1)
	if got := cap(encodeSlots()); got != 1 {
		t.Errorf("1 core: %d row groups at once, want 1", got)
	}
}
