package data

import (
	"context"
	"fmt"
	"io"
)

// MergeChunks is Parquet tables sorted by a key, read as one table
// (OpenMerge) with all the columns of the first with rows, as Chunks for the
// writers (WriteParquetChunks, WriteCSVChunks…): its ranges are read, in
// order, each from where the last ended, as the writers ask for them
// through CheckedRows, so memory holds a range and two pieces of each table,
// not the tables.
type MergeChunks struct {
	r    *MergeReader
	n    int // the rows, from the tables' footers
	next int // the first row not read yet
}

// OpenMergeChunks opens the Parquet tables at paths, each sorted by its
// string column key with no key twice in all of them, as MergeChunks.
// Close stops its readers. Tables without rows are an error: the
// columns come from the first row read.
func OpenMergeChunks(ctx context.Context, paths []string, key string) (*MergeChunks, error) {
	r, err := OpenMerge(ctx, paths, key, nil)
	if err != nil {
		return nil, err
	}
	n, ok := r.NumRows()
	if !ok {
		r.Close()
		return nil, fmt.Errorf("data: merge chunks: a table that is not Parquet in %q", paths)
	}
	if n == 0 {
		r.Close()
		return nil, fmt.Errorf("data: merge chunks: no rows in %q", paths)
	}
	return &MergeChunks{r: r, n: int(n)}, nil
}

// NumRows is the rows of all the tables, as their footers count them.
func (c *MergeChunks) NumRows() int { return c.n }

// Rows panics: the ranges of MergeChunks are read and may fail, so they
// are asked for through CheckedRows (ReadRows).
func (c *MergeChunks) Rows(lo, hi int) *Table {
	panic("data: MergeChunks.Rows: ask through CheckedRows")
}

// ReadRows reads rows [lo, hi): lo must be where the last range ended.
// Tables that hold other rows than their footers count are an error.
func (c *MergeChunks) ReadRows(lo, hi int) (*Table, error) {
	if lo != c.next || hi < lo || hi > c.n {
		return nil, fmt.Errorf("data: merge chunks: rows %d to %d asked for after row %d of %d", lo, hi, c.next, c.n)
	}
	t, err := c.r.Read(hi - lo)
	if err == io.EOF || err == nil && t.NumRows() < hi-lo {
		return nil, fmt.Errorf("data: merge chunks: the tables end before row %d; their footers count %d", hi, c.n)
	}
	if err != nil {
		return nil, err
	}
	if c.next = hi; hi == c.n {
		if _, err := c.r.Read(1); err != io.EOF {
			if err == nil {
				err = fmt.Errorf("data: merge chunks: the tables hold more rows than their footers count (%d)", c.n)
			}
			return nil, err
		}
	}
	return t, nil
}

// Close stops the tables' readers (MergeReader.Close).
func (c *MergeChunks) Close() { c.r.Close() }
