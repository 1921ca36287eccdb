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
