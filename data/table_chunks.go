package data

import "fmt"

// Chunks is a table given a range of rows at a time, for writing a table
// that is cheaper to compute range by range than to hold whole: the
// writers ask for the rows in order, in ranges of their own choosing, and
// drop each range when they are done with it. Every range has the same
// columns, with the same kinds and the same nullability: Nulls nil in
// every range or in none.
type Chunks interface {
	NumRows() int
	Rows(lo, hi int) *Table // rows [lo, hi) as a table of its own
}

// Whole is t, which must pass Validate, as Chunks: its ranges share t's
// memory.
func Whole(t *Table) Chunks { return wholeTable{t} }

type wholeTable struct{ t *Table }

func (w wholeTable) NumRows() int { return w.t.NumRows() }

func (w wholeTable) Rows(lo, hi int) *Table { return w.t.Slice(lo, hi) }

// Slice returns rows [lo, hi) of t, sharing its memory.
func (t *Table) Slice(lo, hi int) *Table {
	out := &Table{Columns: make([]Column, len(t.Columns))}
	for j, c := range t.Columns {
		s := Column{Name: c.Name, Kind: c.Kind, Wall: c.Wall}
		switch c.Kind {
		case KindString:
			s.Strings = c.Strings[lo:hi]
		case KindFloat64:
			s.Floats = c.Floats[lo:hi]
		case KindInt64:
			s.Ints = c.Ints[lo:hi]
		case KindBool:
			s.Bools = c.Bools[lo:hi]
		case KindTime:
			s.Times = c.Times[lo:hi]
		}
		if c.Nulls != nil {
			s.Nulls = c.Nulls[lo:hi]
		}
		out.Columns[j] = s
	}
	return out
}

// Take returns the rows of t at the given indexes, in their order, as a
// table of its own (the values copied, nulls kept).
func (t *Table) Take(rows []int) *Table {
	out := &Table{Columns: make([]Column, len(t.Columns))}
	for j := range t.Columns {
		c := &t.Columns[j]
		o := Column{Name: c.Name, Kind: c.Kind, Wall: c.Wall}
		o.grow(len(rows))
		if c.Nulls != nil {
			o.Nulls = make([]bool, 0, len(rows))
		}
		for _, i := range rows {
			o.appendFrom(c, i)
		}
		out.Columns[j] = o
	}
	return out
}

// RowReader is Chunks whose ranges are read and may fail (MergeChunks):
// CheckedRows asks it for ranges by ReadRows.
type RowReader interface {
	ReadRows(lo, hi int) (*Table, error)
}

// CheckedRows returns rows [lo, hi) of c, checked (Validate) and, but for the
// first range (first nil), of first's shape: the writers take the schema
// from the first range.
func CheckedRows(c Chunks, lo, hi int, first *Table) (*Table, error) {
	var t *Table
	if rr, ok := c.(RowReader); ok {
		var err error
		if t, err = rr.ReadRows(lo, hi); err != nil {
			return nil, err
		}
	} else {
		t = c.Rows(lo, hi)
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if n := t.NumRows(); n != hi-lo && len(t.Columns) > 0 {
		return nil, fmt.Errorf("data: rows %d to %d: a table of %d rows", lo, hi-1, n)
	}
	if first == nil {
		return t, nil
	}
	if len(t.Columns) != len(first.Columns) {
		return nil, fmt.Errorf("data: rows %d to %d have %d columns, the first rows %d", lo, hi-1, len(t.Columns), len(first.Columns))
	}
	for j := range t.Columns {
		a, b := &t.Columns[j], &first.Columns[j]
		if a.Name != b.Name || a.Kind != b.Kind || (a.Nulls == nil) != (b.Nulls == nil) {
			return nil, fmt.Errorf("data: rows %d to %d: column %d is %q (%v, nullable %t), in the first rows %q (%v, nullable %t)",
				lo, hi-1, j, a.Name, a.Kind, a.Nulls != nil, b.Name, b.Kind, b.Nulls != nil)
		}
	}
	return t, nil
}
