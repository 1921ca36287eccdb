package features

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/segment-tool/segment/data"
)

// Names of the feature columns, in the fixed order of Table.Names. The mix
// columns follow them: MixPrefix + slug(category) for each category of
// Table.Categories, then MixOther.
const (
	RecencyDays        = "recency_days"
	TenureDays         = "tenure_days"
	Frequency          = "frequency"
	Monetary           = "monetary"
	AOV                = "aov"
	DiscountRatio      = "discount_ratio"
	CouponOrderShare   = "coupon_order_share"
	FirstOrderCoupon   = "first_order_coupon"
	ReturnRate         = "return_rate"
	ItemsPerOrder      = "items_per_order"
	MeanInterorderDays = "mean_interorder_days"
	PeakSeasonShare    = "peak_season_share"
	FirstOrderInPeak   = "first_order_in_peak"
	DistinctCategories = "distinct_categories"
	MaxOrderValue      = "max_order_value"
	SaleDayShare       = "sale_day_share"
	ReturnedLast       = "returned_after_last_purchase"

	// Columns present only when Options.Products gives price tiers
	// (PremiumShare) or launch times (NewProductShare); they follow the
	// base columns.
	PremiumShare    = "premium_share"
	NewProductShare = "new_product_share"

	// LifetimeFrequency, present only with Options.WindowDays > 0 (after
	// the product columns), is the customer's purchases over all history,
	// while frequency counts the window's: a customer who bought only
	// before the window is still a buyer (Buyer), not a prospect.
	LifetimeFrequency = "lifetime_frequency"

	// Columns present only with Options.PurchaseDays, after those: the
	// sufficient statistics of buy-till-you-die models (package clv), on
	// the calendar of Options.Location and over all history whatever
	// WindowDays. A customer without a purchase has 0 in each.
	//
	//	purchase_days            distinct calendar days with a purchase
	//	repeat_monetary          Σ net of the purchases on days after the first purchase day
	//	first_purchase_age_days  whole days from the first purchase day to the day before as_of
	//	purchase_span_days       whole days from the first to the last purchase day
	PurchaseDays         = "purchase_days"
	RepeatMonetary       = "repeat_monetary"
	FirstPurchaseAgeDays = "first_purchase_age_days"
	PurchaseSpanDays     = "purchase_span_days"

	MixPrefix = "mix_"
	MixOther  = "mix_other"
)

// baseColumns are the feature columns before the mix, in Table order.
var baseColumns = []string{
	RecencyDays, TenureDays, Frequency, Monetary, AOV, DiscountRatio,
	CouponOrderShare, FirstOrderCoupon, ReturnRate, ItemsPerOrder,
	MeanInterorderDays, PeakSeasonShare, FirstOrderInPeak, DistinctCategories,
	MaxOrderValue, SaleDayShare, ReturnedLast,
}

// BaseColumns returns the names of the feature columns that precede the
// category mix, in Table order.
func BaseColumns() []string { return slices.Clone(baseColumns) }

// Table holds one row per customer, stored by column. Every value is
// finite.
type Table struct {
	// AsOf is the analysis date the features were measured at; zero for a
	// table read by FromColumns.
	AsOf time.Time

	IDs   []string    // customer ids, sorted ascending, unique
	Names []string    // column names
	Cols  [][]float64 // Cols[j] is the column of Names[j], len(IDs) long

	// TopCategory is each customer's category with the highest gross
	// spend (ties broken by name; "" when none). nil for FromColumns.
	TopCategory []string

	// City, Country and Channel are each customer's value of that
	// order-line attribute (data.OrderLine), the value of most of their
	// orders: every order before AsOf counts once, over all history
	// (WindowDays does not apply), with the value its lines carry (the
	// alphabetically first when they disagree; blank values ignored,
	// surrounding spaces trimmed); ties between values go to the
	// alphabetically first (byte order). "" when none of the customer's
	// orders has a value. A column is nil when no line had a value, and
	// for FromColumns.
	City, Country, Channel []string

	// Categories are the mix categories, in mix column order (the
	// columns MixColumns(Categories) before MixOther); nil for FromColumns.
	Categories []string

	// Orders counts the (customer, order) pairs aggregated and Purchases
	// those with a positive net value; both are limited to the window
	// when Options.WindowDays is set, as is Revenue, the Σ of monetary.
	Orders, Purchases int
	Revenue           float64
	// RefundOrders counts the orders with a refund taken off their net
	// (data.OrderLine.Refunded, at most the order's net), and Refunded is
	// the Σ taken off; limited to the window as Orders.
	RefundOrders int
	Refunded     float64

	// MedianOrder is the median net value of the purchases counted in
	// Purchases (the mean of the two middle ones for an even count), the
	// store's typical order that big_order compares with; 0 without
	// purchases or for FromColumns.
	MedianOrder float64

	// Lines counts the lines aggregated (before AsOf), LinesAfterAsOf
	// the lines excluded for being at or after AsOf.
	Lines, LinesAfterAsOf int64

	// Absent lists the optional order columns, by logical name
	// ("discount", "coupon", "category", …), that the input did not have;
	// nil when unknown (a feature table). Features and seed groups computed
	// from one are reported as needing it (Informative, SeedGroups).
	Absent []string

	// FirstLine and LastLine are the times of the oldest and newest line
	// aggregated, in the store's time zone (zero for FromColumns): the
	// data period.
	FirstLine, LastLine time.Time

	// Latest are the newest time of the lines aggregated on each of the
	// newest days (UTC) with lines (unix nanoseconds), newest first, at
	// most LatestKept (DateGap); nil for FromColumns.
	Latest []int64

	// Holdout is the calibration/holdout split's store-wide daily counts
	// (Options.HoldoutDays; holdout.go); nil without it and for
	// FromColumns.
	Holdout *Holdout
}

// N returns the number of customers.
func (t *Table) N() int { return len(t.IDs) }

// Col returns the column with the given name, or nil when there is none.
// The slice is the table's own: do not modify it.
func (t *Table) Col(name string) []float64 {
	for j, n := range t.Names {
		if n == name {
			return t.Cols[j]
		}
	}
	return nil
}

// FromColumns builds a Table from per-customer columns, such as a feature
// table read from a file (segment run -features). It checks that there is at
// least one row and one column, that every column has one value per id,
// that ids are non-empty and unique, that names are non-empty and unique
// and that every value is finite. Rows are sorted by id. The arguments are
// not modified: the Table holds copies.
func FromColumns(ids []string, names []string, cols [][]float64) (*Table, error) {
	if len(ids) == 0 {
		return nil, ErrNoCustomers
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("features: no feature columns")
	}
	if len(names) != len(cols) {
		return nil, fmt.Errorf("features: %d column names but %d columns", len(names), len(cols))
	}
	seenName := make(map[string]bool, len(names))
	for j, name := range names {
		switch {
		case name == "":
			return nil, fmt.Errorf("features: column %d has an empty name", j+1)
		case seenName[name]:
			return nil, fmt.Errorf("features: column %q appears twice", name)
		case len(cols[j]) != len(ids):
			return nil, fmt.Errorf("features: column %q has %d values for %d ids", name, len(cols[j]), len(ids))
		}
		seenName[name] = true
	}
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(ids[a], ids[b]) })
	for k, i := range order {
		if err := CheckID(i+1, ids[i]); err != nil {
			return nil, err
		}
		if k > 0 && ids[order[k-1]] == ids[i] {
			return nil, DuplicateIDError(ids[i])
		}
	}
	t := &Table{
		IDs:   make([]string, len(ids)),
		Names: slices.Clone(names),
		Cols:  make([][]float64, len(cols)),
	}
	for k, i := range order {
		t.IDs[k] = ids[i]
	}
	for j, c := range cols {
		dst := make([]float64, len(c))
		for k, i := range order {
			if err := CheckValue(names[j], ids[i], i+1, c[i]); err != nil {
				return nil, err
			}
			dst[k] = c[i]
		}
		t.Cols[j] = dst
	}
	return t, nil
}

// CheckID returns FromColumns' error for the customer id of row (from 1)
// of a feature table when it is empty, not valid UTF-8 or holds a NUL
// byte, else nil.
func CheckID(row int, id string) error {
	switch {
	case id == "":
		return fmt.Errorf("features: row %d has an empty customer id", row)
	case !utf8.ValidString(id):
		return fmt.Errorf("features: row %d: customer id %s is not valid UTF-8", row, data.QuoteCell(id))
	case data.HasNUL(id):
		return fmt.Errorf("features: row %d: customer id %s holds a NUL byte", row, data.QuoteCell(id))
	}
	return nil
}

// DuplicateIDError is FromColumns' error for a customer id on two rows.
func DuplicateIDError(id string) error {
	return fmt.Errorf("features: customer id %s appears twice", data.QuoteCell(id))
}

// MaxFeatureValue bounds the magnitude of a feature table's values: their
// squares, summed over a million customers, stay finite.
const MaxFeatureValue = 1e100

// CheckValue returns FromColumns' error for value v of column name,
// customer id, row (from 1) when it is not finite (NaN: an empty cell,
// pipeline.FeatureColumnsOf) or beyond ±MaxFeatureValue, else nil.
func CheckValue(name, id string, row int, v float64) error {
	switch {
	case math.IsNaN(v):
		return fmt.Errorf("features: column %q, customer %s (row %d): the value is empty or NaN; a feature table needs a finite number in every cell (write 0 where 0 is meant)", name, data.QuoteCell(id), row)
	case math.IsInf(v, 0):
		return fmt.Errorf("features: column %q, customer %s (row %d): value %v is not finite", name, data.QuoteCell(id), row, v)
	case math.Abs(v) > MaxFeatureValue:
		return fmt.Errorf("features: column %q, customer %s (row %d): value %v is beyond ±%g: segment squares feature values (variances, distances), which would overflow; rescale the column", name, data.QuoteCell(id), row, v, MaxFeatureValue)
	}
	return nil
}
