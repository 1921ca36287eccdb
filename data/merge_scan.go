package data

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"sync"
)

// MergeScan reads the tables at paths, each sorted by its string column
// key (ascending, as Go compares strings) with no key twice in all of
// them, and calls fn with consecutive pieces of up to rows rows holding
// columns cols (by name, in that order) of every row, in the order of key
// over all the tables: the shards of a table split by key, read back as
// one. Each table is read a piece at a time (ScanTable), on a goroutine
// of its own, so memory holds one piece of each table and fn's piece, not
// the tables; the readers have stopped when MergeScan returns. A piece handed to fn is its own: fn may keep it.
//
// A table without key or one of cols, a column of another kind than in
// the first table, a key that is null, out of order or in two tables is an
// error naming the file; so is fn's error, which stops the scan.
func MergeScan(ctx context.Context, paths []string, key string, cols []string, rows int, fn func(t *Table) error) error {
	if rows <= 0 || len(cols) == 0 {
		panic("data: MergeScan: no rows or no columns asked for")
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait() // no reader outlives the scan, whatever ended it
	}()
	m := &merger{key: key, cols: cols, kinds: make([]Kind, len(cols))}
	for _, p := range paths {
		c := &mergeCursor{path: p, pieces: make(chan *Table), done: make(chan error, 1)}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(c.pieces)
			c.done <- ScanTable(ctx, p, func(t *Table, _ int64) error {
				select {
				case c.pieces <- t:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}()
		if err := m.next(c); err != nil {
			return err
		}
		if c.t != nil {
			heap.Push(m, c)
		}
	}
	out := m.newPiece(rows)
	last, lastPath, seen := "", "", false
	for m.Len() > 0 {
		c := m.h[0]
		k := c.keys.Strings[c.i]
		if seen && k <= last {
			return fmt.Errorf("data: %s: %s %q is in %s too", c.path, key, k, lastPath)
		}
		last, lastPath, seen = k, c.path, true
		for j, src := range c.src {
			out.Columns[j].appendFrom(src, c.i)
		}
		if out.Columns[0].Len() == rows {
			if err := fn(out); err != nil {
				return err
			}
			out = m.newPiece(rows)
		}
		if c.i++; c.i == c.t.NumRows() {
			if err := m.next(c); err != nil {
				return err
			}
			if c.t == nil {
				heap.Pop(m)
				continue
			}
		} else if c.keys.Strings[c.i] <= k {
			return fmt.Errorf("data: %s: %s %q after %q: not sorted", c.path, key, c.keys.Strings[c.i], k)
		}
		heap.Fix(m, 0)
	}
	if out.Columns[0].Len() > 0 {
		return fn(out)
	}
	return nil
}

// merger is the heap of the tables' cursors, by their current key.
type merger struct {
	key   string
	cols  []string
	kinds []Kind // the columns' kinds, from the first piece read
	typed bool
	h     []*mergeCursor
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
			return fmt.Errorf("data: %s: %s %q after %q: not sorted", c.path, m.key, c.keys.Strings[0], prev)
		}
		c.src = c.src[:0]
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
