package features

import (
	"fmt"
	"slices"
)

// WithColumns returns a copy of t with the given columns appended after
// the existing ones. Every column must have one value per row and a new,
// non-empty name.
func (t *Table) WithColumns(names []string, cols [][]float64) (*Table, error) {
	if len(names) != len(cols) {
		return nil, fmt.Errorf("features: %d column names but %d columns", len(names), len(cols))
	}
	u := *t
	u.Names = slices.Clone(t.Names)
	u.Cols = slices.Clone(t.Cols)
	for j, name := range names {
		switch {
		case name == "" || t.Col(name) != nil:
			return nil, fmt.Errorf("features: column %q is empty or already present", name)
		case len(cols[j]) != t.N():
			return nil, fmt.Errorf("features: column %q has %d values for %d customers", name, len(cols[j]), t.N())
		}
		u.Names = append(u.Names, name)
		u.Cols = append(u.Cols, cols[j])
	}
	return &u, nil
}

// WithRows returns a copy of t with a row of zeros (and no top category,
// city, country or channel) for each id of extra that t lacks, keeping rows sorted by id. It is how
// customers without orders (prospects) join the table for RFM and groups.
func (t *Table) WithRows(extra []string) *Table {
	var add []string
	for _, id := range extra {
		if _, found := slices.BinarySearch(t.IDs, id); !found {
			add = append(add, id)
		}
	}
	slices.Sort(add)
	add = slices.Compact(add)
	if len(add) == 0 {
		return t
	}
	n := t.N() + len(add)
	u := *t
	u.IDs = make([]string, 0, n)
	src := make([]int, 0, n) // row of t, or −1
	i, j := 0, 0
	for i < t.N() || j < len(add) {
		if j == len(add) || (i < t.N() && t.IDs[i] < add[j]) {
			u.IDs, src = append(u.IDs, t.IDs[i]), append(src, i)
			i++
		} else {
			u.IDs, src = append(u.IDs, add[j]), append(src, -1)
			j++
		}
	}
	u.Cols = make([][]float64, len(t.Cols))
	for c, col := range t.Cols {
		u.Cols[c] = make([]float64, n)
		for r, s := range src {
			if s >= 0 {
				u.Cols[c][r] = col[s]
			}
		}
	}
	u.TopCategory = spreadStrings(t.TopCategory, src)
	u.City = spreadStrings(t.City, src)
	u.Country = spreadStrings(t.Country, src)
	u.Channel = spreadStrings(t.Channel, src)
	return &u
}

// spreadStrings returns the column whose row r is v[src[r]], or "" where
// src[r] is −1; nil for a nil v.
func spreadStrings(v []string, src []int) []string {
	if v == nil {
		return nil
	}
	out := make([]string, len(src))
	for r, s := range src {
		if s >= 0 {
			out[r] = v[s]
		}
	}
	return out
}
