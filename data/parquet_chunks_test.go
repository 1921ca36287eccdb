package data

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestReadOrdersParquetChunks reads more rows than a fill chunk
// (fillChunk) with rejected rows in every chunk, one at a chunk's last
// row, into batches that end inside chunks: every kept line is the row it
// was read from, every reject names its own row and values, and every
// field the first file's lines set is empty in a second file that lacks
// the column (the batches are reused).
func TestReadOrdersParquetChunks(t *testing.T) {
	n := 2*fillChunk + 100
	rejected := map[int]string{ // row index → reason
		3:               "missing customer_id",
		fillChunk - 1:   "missing amount",
		fillChunk:       "missing customer_id",
		2*fillChunk + 1: "missing customer_id",
	}
	cols := func(withCity bool) []fixCol {
		c := []fixCol{
			{"customer_id", parquet.Optional(parquet.String()), func(i int) parquet.Value {
				if rejected[i] == "missing customer_id" {
					return parquet.NullValue()
				}
				return strVal(fmt.Sprintf("C%d", i))
			}},
			{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", i)) }},
			{"time", parquet.Timestamp(parquet.Millisecond), func(i int) parquet.Value { return i64Val(t0.UnixMilli() + int64(i)) }},
			{"amount", parquet.Optional(parquet.Leaf(parquet.DoubleType)), func(i int) parquet.Value {
				if rejected[i] == "missing amount" {
					return parquet.NullValue()
				}
				return f64Val(float64(i) + 0.5)
			}},
		}
		if withCity {
			c = append(c, fixCol{"city", parquet.String(), func(i int) parquet.Value { return strVal("Oslo") }})
		}
		return c
	}
	dir := t.TempDir()
	// One page a column, so that a segment of a batch (up to the next page
	// of any column) spans several chunks.
	writeFixture(t, filepath.Join(dir, "a.parquet"), n, cols(true), parquet.PageBufferSize(1<<20))
	writeFixture(t, filepath.Join(dir, "b.parquet"), n, cols(false), parquet.PageBufferSize(1<<20))
	columns := DefaultOrderColumns()
	columns.City = "city"
	var lines []OrderLine
	var rejects []Reject
	src := OrderSource{Path: dir, Columns: columns, BatchSize: 3*fillChunk - 68, OnReject: func(r Reject) { rejects = append(rejects, r) }}
	_, err := ReadOrders(t.Context(), src, func(b []OrderLine) error {
		lines = append(lines, b...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * (n - len(rejected)); len(lines) != want || len(rejects) != 2*len(rejected) {
		t.Fatalf("%d lines and %d rejects, want %d and %d", len(lines), len(rejects), want, 2*len(rejected))
	}
	k := 0
	for file, city := range []string{"Oslo", ""} {
		for i := range n {
			if rejected[i] != "" {
				continue
			}
			l := lines[k]
			if l.OrderID != fmt.Sprintf("O%d", i) || l.CustomerID != fmt.Sprintf("C%d", i) || l.Amount != float64(i)+0.5 || l.City != city {
				t.Fatalf("file %d, line %d (row %d): %q %q %v %q", file, k, i+1, l.OrderID, l.CustomerID, l.Amount, l.City)
			}
			k++
		}
	}
	for j, r := range rejects {
		var row int
		if _, err := fmt.Sscanf(r.Raw["order_id"], "O%d", &row); err != nil {
			t.Fatalf("reject %d: %v", j, r)
		}
		if r.Row != int64(row)+1 || r.Reason != rejected[row] {
			t.Errorf("reject %d: row %d, %q; its order_id is row %d's, which is rejected for %q", j, r.Row, r.Reason, row+1, rejected[row])
		}
	}
}
