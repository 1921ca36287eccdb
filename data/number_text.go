package data

import (
	"errors"
	"math"
	"slices"
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

// stripCurrency returns s trimmed of white space and of one currency
// (splitCurrency): "$12.50", "-$5", "12,50 €", "USD 10.50" and "($5)" are
// "12.50", "-5", "12,50", "10.50" and "-5".
func stripCurrency(s string) string {
	t, _ := splitCurrency(s)
	return t
}

// splitCurrency returns s trimmed of white space and of one currency before
// the number, after an optional minus or plus, or after it, with the
// spaces beside it, and that currency as a name ("" for none). A currency
// is a sign (Unicode category Sc: $, €, £, ¥, ₹, …), possibly after one or
// two capital letters that say whose dollar it is (US$, R$, NZ$), or an
// ISO 4217 code (isoCodes: USD, EUR, CHF; not SKU or PCS). Its name is the
// code for the signs that name one currency (€ is EUR, £ GBP, US$ USD, …)
// and the text as written for the others ($, ¥, R$), so that "€5" and
// "5 EUR" are one currency and "$5" and "C$5" two. Parentheses around the
// number, an accountant's negative, are a minus: "(12.50)" and "($5)" are
// −12.50 and −5. A sign and the code of its currency count as one
// ("$12 USD", "USD $12": USD; oneCurrency). A currency anywhere else, or
// two, is left, for the parse to refuse.
func splitCurrency(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" || s[0] >= '0' && s[0] <= '9' && s[len(s)-1] >= '0' && s[len(s)-1] <= '9' {
		return s, "" // the common case: digits at both ends
	}
	sign := ""
	switch {
	case s[0] == '-' || s[0] == '+':
		sign, s = s[:1], s[1:]
	case len(s) > 2 && s[0] == '(' && s[len(s)-1] == ')' && s[1] != '-' && s[1] != '+':
		// An accountant's negative: (12.50), ($12.50).
		sign, s = "-", strings.TrimSpace(s[1:len(s)-1])
	}
	if n := currencyPrefix(s); n > 0 {
		cur, rest := s[:n], strings.TrimSpace(s[n:])
		// A sign and a code of one currency: "$12 USD", "USD $12".
		if m := currencyPrefix(rest); m > 0 {
			if name, ok := oneCurrency(cur, rest[:m]); ok {
				return sign + strings.TrimSpace(rest[m:]), name
			}
		} else if m := currencySuffix(rest); m > 0 {
			if name, ok := oneCurrency(cur, rest[len(rest)-m:]); ok {
				return sign + strings.TrimSpace(rest[:len(rest)-m]), name
			}
		}
		return sign + rest, currencyName(cur)
	}
	if n := currencySuffix(s); n > 0 {
		return sign + strings.TrimSpace(s[:len(s)-n]), currencyName(s[len(s)-n:])
	}
	return sign + s, ""
}

// oneCurrency says whether a and b, two currencies around or before a
// number, are a sign and the ISO code of its currency, and returns the
// code: a sign of one currency must name that code (€ EUR, US$ USD), a
// sign several currencies share must be one of theirs ($ and USD, CAD,
// …; ¥ and JPY, CNY); "€5 USD", "$5 EUR" and "¢5 USD" are two.
func oneCurrency(a, b string) (string, bool) {
	code, sign := a, b
	if !isCode(code) {
		code, sign = b, a
	}
	if !isCode(code) || isCode(sign) {
		return "", false
	}
	if name, ok := currencyCodes[sign]; ok {
		return code, name == code
	}
	return code, slices.Contains(sharedSigns[sign], code)
}

// sharedSigns are the codes of the currencies that write a sign shared by
// several.
var sharedSigns = map[string][]string{
	"$": {"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "TWD", "ARS", "CLP", "COP", "UYU", "BSD", "BBD", "BZD", "BMD", "BND", "FJD", "JMD", "KYD", "LRD", "NAD", "SBD", "SRD", "TTD", "XCD", "ZWL"},
	"¥": {"JPY", "CNY"},
}

// isCode says whether c is an ISO 4217 code (isoCodes).
func isCode(c string) bool { return isoCodes[c] }

// currencyPrefix returns the length of the currency s starts with, 0 for
// none: a code must be followed by a space or a digit ("USD 5", "USD5"),
// not by more letters, and cannot be the whole of s ("INF").
func currencyPrefix(s string) int {
	caps := 0
	for caps < len(s) && caps < 3 && s[caps] >= 'A' && s[caps] <= 'Z' {
		caps++
	}
	if r, n := utf8.DecodeRuneInString(s[caps:]); caps < 3 && unicode.Is(unicode.Sc, r) {
		return caps + n
	}
	if caps == 3 && isCode(s[:3]) && len(s) > 3 && (s[3] == ' ' || s[3] >= '0' && s[3] <= '9') {
		return 3
	}
	return 0
}

// currencySuffix returns the length of the currency s ends with, 0 for
// none: a code must follow a space or a digit ("5 USD", "5USD").
func currencySuffix(s string) int {
	if r, n := utf8.DecodeLastRuneInString(s); unicode.Is(unicode.Sc, r) {
		caps := 0
		for i := len(s) - n - 1; i >= 0 && caps < 2 && s[i] >= 'A' && s[i] <= 'Z'; i-- {
			caps++
		}
		if caps > 0 && len(s)-n-caps > 0 && s[len(s)-n-caps-1] >= 'A' && s[len(s)-n-caps-1] <= 'Z' {
			caps = 0 // three letters and a sign: not a currency we know
		}
		return n + caps
	}
	if len(s) > 3 {
		if !isCode(s[len(s)-3:]) {
			return 0
		}
		if s[len(s)-4] == ' ' || s[len(s)-4] >= '0' && s[len(s)-4] <= '9' {
			return 3
		}
	}
	return 0
}

// currencyCodes are the ISO 4217 codes of the signs that name one
// currency (see splitCurrency).
var currencyCodes = map[string]string{
	"€": "EUR", "£": "GBP", "₹": "INR", "₽": "RUB", "₩": "KRW", "₺": "TRY", "₴": "UAH", "₪": "ILS",
	"₫": "VND", "₱": "PHP", "฿": "THB", "₦": "NGN", "₡": "CRC", "₸": "KZT", "₾": "GEL", "₼": "AZN",
	"US$": "USD", "CA$": "CAD", "C$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD",
	"S$": "SGD", "R$": "BRL", "MX$": "MXN", "NT$": "TWD",
}

// currencyName is the name splitCurrency gives the currency c.
func currencyName(c string) string {
	if code, ok := currencyCodes[c]; ok {
		return code
	}
	return c
}
