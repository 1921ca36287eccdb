package features

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/segment-tool/segment/data"
)

// A customers table read a piece at a time, on several machines (the Beam
// runner): CustomerPiece converts one piece (a data.ScanTable table) as
// ReadCustomerTable converts the file, and NewCustomerTable makes a
// CustomerTable of some of the rows, e.g. those of one shard of the
// customers, with the columns of the whole file.

// customerRejectReason is the reason of a customers table's row without
// an id, in rejects.csv.
const customerRejectReason = "customers: missing customer_id"

// customerHeaderReason is the reject reason of a row that repeats the
// header's names in every mapped column.
const customerHeaderReason = "customers: " + data.ReasonRepeatedHeader

// customerFieldCountReason is the reject reason of a row of a CSV
// customers table whose number of fields is not the header's: which of
// its fields is the id, the e-mail or the consent cannot be told.
const customerFieldCountReason = "customers: " + data.ReasonFieldCount

// CustomerPiece converts the rows of t, a piece of the customers table at
// path whose first row is the file's row first (as data.ScanTable gives
// it), its signup times read as times says, as ReadCustomerTable converts
// them: the ids, and the logical
// columns the piece has (customer_id excluded, in the order of
// data.CustomerColumns, named by their logical names and typed), rows in
// the piece's order. A row without a customer id (empty, white space, or
// a word for a missing value such as NULL: data.CleanID) is left out and
// returned as a reject instead, as order lines without one are, and so is
// a row of a CSV file with the wrong number of fields (t.Ragged, as
// data.ScanTableRagged keeps it), with its fields. Its errors
// are ReadCustomerTable's, naming the file, column and row: an unknown
// logical name in columns, a mapped column the file lacks, a customer id
// that is not valid UTF-8, a value that cannot be read as its column's
// type. Duplicate ids are not looked for (they may be in other pieces):
// NewCustomerTable finds those in its rows.
func CustomerPiece(path string, columns map[string]string, times data.TimeFormat, t *data.Table, first int64) ([]string, []data.Column, []data.Reject, error) {
	for k := range columns {
		if !slices.Contains(data.CustomerColumns, k) {
			return nil, nil, nil, fmt.Errorf("customers %s: unknown logical column %q (want one of %s)", path, k, strings.Join(data.CustomerColumns, ", "))
		}
	}
	var src []*data.Column
	for _, name := range data.CustomerColumns {
		fileName, mapped := columns[name]
		if !mapped || fileName == "" {
			fileName = name
		}
		col := t.Column(fileName)
		if col == nil && (name == "customer_id" || (mapped && columns[name] != "")) {
			return nil, nil, nil, data.MissingColumnError("customers", path, fileName, name, t)
		}
		src = append(src, col)
	}
	ids, err := data.IDStrings(path, *src[0], first)
	if err != nil {
		return nil, nil, nil, err
	}
	var rejects []data.Reject
	var kept []string // the ids of the rows kept, when some are rejected…
	var skip []bool   // …and the rows rejected
	ragged := t.Ragged
	for i, id := range ids {
		odd := len(ragged) > 0 && ragged[0].Row == i
		header := !odd && isHeaderRow(src, i)
		switch {
		case odd || header || id == "" || src[0].IsNull(i):
			if skip == nil {
				skip = make([]bool, len(ids))
				kept = ids[:i:i] // appends copy: ids stays as it is
			}
			skip[i] = true
			reason, raw := customerRejectReason, map[string]string{}
			if header {
				reason = customerHeaderReason
			}
			if odd {
				reason, raw, ragged = customerFieldCountReason, ragged[0].Raw, ragged[1:]
			} else {
				for _, c := range src {
					if c != nil {
						raw[c.Name] = c.Text(i)
					}
				}
			}
			rejects = append(rejects, data.Reject{File: path, Row: first + int64(i) + 1, Reason: reason, Raw: raw})
			continue
		case !utf8.ValidString(id):
			// The ids of customers without orders reach the outputs, which
			// strict readers must be able to read.
			return nil, nil, nil, fmt.Errorf("customers %s: row %d: customer_id %s is not valid UTF-8", path, int(first)+i+1, data.QuoteCell(id))
		case data.HasNUL(id):
			return nil, nil, nil, fmt.Errorf("customers %s: row %d: customer_id %s holds a NUL byte", path, int(first)+i+1, data.QuoteCell(id))
		}
		if skip != nil {
			kept = append(kept, id)
		}
	}
	var cols []data.Column
	for j, name := range data.CustomerColumns[1:] {
		col := src[j+1]
		if col == nil {
			continue
		}
		typed := data.Column{Name: name, Kind: customerKind(name)}
		if err := appendCustomerColumn(&typed, path, col, first, skip, times); err != nil {
			return nil, nil, nil, err
		}
		cols = append(cols, typed)
	}
	if skip == nil {
		return ids, cols, nil, nil
	}
	return kept, cols, rejects, nil
}

// NewCustomerTable returns the customers table at path made of the rows
// ids (in any order) with the logical columns cols (rows in the order of
// ids, as CustomerPiece gives them; a column with no rows is kept: the
// file has it). An id on two rows is an error. The table's times are in
// UTC.
func NewCustomerTable(path string, ids []string, cols []data.Column) (*CustomerTable, error) {
	packed := customerColumn{name: "customer_id", kind: data.KindString}
	packed.appendRows(&data.Column{Kind: data.KindString, Strings: ids})
	var pcols []customerColumn
	for _, col := range cols {
		if col.Len() != len(ids) || col.Nulls != nil && len(col.Nulls) != len(ids) {
			return nil, fmt.Errorf("customers %s: column %s has %d rows for %d ids", path, col.Name, col.Len(), len(ids))
		}
		pc := customerColumn{name: col.Name, kind: col.Kind}
		pc.appendRows(&col)
		pcols = append(pcols, pc)
	}
	return newCustomerTable(path, &packed, nil, pcols)
}

// newCustomerTable is NewCustomerTable of the ids and columns packed, rows
// in the same order; fileRows, when not nil, are the file's rows (from 1)
// of the ids, for the error about an id on two rows: of the ids on several
// rows, it names the one whose second row comes first, and both its rows,
// as a reader going down the file would find it.
func newCustomerTable(path string, ids *customerColumn, fileRows []int64, cols []customerColumn) (*CustomerTable, error) {
	n := ids.len()
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(strings.Compare(ids.str(a), ids.str(b)), cmp.Compare(a, b))
	})
	dup := -1 // the position in order of the second row of the duplicate to name
	for k := 1; k < n; k++ {
		if ids.str(order[k]) != ids.str(order[k-1]) || k > 1 && ids.str(order[k-1]) == ids.str(order[k-2]) {
			continue // not a duplicate, or not its second row
		}
		if fileRows == nil {
			return nil, fmt.Errorf("customers %s: customer_id %s on two rows", path, data.QuoteCell(ids.str(order[k])))
		}
		if dup < 0 || fileRows[order[k]] < fileRows[order[dup]] {
			dup = k
		}
	}
	if dup >= 0 {
		return nil, fmt.Errorf("customers %s: customer_id %s on rows %d and %d",
			path, data.QuoteCell(ids.str(order[dup])), fileRows[order[dup-1]], fileRows[order[dup]])
	}
	// The ids are strings into one block of the sorted ids' bytes: one
	// object for the garbage collector, not one per id.
	sorted := ids.permuted(order)
	c := &CustomerTable{Path: path, IDs: make([]string, n)}
	for k := range c.IDs {
		c.IDs[k] = sorted.str(k)
	}
	for k := range cols {
		if cols[k].len() != n {
			return nil, fmt.Errorf("customers %s: column %s has %d rows for %d ids", path, cols[k].name, cols[k].len(), n)
		}
		c.cols = append(c.cols, cols[k].permuted(order))
		cols[k] = customerColumn{} // released as the next is made
	}
	return c, nil
}

// isHeaderRow reports whether row i of the mapped columns src (nil: not
// mapped) repeats their names: the header of a file concatenated after
// another (cat a.csv b.csv), which is no customer.
func isHeaderRow(src []*data.Column, i int) bool {
	n := 0
	for _, c := range src {
		if c == nil {
			continue
		}
		if c.IsNull(i) || c.Text(i) != c.Name {
			return false
		}
		n++
	}
	return n > 0
}
