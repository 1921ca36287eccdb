package data

import (
	"strconv"
	"strings"
)

// The columns inspect names by what their names say: a refund, the money
// columns an amount may be, relative times.

// refundMoney reports whether c can be the money refunded on an order: a
// number, not a refund of the shipping, the tax or a fee alone, nor a count
// of items refunded; whole numbers only under a name that says an amount
// (refund_amount_cents), for a column of whole numbers named "refunded"
// is more often a flag (0 or 1) or a count than money.
func refundMoney(c ColumnInfo) bool {
	n := normalise(c.Name)
	switch {
	case !numeric(c), shippingNamed(c.Name), containsAny(n, "tax", "fee", "qty", "quantity", "count", "items"):
		return false
	}
	return c.Kind != KindInt64 || containsAny(n, "amount", "cents")
}

// relativeTimes lists, quoted, the columns whose names say relative time
// (Instacart's days_since_prior_order, order_number, order_dow), which
// cannot give an order's date; not those used.
func relativeTimes(cols []ColumnInfo, used map[string]bool) []string {
	var out []string
	for _, c := range cols {
		if used[c.Name] {
			continue
		}
		if containsAny(normalise(c.Name), "dayssince", "daysprior", "ordernumber", "orderdow", "dayofweek", "hourofday") {
			out = append(out, strconv.Quote(c.Name))
		}
	}
	return out
}

// moneyColumns lists, quoted, the numeric columns not used whose names
// say money (total, subtotal, value, price…) that is not a refund, a fee,
// the shipping or the tax alone: the candidates for an amount no name
// matched (BigCommerce's Subtotal (ex tax), Order Total (ex tax)).
func moneyColumns(cols []ColumnInfo, used map[string]bool) []string {
	var out []string
	for _, c := range cols {
		if !used[c.Name] && !c.Empty && numeric(c) && !otherMoney(c.Name) &&
			containsAny(normalise(c.Name), "total", "amount", "value", "price", "revenue", "sales", "paid", "spent") {
			out = append(out, strconv.Quote(c.Name))
		}
	}
	return out
}

// pairRefund maps the refund in the amount's currency: Stripe's Amount
// Refunded beside Amount, its Converted Amount Refunded beside Converted
// Amount.
func pairRefund(m Mapping, cols []ColumnInfo, used map[string]bool) {
	r, ok := m.Columns["refunded"]
	if !ok {
		return
	}
	converted := strings.HasPrefix(normalise(m.Columns["amount"]), "converted")
	if strings.HasPrefix(normalise(r), "converted") == converted {
		return
	}
	want := strings.TrimPrefix(normalise(r), "converted")
	if converted {
		want = "converted" + want
	}
	for _, c := range cols {
		if normalise(c.Name) == want && !used[c.Name] && !c.Empty && numeric(c) {
			delete(used, r)
			m.Columns["refunded"], used[c.Name] = c.Name, true
			return
		}
	}
}

// numeric reports whether c holds numbers.
func numeric(c ColumnInfo) bool { return c.Kind == KindFloat64 || c.Kind == KindInt64 }

// containsAny reports whether n contains one of words.
func containsAny(n string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
