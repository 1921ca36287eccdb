package data

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The logical order columns and how a file's columns are mapped to them.

// logical names a logical order column other than discount.
type logical int

const (
	lCustomer logical = iota
	lOrder
	lTime
	lAmount
	lQuantity
	lUnitPrice
	lCoupon
	lCategory
	lProduct
	lStatus
	lCity
	lCountry
	lChannel
	lCurrency
	lRefunded
	numLogical
)

// logicalNames are the logical column names, as DefaultOrderColumns maps
// them and as reject reasons name them.
var logicalNames = [numLogical]string{"customer_id", "order_id", "time", "amount", "quantity", "unit_price", "coupon", "category", "product_id", "status", "city", "country", "channel", "currency", "refunded"}

// defaultDiscount is the default name of the single discount column.
const defaultDiscount = "discount"

// missing flags which logical columns of a row are null; bit l is logical
// column l.
type missing uint16

// columnPlan is which file column each logical column is read from in one
// file; "" means not read.
type columnPlan struct {
	cols      [numLogical]string
	discounts []string
}

func (p *columnPlan) hasAmount() bool { return p.cols[lAmount] != "" }

// mappedNames lists OrderColumns by logical column.
func mappedNames(m OrderColumns) [numLogical]string {
	return [numLogical]string{m.CustomerID, m.OrderID, m.Time, m.Amount, m.Quantity, m.UnitPrice, m.Coupon, m.Category, m.ProductID, m.Status, m.City, m.Country, m.Channel, m.Currency, m.Refunded}
}

// MissingColumnError is the error of an optional table (table is
// "customers", "products" or "events") at path whose column name, mapped
// as logical, is not among t's columns; it names a column that differs
// only in case or spaces and the mapping to set, or else lists the file's
// columns.
func MissingColumnError(table, path, name, logical string, t *Table) error {
	have := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		have[i] = c.Name
	}
	msg := fmt.Sprintf("%s %s: column %q (mapped as %s) not found", table, path, name, logical)
	if near := nearColumn(have, name); near != "" {
		msg += fmt.Sprintf("; %q differs only in case or spaces: map it (%s.columns.%s: %q)", near, table, logical, near)
	} else {
		msg += fmt.Sprintf("; the file has %s: map the one that holds it (%s.columns.%s: <column>)", listColumns(have), table, logical)
	}
	return errors.New(msg)
}

// nearColumn returns the column of cols whose name is name but for case
// and surrounding spaces ("Customer_ID ", "customer_id"), or "".
func nearColumn(cols []string, name string) string {
	for _, c := range cols {
		if c != name && strings.EqualFold(strings.TrimSpace(c), strings.TrimSpace(name)) {
			return c
		}
	}
	return ""
}

// planColumns decides which columns of a file with the given columns to
// read under mapping m.
func planColumns(file string, m OrderColumns, fileCols []string) (columnPlan, error) {
	var p columnPlan
	missingErr := func(name string, l string) error {
		hint := ""
		switch near := nearColumn(fileCols, name); {
		case near != "" && l == defaultDiscount:
			hint = fmt.Sprintf("; %q differs only in case or spaces: list it under orders.columns.discount", near)
		case near != "":
			hint = fmt.Sprintf("; %q differs only in case or spaces: map it (orders.columns.%s: %q)", near, l, near)
		}
		mapped := "mapped as " + l
		if name == l { // not mapped: the logical name itself
			mapped = fmt.Sprintf("orders.columns.%s is not set, and no column has that name: map the one that holds it", l)
		}
		return &ColumnError{File: file, Column: name,
			Err: fmt.Errorf("%w (%s); the file has %s%s", ErrMissingColumn, mapped, listColumns(fileCols), hint)}
	}
	for l, name := range mappedNames(m) {
		switch {
		case name == "" && logical(l) <= lTime:
			return p, fmt.Errorf("data: %s: required column %s is not mapped", file, logicalNames[l])
		case name == "":
		case slices.Contains(fileCols, name):
			p.cols[l] = name
		case logical(l) <= lTime || name != logicalNames[l]:
			return p, missingErr(name, logicalNames[l])
		}
	}
	for _, name := range m.Discount {
		switch {
		case name == "":
		case slices.Contains(fileCols, name):
			if !slices.Contains(p.discounts, name) {
				p.discounts = append(p.discounts, name)
			}
		case name != defaultDiscount:
			return p, missingErr(name, defaultDiscount)
		}
	}
	if !p.hasAmount() && (p.cols[lQuantity] == "" || p.cols[lUnitPrice] == "") {
		hint := ""
		if near := nearColumn(fileCols, m.Amount); near != "" {
			hint = fmt.Sprintf("; %q differs only in case or spaces: map it (orders.columns.amount: %q)", near, near)
		}
		return p, fmt.Errorf("data: %s: %w: need an amount column (%q) or quantity and unit_price columns (%q, %q) to compute it; the file has %s%s",
			file, ErrMissingColumn, m.Amount, m.Quantity, m.UnitPrice, listColumns(fileCols), hint)
	}
	return p, nil
}

// checkExclude returns an error when orders.exclude lists values of a
// column the file at path lacks (none of its lines would be left out), or
// orders.amount_before_discount is set for a file without an amount.
func (r *orderReader) checkExclude(path string, p columnPlan) error {
	if r.src.AmountBeforeDiscount && !p.hasAmount() {
		return fmt.Errorf("data: %s: %w: orders.amount_before_discount is set, but the file has no amount column (the amount is computed: quantity × unit_price − discount)", path, ErrMissingColumn)
	}
	for _, x := range []struct {
		l    logical
		list []string
	}{{lStatus, r.src.ExcludeStatus}, {lProduct, r.src.ExcludeProducts}} {
		if len(x.list) > 0 && p.cols[x.l] == "" {
			name := logicalNames[x.l]
			return &ColumnError{File: path, Column: mappedNames(r.src.Columns)[x.l],
				Err: fmt.Errorf("%w: orders.exclude.%s lists values of the %s column, which this file lacks (map orders.columns.%s)", ErrMissingColumn, name, name, name)}
		}
	}
	return nil
}

// notePlan records the logical columns the plan of the file at path reads.
func (r *orderReader) notePlan(path string, p columnPlan) {
	for l, name := range p.cols {
		r.read[l] = r.read[l] || name != ""
		if name == "" && logical(l) > lAmount { // a file without an amount computes it
			r.lacking[l] = append(r.lacking[l], path)
		}
	}
	r.readDiscount = r.readDiscount || len(p.discounts) > 0
	if len(p.discounts) == 0 {
		r.lackingDiscount = append(r.lackingDiscount, path)
	}
}

// partlyAbsent maps the optional logical columns some files had and
// others lacked to the files that lacked them, nil when none.
func (r *orderReader) partlyAbsent() map[string][]string {
	var out map[string][]string
	for l := lAmount; l < numLogical; l++ {
		if r.read[l] && len(r.lacking[l]) > 0 {
			if out == nil {
				out = map[string][]string{}
			}
			out[logicalNames[l]] = r.lacking[l]
		}
	}
	if r.readDiscount && len(r.lackingDiscount) > 0 {
		if out == nil {
			out = map[string][]string{}
		}
		out[defaultDiscount] = r.lackingDiscount
	}
	return out
}

// absent lists the optional logical columns no file had so far, of those
// the features are made of (not the currency, which is only checked).
func (r *orderReader) absent() []string {
	var out []string
	for l := lAmount; l < lCurrency; l++ {
		if !r.read[l] {
			out = append(out, logicalNames[l])
		}
		if l == lUnitPrice && !r.readDiscount {
			out = append(out, defaultDiscount)
		}
	}
	return out
}

// listColumns lists a file's columns for a message, at most 20 of them.
func listColumns(cols []string) string {
	const most = 20
	if len(cols) == 0 {
		return "no columns"
	}
	q := make([]string, 0, min(len(cols), most))
	for _, c := range cols[:min(len(cols), most)] {
		q = append(q, strconv.Quote(c))
	}
	s := "columns " + strings.Join(q, ", ")
	if len(cols) > most {
		s += fmt.Sprintf(" and %d more", len(cols)-most)
	}
	return s
}
