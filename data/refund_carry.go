package data

// refundCarry keeps the refund of a rejected line for the next line of its
// order: exports write an order's refund on one of its lines (Shopify's
// Refunded Amount on the first), and that line may be left out (a free
// gift's price of 0, an excluded product, a missing amount) while the
// order's other lines count. The refund then goes on the order's next line
// used, right after it in the piece (a CSV file, a Parquet row group), as
// a status does (orderStatus); a line of another order drops it. Not from
// a line left out with its whole order (orders.exclude.status), a
// duplicate, a line without its ids or time, or a refund out of range.
type refundCarry struct {
	customer, order string
	amount          float64
}

// pass hands a kept refund to l, a line of its order used (reason ""), or
// keeps l's refund when l is rejected for a reason of its own.
func (c *refundCarry) pass(l *OrderLine, reason string) {
	same := c.amount > 0 && l.CustomerID == c.customer && l.OrderID == c.order
	if reason == "" {
		if same && !l.Returned { // a returned line's money is back already
			l.Refunded += c.amount
		}
		*c = refundCarry{}
		return
	}
	switch {
	case l.Refunded <= 0 || !carriesRefund(reason) || l.CustomerID == "" || l.OrderID == "":
		if !same {
			*c = refundCarry{}
		}
	case same:
		c.amount += l.Refunded
	default:
		*c = refundCarry{customer: l.CustomerID, order: l.OrderID, amount: l.Refunded}
	}
}

// reasonRefundRange rejects a line whose refund is out of range.
const reasonRefundRange = "refunded out of range (magnitude above 1e12)"

// keptRefund are the reasons a rejected line takes its refund with it:
// the whole order is left out (orders.exclude.status), the line is a
// duplicate, its order is not known (ids, time), or the refund itself is
// wrong.
var keptRefund = map[string]bool{
	ExcludedStatus: true, "duplicate line": true, reasonRefundRange: true,
	"missing customer_id": true, "missing order_id": true, "missing time": true,
	"customer_id is not valid UTF-8": true, "order_id is not valid UTF-8": true,
	"customer_id holds a NUL byte": true, "order_id holds a NUL byte": true,
	"time out of range (years 1678–2261)": true,
}

// carriesRefund reports whether a line rejected for reason leaves its
// refund to the rest of its order.
func carriesRefund(reason string) bool { return !keptRefund[reason] }
