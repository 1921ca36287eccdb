package data

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// copiedChunks gives the rows of a table as fresh copies, as a writer's
// chunks of computed columns are: nothing shared between ranges. It
// records the ranges asked for.
type copiedChunks struct {
	t      *Table
	ranges [][2]int
	// nullable, when not "", is a column whose Nulls a range past the
	// first drops: an inconsistent chunk.
	nullable string
}

func (c *copiedChunks) NumRows() int { return c.t.NumRows() }

func (c *copiedChunks) Rows(lo, hi int) *Table {
	c.ranges = append(c.ranges, [2]int{lo, hi})
	s := c.t.Slice(lo, hi)
	out := &Table{}
	for _, col := range s.Columns {
		col.Strings = append([]string(nil), col.Strings...)
		col.Floats = append([]float64(nil), col.Floats...)
		col.Ints = append([]int64(nil), col.Ints...)
		col.Bools = append([]bool(nil), col.Bools...)
		col.Times = append(col.Times[:0:0], col.Times...)
		if col.Nulls != nil {
			col.Nulls = append([]bool{}, col.Nulls...)
		}
		if lo > 0 && col.Name == c.nullable {
			col.Nulls = nil
		}
		out.Columns = append(out.Columns, col)
	}
	return out
}

// TestWriteChunksMatchWhole: a table written range by range, each range a
// copy of its own, gives the bytes of the whole table written at once, as
// Parquet and as CSV, for no rows, a few, and ranges across several row
// groups and CSV chunks; the writers ask for the rows in order, each row
// once.
func TestWriteChunksMatchWhole(t *testing.T) {
	sizes := []int{0, 1, 5000}
	if !testing.Short() {
		sizes = append(sizes, MaxRowsPerRowGroup+3*csvChunkRows+17)
	}
	for _, n := range sizes {
		tab := mixedTable(n, uint64(n)+3)
		for _, w := range []struct {
			name         string
			whole, parts func(*bytes.Buffer, Chunks) error
		}{
			{"parquet", func(b *bytes.Buffer, _ Chunks) error { return WriteParquet(b, tab) }, func(b *bytes.Buffer, c Chunks) error { return WriteParquetChunks(b, c) }},
			{"csv", func(b *bytes.Buffer, _ Chunks) error { return WriteCSV(b, tab) }, func(b *bytes.Buffer, c Chunks) error { return WriteCSVChunks(b, c) }},
		} {
			var want, got bytes.Buffer
			if err := w.whole(&want, nil); err != nil {
				t.Fatalf("%s, %d rows: %v", w.name, n, err)
			}
			c := &copiedChunks{t: tab}
			if err := w.parts(&got, c); err != nil {
				t.Fatalf("%s, %d rows, by chunks: %v", w.name, n, err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%s, %d rows: by chunks %d bytes, whole %d, not the same bytes", w.name, n, got.Len(), want.Len())
			}
			next := 0
			for _, r := range c.ranges {
				if r[0] != next || r[1] < r[0] || r[1] > n {
					t.Fatalf("%s, %d rows: ranges asked %v, not in order", w.name, n, c.ranges)
				}
				next = r[1]
			}
			if next != n {
				t.Errorf("%s, %d rows: ranges asked %v stop at %d", w.name, n, c.ranges, next)
			}
		}
	}
}

// TestWriteChunksInconsistent: a range whose column lost its nullability
// stops the write with an error naming the rows and the column.
func TestWriteChunksInconsistent(t *testing.T) {
	n := MaxRowsPerRowGroup + 10
	tab := mixedTable(n, 1)
	for name, write := range map[string]func(c Chunks) error{
		"parquet": func(c Chunks) error { var b bytes.Buffer; return WriteParquetChunks(&b, c) },
		"csv":     func(c Chunks) error { var b bytes.Buffer; return WriteCSVChunks(&b, c) },
	} {
		err := write(&copiedChunks{t: tab, nullable: "segment"})
		if err == nil || !strings.Contains(err.Error(), `"segment"`) || !strings.Contains(err.Error(), "rows") {
			t.Errorf("%s: err %v, want one naming the rows and column \"segment\"", name, err)
		}
	}
}

// TestTake: the rows asked for, in the order asked, every kind, nulls
// kept; the table is not changed.
func TestTake(t *testing.T) {
	tab := &Table{Columns: []Column{
		{Name: "s", Kind: KindString, Strings: []string{"a", "b", "c"}},
		{Name: "f", Kind: KindFloat64, Floats: []float64{1, 2, 3}, Nulls: []bool{false, true, false}},
		{Name: "i", Kind: KindInt64, Ints: []int64{4, 5, 6}},
		{Name: "b", Kind: KindBool, Bools: []bool{true, false, true}},
		{Name: "t", Kind: KindTime, Times: []time.Time{time.Unix(1, 0), time.Unix(2, 0), time.Unix(3, 0)}},
	}}
	got := tab.Take([]int{2, 1, 2})
	if err := got.Validate(); err != nil {
		t.Fatal(err)
	}
	c := got.Columns
	if fmt.Sprint(c[0].Strings, c[1].Floats, c[1].Nulls, c[2].Ints, c[3].Bools) != "[c b c] [3 2 3] [false true false] [6 5 6] [true false true]" ||
		!c[4].Times[1].Equal(time.Unix(2, 0)) || tab.Columns[0].Strings[0] != "a" {
		t.Errorf("Take = %+v", c)
	}
	if empty := tab.Take(nil); empty.NumRows() != 0 || len(empty.Columns) != 5 {
		t.Errorf("Take(nil) = %+v", empty)
	}
}
