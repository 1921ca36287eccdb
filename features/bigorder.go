package features

import (
	"fmt"
	"math"
)

// BigOrderCut returns the order value that a buyer's largest order
// (max_order_value) must exceed for the buyer to be in big_order, and
// whether t has the columns to compute it. With s = th.BigOrderShare
// (default 0.05) and x₁ ≤ … ≤ xₙ the largest orders of the n buyers
// (frequency > 0), the cut is the empirical quantile
//
//	Q(1 − s) = x_⌈(1−s)·n⌉,
//
// the rule of the top shares applied to max_order_value: a buyer is in
// big_order when their largest order is strictly above Q(1 − s), so the
// group holds at most a share s of buyers, ties at the cut stay out, and
// the group is empty when every buyer's largest order is the same. The cut
// is +Inf without buyers. It is exact (a value of the data, no
// interpolation) and does not depend on row order; it needs one value per
// buyer, like the top shares, and nothing per order.
//
// Why this rule. "Big order" has to mean the same on a grocery and on a
// furniture store, so the cut comes from the store's own order values,
// and it has to be robust to how often customers buy:
//
//   - a multiple of the store's median order (the rule before this one)
//     depends on how spread out order values are: no customer of a store
//     whose orders are alike reaches 3 × the median, while on a grocery
//     store, where many small top-up baskets pull the median down, two
//     thirds of the households do;
//   - a percentile of single orders (a largest order in the store's top
//     1 % of orders) depends on frequency: a customer with n orders drawn
//     from the store's distribution reaches that top 1 % with probability
//     1 − 0.99ⁿ, 18 % at 20 orders and 98 % at 400 (weekly grocery
//     trips over a year), so the group would mean "frequent buyer";
//   - ranking the buyers by their largest order ranks them by the one
//     quantity the group is about, on every store: big_order is the share
//     s of buyers whose biggest single order is the largest, and the
//     report gives the cut as an amount and as a multiple of the store's
//     median order, so a reader sees how far above a typical order it is.
func BigOrderCut(t *Table, th Thresholds) (cut float64, ok bool) {
	freq, maxOrder := t.Col(Frequency), t.Col(MaxOrderValue)
	if freq == nil || maxOrder == nil {
		return 0, false
	}
	return topCuts(bigOrderValues(maxOrder, t.Col(Monetary)), freq, th.withDefaults().BigOrderShare)[0], true
}

// BigOrderValue is the value big_order ranks a buyer by: the largest
// order, capped at the buyer's net spend (monetary; NaN: none). An order
// returned later in a document of its own (a cancellation invoice, a
// credit note) stays the largest order, but the spend shows it was not
// kept: a 168,000 order cancelled in full leaves a spend of a few units,
// and no big order.
func BigOrderValue(maxOrder, monetary float64) float64 {
	if monetary < maxOrder {
		return monetary
	}
	return maxOrder
}

// bigOrderValues returns BigOrderValue of each row (maxOrder itself
// without a monetary column).
func bigOrderValues(maxOrder, monetary []float64) []float64 {
	if monetary == nil {
		return maxOrder
	}
	v := make([]float64, len(maxOrder))
	for i := range v {
		v[i] = BigOrderValue(maxOrder[i], monetary[i])
	}
	return v
}

// bigOrderOnStore describes the cut of big_order on this store, appended
// to the group's definition: the amount, and the multiple of the store's
// median order when there is one (not from a feature file); nothing
// without buyers.
func bigOrderOnStore(cut, medianOrder float64) string {
	switch {
	case math.IsInf(cut, 1):
		return ""
	case medianOrder > 0:
		return fmt.Sprintf(": here above %.6g, %.3g × the store's median order (%.6g)", cut, cut/medianOrder, medianOrder)
	}
	return fmt.Sprintf(": here above %.6g", cut)
}
