package features

import (
	"context"
	"slices"
	"testing"
)

func TestEventAggregator(t *testing.T) {
	asOf := at(2025, 3, 1, 0, 0, 0)
	a := NewEventAggregator(asOf)
	// u: an abandoned cart 5 days ago, a bought cart 10 days ago, old views.
	a.Add("u", at(2025, 2, 24, 10, 0, 0), "view")
	a.Add("u", at(2025, 2, 24, 10, 1, 0), "Add_To_Cart")
	a.Add("u", at(2025, 2, 19, 9, 0, 0), "page_view")
	a.Add("u", at(2025, 2, 19, 9, 5, 0), "add_to_cart")
	a.Add("u", at(2025, 2, 19, 9, 9, 0), "checkout")
	a.Add("u", at(2024, 6, 1, 9, 0, 0), "view")
	a.Add("u", at(2024, 6, 1, 9, 1, 0), "add_to_cart") // abandoned, but too long ago
	// v: views only; one event at as_of and one of an unknown type.
	a.Add("v", at(2025, 1, 2, 0, 0, 0), "view")
	a.Add("v", at(2025, 1, 2, 0, 0, 1), "view")
	a.Add("v", asOf, "view")
	a.Add("v", at(2025, 1, 3, 0, 0, 0), "wishlist")

	if s := a.Stats(); s.Used != 9 || s.AfterAsOf != 1 || s.UnknownType != 1 {
		t.Errorf("Stats = %+v, want 9 used, 1 after as_of, 1 unknown type", s)
	}
	if got := a.IDs(); !slices.Equal(got, []string{"u", "v"}) {
		t.Errorf("IDs = %v", got)
	}
	cols, err := a.Columns(context.Background(), []string{"u", "v", "w"})
	if err != nil {
		t.Fatal(err)
	}
	// sessions_30d, views, cart_adds, abandoned_carts, views_without_purchase
	want := [][]float64{
		{2, 3, 3, 1, 2}, // u: days 02-24 and 02-19 recent; views on 02-24 and 06-01 without checkout
		{0, 2, 0, 0, 2},
		{0, 0, 0, 0, 0},
	}
	for i, w := range want {
		for j, name := range EventColumns() {
			if cols[j][i] != w[j] {
				t.Errorf("customer %d: %s = %v, want %v", i, name, cols[j][i], w[j])
			}
		}
	}
}

func TestWithRowsAndColumns(t *testing.T) {
	tab := groupTable(t, []string{Frequency, Monetary}, map[string]map[string]float64{
		"b": {Frequency: 2, Monetary: 20}, "d": {Frequency: 1, Monetary: 5},
	})
	u := tab.WithRows([]string{"c", "a", "b", "c"})
	if !slices.Equal(u.IDs, []string{"a", "b", "c", "d"}) {
		t.Fatalf("IDs = %v", u.IDs)
	}
	if got := u.Col(Monetary); !slices.Equal(got, []float64{0, 20, 0, 5}) {
		t.Errorf("monetary = %v", got)
	}
	if !slices.Equal(tab.IDs, []string{"b", "d"}) {
		t.Errorf("input modified: %v", tab.IDs)
	}
	v, err := u.WithColumns([]string{Views}, [][]float64{{1, 2, 3, 4}})
	if err != nil || !slices.Equal(v.Col(Views), []float64{1, 2, 3, 4}) || u.Col(Views) != nil {
		t.Errorf("WithColumns: %v, %v", err, v.Names)
	}
	if _, err := u.WithColumns([]string{Monetary}, [][]float64{{1, 2, 3, 4}}); err == nil {
		t.Error("duplicate column: no error")
	}
}

// TestEventType: trackers' names of the three event types, whatever the
// case, spaces or hyphens; a begun checkout and other names are none.
func TestEventType(t *testing.T) {
	for raw, want := range map[string]string{
		"view": EventView, "PageView": EventView, " page_view ": EventView, "view_item": EventView, "Product Viewed": EventView, "Viewed Product": EventView,
		"add_to_cart": EventCartAdd, "add-to-cart": EventCartAdd, "Add To Cart": EventCartAdd, "cart": EventCartAdd, "Product Added": EventCartAdd, "added_to_cart": EventCartAdd,
		"checkout": EventCheckout, "PURCHASE": EventCheckout, "Order Completed": EventCheckout, "checkout_completed": EventCheckout, "Placed Order": EventCheckout,
		"begin_checkout": "", "Checkout Started": "", "remove_from_cart": "", "wishlist": "", "": "", "viewitem": "",
	} {
		if got := EventType(raw); got != want {
			t.Errorf("EventType(%q) = %q, want %q", raw, got, want)
		}
	}
}
