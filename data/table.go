package data

import (
	"fmt"
	"time"
)

// Kind is the type of a Column's values.
type Kind int

// The kinds of column. The zero Kind is invalid.
const (
	KindString Kind = iota + 1
	KindFloat64
	KindInt64
	KindBool
	KindTime
)

// String returns the kind's name as messages use it.
func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindFloat64:
		return "number"
	case KindInt64:
		return "integer"
	case KindBool:
		return "boolean"
	case KindTime:
		return "time"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Table is a small columnar table held in memory: the per-customer tables
// segment writes and reads, and the synthetic store. All columns have the
// same number of rows.
type Table struct {
	Columns []Column
	// Ragged are the rows of a CSV file whose number of fields was not
	// the header's, kept as rows of empty cells (ScanTableRagged), in row
	// order; nil for any other table.
	Ragged []RaggedRow
}

// RaggedRow is a row of a Table with the wrong number of fields: its
// index in the table, and its fields named by the header's columns,
// those past the header "field N" (as a rejected order line's).
type RaggedRow struct {
	Row int
	Raw map[string]string
}

// Column is a named column of a Table. Only the slice of its Kind is used.
// Nulls, when not nil, has one entry per row and marks the rows that have
// no value; their slot holds the zero value (NaN for KindFloat64 read by
// ReadTable). A nil Nulls means no row is null.
type Column struct {
	Name    string
	Kind    Kind
	Strings []string
	Floats  []float64
	Ints    []int64
	Bools   []bool
	Times   []time.Time
	Nulls   []bool
	// Wall marks times that are clock readings without a zone (a Parquet
	// DATE, or a TIMESTAMP not adjusted to UTC), held as readings in UTC:
	// Column.TimeAs places them in its format's zone.
	Wall bool
}

// Len returns the number of rows of the column.
func (c *Column) Len() int {
	switch c.Kind {
	case KindString:
		return len(c.Strings)
	case KindFloat64:
		return len(c.Floats)
	case KindInt64:
		return len(c.Ints)
	case KindBool:
		return len(c.Bools)
	case KindTime:
		return len(c.Times)
	}
	return 0
}

// IsNull reports whether row i has no value.
func (c *Column) IsNull(i int) bool { return c.Nulls != nil && c.Nulls[i] }

// NumRows returns the number of rows, 0 for a table without columns. It
// does not check that the columns agree; Validate does.
func (t *Table) NumRows() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].Len()
}

// Column returns the column named name, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// Validate checks that the table can be written: names are unique and not
// empty, kinds are known, and all columns (and their Nulls) have the same
// number of rows.
func (t *Table) Validate() error {
	seen := make(map[string]bool, len(t.Columns))
	n := t.NumRows()
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Name == "" {
			return fmt.Errorf("data: table column %d has no name", i)
		}
		if seen[c.Name] {
			return fmt.Errorf("data: table column %q appears twice", c.Name)
		}
		seen[c.Name] = true
		if c.Kind < KindString || c.Kind > KindTime {
			return fmt.Errorf("data: table column %q: invalid kind %v", c.Name, c.Kind)
		}
		if l := c.Len(); l != n {
			return fmt.Errorf("data: table column %q has %d rows, column %q has %d", c.Name, l, t.Columns[0].Name, n)
		}
		if c.Nulls != nil && len(c.Nulls) != n {
			return fmt.Errorf("data: table column %q has %d null flags for %d rows", c.Name, len(c.Nulls), n)
		}
	}
	return nil
}
