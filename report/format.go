package report

import (
	"math"
	"strconv"
	"strings"
)

// FormatInt formats n with comma thousands separators: 1234567 →
// "1,234,567".
func FormatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatFixed formats v with prec decimals and comma thousands
// separators in the integer part: 12345.678, 1 → "12,345.7".
func formatFixed(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	intPart, frac, hasFrac := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	n, err := strconv.ParseInt(strings.TrimPrefix(intPart, "-"), 10, 64)
	if err != nil {
		// Beyond int64: print as is, still readable.
		return s
	}
	out := FormatInt(n)
	if neg && strings.Trim(s, "-0.") != "" {
		out = "-" + out
	}
	if hasFrac {
		out += "." + frac
	}
	return out
}

// trimFloat formats v with at most prec decimals, dropping trailing
// zeros: trimFloat(2.50, 2) = "2.5", trimFloat(3, 2) = "3".
func trimFloat(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// formatNumber formats a measured quantity for people, with about three
// significant digits and thousands separators: 12345.6 → "12,346",
// 123.45 → "123", 12.345 → "12.3", 1.2345 → "1.23", 0.012345 →
// "0.0123", 0 → "0". A whole number prints without decimals (3 → "3", not
// "3.00": the median of days or orders is often one, and its zeros would
// claim a precision it does not need). NaN and ±Inf print as "–".
func formatNumber(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "–"
	case a == 0:
		return "0"
	case v == math.Trunc(v):
		return formatFixed(v, 0)
	case a >= 99.95:
		return formatFixed(v, 0)
	case a >= 9.995:
		return formatFixed(v, 1)
	case a >= 0.9995:
		return formatFixed(v, 2)
	default:
		// Three significant digits for small values.
		prec := 2 - int(math.Floor(math.Log10(a)))
		return formatFixed(v, prec)
	}
}

// formatMoney formats an amount of money as formatNumber does, but keeps
// the decimals of a whole amount below 100 (3 → "3.00", 12 → "12.0"), so
// that a column of amounts reads alike: "3.00" beside "3.60", not "3".
func formatMoney(v float64) string {
	switch a := math.Abs(v); {
	case a == 0 || a >= 99.95 || math.IsNaN(v) || math.IsInf(v, 0):
		return formatNumber(v)
	case a >= 9.995:
		return formatFixed(v, 1)
	case a >= 0.9995:
		return formatFixed(v, 2)
	}
	return formatNumber(v)
}

// formatPercent formats the share s (0.123 = 12.3 %) with one decimal.
func formatPercent(s float64) string {
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return "–"
	}
	return formatFixed(100*s, 1) + "%"
}

// formatSignedPercent formats a relative difference r (0.45 = 45 % above)
// as a whole signed percentage: "+45%", "-12%". Values that round to zero
// print as "0%", NaN as "n/a".
func formatSignedPercent(r float64) string {
	if math.IsNaN(r) {
		return "n/a"
	}
	if math.IsInf(r, 0) {
		if r > 0 {
			return "+∞"
		}
		return "-∞"
	}
	p := math.Round(100 * r)
	switch {
	case p == 0:
		return "0%"
	case p > 0:
		return "+" + formatFixed(p, 0) + "%"
	default:
		return formatFixed(p, 0) + "%"
	}
}

// relative returns (m - pop) / |pop|, the relative difference of a
// cluster mean m from the population mean pop. It is 0 when both are 0
// and NaN when only pop is 0 (the ratio is undefined).
func relative(m, pop float64) float64 {
	switch {
	case pop == 0 && m == 0:
		return 0
	case pop == 0:
		return math.NaN()
	default:
		return (m - pop) / math.Abs(pop)
	}
}

// RelativeTo sets dst[j] to the relative difference of mean[j] from the
// population mean pop[j], (mean[j] − pop[j]) / |pop[j]|, the quantity the
// heat map and NameClusters take (+0.45: 45 % above the population).
// It is 0 when both means are 0 and NaN when only pop[j] is 0. If dst is
// nil a new slice is allocated; RelativeTo returns dst. It panics if the
// lengths of dst (when not nil), mean and pop differ.
func RelativeTo(dst, mean, pop []float64) []float64 {
	if len(mean) != len(pop) {
		panic("report: RelativeTo: len(mean) != len(pop)")
	}
	if dst == nil {
		dst = make([]float64, len(mean))
	}
	if len(dst) != len(mean) {
		panic("report: RelativeTo: len(dst) != len(mean)")
	}
	for j := range mean {
		dst[j] = relative(mean[j], pop[j])
	}
	return dst
}
