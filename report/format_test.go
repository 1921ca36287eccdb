package report

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestFormatInt(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-98765, "-98,765"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FormatInt(tt.in); got != tt.want {
				t.Errorf("FormatInt(%d) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{12345.6, "12,346"},
		{123.45, "123"},
		{99.96, "100"}, // not "100.0": the bound follows the rounding
		{12.345, "12.3"},
		{9.996, "10.0"},
		{1.2345, "1.23"},
		{0.012345, "0.0123"},
		{0, "0"},
		{3, "3"},      // a whole number: no "3.00"
		{41, "41"},    // not "41.0"
		{4.5, "4.50"}, // a median between two whole numbers
		{-2, "-2"},
		{-2500.4, "-2,500"},
		{-0.001, "-0.00100"},
		{math.NaN(), "–"},
		{math.Inf(-1), "–"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := formatNumber(tt.in); got != tt.want {
				t.Errorf("formatNumber(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestFormatMoney checks that whole amounts keep the decimals of their
// magnitude, and that other amounts print as formatNumber prints them.
func TestFormatMoney(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{3, "3.00"}, // beside "3.60" in a column of amounts
		{3.6, "3.60"},
		{12, "12.0"},
		{-2, "-2.00"},
		{100, "100"},
		{1234, "1,234"},
		{0, "0"},
		{0.5, "0.500"},
		{9.996, "10.0"},
		{math.NaN(), "–"},
	}
	for _, tt := range tests {
		if got := formatMoney(tt.in); got != tt.want {
			t.Errorf("formatMoney(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0.123, "12.3%"}, {1, "100.0%"}, {0, "0.0%"}, {-0.0001, "0.0%"}, {math.NaN(), "–"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := formatPercent(tt.in); got != tt.want {
				t.Errorf("formatPercent(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatTick(t *testing.T) {
	tests := []struct {
		v, top float64
		want   string
	}{
		{0, 8e5, "0"},
		{2e5, 8e5, "200k"},
		{4000, 12000, "4k"},
		{1500, 12000, "1.5k"},
		{2.5e6, 1e7, "2.5M"},
		{2500, 8000, "2,500"},
		{0.25, 0.5, "0.25"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := formatTick(tt.v, tt.top); got != tt.want {
				t.Errorf("formatTick(%v, %v) = %q, want %q", tt.v, tt.top, got, tt.want)
			}
		})
	}
}

func TestRelativeTo(t *testing.T) {
	mean := []float64{145, 50, 0, 3, -2}
	pop := []float64{100, 100, 0, 0, -4}
	orig := slices.Clone(mean)
	got := RelativeTo(nil, mean, pop)
	// (145−100)/100, (50−100)/100, 0 when both are 0, undefined when only
	// the population mean is 0, and |pop| keeps the sign meaning "above".
	want := []float64{0.45, -0.5, 0, math.NaN(), 0.5}
	for j := range want {
		if !(got[j] == want[j] || math.IsNaN(got[j]) && math.IsNaN(want[j])) {
			t.Errorf("RelativeTo[%d] = %v, want %v", j, got[j], want[j])
		}
	}
	if !slices.Equal(mean, orig) {
		t.Error("RelativeTo modified mean")
	}
	dst := make([]float64, len(mean))
	if out := RelativeTo(dst, mean, pop); &out[0] != &dst[0] {
		t.Error("RelativeTo did not write into dst")
	}
}

func ExampleRelativeTo() {
	// A cluster's mean spend, orders and return rate against all customers.
	cluster := []float64{870, 1.5, 0}
	population := []float64{600, 3, 0}
	for _, r := range RelativeTo(nil, cluster, population) {
		fmt.Println(formatSignedPercent(r))
	}
	// Output:
	// +45%
	// -50%
	// 0%
}

// TestRunMoney: a currency sign goes before the amount, a code after it.
func TestRunMoney(t *testing.T) {
	for _, c := range []struct {
		currency string
		v        float64
		want     string
	}{
		{"", 12647, "12,647"},
		{"USD", 12647, "12,647 USD"},
		{"usd", 13.9, "13.9 usd"},
		{"$", 12647, "$12,647"},
		{"$", -3, "-$3.00"},
		{"€", 61.5, "€61.5"},
		{"R$", 2, "R$2.00"},
		{"kr", 120, "120 kr"},
	} {
		r := &Run{Currency: c.currency}
		if got := r.money(c.v); got != c.want {
			t.Errorf("money(%v) in %q = %q, want %q", c.v, c.currency, got, c.want)
		}
	}
}

// TestQualityExcludedParts: rejected rows that hold both sales and
// credits are described by both parts, not by their net alone, which
// would hide the sales left out.
func TestQualityExcludedParts(t *testing.T) {
	for _, c := range []struct {
		net, purchases float64
		want, not      string
	}{
		{-26166, 59773, "amount to -26,166 of net revenue (59,773 of purchases, -85,939 of returns and credits)", ""},
		{500, 500, "amount to 500 of net revenue, left out", "of purchases"},
	} {
		var b strings.Builder
		writeQuality(&b, &Run{Quality: Quality{RowsRead: 100, RowsUsed: 90, RowsRejected: 10, Revenue: 1000,
			RevenueExcluded: c.net, PurchasesExcluded: c.purchases, RejectsByReason: map[string]int64{"missing customer_id": 10}}})
		if s := b.String(); !strings.Contains(s, c.want) || c.not != "" && strings.Contains(s, c.not) {
			t.Errorf("data quality:\n%s\nwant %q", s, c.want)
		}
	}
}

// TestGlanceExcludedRows: the summary tells the lines orders.exclude left
// out from the other rejects.
func TestGlanceExcludedRows(t *testing.T) {
	var b strings.Builder
	writeGlance(&b, &Run{Quality: Quality{RowsRead: 1000, RowsUsed: 900, RowsRejected: 100,
		RejectsByReason: map[string]int64{"missing customer_id": 40, "excluded by orders.exclude.status": 50, "excluded by orders.exclude.product_id": 10}}})
	if want := "100 of the 1,000 rows read (10.0%) were rejected and left out of every figure, 60 of them as orders.exclude asks"; !strings.Contains(b.String(), want) {
		t.Errorf("summary:\n%s\nwant %q", b.String(), want)
	}
}
