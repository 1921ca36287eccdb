package features

import (
	"fmt"
	"time"

	"github.com/segment-tool/segment/data"
)

// lineRec is an order line once checked, as a part folds it: the fields
// the aggregation uses, money and quantities in fixed point. Its strings
// may share a buffer the caller reuses: fold keeps none of them.
type lineRec struct {
	t                          int64 // unix nanoseconds
	amount, discount, quantity fixed
	refunded                   fixed // paid back on a line not returned (data.OrderLine.Refunded)
	returned, coupon           bool
	inPlace                    bool // returned: a purchase its status marks returned (data.OrderLine.ReturnedInPlace)
	cust, order                string
	product, category          string
	attrs                      [numAttrs]string // city, country, channel
}

// check validates line l and fills r from it. It returns after true, and
// leaves r unfilled, for a line at or after the fixed as_of, which is left
// out; an error for an invalid line (a time outside the years 1678–2261, a
// missing id, a non-finite or too large number), checked in that order.
func (a *Aggregator) check(l *data.OrderLine, r *lineRec) (after bool, err error) {
	t, ok := unixNano(l.Time)
	if !ok {
		return false, lineError(l.CustomerID, l.OrderID, "time %s: %w", l.Time, errTimeRange)
	}
	if a.hasAsOf && t >= a.asOf {
		return true, nil
	}
	if l.CustomerID == "" || l.OrderID == "" {
		return false, lineError(l.CustomerID, l.OrderID, "%w", errMissingID)
	}
	amount, ok1 := toFixed(l.Amount)
	discount, ok2 := toFixed(l.Discount)
	quantity, ok3 := toFixed(l.Quantity)
	refunded, ok4 := toFixed(l.Refunded)
	if !ok1 || !ok2 || !ok3 || !ok4 || refunded < 0 {
		return false, lineError(l.CustomerID, l.OrderID, "amount %v, discount %v, quantity %v, refunded %v: %w", l.Amount, l.Discount, l.Quantity, l.Refunded, errBadNumber)
	}
	if l.Returned {
		refunded = 0 // all its money is back already (data's reader sets none)
	}
	*r = lineRec{
		t: t, amount: amount, discount: discount, quantity: quantity, refunded: refunded,
		returned: l.Returned, inPlace: l.Returned && l.ReturnedInPlace, coupon: l.Coupon != "",
		cust: l.CustomerID, order: l.OrderID, product: l.ProductID, category: l.Category,
		attrs: attrValues(l),
	}
	return false, nil
}

// bought reports whether the line adds to the purchases' gross, discount,
// quantity and categories: a line not returned, or a purchase returned in
// place.
func (r *lineRec) bought() bool { return !r.returned || r.inPlace }

// net returns what the line adds to its order's net before refunds: its
// amount, or 0 for a purchase returned in place (bought, then returned).
// What was refunded on it is summed apart (part.orderRefund).
func (r *lineRec) net() fixed {
	if r.inPlace {
		return 0
	}
	return r.amount
}

// lineSpan counts the lines aggregated and keeps the oldest and newest.
type lineSpan struct {
	lines                  int64
	newest, oldest         time.Time // as the lines gave them (their location kept)
	newestNano, oldestNano int64
	latest                 latest // the newest distinct instants
}

// note counts a line of time lt (t in unix nanoseconds). Of lines with the
// same instant the first is kept.
func (s *lineSpan) note(lt time.Time, t int64) {
	s.lines++
	if s.lines == 1 || t > s.newestNano {
		s.newest, s.newestNano = lt, t
	}
	if s.lines == 1 || t < s.oldestNano {
		s.oldest, s.oldestNano = lt, t
	}
	s.latest.note(t)
}

// lineError describes an invalid line of a customer and order.
func lineError(customer, order string, format string, args ...any) error {
	return fmt.Errorf("features: customer %q order %q: "+format, append([]any{customer, order}, args...)...)
}

// merge adds the lines of o to s; of the same instant, s's line is kept.
func (s *lineSpan) merge(o *lineSpan) {
	if o.lines == 0 {
		return
	}
	if s.lines == 0 || o.oldestNano < s.oldestNano {
		s.oldest, s.oldestNano = o.oldest, o.oldestNano
	}
	if s.lines == 0 || o.newestNano > s.newestNano {
		s.newest, s.newestNano = o.newest, o.newestNano
	}
	s.lines += o.lines
	s.latest = MergeLatest(s.latest, o.latest)
}
