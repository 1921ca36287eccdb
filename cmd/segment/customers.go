package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/segment-tool/segment/data"
)

// customers is the optional customers table, keyed by customer id, with its
// columns renamed to their logical names and typed: email, city, country
// and age_band strings; newsletter and b2b booleans; signup_time a time.
type customers struct {
	path string
	ids  []string // sorted
	row  map[string]int
	cols []data.Column // logical columns present, customer_id excluded, rows in ids order
}

// loadCustomers reads the customers table. columns maps logical names to
// file columns; an unmapped logical column is looked for under its own name
// and may be absent.
func loadCustomers(ctx context.Context, path string, columns map[string]string) (*customers, error) {
	for k := range columns {
		if !slices.Contains(data.CustomerColumns, k) {
			return nil, fmt.Errorf("customers %s: unknown logical column %q (want one of %s)", path, k, strings.Join(data.CustomerColumns, ", "))
		}
	}
	t, err := data.ReadTable(ctx, path)
	if err != nil {
		return nil, err
	}
	c := &customers{path: path, row: map[string]int{}}
	var src []*data.Column
	for _, name := range data.CustomerColumns {
		fileName, mapped := columns[name]
		if !mapped || fileName == "" {
			fileName = name
		}
		col := t.Column(fileName)
		if col == nil && (name == "customer_id" || (mapped && columns[name] != "")) {
			return nil, fmt.Errorf("customers %s: column %q (mapped as %s) not found", path, fileName, name)
		}
		src = append(src, col)
	}
	ids, err := data.IDStrings(path, *src[0])
	if err != nil {
		return nil, err
	}
	order := make([]int, len(ids))
	for i, id := range ids {
		if id == "" || src[0].IsNull(i) {
			return nil, fmt.Errorf("customers %s: row %d: empty customer_id", path, i+1)
		}
		if j, dup := c.row[id]; dup {
			return nil, fmt.Errorf("customers %s: customer_id %q on rows %d and %d", path, id, j+1, i+1)
		}
		c.row[id] = i
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(ids[a], ids[b]) })
	for k, i := range order {
		c.ids = append(c.ids, ids[i])
		c.row[ids[i]] = k
	}
	for j, name := range data.CustomerColumns[1:] {
		col := src[j+1]
		if col == nil {
			continue
		}
		typed, err := customerColumn(path, name, col, order)
		if err != nil {
			return nil, err
		}
		c.cols = append(c.cols, typed)
	}
	return c, nil
}

// customerColumn converts one column to its logical type, in row order.
func customerColumn(path, name string, col *data.Column, order []int) (data.Column, error) {
	out := data.Column{Name: name, Nulls: make([]bool, len(order))}
	fail := func(row int, v string, want string) error {
		return fmt.Errorf("customers %s: column %q (%s), row %d: cannot read %q as %s", path, col.Name, name, row+1, v, want)
	}
	switch name {
	case "newsletter", "b2b":
		out.Kind = data.KindBool
		for _, i := range order {
			v, null, ok := col.Bool(i)
			if !ok {
				return out, fail(i, col.Text(i), "true/false, yes/no or 1/0")
			}
			out.Bools = append(out.Bools, v)
			out.Nulls[len(out.Bools)-1] = null
		}
	case "signup_time":
		out.Kind = data.KindTime
		for _, i := range order {
			v, null, ok := col.TimeIn(i, time.UTC)
			if !ok {
				return out, fail(i, col.Text(i), "a date or time")
			}
			out.Times = append(out.Times, v)
			out.Nulls[len(out.Times)-1] = null
		}
	default:
		out.Kind = data.KindString
		for _, i := range order {
			out.Strings = append(out.Strings, col.Text(i))
			out.Nulls[len(out.Strings)-1] = col.IsNull(i)
		}
	}
	return out, nil
}

// prospects returns the customers of the table who have no orders: ids
// (sorted) not among withOrders (sorted).
func (c *customers) prospects(withOrders []string) []string {
	var out []string
	j := 0
	for _, id := range c.ids {
		for j < len(withOrders) && withOrders[j] < id {
			j++
		}
		if j < len(withOrders) && withOrders[j] == id {
			continue
		}
		out = append(out, id)
	}
	return out
}

// columnsFor returns the customers table's columns for the given output
// ids: a customer with orders but no row in the table gets nulls.
func (c *customers) columnsFor(ids []string) []data.Column {
	out := make([]data.Column, len(c.cols))
	for k, src := range c.cols {
		dst := data.Column{Name: src.Name, Kind: src.Kind, Nulls: make([]bool, len(ids))}
		for i, id := range ids {
			row, ok := c.row[id]
			null := !ok || src.Nulls[row]
			dst.Nulls[i] = null
			switch src.Kind {
			case data.KindBool:
				dst.Bools = append(dst.Bools, ok && src.Bools[row])
			case data.KindTime:
				var t time.Time
				if ok {
					t = src.Times[row]
				}
				dst.Times = append(dst.Times, t)
			default:
				var s string
				if ok {
					s = src.Strings[row]
				}
				dst.Strings = append(dst.Strings, s)
			}
		}
		out[k] = dst
	}
	return out
}
