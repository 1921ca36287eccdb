package data

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// tableGroup is rows [lo, hi) of a table without nulls as a row group.
type tableGroup struct {
	t      *Table
	lo, hi int
}

func (g tableGroup) numRows() int { return g.hi - g.lo }

func (g tableGroup) appendValues(dst []parquet.Value, scratch []byte, j, lo, hi int) ([]parquet.Value, []byte) {
	for i := g.lo + lo; i < g.lo+hi; i++ {
		dst = append(dst, cellValue(&g.t.Columns[j], i))
	}
	return dst, scratch
}

// TestParquetStreamMatchesWriteParquet writes a table of more than two row
// groups both ways, the stream's row groups encoded two at a time, and
// compares the bytes.
func TestParquetStreamMatchesWriteParquet(t *testing.T) {
	n := 2*MaxRowsPerRowGroup + 4321
	tab := &Table{Columns: []Column{
		{Name: "id", Kind: KindString, Strings: make([]string, n)},
		{Name: "n", Kind: KindInt64, Ints: make([]int64, n)},
		{Name: "x", Kind: KindFloat64, Floats: make([]float64, n)},
		{Name: "b", Kind: KindBool, Bools: make([]bool, n)},
		{Name: "at", Kind: KindTime, Times: make([]time.Time, n)},
	}}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		c := tab.Columns
		// A dictionary that grows through each row group, and numbers
		// that do not compress to nothing.
		c[0].Strings[i] = "k" + strconv.Itoa(i*7919%100003)
		c[1].Ints[i], c[2].Floats[i] = int64(i*i%1000003), float64(i)/7
		c[3].Bools[i], c[4].Times[i] = i%3 == 0, start.Add(time.Duration(i*i%86413)*time.Second)
	}
	var want bytes.Buffer
	if err := WriteParquet(&want, tab); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	s := newParquetStream(&got, "stream", tab.Columns, make(chan struct{}, 2), tableLayout)
	for lo := 0; lo < n; lo += MaxRowsPerRowGroup {
		if err := s.write(tableGroup{tab, lo, min(lo+MaxRowsPerRowGroup, n)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("stream wrote %d bytes, WriteParquet %d, not the same", got.Len(), want.Len())
	}
}
