package features

import (
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

func TestIsBlackFridayWeekend(t *testing.T) {
	// US Thanksgiving: 2023-11-23, 2024-11-28, 2025-11-27 (fourth
	// Thursdays), so Black Friday is the next day and Cyber Monday three
	// days later (2024's falls in December).
	yes := []time.Time{
		at(2023, 11, 24, 0, 0, 0), at(2023, 11, 27, 23, 59, 59),
		at(2024, 11, 29, 12, 0, 0), at(2024, 12, 2, 8, 0, 0),
		at(2025, 11, 28, 0, 0, 0), at(2025, 12, 1, 0, 0, 0),
	}
	no := []time.Time{
		at(2023, 11, 23, 0, 0, 0), at(2023, 11, 25, 0, 0, 0), at(2024, 11, 22, 0, 0, 0),
		at(2024, 11, 30, 0, 0, 0), at(2024, 12, 1, 0, 0, 0), at(2025, 7, 15, 0, 0, 0),
	}
	for _, d := range yes {
		if !IsBlackFridayWeekend(d) {
			t.Errorf("IsBlackFridayWeekend(%s) = false, want true", d.Format(time.DateOnly))
		}
	}
	for _, d := range no {
		if IsBlackFridayWeekend(d) {
			t.Errorf("IsBlackFridayWeekend(%s) = true, want false", d.Format(time.DateOnly))
		}
	}
}

// extraLines: x buys on Black Friday 2024 and once more on a plain day,
// y buys on a configured sale day; products p-new (launched 10 days before
// x's first order), p-old (launched long before) and p-prem (premium).
func extraLines() []data.OrderLine {
	return []data.OrderLine{
		{CustomerID: "x", OrderID: "X1", Time: at(2024, 11, 29, 10, 0, 0), ProductID: "p-new", Quantity: 3, UnitPrice: 10, Amount: 30},
		{CustomerID: "x", OrderID: "X1", Time: at(2024, 11, 29, 10, 0, 0), ProductID: "p-prem", Quantity: 1, UnitPrice: 90, Amount: 90},
		{CustomerID: "x", OrderID: "X2", Time: at(2024, 12, 20, 10, 0, 0), ProductID: "p-new", Quantity: 1, UnitPrice: 10, Amount: 10},
		{CustomerID: "y", OrderID: "Y1", Time: at(2024, 7, 15, 10, 0, 0), ProductID: "p-old", Quantity: 2, UnitPrice: 20, Amount: 40},
		{CustomerID: "y", OrderID: "Y2", Time: at(2024, 8, 1, 10, 0, 0), ProductID: "unknown", Quantity: 2, UnitPrice: 20, Amount: 40},
	}
}

func TestSaleDaysAndProducts(t *testing.T) {
	products := map[string]Product{
		"p-new":  {Tier: "standard", Launch: at(2024, 11, 19, 10, 0, 0)},
		"p-old":  {Tier: "budget", Launch: at(2020, 1, 1, 0, 0, 0)},
		"p-prem": {Tier: PremiumTier},
	}
	asOf := at(2025, 1, 1, 0, 0, 0)
	cases := []struct {
		name     string
		opts     Options
		x, y     map[string]float64
		noExtras bool
	}{
		{
			name: "default sale days, products",
			opts: Options{AsOf: asOf, Products: products},
			// x: X1 on Black Friday, X2 not: 1/2. Items: X1 p-new 3 (10 days
			// after launch: new), p-prem 1 (no launch), X2 p-new 1 (31 days
			// after launch: not new) → 3/5. Premium gross 90 of 130.
			x: map[string]float64{SaleDayShare: 0.5, NewProductShare: 3.0 / 5, PremiumShare: 90.0 / 130, MaxOrderValue: 120},
			y: map[string]float64{SaleDayShare: 0, NewProductShare: 0, PremiumShare: 0, MaxOrderValue: 40},
		},
		{
			name: "configured sale days, longer trend window",
			opts: Options{AsOf: asOf, Products: products, SaleDays: []string{"2024-07-15"}, TrendDays: 40},
			// X2 is now within 40 days of p-new's launch: 4/5 items.
			x: map[string]float64{SaleDayShare: 0, NewProductShare: 4.0 / 5, PremiumShare: 90.0 / 130},
			y: map[string]float64{SaleDayShare: 0.5, NewProductShare: 0, PremiumShare: 0},
		},
		{
			name:     "no products, no sale days",
			opts:     Options{AsOf: asOf, SaleDays: []string{}},
			x:        map[string]float64{SaleDayShare: 0},
			y:        map[string]float64{SaleDayShare: 0},
			noExtras: true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab := aggregate(t, c.opts, extraLines())
			if got := tab.Col(PremiumShare) == nil && tab.Col(NewProductShare) == nil; got != c.noExtras {
				t.Fatalf("product columns absent = %v, want %v (names %v)", got, c.noExtras, tab.Names)
			}
			for id, want := range map[string]map[string]float64{"x": c.x, "y": c.y} {
				got, _ := row(t, tab, id)
				for name, w := range want {
					if g := got[name]; g != w {
						t.Errorf("%s: %s = %v, want %v", id, name, g, w)
					}
				}
			}
		})
	}
}

func TestBadSaleDay(t *testing.T) {
	a := NewAggregator(Options{SaleDays: []string{"11-29"}})
	a.Add(extraLines())
	if _, err := a.Table(); err == nil {
		t.Fatal("Table with sale day \"11-29\": no error")
	}
}

// TestBlackFridayEveryDay checks the calendar arithmetic of
// IsBlackFridayWeekend against dates computed with package time, on every
// November and December day from 1900 to 2300.
func TestBlackFridayEveryDay(t *testing.T) {
	for y := 1900; y <= 2300; y++ {
		nov1 := time.Date(y, time.November, 1, 0, 0, 0, 0, time.UTC)
		thanksgiving := nov1.AddDate(0, 0, (int(time.Thursday)-int(nov1.Weekday())+7)%7+21)
		bf, cm := thanksgiving.AddDate(0, 0, 1), thanksgiving.AddDate(0, 0, 4)
		for d := nov1; d.Year() == y; d = d.AddDate(0, 0, 1) {
			want := d.Equal(bf) || d.Equal(cm)
			if got := IsBlackFridayWeekend(d); got != want {
				t.Fatalf("IsBlackFridayWeekend(%s) = %t, want %t", d.Format(time.DateOnly), got, want)
			}
		}
	}
}
