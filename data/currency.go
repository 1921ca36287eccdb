package data

import (
	"fmt"
	"strings"
)

// currencySeen is the first currency sign the money cells of an order
// read carried, and where: amounts in two currencies would be added up as
// one, so a second sign is an error (note).
type currencySeen struct {
	sign string // the currency's name (splitCurrency); "": none seen yet
	cell string // the first cell with it…
	file string // …its file
	row  int64  // …and row
}

// note records the currency sign of s, a money cell read at file's row,
// and returns an error when it is not the sign seen first. A cell without
// a sign says nothing (the store's own currency, written bare).
func (c *currencySeen) note(s, file string, row int64) error {
	_, sign := splitCurrency(s)
	switch {
	case sign == "":
		return nil
	case c.sign == "":
		*c = currencySeen{sign: sign, cell: strings.TrimSpace(s), file: file, row: row}
		return nil
	case sign != c.sign:
		return fmt.Errorf("%s is in another currency than %s (%s, row %d): segment adds the amounts of one currency; convert them to one, or run each currency's orders on their own",
			QuoteCell(strings.TrimSpace(s)), QuoteCell(c.cell), c.file, c.row)
	}
	return nil
}

// noteCode records the value of the currency column of a line used, read
// at file's row in column name, and returns an error when it is not the
// value seen first (case and white space aside): amounts in two
// currencies would be added up as one. An empty value says nothing (an
// order's later lines, in exports that write its fields on its first).
func (r *orderReader) noteCode(file, name string, row int64, v string) error {
	v = strings.ToUpper(strings.TrimSpace(v))
	switch {
	case v == "" || v == r.code.sign:
		return nil
	case r.code.sign == "":
		r.code = currencySeen{sign: v, cell: v, file: file, row: row}
		return nil
	}
	return &ColumnError{File: file, Column: name, Row: row, Err: fmt.Errorf("currency %s differs from %s (%s, row %d): segment adds the amounts of one currency; convert them to one, or run each currency's orders on their own",
		QuoteCell(v), QuoteCell(r.code.cell), r.code.file, r.code.row)}
}

// currencyName is the read's currency (ReadStats.Currency): the currency
// column's value, else the money cells' sign.
func (r *orderReader) currencyName() string {
	if r.code.sign != "" {
		return r.code.sign
	}
	return r.currency.sign
}
