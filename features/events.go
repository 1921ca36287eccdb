package features

import (
	"context"
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
// it is none of them: "view", "page_view", "product_view", "pageview" are
// views; "add_to_cart", "cart_add", "addtocart", "cart" are cart adds;
// "checkout", "purchase", "order", "transaction" are checkouts.
func EventType(raw string) string {
	switch strings.ToLower(strings.TrimSpace(raw)) {
	case "view", "page_view", "product_view", "pageview", "detail":
		return EventView
	case "add_to_cart", "cart_add", "addtocart", "cart", "add-to-cart":
		return EventCartAdd
	case "checkout", "purchase", "order", "transaction":
		return EventCheckout
	}
	return ""
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
// grows with the number of (customer, day) pairs with events.
type EventAggregator struct {
	asOf, from time.Time
	index      map[string]int
	ids        []string
	days       []map[int]*dayEvents
	stats      EventStats
}

type dayEvents struct {
	views, carts, checkouts int64
}

// NewEventAggregator returns an aggregator counting events before asOf.
func NewEventAggregator(asOf time.Time) *EventAggregator {
	return &EventAggregator{asOf: asOf, from: asOf.AddDate(0, 0, -CartDays), index: map[string]int{}}
}

// Add folds one event with a raw type name. Empty customer ids are the
// caller's to reject.
func (a *EventAggregator) Add(customerID string, t time.Time, rawType string) {
	typ := EventType(rawType)
	switch {
	case typ == "":
		a.stats.UnknownType++
		return
	case !t.Before(a.asOf):
		a.stats.AfterAsOf++
		return
	}
	a.stats.Used++
	ci, ok := a.index[customerID]
	if !ok {
		ci = len(a.ids)
		a.index[strings.Clone(customerID)] = ci
		a.ids = append(a.ids, strings.Clone(customerID))
		a.days = append(a.days, map[int]*dayEvents{})
	}
	k := dayKey(t)
	d := a.days[ci][k]
	if d == nil {
		d = &dayEvents{}
		a.days[ci][k] = d
	}
	switch typ {
	case EventView:
		d.views++
	case EventCartAdd:
		d.carts++
	case EventCheckout:
		d.checkouts++
	}
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
	cols := make([][]float64, 5)
	for j := range cols {
		cols[j] = make([]float64, len(ids))
	}
	fromKey := dayKey(a.from)
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
		var sessions, views, carts, abandoned, noBuy float64
		for k, d := range a.days[ci] {
			recent := k >= fromKey
			if recent {
				sessions++
			}
			views += float64(d.views)
			carts += float64(d.carts)
			if d.checkouts == 0 {
				noBuy += float64(d.views)
				if recent && d.carts > 0 {
					abandoned++
				}
			}
		}
		cols[0][i], cols[1][i], cols[2][i], cols[3][i], cols[4][i] = sessions, views, carts, abandoned, noBuy
	}
	return cols, nil
}
