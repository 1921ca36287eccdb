package data

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestDigits12 checks digits12 against strconv's 'e' with 12 digits, on
// values of every kind, near the halves it must not decide and near the
// ends of decades. TestDigits12Decides shows that it decides almost
// always: otherwise the fast path would be correct by never being taken.
func TestDigits12(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	check := func(a float64) {
		t.Helper()
		if !(a >= minNormal && a <= math.MaxFloat64) {
			return
		}
		m, exp, ok := digits12(a)
		if !ok {
			return
		}
		got := strconv.FormatUint(m, 10)
		want := strconv.FormatFloat(a, 'e', csvFloatDigits-1, 64) // d.ddddddddddde±dd
		wantDigits := want[:1] + want[2:csvFloatDigits+1]
		wantExp, _ := strconv.Atoi(want[csvFloatDigits+2:])
		if got != wantDigits || exp != wantExp {
			t.Fatalf("digits12(%v [%b]) = %s e%d, want %s e%d", a, math.Float64bits(a), got, exp, wantDigits, wantExp)
		}
	}
	for range 300000 {
		switch rng.IntN(5) {
		case 0: // means and shares
			check(rng.ExpFloat64() * math.Pow(10, float64(rng.IntN(30)-15)))
		case 1: // amounts with cents, and their noise
			check(float64(rng.IntN(1e9)) / 100 * 7 / 7)
		case 2: // a 12th digit followed by a 5: the halves
			m := float64(1e11 + rng.Int64N(9e11))
			check((m + 0.5) * math.Pow(10, float64(rng.IntN(20)-15)))
		case 3: // the ends of decades
			p := math.Pow(10, float64(rng.IntN(30)-15))
			check(p * (1 - float64(rng.IntN(1000))*1e-16))
			check(p * (1 + float64(rng.IntN(1000))*1e-16))
		default: // any bit pattern
			check(math.Float64frombits(rng.Uint64() &^ (1 << 63)))
		}
	}
}

// TestDigits12Decides: on the values a store's features hold, digits12
// decides all but a handful.
func TestDigits12Decides(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	undecided := 0
	const n = 100000
	for i := range n {
		v := rng.ExpFloat64() * 100 // means, shares, distances
		if i%2 == 0 {
			v = float64(rng.IntN(1e9)) / 100 * 7 / 7 // amounts
		}
		if _, _, ok := digits12(v); !ok {
			undecided++
		}
	}
	// 2·2⁻¹³ of the fractions lie in the band around a half (~25 in 10⁵),
	// and the ends of the decades take a few more.
	if undecided > 100 {
		t.Errorf("%d of %d values left to strconv", undecided, n)
	}
}

// TestParseNumberCurrency: one currency (a sign, a sign after the letters
// of its country, or an ISO code) before or after a number, with or
// without spaces, is not part of it, and so are a sign and the code of
// its currency; anywhere else, or two currencies, it is an error.
func TestParseNumberCurrency(t *testing.T) {
	for in, want := range map[string]float64{
		"$12.50": 12.5, "-$5": -5, "$-5": -5, "+€3": 3, "12.50 €": 12.5, " £7 ": 7, "¥1200": 1200, "₹ 99.9": 99.9, "12.5": 12.5,
		"(12.50)": -12.5, "($5)": -5, "( 7 €)": -7,
		"USD 5": 5, "5 USD": 5, "EUR10.50": 10.5, "10.50EUR": 10.5, "-CHF 3": -3, "(GBP 4)": -4,
		"US$5": 5, "R$ 12.90": 12.9, "5 NZ$": 5, "CA$7.5": 7.5, "RMB 100": 100,
		"$12 USD": 12, "USD $12": 12, "-$3.5 CAD": -3.5, "($2 USD)": -2, "€4 EUR": 4, "US$ 6 USD": 6, "EUR €7": 7,
	} {
		if got, err := parseNumber(in); err != nil || got != want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"$", "$$5", "5$5", "€5€", "-", "(-5)", "()", "(5",
		"USD", "Usd 5", "USDX 5", "5 USDX", "ABCD$5", "5 USD EUR", "USD 5 EUR", "INF", "5 usd",
		"€5 USD", "USD €5", "US$5 CAD", "$5 $", "USD EUR 5", "$ USD", "$5 EUR", "¥5 USD", "¢50 USD", "5 € USD",
		// Three capitals that are no ISO 4217 code: a SKU, an invoice number, a unit.
		"SKU29", "INV1001", "ABC 5", "12 PCS", "3LBS"} {
		if got, err := parseNumber(in); err == nil {
			t.Errorf("parseNumber(%q) = %v, want an error", in, got)
		}
	}
	for in, want := range map[string]string{
		"$5": "$", "5 €": "EUR", "EUR 5": "EUR", "£5": "GBP", "GBP5": "GBP", "US$5": "USD", "C$5": "CAD", "R$5": "BRL", "¥5": "¥", "5": "",
		"$5 USD": "USD", "USD $5": "USD", "¥5 JPY": "JPY", "€5 EUR": "EUR",
	} {
		if _, got := splitCurrency(in); got != want {
			t.Errorf("splitCurrency(%q) names %q, want %q", in, got, want)
		}
	}
	if got, err := parseDecimal("1.234,50 €", ','); err != nil || got != 1234.5 {
		t.Errorf(`parseDecimal("1.234,50 €", ',') = %v, %v; want 1234.5`, got, err)
	}
}

// TestParseNumberThousands: with a decimal point as the file's mark, a ","
// between groups of three digits separates thousands, as US spreadsheets
// write amounts ("1,234.50"); a "," anywhere else is an error, and one
// that reads as a decimal comma says so.
func TestParseNumberThousands(t *testing.T) {
	for in, want := range map[string]float64{
		"1,234.50": 1234.5, "1,250.00": 1250, "-1,234,567.891": -1234567.891, "+12,345.0": 12345,
		"$1,234.50": 1234.5, "(1,234.50)": -1234.5, "1,000.00 €": 1000, " 999,999.5 ": 999999.5,
	} {
		if got, err := parseNumber(in); err != nil || got != want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"1,23", "1,2345", "1234,567", ",123", "1,,234", "1,234,5", "1,234.", "1,234.5e3", "1.234,50",
		"0,750.5", "0,750"} {
		if got, err := parseNumber(in); err == nil {
			t.Errorf("parseNumber(%q) = %v, want an error", in, got)
		}
	}
	if _, err := parseNumber("12,50"); err == nil || !strings.Contains(err.Error(), "decimal comma") {
		t.Errorf(`parseNumber("12,50"): %v, want an error naming the decimal comma`, err)
	}
	// Without a decimal point, "1,250" is 1250 or 1.25: never guessed.
	for _, in := range []string{"1,250", "$1,250", "-12,345"} {
		if got, err := parseNumber(in); err == nil || !strings.Contains(err.Error(), "thousands separator or as a decimal comma") {
			t.Errorf("parseNumber(%q) = %v, %v; want an error saying it reads either way", in, got, err)
		}
	}
}
