package features

import (
	"errors"
	"time"
)

// An event file is usually in time order (a log), so each customer's
// events come day after day. The ordered mode of an EventAggregator
// (newOrderedEventAggregator) relies on it: it keeps, per customer, the
// sums of the days already over and the counts of the current day, which
// it adds to the sums when a later day starts. Memory then grows with the
// customers only. An event of a day before its customer's current day
// stops it (errEventsUnordered): ReadEventTable then reads the file again
// with the (customer, day) pairs of NewEventAggregator. Both modes give
// the same columns: the same per-day counts, added as whole numbers.

// errEventsUnordered is Columns' error in the ordered mode once an event
// came before its customer's current day.
var errEventsUnordered = errors.New("features: events: a customer's events are not in time order")

// custDays is one customer's events in the ordered mode.
type custDays struct {
	sums [5]uint64 // the columns' sums over the days before day, in EventColumns' order
	day  uint32    // dayKey of the current day; 0 before the first event
	cur  dayEvents // the current day's counts
}

// newOrderedEventAggregator returns an aggregator in the ordered mode.
func newOrderedEventAggregator(asOf time.Time) *EventAggregator {
	a := NewEventAggregator(asOf)
	a.days, a.ordered = nil, true
	return a
}

// addOrdered folds an event of customer ci on day key in the ordered mode.
func (a *EventAggregator) addOrdered(ci int32, key uint32, typ string) {
	for int(ci) >= len(a.cust) {
		a.cust = append(a.cust, custDays{})
	}
	c := &a.cust[ci]
	switch {
	case key < c.day:
		a.unordered = true
		return
	case key > c.day:
		if c.day != 0 {
			addDay(&c.sums, c.day, c.cur, a.fromKey())
		}
		c.day, c.cur = key, dayEvents{}
	}
	countEvent(&c.cur, typ)
}

// fromKey is the day key of the first day of the CartDays window.
func (a *EventAggregator) fromKey() uint32 { return uint32(dayKey(a.from)) }

// countEvent counts an event of type typ in d.
func countEvent(d *dayEvents, typ string) {
	switch typ {
	case EventView:
		inc(&d.views)
	case EventCartAdd:
		inc(&d.carts)
	case EventCheckout:
		inc(&d.checkouts)
	}
}

// addDay adds one day's counts to a customer's sums: sessions_30d, views,
// cart_adds, abandoned_carts and views_without_purchase.
func addDay(s *[5]uint64, key uint32, d dayEvents, fromKey uint32) {
	recent := key >= fromKey
	if recent {
		s[0]++
	}
	s[1] += uint64(d.views)
	s[2] += uint64(d.carts)
	if d.checkouts == 0 {
		s[4] += uint64(d.views)
		if recent && d.carts > 0 {
			s[3]++
		}
	}
}
