package features

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"
)

// The event types of the events table. Type names are matched
// case-insensitively, with common synonyms (see EventType).
const (
	EventView     = "view"
	EventCartAdd  = "add_to_cart"
	EventCheckout = "checkout"
)

// EventType returns the event type a raw type name stands for, or "" when
// it is none of them. Names are compared with case, surrounding spaces and
// the difference between " ", "-" and "_" ignored ("Product Added",
// "add-to-cart"), and take the names trackers write: views are "view",
// "page_view", "product_view", "pageview", "detail", "view_item" (GA4),
// "product_viewed" (Segment's e-commerce spec, Shopify) and
// "viewed_product" (Klaviyo); cart adds "add_to_cart", "cart_add",
// "addtocart", "cart", "product_added", "product_added_to_cart" and
// "added_to_cart"; checkouts, which are completed purchases, "checkout",
// "purchase", "purchased", "order", "transaction", "order_completed",
// "checkout_completed", "placed_order" and "order_placed". A checkout
// begun ("begin_checkout", "checkout_started") is none of them.
func EventType(raw string) string {
	s := raw
	if !plainEventName(s) {
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' {
				return '_'
			}
			return r
		}, strings.ToLower(strings.TrimSpace(s)))
	}
	switch s {
	case "view", "page_view", "product_view", "pageview", "detail", "view_item", "product_viewed", "viewed_product":
		return EventView
	case "add_to_cart", "cart_add", "addtocart", "cart", "product_added", "product_added_to_cart", "added_to_cart":
		return EventCartAdd
	case "checkout", "purchase", "purchased", "order", "transaction", "order_completed", "checkout_completed", "placed_order", "order_placed":
		return EventCheckout
	}
	return ""
}

// plainEventName reports whether s is already as EventType compares
// names: lower-case ASCII letters, digits and underscores. Most files'
// names are, and are not copied.
func plainEventName(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// CartDays is the window, in days before as_of, in which sessions_30d and
// abandoned_carts are counted.
const CartDays = 30

// EventStats counts the events an EventAggregator saw.
type EventStats struct {
	Used        int64 // events counted
	AfterAsOf   int64 // events at or after as_of, ignored
	UnknownType int64 // events whose type is not a view, cart add or checkout, ignored
}

// EventAggregator folds events into per-customer counts:
//
//	sessions_30d            days with any event in the 30 days before as_of
//	views                   view events
//	cart_adds               add_to_cart events
//	abandoned_carts         days in the 30 days before as_of with an
//	                        add_to_cart and no checkout
//	views_without_purchase  views on days without a checkout
//
// Days are calendar days of the event time in its own location. Memory
// grows with the number of customers (an id and a map entry) and of
// (customer, day) pairs with events (about 32 bytes each, counts and all),
// not with the number of events; ReadEventTable first tries an ordered
// mode whose memory grows with the customers alone (see custDays), and
// otherwise, with an EventSpill, keeps the events on disk (see eventSpill).
type EventAggregator struct {
	asOf, from time.Time
	index      map[string]int32
	ids        []string
	days       map[uint64]dayEvents // customer index << 32 | dayKey
	stats      EventStats

	ordered   bool       // the ordered mode (see newOrderedEventAggregator)…
	cust      []custDays // …its state per customer…
	unordered bool       // …and whether an event came before its customer's day

	spill *eventSpill // the events on disk, in the spilled mode (see foldSpill)
}

// dayEvents counts one customer's events of one day, each count saturating
// at the largest uint32.
type dayEvents struct {
	views, carts, checkouts uint32
}

// inc adds one to a count, saturating.
func inc(n *uint32) {
	if *n != math.MaxUint32 {
		*n++
	}
}

// NewEventAggregator returns an aggregator counting events before asOf.
func NewEventAggregator(asOf time.Time) *EventAggregator {
	return &EventAggregator{asOf: asOf, from: asOf.AddDate(0, 0, -CartDays), index: map[string]int32{}, days: map[uint64]dayEvents{}}
}

// Add folds one event with a raw type name. Empty customer ids are the
// caller's to reject.
func (a *EventAggregator) Add(customerID string, t time.Time, rawType string) {
	typ, after := EventType(rawType), !t.Before(a.asOf)
	var day uint32
	if typ != "" && !after {
		day = uint32(dayKey(t))
	}
	a.add(customerID, -1, day, typ, after)
}

// add folds an event of type typ ("" for an unknown type), at or after
// as_of (after) or on day (its dayKey), of customer customerID, whose
// index is ci when the caller knows it, else -1.
func (a *EventAggregator) add(customerID string, ci int32, day uint32, typ string, after bool) {
	switch {
	case typ == "":
		a.stats.UnknownType++
		return
	case after:
		a.stats.AfterAsOf++
		return
	}
	a.stats.Used++
	if ci < 0 {
		var ok bool
		if ci, ok = a.index[customerID]; !ok {
			ci = int32(len(a.ids))
			id := strings.Clone(customerID)
			a.index[id] = ci
			a.ids = append(a.ids, id)
		}
	}
	switch {
	case a.ordered:
		a.addOrdered(ci, day, typ)
		return
	case a.spill != nil:
		a.spill.put(ci, day, typ)
		return
	}
	k := uint64(ci)<<32 | uint64(day)
	d := a.days[k]
	countEvent(&d, typ)
	a.days[k] = d
}

// Stats returns the counts of events seen so far.
func (a *EventAggregator) Stats() EventStats { return a.stats }

// IDs returns the customers with counted events, sorted.
func (a *EventAggregator) IDs() []string {
	ids := slices.Clone(a.ids)
	slices.Sort(ids)
	return ids
}

// EventColumns returns the names of the events feature columns, in the
// order Columns returns them.
func EventColumns() []string {
	return []string{Sessions30d, Views, CartAdds, AbandonedCarts, ViewsWithoutPurchase}
}

// Columns returns the events features of the customers ids, one column per
// name of EventColumns; customers without events get zeros. It returns
// ctx.Err() once ctx is done (checked every 4,096 customers).
func (a *EventAggregator) Columns(ctx context.Context, ids []string) ([][]float64, error) {
	// Each customer's sums, by customer index: integer counts, exact in a
	// float64 whatever the order the map gives the days in.
	if a.unordered {
		return nil, errEventsUnordered
	}
	n := len(a.ids)
	sums := make([][5]uint64, n) // sessions, views, carts, abandoned, views without purchase
	fromKey := a.fromKey()
	seen := 0
	for k, d := range a.days {
		if seen++; seen%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		addDay(&sums[k>>32], uint32(k), d, fromKey)
	}
	for ci, c := range a.cust { // the ordered mode: the days over, and the current one
		sums[ci] = c.sums
		if c.day != 0 {
			addDay(&sums[ci], c.day, c.cur, fromKey)
		}
	}
	cols := make([][]float64, 5)
	for j := range cols {
		cols[j] = make([]float64, len(ids))
	}
	for i, id := range ids {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		ci, ok := a.index[id]
		if !ok {
			continue
		}
		for j := range cols {
			cols[j][i] = float64(sums[ci][j]) // whole numbers below 2⁵³: exact
		}
	}
	return cols, nil
}
