package data

import (
	"slices"
	"strings"
)

// distinct collects the distinct values of a column until there are more
// than maxInspectValues of them.
type distinct struct {
	seen map[string]bool
	over bool
}

// add counts s, a cell of the column; empty cells and missing-value words
// (CleanID) are not values.
func (d *distinct) add(s string) {
	if d.over || d.seen[s] {
		return
	}
	if CleanID(s) == "" {
		return
	}
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	if len(d.seen) == maxInspectValues {
		d.over, d.seen = true, nil
		return
	}
	d.seen[strings.Clone(s)] = true
}

// values returns the values counted, sorted, or nil when there were more
// than maxInspectValues or none.
func (d *distinct) values() []string {
	if d.over || len(d.seen) == 0 {
		return nil
	}
	vs := make([]string, 0, len(d.seen))
	for v := range d.seen {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	return vs
}
