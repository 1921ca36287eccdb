package features

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/segment-tool/segment/data"
)

// CustomerTable is the optional customers table, keyed by customer id,
// with its columns renamed to their logical names (data.CustomerColumns)
// and typed: email, city, country and age_band strings; newsletter and b2b
// booleans; signup_time a time.
type CustomerTable struct {
	Path string   // the file read
	IDs  []string // the customer ids, sorted
	// Rejects are the rows without a customer id, left out, in file order.
	Rejects []data.Reject

	cols []customerColumn // logical columns present, customer_id excluded, rows in IDs order
}

// ReadCustomerTable reads the customers table at path. columns maps
// logical names to file columns; an unmapped logical column is looked for
// under its own name and may be absent, except customer_id. times says how
// signup_time is read (customers.time_format and timezone; the zero
// TimeFormat: the default layouts, in UTC). A row without
// a customer id is left out and listed in Rejects. Errors name the file,
// and the column and row where there is one: an unknown logical name, a
// mapped column the file lacks, a value that cannot be read as its
// column's type, a duplicate customer id (naming both its rows; found
// once the whole file is read, so the file's other errors come first).
// The file is read a piece at a time (data.ScanTable) and only its
// logical columns are kept: memory grows with the customers, not with the
// file's other columns.
func ReadCustomerTable(ctx context.Context, path string, columns map[string]string, times data.TimeFormat) (*CustomerTable, error) {
	// The ids and columns are packed as the pieces come (customerColumn:
	// no pointer per row), in file order, and sorted by id at the end.
	ids := customerColumn{name: "customer_id", kind: data.KindString}
	var cols []customerColumn
	var rejects []data.Reject
	var fileRows []int64 // the file's row of each id, to name both rows of a duplicate
	err := data.ScanTableRagged(ctx, path, func(t *data.Table, first int64) error {
		pieceIDs, pieceCols, pieceRejects, err := CustomerPiece(path, columns, times, t, first)
		if err != nil {
			return err
		}
		fileRows = appendKeptRows(fileRows, first, t.NumRows(), pieceRejects)
		rejects = append(rejects, pieceRejects...)
		ids.appendRows(&data.Column{Kind: data.KindString, Strings: pieceIDs})
		if cols == nil {
			cols = make([]customerColumn, len(pieceCols))
			for j := range pieceCols {
				cols[j] = customerColumn{name: pieceCols[j].Name, kind: pieceCols[j].Kind}
			}
		}
		for j := range cols {
			cols[j].appendRows(&pieceCols[j])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := CheckCustomerRows(path, int64(len(fileRows)), rejectCounts(rejects)); err != nil {
		return nil, err
	}
	c, err := newCustomerTable(path, &ids, fileRows, cols)
	if err != nil {
		return nil, err
	}
	c.Rejects = rejects
	return c, nil
}

// appendKeptRows appends to rows the file rows (from 1) of a piece of n
// rows whose first is the file's row first, but for the rejected ones
// (in file order).
func appendKeptRows(rows []int64, first int64, n int, rejected []data.Reject) []int64 {
	for i := range int64(n) {
		if len(rejected) > 0 && rejected[0].Row == first+i+1 {
			rejected = rejected[1:]
			continue
		}
		rows = append(rows, first+i+1)
	}
	return rows
}

// appendCustomerColumn converts the rows of col, a piece of the table
// whose first row is the file's row first, to dst's logical type and
// appends them to dst. The rows skip marks (nil: none) are left out
// unread: they are rejected, their cells in rejects.csv as they were.
func appendCustomerColumn(dst *data.Column, path string, col *data.Column, first int64, skip []bool, times data.TimeFormat) error {
	name := dst.Name
	fail := func(i int, want string) error {
		return fmt.Errorf("customers %s: column %q (%s), row %d: cannot read %s as %s", path, col.Name, name, first+int64(i)+1, data.QuoteCell(col.Text(i)), want)
	}
	for i := range col.Len() {
		if skip != nil && skip[i] {
			continue
		}
		var null bool
		switch {
		case name == "newsletter" || name == "b2b":
			v, isNull, ok := col.Bool(i)
			if !ok {
				return fail(i, "true/false, yes/no, 1/0, on/off or subscribed/unsubscribed")
			}
			dst.Bools, null = append(dst.Bools, v), isNull
		case name == "signup_time":
			v, isNull, ok := col.TimeAs(i, times)
			if !ok || !isNull && (v.Before(data.MinTime) || v.After(data.MaxTime)) {
				return fail(i, "a date or time in the years 1678–2261 (customers.time_format sets its layout)")
			}
			dst.Times, null = append(dst.Times, v), isNull
		default:
			// Bytes that are not UTF-8 become U+FFFD, as in the order
			// lines' text: these columns reach the outputs.
			dst.Strings, null = append(dst.Strings, strings.ToValidUTF8(col.Text(i), "\uFFFD")), col.IsNull(i)
		}
		dst.Nulls = append(dst.Nulls, null)
	}
	return nil
}

// customerKind is the type of a logical column of the customers table.
func customerKind(name string) data.Kind {
	switch name {
	case "newsletter", "b2b":
		return data.KindBool
	case "signup_time":
		return data.KindTime
	}
	return data.KindString
}

// Header returns a table with c's path and columns and no row, nor
// rejects: what a scale-out run's finishing step needs of the table,
// whose rows it reads from the assignments.
func (c *CustomerTable) Header() *CustomerTable {
	h := &CustomerTable{Path: c.Path}
	for k := range c.cols {
		h.cols = append(h.cols, c.cols[k].header())
	}
	return h
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
	return c.ColumnsAt(c.RowsOf(ids))
}

// RowsOf returns the table's row of each id, −1 for an id without one
// (ColumnsAt's input): in one walk through the table's sorted ids when
// ids are sorted too, else by binary search.
func (c *CustomerTable) RowsOf(ids []string) []int32 {
	rows := make([]int32, len(ids))
	if slices.IsSorted(ids) {
		var j int
		if len(ids) > 0 {
			j, _ = slices.BinarySearch(c.IDs, ids[0]) // a few ids cost a search, not the table
		}
		for i, id := range ids {
			for j < len(c.IDs) && c.IDs[j] < id {
				j++
			}
			rows[i] = -1
			if j < len(c.IDs) && c.IDs[j] == id {
				rows[i] = int32(j)
			}
		}
		return rows
	}
	for i, id := range ids {
		j, found := slices.BinarySearch(c.IDs, id)
		rows[i] = -1
		if found {
			rows[i] = int32(j)
		}
	}
	return rows
}

// ColumnsAt is ColumnsFor of the ids at the given rows of the table
// (RowsOf; −1: none).
func (c *CustomerTable) ColumnsAt(rows []int32) []data.Column {
	return c.ColumnsAtInto(nil, rows)
}

// ColumnsAtInto is ColumnsAt in the slices of dst, the columns an earlier
// call returned (grown when short; nil: new ones): the columns it returns
// hold until the next call given them. For readers of the assignments
// that are done with a range of customers before they ask for the next.
func (c *CustomerTable) ColumnsAtInto(dst []data.Column, rows []int32) []data.Column {
	n := len(rows)
	if len(dst) != len(c.cols) {
		dst = make([]data.Column, len(c.cols))
	}
	for k := range c.cols {
		src := &c.cols[k]
		d := &dst[k]
		d.Name, d.Kind = src.name, src.kind
		d.Nulls = zeroed(d.Nulls, n)
		switch src.kind {
		case data.KindBool:
			d.Bools = zeroed(d.Bools, n)
		case data.KindTime:
			d.Times = zeroed(d.Times, n)
		default:
			d.Strings = zeroed(d.Strings, n)
		}
		for i, row := range rows {
			if row < 0 || src.nulls[row] {
				d.Nulls[i] = true
				if row < 0 {
					continue
				}
			}
			switch src.kind {
			case data.KindBool:
				d.Bools[i] = src.bools[row]
			case data.KindTime:
				d.Times[i] = src.time(int(row))
			default:
				d.Strings[i] = src.str(int(row))
			}
		}
	}
	return dst
}

// zeroed returns s[:n] with every value zero, or a new slice of n when s
// is shorter or nil: never nil (a column's nil Nulls would say it has no
// nulls at all).
func zeroed[T any](s []T, n int) []T {
	if s == nil || cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// Profile returns the table's group inputs for the given ids:
// registration, newsletter, B2B and city (nil when the table lacks the
// column), and country and age band for custom groups (nil likewise).
func (c *CustomerTable) Profile(ids []string) (p *Profile, country, age []string) {
	rows := c.RowsOf(ids)
	p = &Profile{Registered: make([]bool, len(ids))}
	for i, row := range rows {
		p.Registered[i] = row >= 0
	}
	for _, col := range c.ColumnsAt(rows) {
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

// rejectCounts counts rejects by reason.
func rejectCounts(rejects []data.Reject) map[string]int64 {
	var m map[string]int64
	for _, r := range rejects {
		if m == nil {
			m = map[string]int64{}
		}
		m[r.Reason]++
	}
	return m
}

// CheckCustomerRows is an error when the customers table at path has no
// rows, or rows of it were rejected (rejected, by reason) and none was
// kept (kept rows): a run would go on with no customer's e-mail, consent
// or city. It says
// what to check: the header, when rows have the wrong number of fields (a
// field more or less, another delimiter), else the id column's mapping.
func CheckCustomerRows(path string, kept int64, rejected map[string]int64) error {
	var all int64
	for _, c := range rejected {
		all += c
	}
	if kept > 0 {
		return nil
	}
	if all == 0 {
		// A table of a header alone is an export gone wrong: the run would
		// report its groups (newsletter_subscriber, registered_lead, b2b)
		// as empty, not unread.
		return NoRowsError("customers", path)
	}
	if n := rejected[customerFieldCountReason]; n > 0 {
		return fmt.Errorf("customers %s: no row kept: %d of its %d rows have a number of fields other than the header's: check that the header names every field of the rows, and the delimiter", path, n, all)
	}
	return fmt.Errorf("customers %s: no row kept: none of its %d rows has a customer id: map the column of the ids (customers.columns.customer_id)", path, all)
}
