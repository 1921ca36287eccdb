package features

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/segment-tool/segment/data"
)

// CustomerTable is the optional customers table, keyed by customer id,
// with its columns renamed to their logical names (data.CustomerColumns)
// and typed: email, city, country and age_band strings; newsletter and b2b
// booleans; signup_time a time.
type CustomerTable struct {
	Path string   // the file read
	IDs  []string // the customer ids, sorted

	row  map[string]int // row of each id in IDs
	cols []data.Column  // logical columns present, customer_id excluded, rows in IDs order
}

// ReadCustomerTable reads the customers table at path. columns maps
// logical names to file columns; an unmapped logical column is looked for
// under its own name and may be absent, except customer_id. Errors name
// the file, and the column and row where there is one: an unknown logical
// name, a mapped column the file lacks, an empty or duplicate customer id,
// a value that cannot be read as its column's type. The table is read
// whole: memory grows with its rows.
func ReadCustomerTable(ctx context.Context, path string, columns map[string]string) (*CustomerTable, error) {
	for k := range columns {
		if !slices.Contains(data.CustomerColumns, k) {
			return nil, fmt.Errorf("customers %s: unknown logical column %q (want one of %s)", path, k, strings.Join(data.CustomerColumns, ", "))
		}
	}
	t, err := data.ReadTable(ctx, path)
	if err != nil {
		return nil, err
	}
	c := &CustomerTable{Path: path, row: map[string]int{}}
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
		c.IDs = append(c.IDs, ids[i])
		c.row[ids[i]] = k
	}
	for j, name := range data.CustomerColumns[1:] {
		col := src[j+1]
		if col == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
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

// Prospects returns the customers of the table who have no orders: the
// ids (sorted) not among withOrders (sorted).
func (c *CustomerTable) Prospects(withOrders []string) []string {
	var out []string
	j := 0
	for _, id := range c.IDs {
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

// ColumnsFor returns the table's columns (customer_id excluded, in the
// order of data.CustomerColumns) for the given ids, one row per id: an id
// without a row in the table (a customer with orders only) gets nulls.
func (c *CustomerTable) ColumnsFor(ids []string) []data.Column {
	// Each id is looked up once, not once per column.
	rows := make([]int, len(ids))
	for i, id := range ids {
		row, ok := c.row[id]
		if !ok {
			row = -1
		}
		rows[i] = row
	}
	out := make([]data.Column, len(c.cols))
	for k, src := range c.cols {
		dst := data.Column{Name: src.Name, Kind: src.Kind, Nulls: make([]bool, len(ids))}
		for i, row := range rows {
			ok := row >= 0
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

// Profile returns the table's group inputs for the given ids:
// registration, newsletter, B2B and city (nil when the table lacks the
// column), and country and age band for custom groups (nil likewise).
func (c *CustomerTable) Profile(ids []string) (p *Profile, country, age []string) {
	p = &Profile{Registered: make([]bool, len(ids))}
	for i, id := range ids {
		_, p.Registered[i] = c.row[id]
	}
	for _, col := range c.ColumnsFor(ids) {
		switch col.Name {
		case "newsletter":
			p.Newsletter = col.Bools
		case "b2b":
			p.B2B = col.Bools
		case "city":
			p.City = col.Strings
		case "country":
			country = col.Strings
		case "age_band":
			age = col.Strings
		}
	}
	return p, country, age
}
