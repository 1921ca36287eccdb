package data

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestScanTable: the row groups of a Parquet table, given one at a time,
// put back together make the table ReadTable reads, nulls included; a CSV
// table comes whole.
func TestScanTable(t *testing.T) {
	const n = 1000
	cols := []fixCol{
		{"customer_id", parquet.String(), func(i int) parquet.Value { return parquet.ByteArrayValue(fmt.Appendf(nil, "c%04d", i)) }},
		{"views", parquet.Optional(parquet.Int(64)), func(i int) parquet.Value {
			if i%7 == 3 {
				return parquet.NullValue()
			}
			return parquet.Int64Value(int64(i))
		}},
		{"score", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return parquet.DoubleValue(float64(i) / 8) }},
	}
	path := filepath.Join(t.TempDir(), "events.parquet")
	writeFixture(t, path, n, cols, parquet.MaxRowsPerRowGroup(128), parquet.PageBufferSize(512))
	want, err := ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var got *Table
	var firsts []int64
	err = ScanTable(context.Background(), path, func(part *Table, first int64) error {
		firsts = append(firsts, first)
		if got == nil {
			got = part
			return nil
		}
		for j := range got.Columns {
			g, p := &got.Columns[j], &part.Columns[j]
			if p.Nulls != nil || g.Nulls != nil {
				gn, pn := g.Nulls, p.Nulls
				if gn == nil {
					gn = make([]bool, g.Len())
				}
				if pn == nil {
					pn = make([]bool, p.Len())
				}
				g.Nulls = append(gn, pn...)
			}
			g.Strings, g.Ints, g.Floats = append(g.Strings, p.Strings...), append(g.Ints, p.Ints...), append(g.Floats, p.Floats...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(firsts) != 8 || firsts[1] != 128 || firsts[7] != 896 { // ceil(1000/128) groups
		t.Fatalf("row groups start at %v, want every 128 rows from 0", firsts)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the row groups put together differ from ReadTable's table")
	}

	csvPath := writeFile(t, t.TempDir(), "t.csv", "id,v\na,1\nb,2\n")
	calls := 0
	if err := ScanTable(context.Background(), csvPath, func(part *Table, first int64) error {
		calls++
		if first != 0 || part.NumRows() != 2 {
			t.Errorf("CSV part: first %d, %d rows; want 0 and 2", first, part.NumRows())
		}
		return nil
	}); err != nil || calls != 1 {
		t.Errorf("CSV: %d calls, error %v; want one call", calls, err)
	}
}

// TestScanTableNoRowGroups: a Parquet file without rows gives one empty
// table, so that a caller still sees its columns.
func TestScanTableNoRowGroups(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.parquet")
	writeFixture(t, path, 0, []fixCol{{"customer_id", parquet.String(), func(int) parquet.Value { return parquet.ByteArrayValue(nil) }}})
	calls := 0
	err := ScanTable(context.Background(), path, func(part *Table, first int64) error {
		calls++
		if part.NumRows() != 0 || part.Column("customer_id") == nil {
			t.Errorf("part: %d rows, columns %v", part.NumRows(), part.Columns)
		}
		return nil
	})
	if err != nil || calls != 1 {
		t.Errorf("%d calls, error %v; want one call", calls, err)
	}
}
