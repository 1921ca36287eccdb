package data

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestGeneratedTraits recomputes every planted trait from the generated
// tables, independently of the generator, and compares it with the truth
// columns customer by customer; it also checks the catalogue rules (no
// product bought before its launch) and the events' time range.
func TestGeneratedTraits(t *testing.T) {
	s := generateTables(t, GenOptions{Customers: 6000, Seed: 13})
	truth := map[string]map[string]bool{}
	personaOf := map[string]string{}
	tc := s.Truth.Column("customer_id").Strings
	for i, id := range tc {
		personaOf[id] = s.Truth.Column("persona").Strings[i]
		truth[id] = map[string]bool{}
		for _, name := range TraitColumns() {
			truth[id][name] = s.Truth.Column(name).Bools[i]
		}
	}
	launch, tier := map[string]time.Time{}, map[string]string{}
	for i, id := range s.Products.Column("product_id").Strings {
		launch[id], tier[id] = s.Products.Column("launch_time").Times[i], s.Products.Column("price_tier").Strings[i]
	}

	// Per customer from the orders: purchases, first-order coupon, sale-day
	// purchases, items bought within 30 days of launch, premium gross,
	// and whether a return follows the last purchase.
	type acc struct {
		orders                map[string]time.Time
		firstT                time.Time
		firstCoupon           bool
		couponOf              map[string]bool
		items, newItems       int64
		gross, premGross      float64
		lastPurchase, lastRet time.Time
	}
	per := map[string]*acc{}
	o := s.Orders
	for i, c := range o.Column("customer_id").Strings {
		a := per[c]
		if a == nil {
			a = &acc{orders: map[string]time.Time{}, couponOf: map[string]bool{}}
			per[c] = a
		}
		oid, at, pid := o.Column("order_id").Strings[i], o.Column("time").Times[i], o.Column("product_id").Strings[i]
		qty, price := o.Column("quantity").Ints[i], o.Column("unit_price").Floats[i]
		if at.Before(launch[pid]) {
			t.Fatalf("%s bought %s at %v, before its launch %v", c, pid, at, launch[pid])
		}
		if qty < 0 {
			if at.After(a.lastRet) {
				a.lastRet = at
			}
			continue
		}
		a.orders[oid] = at
		if o.Column("coupon").Strings[i] != "" {
			a.couponOf[oid] = true
		}
		a.items += qty
		if at.Sub(launch[pid]) < 30*24*time.Hour {
			a.newItems += qty
		}
		g := float64(qty) * price
		a.gross += g
		if tier[pid] == "premium" {
			a.premGross += g
		}
		if at.After(a.lastPurchase) {
			a.lastPurchase = at
		}
	}
	// From the events: cart adds without checkout on a day of the 30
	// before the store's end (as_of), and view counts.
	type dayKey struct {
		c string
		d time.Time
	}
	carts, checkouts := map[dayKey]bool{}, map[dayKey]bool{}
	views := map[string]int{}
	e := s.Events
	for i, c := range e.Column("customer_id").Strings {
		at := e.Column("time").Times[i]
		if !at.Before(StoreEnd) {
			t.Fatalf("event at %v, not before the store's end", at)
		}
		k := dayKey{c, at.Truncate(24 * time.Hour)}
		switch e.Column("type").Strings[i] {
		case "add_to_cart":
			carts[k] = true
		case "checkout":
			checkouts[k] = true
		case "view":
			views[c]++
		}
	}
	abandoned := map[string]bool{}
	for k := range carts {
		if !checkouts[k] && !k.d.Before(StoreEnd.AddDate(0, 0, -30)) {
			abandoned[k.c] = true
		}
	}

	counts := map[string]int{}
	for id := range truth {
		a := per[id]
		got := map[string]bool{}
		if a != nil && len(a.orders) > 0 {
			sale := 0
			for oid, at := range a.orders {
				if !at.After(a.firstT) || a.firstT.IsZero() {
					a.firstT, a.firstCoupon = at, a.couponOf[oid]
				}
				if isSaleDay(at) {
					sale++
				}
			}
			got["coupon_first_order"] = a.firstCoupon
			got["sale_day_shopper"] = 2*sale >= len(a.orders)
			got["trend_follower"] = len(a.orders) >= 2 && 2*a.newItems >= a.items
			got["premium_buyer"] = 2*a.premGross >= a.gross
			got["dissatisfied"] = !a.lastRet.IsZero() && !a.lastRet.Before(a.lastPurchase)
		}
		got["cart_abandoner"] = abandoned[id]
		got["browser_never_bought"] = (a == nil || len(a.orders) == 0) && views[id] >= 3
		for _, name := range TraitColumns() {
			if got[name] != truth[id][name] {
				t.Fatalf("%s (%s): %s computed %v, truth %v", id, personaOf[id], name, got[name], truth[id][name])
			}
			if truth[id][name] {
				counts[name+"/"+personaOf[id]]++
			}
		}
	}
	// Traits land on the personas they are planted on, in about the
	// planned shares (6,000 customers: a few hundred per persona).
	personaCount := map[string]int{}
	for _, p := range personaOf {
		personaCount[p]++
	}
	for _, c := range []struct {
		key, persona string
		share        float64
	}{
		{"coupon_first_order/discount_hunters", "discount_hunters", 1},
		{"sale_day_shopper/seasonal_first_timers", "seasonal_first_timers", traitSaleDay},
		{"trend_follower/loyal_repeat", "loyal_repeat", traitTrend},
		{"premium_buyer/champions", "champions", traitPremium},
		{"cart_abandoner/champions", "champions", traitAbandon},
		{"browser_never_bought/prospect", ProspectPersona, traitBrowse},
	} {
		got := float64(counts[c.key]) / float64(personaCount[c.persona])
		if math.Abs(got-c.share) > 0.1 {
			t.Errorf("%s: share %.2f, planned %.2f", c.key, got, c.share)
		}
	}
	for key := range counts {
		if strings.HasPrefix(key, "dissatisfied/") && key != "dissatisfied/one_time" {
			t.Errorf("a return planted outside one_time: %s", key)
		}
	}
	if counts["dissatisfied/one_time"] == 0 {
		t.Error("no dissatisfied one-time buyer")
	}
}
