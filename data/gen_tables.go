package data

import (
	"cmp"
	"slices"
	"time"
)

// store returns the generated store as tables: orders (in time order),
// customers, products, events and the planted truth.
func (g *storeBuilder) store() *Store {
	// Exports are in time order, so customers' lines interleave.
	slices.SortStableFunc(g.lines, func(a, b line) int {
		if c := a.t.Compare(b.t); c != 0 {
			return c
		}
		if a.orderID < b.orderID {
			return -1
		}
		if a.orderID > b.orderID {
			return 1
		}
		return 0
	})
	n := len(g.lines)
	orderIDs, custIDs, products, cats, coupons := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	times := make([]time.Time, n)
	qty := make([]int64, n)
	price, disc := make([]float64, n), make([]float64, n)
	for i, l := range g.lines {
		orderIDs[i], custIDs[i], products[i], cats[i], coupons[i] = l.orderID, l.customerID, l.productID, l.category, l.coupon
		times[i], qty[i], price[i], disc[i] = l.t, l.qty, l.price, l.discount
	}
	return &Store{
		Orders: &Table{Columns: []Column{
			{Name: "order_id", Kind: KindString, Strings: orderIDs},
			{Name: "customer_id", Kind: KindString, Strings: custIDs},
			{Name: "time", Kind: KindTime, Times: times},
			{Name: "product_id", Kind: KindString, Strings: products},
			{Name: "category", Kind: KindString, Strings: cats},
			{Name: "quantity", Kind: KindInt64, Ints: qty},
			{Name: "unit_price", Kind: KindFloat64, Floats: price},
			{Name: "discount", Kind: KindFloat64, Floats: disc},
			{Name: "coupon", Kind: KindString, Strings: coupons},
		}},
		Customers: &Table{Columns: []Column{
			{Name: "customer_id", Kind: KindString, Strings: g.ids},
			{Name: "email", Kind: KindString, Strings: g.emails},
			{Name: "city", Kind: KindString, Strings: g.cities},
			{Name: "country", Kind: KindString, Strings: g.countries},
			{Name: "newsletter", Kind: KindBool, Bools: g.newsletter},
			{Name: "signup_time", Kind: KindTime, Times: g.signup},
			{Name: "b2b", Kind: KindBool, Bools: g.b2b},
			{Name: "age_band", Kind: KindString, Strings: g.ages},
		}},
		Products: productsTable(),
		Events:   g.eventsTable(),
		Truth:    g.truthTable(),
	}
}

// eventsTable sorts the events by time (then customer and type) into a
// table.
func (g *storeBuilder) eventsTable() *Table {
	slices.SortStableFunc(g.events, func(a, b event) int {
		return cmp.Or(a.t.Compare(b.t), cmp.Compare(a.customerID, b.customerID), cmp.Compare(a.typ, b.typ))
	})
	n := len(g.events)
	ids, types, products, times := make([]string, n), make([]string, n), make([]string, n), make([]time.Time, n)
	for i, e := range g.events {
		ids[i], types[i], products[i], times[i] = e.customerID, e.typ, e.productID, e.t
	}
	return &Table{Columns: []Column{
		{Name: "customer_id", Kind: KindString, Strings: ids},
		{Name: "time", Kind: KindTime, Times: times},
		{Name: "type", Kind: KindString, Strings: types},
		{Name: "product_id", Kind: KindString, Strings: products},
	}}
}

// truthTable is truth.parquet: persona and the planted traits.
func (g *storeBuilder) truthTable() *Table {
	cols := []Column{
		{Name: "customer_id", Kind: KindString, Strings: g.ids},
		{Name: "persona", Kind: KindString, Strings: g.pers},
	}
	for k, name := range traitNames {
		v := make([]bool, len(g.traits))
		for i, tr := range g.traits {
			v[i] = tr[k]
		}
		cols = append(cols, Column{Name: name, Kind: KindBool, Bools: v})
	}
	return &Table{Columns: cols}
}
