package data

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
)

// MergeScan reads the tables at paths, each sorted by its string column
// key (ascending, as Go compares strings) with no key twice in all of
// them, and calls fn with consecutive pieces of up to rows rows holding
// columns cols (by name, in that order) of every row, in the order of key
// over all the tables: the shards of a table split by key, read back as
// one (OpenMerge). Memory holds two pieces of each table, the pieces a
// Read took rows from (until it has copied them) and fn's piece, not the
// tables. A piece handed to fn is its own: fn may keep it.
//
// A table without key or one of cols, a column of another kind than in
// the first table, a key that is null, out of order or in two tables is an
// error naming the file; so is fn's error, which stops the scan.
func MergeScan(ctx context.Context, paths []string, key string, cols []string, rows int, fn func(t *Table) error) error {
	if rows <= 0 || len(cols) == 0 {
		panic("data: MergeScan: no rows or no columns asked for")
	}
	r, err := OpenMerge(ctx, paths, key, cols)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		t, err := r.Read(rows)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
	}
}

// ErrNotSorted is the error of a merge whose table has a key out of order
// or twice.
var ErrNotSorted = errors.New("not sorted")

// MergeReader reads tables sorted by a key as one table (OpenMerge).
type MergeReader struct {
	m      *merger
	cancel context.CancelFunc
	wg     sync.WaitGroup
	rows   int64 // the rows of all the tables by their footers; −1: not known
	// last is the key of the last row read, from lastPath (seen: a row was read).
	last, lastPath string
	seen           bool
	err            error       // the error that stopped the reader
	spans          []mergeSpan // read's, kept between calls
}

// OpenMerge opens the tables at paths, each sorted by its string column
// key with no key twice in all of them (the shards of a table split by
// key), to be read as one table in key order by Read, with columns cols
// (by name, in that order), or with nil cols the columns of the first
// table with rows, in its order. Each table is read a piece at a time (ScanTable: a Parquet
// row group, of the columns asked for and key only), on a goroutine of its
// own, until Close: memory holds two pieces of each table, the one merged
// and the next, and, during a Read, the pieces it has taken rows from
// until it has copied them (its spans). A column that is OPTIONAL in a
// Parquet table has Nulls in every piece Read returns, null or not, so
// that a writer given the pieces keeps it nullable.
func OpenMerge(ctx context.Context, paths []string, key string, cols []string) (*MergeReader, error) {
	ctx, cancel := context.WithCancel(ctx)
	r := &MergeReader{m: &merger{key: key, cols: cols, kinds: make([]Kind, len(cols)), nullable: map[string]bool{}}, cancel: cancel}
	known := true
	for _, p := range paths {
		n, err := optionalColumns(p, r.m.nullable)
		if err != nil {
			cancel()
			return nil, err
		}
		r.rows, known = r.rows+n, known && n >= 0
	}
	if !known {
		r.rows = -1
	}
	var read []string // the columns to decode, nil for all
	if cols != nil {
		read = append(slices.Clone(cols), key)
	}
	for _, p := range paths {
		c := &mergeCursor{path: p, pieces: make(chan *Table), done: make(chan error, 1)}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			defer close(c.pieces)
			c.done <- scanTableColumns(ctx, p, read, false, func(t *Table, _ int64) error {
				select {
				case c.pieces <- t:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}()
		if err := r.m.next(c); err != nil {
			r.Close()
			return nil, err
		}
		if c.t != nil {
			heap.Push(r.m, c)
		}
	}
	return r, nil
}

// NumRows returns the number of rows of all the tables, from the Parquet
// files' footers, and false when a table is not Parquet (its rows are not
// known before it is read).
func (r *MergeReader) NumRows() (int64, bool) { return r.rows, r.rows >= 0 }

// Read returns the next up to rows rows (rows of every call but the last),
// a table of its own, and io.EOF after the last row. An error stops the
// reader: Read returns it again.
func (r *MergeReader) Read(rows int) (*Table, error) {
	if r.err != nil {
		return nil, r.err
	}
	t, err := r.read(rows)
	if err != nil {
		r.err = err
		r.Close()
	}
	return t, err
}

func (r *MergeReader) read(rows int) (*Table, error) {
	m := r.m
	if m.Len() == 0 {
		return nil, io.EOF
	}
	// The rows in key order, as spans of consecutive rows of one piece;
	// then copied a column at a time (gather).
	spans, n := r.spans[:0], 0
	for m.Len() > 0 && n < rows {
		c := m.h[0]
		k := c.keys.Strings[c.i]
		if r.seen && k <= r.last {
			return nil, fmt.Errorf("data: %s: %s %q is in %s too", c.path, m.key, k, r.lastPath)
		}
		r.last, r.lastPath, r.seen = k, c.path, true
		if last := len(spans) - 1; last >= 0 && spans[last].t == c.t && spans[last].hi == c.i {
			spans[last].hi++
		} else {
			spans = append(spans, mergeSpan{t: c.t, src: c.src, lo: c.i, hi: c.i + 1})
		}
		n++
		if c.i++; c.i == c.t.NumRows() {
			if err := m.next(c); err != nil {
				return nil, err
			}
			if c.t == nil {
				heap.Pop(m)
				continue
			}
		} else if c.keys.Strings[c.i] <= k {
			return nil, fmt.Errorf("data: %s: %s %q after %q: %w", c.path, m.key, c.keys.Strings[c.i], k, ErrNotSorted)
		}
		heap.Fix(m, 0)
	}
	out := m.gather(spans, n)
	clear(spans) // let the pieces go
	r.spans = spans[:0]
	return out, nil
}

// mergeSpan is rows [lo, hi) of a piece t of a table, whose columns to
// read are src.
type mergeSpan struct {
	t      *Table
	src    []*Column
	lo, hi int
}

// gather returns the n rows of spans, in order, as a piece of its own:
// each column copied in turn. A column has Nulls when it is nullable
// (OPTIONAL in a Parquet table) or when one of its rows is null.
func (m *merger) gather(spans []mergeSpan, n int) *Table {
	out := m.newPiece(n)
	for j := range out.Columns {
		dst := &out.Columns[j]
		switch dst.Kind {
		case KindString:
			for _, s := range spans {
				dst.Strings = append(dst.Strings, s.src[j].Strings[s.lo:s.hi]...)
			}
		case KindFloat64:
			for _, s := range spans {
				dst.Floats = append(dst.Floats, s.src[j].Floats[s.lo:s.hi]...)
			}
		case KindInt64:
			for _, s := range spans {
				dst.Ints = append(dst.Ints, s.src[j].Ints[s.lo:s.hi]...)
			}
		case KindBool:
			for _, s := range spans {
				dst.Bools = append(dst.Bools, s.src[j].Bools[s.lo:s.hi]...)
			}
		case KindTime:
			for _, s := range spans {
				dst.Times = append(dst.Times, s.src[j].Times[s.lo:s.hi]...)
			}
		}
		nulls := dst.Nulls != nil
		for k := 0; k < len(spans) && !nulls; k++ {
			s := spans[k]
			nulls = s.src[j].Nulls != nil && slices.Contains(s.src[j].Nulls[s.lo:s.hi], true)
		}
		if !nulls {
			continue
		}
		if dst.Nulls == nil {
			dst.Nulls = make([]bool, 0, n)
		}
		for _, s := range spans {
			if src := s.src[j].Nulls; src != nil {
				dst.Nulls = append(dst.Nulls, src[s.lo:s.hi]...)
			} else {
				for range s.hi - s.lo {
					dst.Nulls = append(dst.Nulls, false)
				}
			}
		}
	}
	return out
}

// Close stops the tables' readers and waits for them: none outlives it.
// It may be called more than once.
func (r *MergeReader) Close() {
	r.cancel()
	r.wg.Wait()
	if r.err == nil {
		r.err = errClosed
	}
}

var errClosed = errors.New("data: the merge reader is closed")

// optionalColumns adds the OPTIONAL columns of the table at path, when it
// is a Parquet file, to nullable, and returns its rows (−1 for a table
// of another format).
func optionalColumns(path string, nullable map[string]bool) (int64, error) {
	f, err := formatOf(path)
	if err != nil {
		return 0, err
	}
	if f != formatParquet {
		return -1, nil
	}
	file, pf, err := openParquet(path)
	if err != nil {
		return 0, err
	}
	defer file.Close()
	for _, col := range pf.Root().Columns() {
		if col.Optional() {
			nullable[col.Name()] = true
		}
	}
	return pf.NumRows(), nil
}

// ParquetColumns returns the names of the columns of the Parquet file at
// path, in the file's order, from its footer.
func ParquetColumns(path string) ([]string, error) {
	file, pf, err := openParquet(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	var names []string
	for _, col := range pf.Root().Columns() {
		names = append(names, col.Name())
	}
	return names, nil
}

// merger is the heap of the tables' cursors, by their current key.
type merger struct {
	key      string
	cols     []string // nil: the first piece's
	kinds    []Kind   // the columns' kinds, from the first piece read
	typed    bool
	nullable map[string]bool // the columns OPTIONAL in a Parquet table
	h        []*mergeCursor
}

// mergeCursor is one table being read: its current piece and row.
type mergeCursor struct {
	path   string
	pieces chan *Table
	done   chan error
	t      *Table
	i      int
	keys   *Column
	src    []*Column // the piece's columns cols
}

// next moves c to its table's next piece with rows; c.t is nil at the end
// of the table.
func (m *merger) next(c *mergeCursor) error {
	var prev string
	if c.t != nil {
		prev = c.keys.Strings[c.t.NumRows()-1]
	}
	for {
		t, ok := <-c.pieces
		if !ok {
			c.t = nil
			if err := <-c.done; err != nil {
				return err
			}
			return nil
		}
		if t.NumRows() == 0 {
			continue
		}
		c.t, c.i, c.keys = t, 0, t.Column(m.key)
		if c.keys == nil || c.keys.Kind != KindString {
			return fmt.Errorf("data: %s: no string column %q", c.path, m.key)
		}
		if c.keys.Nulls != nil && slices.Contains(c.keys.Nulls, true) {
			return fmt.Errorf("data: %s: a null %s", c.path, m.key)
		}
		if prev != "" && c.keys.Strings[0] <= prev {
			return fmt.Errorf("data: %s: %s %q after %q: %w", c.path, m.key, c.keys.Strings[0], prev, ErrNotSorted)
		}
		if m.cols == nil {
			for _, col := range t.Columns {
				m.cols = append(m.cols, col.Name)
			}
			m.kinds = make([]Kind, len(m.cols))
		}
		c.src = make([]*Column, 0, len(m.cols)) // a piece's own: read's spans hold it
		for j, name := range m.cols {
			col := t.Column(name)
			if col == nil {
				return fmt.Errorf("data: %s: no column %q", c.path, name)
			}
			if !m.typed {
				m.kinds[j] = col.Kind
			} else if col.Kind != m.kinds[j] {
				return fmt.Errorf("data: %s: column %q is %v, %v in the shards before", c.path, name, col.Kind, m.kinds[j])
			}
			c.src = append(c.src, col)
		}
		m.typed = true
		return nil
	}
}

// newPiece returns an empty piece of the columns, with room for rows.
func (m *merger) newPiece(rows int) *Table {
	t := &Table{Columns: make([]Column, len(m.cols))}
	for j, name := range m.cols {
		t.Columns[j] = Column{Name: name, Kind: m.kinds[j]}
		t.Columns[j].grow(rows)
		if m.nullable[name] {
			t.Columns[j].Nulls = make([]bool, 0, rows)
		}
	}
	return t
}

func (m *merger) Len() int { return len(m.h) }
func (m *merger) Less(i, j int) bool {
	a, b := m.h[i], m.h[j]
	return a.keys.Strings[a.i] < b.keys.Strings[b.i]
}
func (m *merger) Swap(i, j int) { m.h[i], m.h[j] = m.h[j], m.h[i] }
func (m *merger) Push(x any)    { m.h = append(m.h, x.(*mergeCursor)) }
func (m *merger) Pop() any {
	c := m.h[len(m.h)-1]
	m.h = m.h[:len(m.h)-1]
	return c
}

// grow makes room for n more values of c's kind.
func (c *Column) grow(n int) {
	switch c.Kind {
	case KindString:
		c.Strings = slices.Grow(c.Strings, n)
	case KindFloat64:
		c.Floats = slices.Grow(c.Floats, n)
	case KindInt64:
		c.Ints = slices.Grow(c.Ints, n)
	case KindBool:
		c.Bools = slices.Grow(c.Bools, n)
	case KindTime:
		c.Times = slices.Grow(c.Times, n)
	}
}

// appendFrom appends row i of src, a column of c's kind, to c, null or
// not: c gets Nulls at its first null.
func (c *Column) appendFrom(src *Column, i int) {
	switch c.Kind {
	case KindString:
		c.Strings = append(c.Strings, src.Strings[i])
	case KindFloat64:
		c.Floats = append(c.Floats, src.Floats[i])
	case KindInt64:
		c.Ints = append(c.Ints, src.Ints[i])
	case KindBool:
		c.Bools = append(c.Bools, src.Bools[i])
	case KindTime:
		c.Times = append(c.Times, src.Times[i])
	}
	null := src.IsNull(i)
	if null && c.Nulls == nil {
		c.Nulls = make([]bool, c.Len()-1, cap(c.Strings)+cap(c.Floats)+cap(c.Ints)+cap(c.Bools)+cap(c.Times))
	}
	if c.Nulls != nil {
		c.Nulls = append(c.Nulls, null)
	}
}
