package features

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// at returns a UTC time.
func at(y int, m time.Month, d, hh, mm, ss int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
}

// knownAsOf is the explicit analysis date of the hand-computed store.
var knownAsOf = at(2024, time.March, 1, 0, 0, 0)

// knownLines is a small store whose features are computed by hand below.
// Customers (ids sort as c100 < c2 < c30 < c4):
//
//	c30 "alice": three purchases (several lines, discounts, coupons, one in
//	    the peak season), a cancellation invoice, and two orders at and
//	    after as_of.
//	c4  "bob":   one order of two lines.
//	c100 "carol": only cancellations (no purchase).
//	c2  "dave":  an order whose own return cancels it (net 0, with a coupon,
//	    in the peak season), and an order with a line exactly at as_of.
func knownLines() []data.OrderLine {
	return []data.OrderLine{
		// alice
		{CustomerID: "c30", OrderID: "A1", Time: at(2023, 11, 20, 10, 0, 0), Category: "Books", Coupon: "WELCOME", Quantity: 2, UnitPrice: 10, Discount: 2, Amount: 18},
		{CustomerID: "c30", OrderID: "A1", Time: at(2023, 11, 20, 10, 5, 0), Category: "Toys", Quantity: 1, UnitPrice: 30, Amount: 30},
		{CustomerID: "c30", OrderID: "A2", Time: at(2024, 1, 10, 9, 0, 0), Category: "Books", Quantity: 1, UnitPrice: 15, Discount: 3, Amount: 12},
		{CustomerID: "c30", OrderID: "A2", Time: at(2024, 1, 10, 9, 0, 0), Category: "", Quantity: 1, UnitPrice: 5, Amount: 5},
		{CustomerID: "c30", OrderID: "CA1", Time: at(2024, 1, 15, 12, 0, 0), Category: "Toys", Quantity: -1, UnitPrice: 30, Amount: -30, Returned: true},
		{CustomerID: "c30", OrderID: "A3", Time: at(2024, 2, 29, 23, 59, 59), Category: "Home & Garden", Coupon: "SPRING", Quantity: 3, UnitPrice: 10, Discount: 3, Amount: 27},
		{CustomerID: "c30", OrderID: "A4", Time: knownAsOf, Category: "Books", Quantity: 1, UnitPrice: 50, Amount: 50},
		{CustomerID: "c30", OrderID: "A5", Time: at(2024, 3, 5, 10, 0, 0), Category: "Books", Quantity: 1, UnitPrice: 50, Amount: 50},
		// bob
		{CustomerID: "c4", OrderID: "B1", Time: at(2024, 2, 10, 15, 0, 0), Category: "Home & Garden", Quantity: 1, UnitPrice: 50, Discount: 10, Amount: 40},
		{CustomerID: "c4", OrderID: "B1", Time: at(2024, 2, 10, 15, 0, 0), Category: "Home & Garden", Quantity: 2, UnitPrice: 10, Amount: 20},
		// carol
		{CustomerID: "c100", OrderID: "C1", Time: at(2024, 1, 5, 8, 0, 0), Category: "Toys", Quantity: -1, UnitPrice: 25, Amount: -25, Returned: true},
		{CustomerID: "c100", OrderID: "C2", Time: at(2024, 1, 20, 12, 0, 0), Category: "Books", Quantity: -1, UnitPrice: 10, Amount: -10, Returned: true},
		// dave
		{CustomerID: "c2", OrderID: "D2", Time: at(2023, 12, 1, 11, 0, 0), Category: "Toys", Coupon: "BF", Quantity: 2, UnitPrice: 30, Amount: 60},
		{CustomerID: "c2", OrderID: "D2", Time: at(2023, 12, 3, 11, 0, 0), Category: "Toys", Quantity: -2, UnitPrice: 30, Amount: -60, Returned: true},
		{CustomerID: "c2", OrderID: "D1", Time: at(2024, 2, 28, 20, 0, 0), Category: "Toys", Quantity: 1, UnitPrice: 100, Amount: 100},
		{CustomerID: "c2", OrderID: "D1", Time: knownAsOf, Category: "Toys", Quantity: 1, UnitPrice: 100, Amount: 100},
	}
}

// aggregate builds the table of lines in one batch.
func aggregate(t *testing.T, o Options, lines []data.OrderLine) *Table {
	t.Helper()
	a := NewAggregator(o)
	a.Add(lines)
	tab, err := a.Table()
	if err != nil {
		t.Fatalf("Table: %v", err)
	}
	return tab
}

// row returns customer id's features by column name, and its top category.
func row(t *testing.T, tab *Table, id string) (map[string]float64, string) {
	t.Helper()
	i, ok := slices.BinarySearch(tab.IDs, id)
	if !ok {
		t.Fatalf("customer %q not in table %v", id, tab.IDs)
	}
	got := make(map[string]float64, len(tab.Names))
	for j, name := range tab.Names {
		got[name] = tab.Cols[j][i]
	}
	return got, tab.TopCategory[i]
}

// checkRow compares every column of a row with want (which must name every
// column) to within 1e-12.
func checkRow(t *testing.T, tab *Table, id string, want map[string]float64, wantTop string) {
	t.Helper()
	got, top := row(t, tab, id)
	if len(want) != len(got) {
		t.Errorf("%s: want %d columns, table has %d: %v", id, len(want), len(got), tab.Names)
	}
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("%s: no column %q", id, name)
			continue
		}
		if math.Abs(g-w) > 1e-12 {
			t.Errorf("%s: %s = %v, want %v", id, name, g, w)
		}
	}
	if top != wantTop {
		t.Errorf("%s: top_category = %q, want %q", id, top, wantTop)
	}
}

func TestKnownAnswer(t *testing.T) {
	tab := aggregate(t, Options{AsOf: knownAsOf, TopCategories: 2}, knownLines())

	if want := []string{"c100", "c2", "c30", "c4"}; !slices.Equal(tab.IDs, want) {
		t.Fatalf("IDs = %v, want %v", tab.IDs, want)
	}
	// Store-wide gross of non-returned lines before as_of: Toys 30 (alice)
	// + 160 (dave) = 190; Home & Garden 30 (alice) + 70 (bob) = 100;
	// Books 20 + 15 = 35 (alice); uncategorised 5. Top 2: Toys, Home & Garden.
	if want := []string{"Toys", "Home & Garden"}; !slices.Equal(tab.Categories, want) {
		t.Errorf("Categories = %q, want %q", tab.Categories, want)
	}
	wantNames := append(BaseColumns(), "mix_toys", "mix_home_garden", "mix_other")
	if !slices.Equal(tab.Names, wantNames) {
		t.Errorf("Names = %v, want %v", tab.Names, wantNames)
	}
	// Orders: alice A1 A2 CA1 A3, bob B1, carol C1 C2, dave D1 D2 = 9 (A4
	// and A5 lie wholly at or after as_of). Purchases: A1 A2 A3 B1 D1.
	// Lines: 16 given, 3 at or after as_of (A4, A5, D1's second line).
	// Revenue: 62 + 60 − 35 + 100.
	if tab.Orders != 9 || tab.Purchases != 5 || tab.Lines != 13 || tab.LinesAfterAsOf != 3 || tab.Revenue != 187 {
		t.Errorf("Orders, Purchases, Lines, LinesAfterAsOf, Revenue = %d, %d, %d, %d, %v; want 9, 5, 13, 3, 187",
			tab.Orders, tab.Purchases, tab.Lines, tab.LinesAfterAsOf, tab.Revenue)
	}
	// Purchase nets 17 (A2), 27 (A3), 48 (A1), 60 (B1), 100 (D1).
	if tab.MedianOrder != 48 {
		t.Errorf("MedianOrder = %v, want 48", tab.MedianOrder)
	}
	if !tab.AsOf.Equal(knownAsOf) {
		t.Errorf("AsOf = %v, want %v", tab.AsOf, knownAsOf)
	}

	cases := []struct {
		name, id string
		want     map[string]float64
		top      string
	}{
		{
			// Purchases A1 (net 48, 2023-11-20 10:00, coupon, peak), A2
			// (net 17), A3 (net 27, 2024-02-29 23:59:59, coupon); CA1 net −30.
			// Gross: A1 20+30, A2 15+5, A3 30 = 100; discounts 2+3+3 = 8.
			name: "several orders, discounts, coupons and a return", id: "c30",
			want: map[string]float64{
				RecencyDays:        0,   // 1 s before as_of
				TenureDays:         101, // 2023-11-20 10:00 → 2024-03-01: 101 d 14 h
				Frequency:          3,
				Monetary:           62, // 48 + 17 − 30 + 27
				AOV:                62.0 / 3,
				DiscountRatio:      0.08, // 8 / 100
				CouponOrderShare:   2.0 / 3,
				FirstOrderCoupon:   1,
				ReturnRate:         0.3,     // 30 / 100
				ItemsPerOrder:      8.0 / 3, // (2+1+1+1+3) / 3
				MeanInterorderDays: (101 + 50399.0/86400) / 2,
				PeakSeasonShare:    1.0 / 3, // A1 on 11-20
				FirstOrderInPeak:   1,
				DistinctCategories: 3,   // Books, Toys, Home & Garden ("" not counted)
				MaxOrderValue:      48,  // A1
				SaleDayShare:       0,   // Black Friday 2023 was Nov 24, Cyber Monday Nov 27
				ReturnedLast:       0,   // CA1 (01-15) precedes A3 (02-29)
				"mix_toys":         0.3, // 30 / 100
				"mix_home_garden":  0.3, // 30 / 100
				"mix_other":        0.4, // Books 35 + uncategorised 5
			},
			top: "Books", // 35
		},
		{
			// B1: 2024-02-10 15:00, net 60, gross 70, discount 10, 3 items.
			name: "one order", id: "c4",
			want: map[string]float64{
				RecencyDays: 19, TenureDays: 19, // 19 d 9 h
				Frequency: 1, Monetary: 60, AOV: 60,
				DiscountRatio:    1.0 / 7, // 10 / 70
				CouponOrderShare: 0, FirstOrderCoupon: 0, ReturnRate: 0,
				ItemsPerOrder:      3,
				MeanInterorderDays: 19, // frequency 1: tenure_days
				PeakSeasonShare:    0, FirstOrderInPeak: 0,
				DistinctCategories: 1,
				MaxOrderValue:      60, SaleDayShare: 0, ReturnedLast: 0,
				"mix_toys": 0, "mix_home_garden": 1, "mix_other": 0,
			},
			top: "Home & Garden",
		},
		{
			// Only returned lines: no purchase, no gross. Recency and tenure
			// from the last (2024-01-20 12:00) and first (2024-01-05 08:00) line.
			name: "no purchase", id: "c100",
			want: map[string]float64{
				RecencyDays: 40, // 40 d 12 h
				TenureDays:  55, // 55 d 16 h
				Frequency:   0, Monetary: -35, AOV: 0,
				DiscountRatio: 0, CouponOrderShare: 0, FirstOrderCoupon: 0, ReturnRate: 0,
				ItemsPerOrder: 0, MeanInterorderDays: 55,
				PeakSeasonShare: 0, FirstOrderInPeak: 0, DistinctCategories: 0,
				MaxOrderValue: 0, SaleDayShare: 0,
				ReturnedLast: 1, // returns and no purchase at all
				"mix_toys":   0, "mix_home_garden": 0, "mix_other": 0,
			},
			top: "",
		},
		{
			// D2 (peak, coupon) nets 0: not a purchase. D1 (2024-02-28 20:00)
			// keeps one line: the other is exactly at as_of. Gross 60 + 100.
			name: "self-cancelled order and a line at as_of", id: "c2",
			want: map[string]float64{
				RecencyDays: 1, TenureDays: 1, // 1 d 4 h
				Frequency: 1, Monetary: 100, AOV: 100,
				DiscountRatio: 0, CouponOrderShare: 0,
				FirstOrderCoupon:   0,     // the coupon order was no purchase
				ReturnRate:         0.375, // 60 / 160
				ItemsPerOrder:      1,     // D1's item: D2 is no purchase
				MeanInterorderDays: 1,
				PeakSeasonShare:    0, FirstOrderInPeak: 0,
				DistinctCategories: 1,
				MaxOrderValue:      100,
				SaleDayShare:       0,
				ReturnedLast:       0, // D2's return precedes the purchase D1
				"mix_toys":         1, "mix_home_garden": 0, "mix_other": 0,
			},
			top: "Toys",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkRow(t, tab, c.id, c.want, c.top) })
	}
}

func TestAsOf(t *testing.T) {
	cases := []struct {
		name      string
		opts      Options
		lines     []data.OrderLine
		wantAsOf  time.Time
		wantLines int64
		wantAfter int64
	}{
		{
			// Default: no line excluded; newest line 2024-03-05 10:00 (A5).
			name: "default is the day after the newest line", lines: knownLines(),
			wantAsOf: at(2024, 3, 6, 0, 0, 0), wantLines: 16, wantAfter: 0,
		},
		{
			// 2024-03-05 22:00 at UTC−5 is 2024-03-06 03:00 UTC.
			name: "default uses the UTC date of the newest line",
			lines: []data.OrderLine{{CustomerID: "x", OrderID: "1", Amount: 1,
				Time: time.Date(2024, 3, 5, 22, 0, 0, 0, time.FixedZone("UTC-5", -5*3600))}},
			wantAsOf: at(2024, 3, 7, 0, 0, 0), wantLines: 1,
		},
		{
			name: "explicit as_of excludes lines at and after it", opts: Options{AsOf: knownAsOf},
			lines: knownLines(), wantAsOf: knownAsOf, wantLines: 13, wantAfter: 3,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab := aggregate(t, c.opts, c.lines)
			if !tab.AsOf.Equal(c.wantAsOf) || tab.Lines != c.wantLines || tab.LinesAfterAsOf != c.wantAfter {
				t.Errorf("AsOf, Lines, LinesAfterAsOf = %v, %d, %d; want %v, %d, %d",
					tab.AsOf, tab.Lines, tab.LinesAfterAsOf, c.wantAsOf, c.wantLines, c.wantAfter)
			}
		})
	}

	// With the default as_of (2024-03-06), alice's A4 and A5 count:
	// frequency 5, recency from A5 (2024-03-05 10:00) = 0 days.
	tab := aggregate(t, Options{}, knownLines())
	got, _ := row(t, tab, "c30")
	if got[Frequency] != 5 || got[RecencyDays] != 0 || got[Monetary] != 162 {
		t.Errorf("alice with default as_of: frequency, recency, monetary = %v, %v, %v; want 5, 0, 162",
			got[Frequency], got[RecencyDays], got[Monetary])
	}
	// Dave's D1 keeps both lines: monetary 60 − 60 + 200.
	if got, _ := row(t, tab, "c2"); got[Monetary] != 200 {
		t.Errorf("dave with default as_of: monetary = %v, want 200", got[Monetary])
	}
}

func TestWindow(t *testing.T) {
	// as_of 2024-03-01, 30 days: orders from 2024-01-31 00:00 count.
	tab := aggregate(t, Options{AsOf: knownAsOf, WindowDays: 30, TopCategories: 2}, knownLines())
	// In the window, gross per category: Home & Garden 30 (A3) + 70 (B1) =
	// 100, Toys 100 (D1): a tie, broken by name.
	if want := []string{"Home & Garden", "Toys"}; !slices.Equal(tab.Categories, want) {
		t.Errorf("Categories = %q, want %q", tab.Categories, want)
	}
	// Window orders: A3, B1, D1; all purchases; revenue 27 + 60 + 100.
	if tab.Orders != 3 || tab.Purchases != 3 || tab.Revenue != 187 {
		t.Errorf("Orders, Purchases, Revenue = %d, %d, %v; want 3, 3, 187", tab.Orders, tab.Purchases, tab.Revenue)
	}
	cases := []struct {
		name, id string
		want     map[string]float64
		top      string
	}{
		{
			// Only A3 in the window (net 27, gross 30, discount 3, coupon, 3
			// items); recency, tenure, first_order_* from all history.
			name: "window keeps the last order, R and first order from history", id: "c30",
			want: map[string]float64{
				RecencyDays: 0, TenureDays: 101, Frequency: 1, Monetary: 27, AOV: 27,
				DiscountRatio: 0.1, CouponOrderShare: 1, FirstOrderCoupon: 1, ReturnRate: 0,
				ItemsPerOrder: 3, MeanInterorderDays: 101, PeakSeasonShare: 0, FirstOrderInPeak: 1,
				DistinctCategories: 1, "mix_home_garden": 1, "mix_toys": 0, "mix_other": 0,
				MaxOrderValue: 27, SaleDayShare: 0, ReturnedLast: 0, LifetimeFrequency: 3,
			},
			top: "Home & Garden",
		},
		{
			name: "no order in the window", id: "c100",
			want: map[string]float64{
				RecencyDays: 40, TenureDays: 55, Frequency: 0, Monetary: 0, AOV: 0,
				DiscountRatio: 0, CouponOrderShare: 0, FirstOrderCoupon: 0, ReturnRate: 0,
				ItemsPerOrder: 0, MeanInterorderDays: 55, PeakSeasonShare: 0, FirstOrderInPeak: 0,
				DistinctCategories: 0, "mix_home_garden": 0, "mix_toys": 0, "mix_other": 0,
				MaxOrderValue: 0, SaleDayShare: 0, ReturnedLast: 1, LifetimeFrequency: 0,
			},
		},
		{
			// D2 and its return fall before the window.
			name: "return outside the window", id: "c2",
			want: map[string]float64{
				RecencyDays: 1, TenureDays: 1, Frequency: 1, Monetary: 100, AOV: 100,
				DiscountRatio: 0, CouponOrderShare: 0, FirstOrderCoupon: 0, ReturnRate: 0,
				ItemsPerOrder: 1, MeanInterorderDays: 1, PeakSeasonShare: 0, FirstOrderInPeak: 0,
				DistinctCategories: 1, "mix_home_garden": 0, "mix_toys": 1, "mix_other": 0,
				MaxOrderValue: 100, SaleDayShare: 0, ReturnedLast: 0, LifetimeFrequency: 1,
			},
			top: "Toys",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkRow(t, tab, c.id, c.want, c.top) })
	}

	t.Run("boundary", func(t *testing.T) {
		// The window [2024-01-31 00:00, 2024-03-01) includes its first
		// instant and excludes the nanosecond before it.
		start := at(2024, 1, 31, 0, 0, 0)
		lines := []data.OrderLine{
			{CustomerID: "x", OrderID: "in", Time: start, Amount: 10, Quantity: 1},
			{CustomerID: "x", OrderID: "out", Time: start.Add(-time.Nanosecond), Amount: 1, Quantity: 1},
		}
		tab := aggregate(t, Options{AsOf: knownAsOf, WindowDays: 30}, lines)
		got, _ := row(t, tab, "x")
		if got[Frequency] != 1 || got[Monetary] != 10 {
			t.Errorf("frequency, monetary = %v, %v; want 1, 10", got[Frequency], got[Monetary])
		}
	})
}

func TestTopCategoryTies(t *testing.T) {
	// Three categories with equal store-wide gross (10 each) and one with
	// more (20); the uncategorised 50 is never ranked.
	line := func(cust, order, cat string, amount float64) data.OrderLine {
		return data.OrderLine{CustomerID: cust, OrderID: order, Category: cat, Amount: amount, Quantity: 1, Time: at(2024, 1, 1, 0, 0, 0)}
	}
	lines := []data.OrderLine{
		line("u1", "1", "beta", 10), line("u1", "1", "alpha", 10),
		line("u2", "2", "gamma", 10), line("u2", "2", "delta", 20),
		line("u2", "2", "", 50),
	}
	cases := []struct {
		top  int
		want []string
	}{
		{1, []string{"delta"}},
		{2, []string{"delta", "alpha"}},
		{3, []string{"delta", "alpha", "beta"}},
		{10, []string{"delta", "alpha", "beta", "gamma"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.want, ","), func(t *testing.T) {
			tab := aggregate(t, Options{TopCategories: c.top}, lines)
			if !slices.Equal(tab.Categories, c.want) {
				t.Errorf("TopCategories %d: Categories = %q, want %q", c.top, tab.Categories, c.want)
			}
		})
	}
	// u1 spent 10 on alpha and 10 on beta: the tie goes to alpha.
	tab := aggregate(t, Options{}, lines)
	if _, top := row(t, tab, "u1"); top != "alpha" {
		t.Errorf("u1 top_category = %q, want alpha", top)
	}
	// Fixed categories (a saved model) override the ranking, in their order.
	tab = aggregate(t, Options{Categories: []string{"gamma", "zeta"}}, lines)
	if want := []string{"mix_gamma", "mix_zeta", MixOther}; !slices.Equal(tab.Names[len(baseColumns):], want) {
		t.Errorf("fixed categories: mix columns %v, want %v", tab.Names[len(baseColumns):], want)
	}
	// u2: gross 80, gamma 10 → 0.125, zeta 0, other 70/80.
	if got, _ := row(t, tab, "u2"); got["mix_gamma"] != 0.125 || got["mix_zeta"] != 0 || got[MixOther] != 0.875 {
		t.Errorf("u2 fixed mix = %v, %v, %v; want 0.125, 0, 0.875", got["mix_gamma"], got["mix_zeta"], got[MixOther])
	}
}

func TestMixColumns(t *testing.T) {
	got := MixColumns([]string{"Home & Garden", "home-garden", "Other", "€€", "Kids' Toys 2"})
	want := []string{"mix_home_garden", "mix_home_garden_2", "mix_other_2", "mix_category", "mix_kids_toys_2"}
	if !slices.Equal(got, want) {
		t.Errorf("MixColumns = %q, want %q", got, want)
	}
}

func TestPeakSeason(t *testing.T) {
	cases := []struct {
		name       string
		start, end string
		day        time.Time
		want       float64
	}{
		{"default start is inclusive", "", "", at(2023, 11, 15, 0, 0, 0), 1},
		{"default end is inclusive", "", "", at(2023, 12, 31, 23, 59, 59), 1},
		{"default before start", "", "", at(2023, 11, 14, 23, 59, 59), 0},
		{"wrapping range, after new year", "12-20", "01-10", at(2024, 1, 5, 0, 0, 0), 1},
		{"wrapping range, outside", "12-20", "01-10", at(2024, 1, 11, 0, 0, 0), 0},
		{"leap day", "02-29", "02-29", at(2024, 2, 29, 12, 0, 0), 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines := []data.OrderLine{{CustomerID: "x", OrderID: "1", Time: c.day, Amount: 1}}
			tab := aggregate(t, Options{PeakStart: c.start, PeakEnd: c.end}, lines)
			if got, _ := row(t, tab, "x"); got[PeakSeasonShare] != c.want || got[FirstOrderInPeak] != c.want {
				t.Errorf("peak_season_share, first_order_in_peak = %v, %v; want %v", got[PeakSeasonShare], got[FirstOrderInPeak], c.want)
			}
		})
	}
}

// TestTotalOverflowNamesCustomer: a customer whose orders are each in
// range but whose total overflows the fixed-point sums stops the run with
// an error naming that customer — of two, the one of least id, whatever
// the workers (the customers' parts) and the spill files.
func TestTotalOverflowNamesCustomer(t *testing.T) {
	lines := []data.OrderLine{{CustomerID: "small", OrderID: "s1", Time: at(2024, 1, 1, 0, 0, 0), Amount: 5}}
	// 10 orders of 1e12 each: 1e13 passes the ±9.2e12 range. Each in a
	// category of its own, so that no sum of a category overflows as the
	// lines are added (that error names the line's customer and order).
	for _, id := range []string{"big", "also-big"} {
		for i := range 10 {
			lines = append(lines, data.OrderLine{CustomerID: id, OrderID: fmt.Sprint(id, i), Time: at(2024, 1, 2+i, 0, 0, 0),
				Amount: 1e12, Category: fmt.Sprint("c", i)})
		}
	}
	for _, tc := range []struct {
		name string
		o    Options
	}{
		{"in memory, 1 worker", Options{Workers: 1}},
		{"in memory, 4 workers", Options{Workers: 4}},
		{"spilled, 2 files", Options{Workers: 2, Spill: &Spill{Dir: t.TempDir(), Parts: 2}}},
		{"spilled, 7 files", Options{Workers: 3, Spill: &Spill{Dir: t.TempDir(), Parts: 7}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := NewAggregator(tc.o)
			a.Add(lines)
			_, err := a.Table()
			if !errors.Is(err, ErrInvalidLine) || !strings.Contains(err.Error(), `the totals of customer "also-big"`) {
				t.Errorf("%v; want an overflow naming customer also-big", err)
			}
		})
	}
}

func TestTableErrors(t *testing.T) {
	ok := data.OrderLine{CustomerID: "x", OrderID: "1", Time: at(2024, 1, 1, 0, 0, 0), Amount: 1}
	with := func(f func(*data.OrderLine)) []data.OrderLine {
		l := ok
		f(&l)
		return []data.OrderLine{ok, l}
	}
	cases := []struct {
		name  string
		opts  Options
		lines []data.OrderLine
		is    error // nil: any error
	}{
		{"no lines", Options{}, nil, ErrNoCustomers},
		{"all lines after as_of", Options{AsOf: at(2023, 1, 1, 0, 0, 0)}, []data.OrderLine{ok}, ErrNoCustomers},
		{"NaN amount", Options{}, with(func(l *data.OrderLine) { l.Amount = math.NaN() }), ErrInvalidLine},
		{"infinite discount", Options{}, with(func(l *data.OrderLine) { l.Discount = math.Inf(1) }), ErrInvalidLine},
		{"huge quantity", Options{}, with(func(l *data.OrderLine) { l.Quantity = 1e300 }), ErrInvalidLine},
		{"empty customer id", Options{}, with(func(l *data.OrderLine) { l.CustomerID = "" }), ErrInvalidLine},
		{"empty order id", Options{}, with(func(l *data.OrderLine) { l.OrderID = "" }), ErrInvalidLine},
		{"time out of range", Options{}, with(func(l *data.OrderLine) { l.Time = time.Time{} }), ErrInvalidLine},
		{"overflowing sum", Options{}, func() []data.OrderLine {
			var ls []data.OrderLine
			for range 10 { // 10 × 1e12 units exceeds the 9.2e12 fixed-point range
				ls = append(ls, with(func(l *data.OrderLine) { l.Amount = 1e12 })...)
			}
			return ls
		}(), ErrInvalidLine},
		{"bad peak day", Options{PeakStart: "11-31"}, []data.OrderLine{ok}, nil},
		{"bad peak format", Options{PeakEnd: "1231"}, []data.OrderLine{ok}, nil},
		{"negative window", Options{WindowDays: -1}, []data.OrderLine{ok}, nil},
		{"window beyond MaxDays", Options{WindowDays: MaxDays + 1}, []data.OrderLine{ok}, nil},
		{"trend beyond MaxDays", Options{TrendDays: math.MaxInt}, []data.OrderLine{ok}, nil},
		{"negative top categories", Options{TopCategories: -1}, []data.OrderLine{ok}, nil},
		{"repeated fixed category", Options{Categories: []string{"a", "a"}}, []data.OrderLine{ok}, nil},
		{"empty fixed category", Options{Categories: []string{""}}, []data.OrderLine{ok}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := NewAggregator(c.opts)
			a.Add(c.lines)
			tab, err := a.Table()
			if err == nil {
				t.Fatalf("Table succeeded with %d customers, want an error", tab.N())
			}
			if !strings.HasPrefix(err.Error(), "features: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %q is not %q", err, c.is)
			}
		})
	}
}
