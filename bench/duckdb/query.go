package main

import (
	"fmt"
	"regexp"
	"strings"
)

// Query selects how the feature query counts a customer's orders.
type Query string

const (
	// Distinct aggregates the lines per customer in one GROUP BY,
	// counting orders with count(DISTINCT order_id).
	Distinct Query = "distinct"
	// TwoLevel aggregates the lines per order, then the orders per
	// customer: two GROUP BYs and no DISTINCT.
	TwoLevel Query = "twolevel"
	// Scan reads every column the feature queries read and folds each
	// into one value (ScanSQL): no grouping, the cost of reading the file.
	Scan Query = "scan"
)

// ScanSQL returns a SELECT of one row that reads every column of the
// order lines in the Parquet file orders that FeatureSQL reads, each into
// an aggregate that needs every value (a count, a sum, a maximum): the
// time a query of DuckDB's spends reading and decoding the lines, with
// nothing computed per customer. A floor under FeatureSQL's time.
func ScanSQL(orders string) string {
	return `SELECT count(*) AS lines, max(customer_id) AS customer_id, max(order_id) AS order_id,
  max(epoch_us(time)) AS time, sum(quantity) AS quantity, sum(unit_price) AS unit_price,
  sum(coalesce(discount, 0)) AS discount, max(coupon) AS coupon, max(category) AS category
FROM read_parquet(` + literal(orders) + `)`
}

// DefaultCategories are the mix categories of `segment gen`'s stores: its
// nine categories less "toys", ranked by store-wide gross spend as segment
// ranks them (features.Options.TopCategories = 8). bench/e2e.sh checks
// that segment chose the same ones.
var DefaultCategories = []string{"apparel", "home", "beauty", "electronics", "grocery", "books", "sports", "pets"}

// categoryName is what a category must look like to be put into the SQL
// text, as a string literal and in a column name.
var categoryName = regexp.MustCompile(`^[a-z0-9_]+$`)

// dayMicros is one day in microseconds, the unit of epoch_us.
const dayMicros = 86_400_000_000

// FeatureSQL returns the SELECT that computes the per-customer feature
// table from the order lines in the Parquet file orders, one row per
// customer, with the columns (named as in segment's feature table)
//
//	customer_id, recency_days, tenure_days, frequency, monetary, aov,
//	discount_ratio, coupon_order_share, items_per_order,
//	mix_<category> for each of cats, mix_other
//
// The definitions follow package features (aggregate.go, build.go) with
// the store in UTC, no cancellation prefix or status column and no window:
// a line is returned when its quantity is negative; its amount is
// quantity × unit_price − discount; an order is a purchase when the sum of
// its amounts is positive; as_of is midnight after the newest line.
//
//	frequency           purchases
//	monetary            Σ amount over all lines (returns included)
//	recency_days        ⌊(as_of − last purchase) / 1 day⌋; last line without purchases
//	tenure_days         ⌊(as_of − first purchase) / 1 day⌋; first line without purchases
//	aov                 monetary / frequency (0 without purchases)
//	discount_ratio      Σ discount / Σ gross, gross = quantity × unit_price, non-returned lines
//	coupon_order_share  purchases with a coupon / frequency
//	items_per_order     Σ quantity of non-returned lines / frequency
//	mix_<c>             gross in category c / gross; mix_other the rest
//
// Distinct counts a customer's purchases and coupon purchases as the
// distinct order ids among the non-returned lines (with a coupon), and
// takes the first and last purchase from those lines' times: the same as
// segment's definitions when every order is all purchase lines or all
// returned lines, as in `segment gen`'s stores, not in general. TwoLevel
// sums each order first and so follows segment's definitions exactly.
//
// FeatureSQL panics when a category does not match [a-z0-9_]+.
func FeatureSQL(q Query, orders string, cats []string) string {
	for _, c := range cats {
		if !categoryName.MatchString(c) {
			panic(fmt.Sprintf("duckdb: category %q is not [a-z0-9_]+", c))
		}
	}
	src := "read_parquet(" + literal(orders) + ")"
	var b strings.Builder
	switch q {
	case Distinct:
		b.WriteString(`WITH c AS (
  SELECT customer_id,
    count(DISTINCT order_id) FILTER (WHERE quantity >= 0) AS freq,
    count(DISTINCT order_id) FILTER (WHERE quantity >= 0 AND coupon <> '') AS coupon_orders,
    sum(quantity * unit_price - coalesce(discount, 0)) AS net,
    coalesce(sum(quantity * unit_price) FILTER (WHERE quantity >= 0), 0) AS gross,
    coalesce(sum(discount) FILTER (WHERE quantity >= 0), 0) AS disc,
    coalesce(sum(quantity) FILTER (WHERE quantity >= 0), 0) AS qty,
    min(epoch_us(time)) FILTER (WHERE quantity >= 0) AS first_p,
    max(epoch_us(time)) FILTER (WHERE quantity >= 0) AS last_p,
    min(epoch_us(time)) AS first_t,
    max(epoch_us(time)) AS last_t`)
		for i, c := range cats {
			fmt.Fprintf(&b, ",\n    coalesce(sum(quantity * unit_price) FILTER (WHERE quantity >= 0 AND category = %s), 0) AS g%d", literal(c), i)
		}
		b.WriteString("\n  FROM " + src + "\n  GROUP BY customer_id\n)")
	case TwoLevel:
		b.WriteString(`WITH o AS (
  SELECT customer_id, order_id,
    min(epoch_us(time)) AS t,
    max(epoch_us(time)) AS t_max,
    sum(quantity * unit_price - coalesce(discount, 0)) AS net,
    coalesce(sum(quantity * unit_price) FILTER (WHERE quantity >= 0), 0) AS gross,
    coalesce(sum(discount) FILTER (WHERE quantity >= 0), 0) AS disc,
    coalesce(sum(quantity) FILTER (WHERE quantity >= 0), 0) AS qty,
    bool_or(coupon <> '') AS coupon`)
		for i, c := range cats {
			fmt.Fprintf(&b, ",\n    coalesce(sum(quantity * unit_price) FILTER (WHERE quantity >= 0 AND category = %s), 0) AS g%d", literal(c), i)
		}
		b.WriteString(`
  FROM ` + src + `
  GROUP BY customer_id, order_id
), c AS (
  SELECT customer_id,
    count(*) FILTER (WHERE net > 0) AS freq,
    count(*) FILTER (WHERE net > 0 AND coupon) AS coupon_orders,
    sum(net) AS net,
    sum(gross) AS gross,
    sum(disc) AS disc,
    sum(qty) AS qty,
    min(t) FILTER (WHERE net > 0) AS first_p,
    max(t) FILTER (WHERE net > 0) AS last_p,
    min(t) AS first_t,
    max(t_max) AS last_t`)
		for i := range cats {
			fmt.Fprintf(&b, ",\n    sum(g%d) AS g%d", i, i)
		}
		b.WriteString("\n  FROM o\n  GROUP BY customer_id\n)")
	default:
		panic(fmt.Sprintf("duckdb: unknown query %q", q))
	}
	fmt.Fprintf(&b, `, a AS (
  SELECT (max(last_t) // %[1]d + 1) * %[1]d AS as_of FROM c
)
SELECT customer_id,
  (as_of - coalesce(last_p, last_t)) // %[1]d AS recency_days,
  (as_of - coalesce(first_p, first_t)) // %[1]d AS tenure_days,
  freq AS frequency,
  net AS monetary,
  CASE WHEN freq > 0 THEN net / freq ELSE 0 END AS aov,
  CASE WHEN gross <> 0 THEN disc / gross ELSE 0 END AS discount_ratio,
  CASE WHEN freq > 0 THEN coupon_orders / freq ELSE 0 END AS coupon_order_share,
  CASE WHEN freq > 0 THEN qty / freq ELSE 0 END AS items_per_order`, dayMicros)
	other := "gross"
	for i, c := range cats {
		fmt.Fprintf(&b, ",\n  CASE WHEN gross > 0 THEN g%d / gross ELSE 0 END AS mix_%s", i, c)
		other += fmt.Sprintf(" - g%d", i)
	}
	fmt.Fprintf(&b, ",\n  CASE WHEN gross > 0 THEN (%s) / gross ELSE 0 END AS mix_other\nFROM c, a", other)
	return b.String()
}

// literal quotes s as an SQL string literal.
func literal(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
