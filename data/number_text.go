package data

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// parseNumber parses a finite decimal number, ignoring surrounding spaces.
func parseNumber(s string) (float64, error) {
	t := stripCurrency(s)
	x, err := parseFloatText(t)
	if err != nil && pointGroupedRE.MatchString(t) {
		// "1,234.50": a "," before groups of three digits and a decimal
		// point separates thousands (US spreadsheets).
		x, err = parseFloatText(strings.ReplaceAll(t, ",", ""))
	}
	if err != nil {
		if commaGroupedRE.MatchString(t) {
			return 0, &valueError{raw: s, want: "number", why: `"," reads as a thousands separator or as a decimal comma; ` +
				`write the amounts with a decimal point ("1,250.00") or without ",", or set orders.decimal to "," if it is a decimal comma`}
		}
		if decimalCommaRE.MatchString(t) {
			return 0, &valueError{raw: s, want: "number", why: `it has a decimal comma, but the file's decimal mark is "."; set orders.decimal to ","`}
		}
		return 0, &valueError{raw: s, want: "number"}
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, &valueError{raw: s, want: "a finite number"}
	}
	return x, nil
}

// errGoSyntax is parseFloatText's error for a number that only Go reads.
var errGoSyntax = errors.New("a number in Go's syntax, not a plain decimal")

// parseFloatText is strconv.ParseFloat of a number in a data file, which
// refuses what Go's syntax adds to plain decimals: digits separated by
// "_" (1_000) and hexadecimal numbers (0x1p4). No spreadsheet or database
// writes them, so one in an amount column is a mistake, not a value.
func parseFloatText(s string) (float64, error) {
	if strings.IndexByte(s, '_') >= 0 {
		return 0, errGoSyntax
	}
	if t := strings.TrimLeft(s, "+-"); len(t) > 1 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
		return 0, errGoSyntax
	}
	return strconv.ParseFloat(s, 64)
}

// stripCurrency returns s trimmed of white space and of one currency sign
// (splitCurrency): "$12.50", "-$5", "12,50 €" and "($5)" are "12.50",
// "-5", "12,50" and "-5".
func stripCurrency(s string) string {
	t, _ := splitCurrency(s)
	return t
}

// splitCurrency returns s trimmed of white space and of one currency sign
// (Unicode category Sc: $, €, £, ¥, ₹, …) before the number, after an
// optional minus or plus, or after it, with the spaces beside the sign,
// and that sign (0: none). Parentheses around it, an accountant's
// negative, are a minus: "(12.50)" and "($5)" are −12.50 and −5. A sign
// anywhere else is left, for the parse to refuse.
func splitCurrency(s string) (string, rune) {
	s = strings.TrimSpace(s)
	if s == "" || s[0] >= '0' && s[0] <= '9' && s[len(s)-1] >= '0' && s[len(s)-1] <= '9' {
		return s, 0 // the common case: digits at both ends
	}
	sign := ""
	switch {
	case s[0] == '-' || s[0] == '+':
		sign, s = s[:1], s[1:]
	case len(s) > 2 && s[0] == '(' && s[len(s)-1] == ')' && s[1] != '-' && s[1] != '+':
		// An accountant's negative: (12.50), ($12.50).
		sign, s = "-", strings.TrimSpace(s[1:len(s)-1])
	}
	if r, n := utf8.DecodeRuneInString(s); unicode.Is(unicode.Sc, r) {
		return sign + strings.TrimSpace(s[n:]), r
	}
	if r, n := utf8.DecodeLastRuneInString(s); unicode.Is(unicode.Sc, r) {
		return sign + strings.TrimSpace(s[:len(s)-n]), r
	}
	return sign + s, 0
}
