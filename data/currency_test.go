package data

import (
	"strings"
	"testing"
)

// TestSameCurrency: a code and a sign are one currency when the sign
// writes it (or is a sign of currencies not known here); two codes or two
// signs that differ never are.
func TestSameCurrency(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"USD", "USD", true}, {"$", "USD", true}, {"CAD", "$", true}, {"¥", "JPY", true}, {"CNY", "¥", true},
		{"₲", "PYG", true}, // a sign whose currencies are not listed
		{"USD", "¥", false}, {"$", "EUR", false}, {"JPY", "$", false},
		{"USD", "€", false}, {"USD", "R$", false}, {"CAD", "US$", false}, {"JPY", "usd", false},
		{"EUR", "€", true}, {"usd", "USD", true}, {"US$", "USD", true},
		{"USD", "EUR", false}, {"$", "¥", false},
	} {
		if got := SameCurrency(c.a, c.b); got != c.want {
			t.Errorf("SameCurrency(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestCurrencyColumnLabel: a currency column's value is printed beside
// every amount of the report: one that is no code or sign stops the read
// naming the cell.
func TestCurrencyColumnLabel(t *testing.T) {
	cols := DefaultOrderColumns()
	cols.Currency = "currency"
	path := writeFile(t, t.TempDir(), "o.csv", "customer_id,order_id,time,amount,currency\nC1,O1,2024-01-02,12.50,E|R\n")
	_, _, _, err := readAll(t, OrderSource{Path: path, Columns: cols})
	if err == nil || !strings.Contains(err.Error(), `column "currency", row 1: currency "E|R" is not a currency code or sign`) {
		t.Errorf("E|R: %v", err)
	}
}
