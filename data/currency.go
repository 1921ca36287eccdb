package data

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// currencySeen is the first currency sign the money cells of an order
// read carried, and where: amounts in two currencies would be added up as
// one, so a second sign is an error (note).
type currencySeen struct {
	sign   string // the currency's name (splitCurrency); "": none seen yet
	cell   string // the first cell with it…
	file   string // …its file,
	column string // column (none for the currency column's value)
	row    int64  // …and row
}

// note records the currency sign of s, a money cell read at file's row
// in column, and returns an error when it is not the sign seen first. A
// cell without a sign says nothing (the store's own currency, written
// bare).
func (c *currencySeen) note(s, file, column string, row int64) error {
	_, sign := splitCurrency(s)
	switch {
	case sign == "":
		return nil
	case c.sign == "":
		*c = currencySeen{sign: sign, cell: strings.TrimSpace(s), file: file, column: column, row: row}
		return nil
	case sign != c.sign:
		return fmt.Errorf("%s is in another currency than %s (%s, column %q, row %d): segment adds the amounts of one currency; convert them to one, or run each currency's orders on their own",
			QuoteCell(strings.TrimSpace(s)), QuoteCell(c.cell), c.file, c.column, c.row)
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
		if err := CheckCurrencyLabel(v); err != nil {
			return &ColumnError{File: file, Column: name, Row: row, Err: err}
		}
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

// currencyClash returns an error when the currency column's value and the
// money cells' sign name two currencies (SameCurrency), naming a cell of
// each.
func (r *orderReader) currencyClash() error {
	c, s := r.code, r.currency
	if c.sign == "" || s.sign == "" || SameCurrency(c.sign, s.sign) {
		return nil
	}
	return fmt.Errorf("data: the currency column says %s (%s, row %d) but amounts are written in %s (%s, row %d): segment adds the amounts of one currency; convert them to one, or run each currency's orders on their own",
		QuoteCell(c.cell), c.file, c.row, QuoteCell(s.cell), s.file, s.row)
}

// SameCurrency reports whether two currency names (a currency column's
// code, a money cell's sign as ReadStats.Currency names it, a config's
// currency) can be one currency. Both are first named as the reader names
// a cell's currency (CurrencyName: € is EUR, US$ USD, eur EUR); then they
// are one when equal, or a code and a sign that it writes ("$" is USD,
// CAD, AUD, …; "¥" JPY or CNY) or whose currencies are not known here.
// "USD" and "¥", "EUR" and "$", "USD" and "€" are two.
func SameCurrency(a, b string) bool {
	a, b = CurrencyName(a), CurrencyName(b)
	if a == b {
		return true
	}
	code, sign := a, b
	if !IsCurrencyCode(code) {
		code, sign = b, a
	}
	if !IsCurrencyCode(code) || IsCurrencyCode(sign) {
		return false // two codes, or two signs
	}
	if codes, ok := sharedSigns[sign]; ok {
		return slices.Contains(codes, code)
	}
	return true
}

// CurrencyName returns a currency as the reader names it: the ISO code of
// a sign of one currency (€ EUR, US$ USD), a code in capitals (eur EUR),
// other signs as written ($, ¥).
func CurrencyName(s string) string {
	s = strings.TrimSpace(s)
	if up := strings.ToUpper(s); isCode(up) {
		return up
	}
	return currencyName(s)
}

// IsCurrencyCode reports whether s, a currency name of a read, is a
// three-letter code.
func IsCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// CheckCurrencyLabel returns an error unless s can be a currency's name as
// the report prints it beside every amount: one to eight letters,
// currency signs, dots or slashes (USD, €, US$, S/., Fr.). Anything else
// (a `|`, `*` or `<`, a space, a control or direction character) would be
// read as Markdown or HTML, or turn the figures around.
func CheckCurrencyLabel(s string) error {
	n := 0
	for _, r := range s {
		n++
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Sc, r) && r != '.' && r != '/' {
			return fmt.Errorf("currency %s is not a currency code or sign (letters, currency signs, dots or slashes)", QuoteCell(s))
		}
	}
	if n == 0 || n > 8 {
		return fmt.Errorf("currency %s is not a currency code or sign (one to eight characters)", QuoteCell(s))
	}
	return nil
}
