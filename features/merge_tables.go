package features

import (
	"fmt"
	"slices"
)

// MergeTables returns one table holding the rows of tables, each sorted by
// id with no id in two of them and the same columns, in id order: the
// table of a store whose customers were split among them (the shards of a
// scale-out run). The store-wide values (AsOf, Categories, Revenue, …) are
// tables[0]'s. The merge follows the tables' own orders (a heap of their
// next ids: O(n log k) for k tables) and consumes them: each column of the
// tables is released (set to nil) once merged, so that memory holds the
// tables and one merged column more, not two copies of the store. A
// column nil in every table stays nil; a table without it gives zero
// values.
func MergeTables(tables []*Table) (*Table, error) {
	if len(tables) == 0 {
		return nil, fmt.Errorf("features: no table to merge")
	}
	for k, t := range tables {
		if !slices.Equal(t.Names, tables[0].Names) {
			return nil, fmt.Errorf("features: table %d to merge: columns %v, want %v", k, t.Names, tables[0].Names)
		}
		if len(t.Cols) != len(t.Names) {
			return nil, fmt.Errorf("features: table %d to merge: %d columns for %d names", k, len(t.Cols), len(t.Names))
		}
		for j, c := range t.Cols {
			if len(c) != t.N() {
				return nil, fmt.Errorf("features: table %d to merge: column %s has %d rows for %d ids", k, t.Names[j], len(c), t.N())
			}
		}
		for i, c := range [][]string{t.TopCategory, t.City, t.Country, t.Channel} {
			if c != nil && len(c) != t.N() {
				name := [...]string{"top_category", "city", "country", "channel"}[i]
				return nil, fmt.Errorf("features: table %d to merge: column %s has %d rows for %d ids", k, name, len(c), t.N())
			}
		}
	}
	from := mergeOrder(tables)
	// Checked before any table is consumed: an error leaves them whole.
	pos := make([]int, len(tables))
	prev := ""
	for i, k := range from {
		id := tables[k].IDs[pos[k]]
		pos[k]++
		switch {
		case i > 0 && id == prev:
			return nil, fmt.Errorf("features: customer %q in two tables to merge", id)
		case i > 0 && id < prev:
			return nil, fmt.Errorf("features: table %d to merge is not sorted by id (%q after %q)", k, id, prev)
		}
		prev = id
	}
	out := *tables[0]
	out.IDs = mergeColumn(tables, from, func(t *Table) *[]string { return &t.IDs })
	out.TopCategory = mergeColumn(tables, from, func(t *Table) *[]string { return &t.TopCategory })
	out.City = mergeColumn(tables, from, func(t *Table) *[]string { return &t.City })
	out.Country = mergeColumn(tables, from, func(t *Table) *[]string { return &t.Country })
	out.Channel = mergeColumn(tables, from, func(t *Table) *[]string { return &t.Channel })
	out.Cols = make([][]float64, len(out.Names))
	for j := range out.Cols {
		out.Cols[j] = mergeColumn(tables, from, func(t *Table) *[]float64 { return &t.Cols[j] })
	}
	return &out, nil
}
