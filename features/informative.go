package features

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// orderColumnOf names the optional order column (by logical name) that a
// feature or a seed group is computed from: without that column the
// feature is constant and the group silently empty.
var orderColumnOf = map[string]string{
	DiscountRatio:        "discount",
	CouponOrderShare:     "coupon",
	FirstOrderCoupon:     "coupon",
	CategoryMix:          "category",
	DistinctCategories:   "category",
	ItemsPerOrder:        "quantity",
	"coupon_first_order": "coupon",
	"discount_hunter":    "discount",
}

// lacks returns what the feature or seed group name needs when it is
// computed from an optional order column that t's input did not have
// (Table.Absent), and "" otherwise.
func (t *Table) lacks(name string) string {
	col := orderColumnOf[name]
	if col == "" || !slices.Contains(t.Absent, col) {
		return ""
	}
	return fmt.Sprintf("the orders' %s column (orders.columns.%s)", col, col)
}

// Lacks is lacks for a column of a transform: a mix_ column is of the
// CategoryMix block.
func (t *Table) Lacks(column string) string {
	if strings.HasPrefix(column, "mix_") {
		column = CategoryMix
	}
	return t.lacks(column)
}

// Excluded is a feature of Spec.Use that Informative leaves out, with the
// reason.
type Excluded struct {
	Feature string `json:"feature"`
	Reason  string `json:"reason"`
}

// Informative returns the features of use that carry information about
// t's customers, in order, and the others with the reason: a feature
// computed from an order column the input did not have (Table.Absent), or
// one that is near-constant: fewer than minShare of the customers (at
// least one) differ from its most common value, so it could only set apart
// a group smaller than a segment may be. The CategoryMix block is kept
// when any of its columns varies. A name t lacks is kept, for
// FitTransform to report.
func Informative(t *Table, use []string, minShare float64) (keep []string, excluded []Excluded) {
	n := t.N()
	var sorted []float64
	differ := func(name string) (int, bool) {
		col := t.Col(name)
		if col == nil {
			return 0, false
		}
		if informativeLimit(n, minShare) <= n/2 {
			// A value held by more than half of the customers is the
			// mode, counted exactly; without one, at least half of them
			// differ from the mode, which passes the limit.
			return n - modeCount(col), true
		}
		sorted = append(sorted[:0], col...)
		return n - sortedModeCount(sorted), true
	}
	return InformativeBy(t, n, use, minShare, differ)
}

// informativeLimit is the number of customers that must differ from a
// column's most common value for it to be informative.
func informativeLimit(n int, minShare float64) int {
	return max(1, int(minShare*float64(n)))
}

// InformativeBy is Informative for n customers whose columns are not at
// hand: t gives only the column names and Absent, and differ(name) the
// number of customers whose value of column name differs from its most
// common value (false for a column the table lacks). A runner that
// cannot sort a whole column may return any count that is at least the
// limit exactly when the true count is (see Informative).
func InformativeBy(t *Table, n int, use []string, minShare float64, differ func(name string) (int, bool)) (keep []string, excluded []Excluded) {
	limit := informativeLimit(n, minShare)
	for _, name := range use {
		cols := []string{name}
		if name == CategoryMix {
			cols = nil
			for _, c := range t.Names {
				if strings.HasPrefix(c, MixPrefix) {
					cols = append(cols, c)
				}
			}
		}
		known, informative := len(cols) > 0, false
		for _, c := range cols {
			d, ok := differ(c)
			if !ok {
				known = false
				break
			}
			informative = informative || d >= limit
		}
		switch {
		case !known || informative:
			keep = append(keep, name)
		case t.lacks(name) != "":
			excluded = append(excluded, Excluded{name, "needs " + t.lacks(name) + ", which is not mapped"})
		default:
			excluded = append(excluded, Excluded{name, fmt.Sprintf("the same value for all but fewer than %d of the clustered customers (clustering.min_share %s %%)",
				limit, strconv.FormatFloat(100*minShare, 'f', -1, 64))})
		}
	}
	return keep, excluded
}
