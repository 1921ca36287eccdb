package features

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// groupTable builds a table of hand-picked customers, one column map per
// customer (missing columns are 0).
func groupTable(t *testing.T, names []string, rows map[string]map[string]float64) *Table {
	t.Helper()
	var ids []string
	for id := range rows {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	cols := make([][]float64, len(names))
	for j, name := range names {
		for _, id := range ids {
			cols[j] = append(cols[j], rows[id][name])
		}
	}
	tab, err := FromColumns(ids, names, cols)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// members returns the ids of a group's members, or "not computed: …".
func members(tab *Table, groups []Group, id string) string {
	for _, g := range groups {
		if g.ID != id {
			continue
		}
		if g.Needs != "" {
			return "not computed: needs " + g.Needs
		}
		var in []string
		for i, m := range g.Members {
			if m {
				in = append(in, tab.IDs[i])
			}
		}
		return strings.Join(in, ",")
	}
	return "no such group"
}

func TestSeedGroupsExact(t *testing.T) {
	names := append(BaseColumns(), PremiumShare, NewProductShare, Views, AbandonedCarts)
	rows := map[string]map[string]float64{
		// one purchase in the peak season with a coupon, 40 days ago
		"a": {Frequency: 1, Monetary: 50, RecencyDays: 40, FirstOrderInPeak: 1, FirstOrderCoupon: 1, MaxOrderValue: 50},
		// loyal, recent, premium, trend-following
		"b": {Frequency: 6, Monetary: 900, RecencyDays: 3, MaxOrderValue: 200, PremiumShare: 0.8, NewProductShare: 0.5, AbandonedCarts: 1},
		// discount hunter, idle
		"c": {Frequency: 3, Monetary: 120, RecencyDays: 90, DiscountRatio: 0.25, MaxOrderValue: 60, SaleDayShare: 0.5},
		// lapsed big order, returned since
		"d": {Frequency: 2, Monetary: 600, RecencyDays: 365, MaxOrderValue: 300, ReturnedLast: 1},
		// prospect who browsed
		"e": {Views: 3},
		// prospect, 2 views; one purchase 364 days ago just under lapsed
		"f": {Views: 2},
		"g": {Frequency: 1, Monetary: 30, RecencyDays: 364, MaxOrderValue: 30, DiscountRatio: 0.9, SaleDayShare: 0.49},
	}
	tab := groupTable(t, names, rows)
	tab.MedianOrder = 100
	p := &Profile{
		Registered: []bool{true, false, true, false, true, false, true},
		Newsletter: []bool{true, true, false, false, false, false, false},
		B2B:        []bool{false, false, false, true, false, false, false},
		City:       []string{"Paris", "Paris", "Lyon", "", "Lyon", "Paris", "Nice"},
	}
	groups, err := SeedGroups(context.Background(), tab, p, Thresholds{TopCities: 2, BigOrderShare: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	// Buyers' monetary sorted: 30 50 120 600 900 (n = 5). top20: above
	// x_⌈0.8·5⌉ = x_4 = 600 → b. vip_top5 / elite_top1: above x_5 → none.
	// Buyers' largest orders: 30 50 60 200 300; big_order (share 0.2):
	// above x_⌈0.8·5⌉ = x_4 = 200 → d.
	want := map[string]string{
		"one_time_buyer":        "a,g",
		"repeat_buyer":          "b,c,d",
		"top20":                 "b",
		"vip_top5":              "",
		"elite_top1":            "",
		"big_order":             "d",
		"premium_buyer":         "b",
		"bought_last_30d":       "b",
		"idle":                  "c,g", // a: 40 days is not idle yet
		"lapsed":                "d",
		"seasonal_first_timer":  "a",
		"coupon_first_order":    "a",
		"discount_hunter":       "c", // g has one purchase
		"sale_day_shopper":      "c",
		"trend_follower":        "b",
		"dissatisfied":          "d",
		"newsletter_subscriber": "a,b",
		"cart_abandoner":        "b",
		"browser_never_bought":  "e",
		"registered_lead":       "e",
		"b2b":                   "d",
		"city_paris":            "a,b,f",
		"city_lyon":             "c,e",
	}
	for id, w := range want {
		if got := members(tab, groups, id); got != w {
			t.Errorf("%s = %q, want %q", id, got, w)
		}
	}
	if len(groups) != len(SeedGroupIDs)+2 {
		t.Errorf("%d groups, want %d seed groups and 2 cities", len(groups), len(SeedGroupIDs))
	}
	for _, g := range groups {
		if g.Definition == "" || g.Action == "" {
			t.Errorf("%s: empty definition or action", g.ID)
		}
	}
}

func TestSeedGroupsNotComputed(t *testing.T) {
	// A table from the core features only, no profile.
	tab := groupTable(t, BaseColumns(), map[string]map[string]float64{"a": {Frequency: 1, Monetary: 10}})
	groups, err := SeedGroups(context.Background(), tab, nil, Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"premium_buyer":         "the products table with price_tier",
		"trend_follower":        "the products table with launch_time",
		"newsletter_subscriber": "the customers table with newsletter",
		"cart_abandoner":        "the events table",
		"browser_never_bought":  "the events table",
		"registered_lead":       "the customers table",
		"b2b":                   "the customers table with b2b",
		"city":                  "a city column in the customers table or the orders",
	}
	for id, w := range want {
		if got := members(tab, groups, id); !strings.HasPrefix(got, "not computed: needs "+w) {
			t.Errorf("%s = %q, want not computed: needs %s…", id, got, w)
		}
	}
	if got := members(tab, groups, "one_time_buyer"); got != "a" {
		t.Errorf("one_time_buyer = %q, want a", got)
	}
}

func TestTopSharesWithTies(t *testing.T) {
	// 100 buyers with monetary 1..100: top20 = 81..100, vip = 96..100,
	// elite = 100. Then everyone ties: nobody is above the cut.
	rows := map[string]map[string]float64{}
	for i := 1; i <= 100; i++ {
		rows[fmt.Sprintf("c%03d", i)] = map[string]float64{Frequency: 1, Monetary: float64(i)}
	}
	tab := groupTable(t, BaseColumns(), rows)
	groups, _ := SeedGroups(context.Background(), tab, nil, Thresholds{})
	for id, n := range map[string]int{"top20": 20, "vip_top5": 5, "elite_top1": 1} {
		if got := strings.Count(members(tab, groups, id), ",") + 1; got != n {
			t.Errorf("%s has %d members, want %d", id, got, n)
		}
	}
	for id := range rows {
		rows[id][Monetary] = 7
	}
	tab = groupTable(t, BaseColumns(), rows)
	groups, _ = SeedGroups(context.Background(), tab, nil, Thresholds{})
	if got := members(tab, groups, "vip_top5"); got != "" {
		t.Errorf("all tied: vip_top5 = %q, want none", got)
	}
}

func TestThresholdsCheck(t *testing.T) {
	for _, th := range []Thresholds{{VIPShare: 1.5}, {TopShare: -0.1}, {IdleDays: 400}, {RecentDays: -1},
		{BigOrderShare: -0.05}, {BigOrderShare: 1.5}} {
		if err := th.Check(); err == nil {
			t.Errorf("Check(%+v): no error", th)
		}
	}
	if err := (Thresholds{}).Check(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}
