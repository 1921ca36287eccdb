package data

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestQuoteCell: a cell an error quotes is cut after maxQuotedCell bytes,
// at a rune's start, with its length said; a short one is quoted whole.
func TestQuoteCell(t *testing.T) {
	if got := QuoteCell(`12,5 "x"`); got != `"12,5 \"x\""` {
		t.Errorf("short cell: %s", got)
	}
	huge := strings.Repeat("9", maxQuotedCell-1) + "€" + strings.Repeat("9", 2<<20) // 199 + 3 + 2,097,152 bytes; the cut falls inside the €
	got := QuoteCell(huge)
	if !strings.HasSuffix(got, `"… (2097354 bytes)`) || len(got) > maxQuotedCell+40 || !utf8.ValidString(got) || strings.Contains(got, `\x`) {
		t.Errorf("huge cell quoted as %q", got)
	}
	err := &ColumnError{File: "o.csv", Column: "unit_price", Row: 6, Err: &valueError{raw: huge, want: "number"}}
	if len(err.Error()) > 300 {
		t.Errorf("error of %d bytes: %.300s…", len(err.Error()), err)
	}
}

// TestCurrencyErrorQuotesCells: the error of a second currency quotes both
// cells at most maxQuotedCell bytes long.
func TestCurrencyErrorQuotesCells(t *testing.T) {
	var seen currencySeen
	first := "12.50 EUR" + strings.Repeat(" ", 1<<20)
	if err := seen.note(first, "a.csv", "amount", 2); err != nil {
		t.Fatal(err)
	}
	err := seen.note("USD "+strings.Repeat("1", 1<<20), "a.csv", "amount", 3)
	if err == nil {
		t.Fatal("two currencies accepted")
	}
	if len(err.Error()) > 700 || !strings.Contains(err.Error(), `"12.50 EUR"`) || !strings.Contains(err.Error(), "bytes)") {
		t.Errorf("error of %d bytes: %.400s", len(err.Error()), err)
	}
}
