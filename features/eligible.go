package features

import "slices"

// Reasons a customer is not clustered, as the not_clustered column of the
// assignments and run.json name them. A customer is clustered only when
// they are a buyer: at least one order of positive net value (frequency ≥
// 1) and a positive net spend (monetary > 0). Everyone else still gets RFM
// scores and groups.
const (
	// NotClusteredProspect: no order at all (known from the customers or
	// events table).
	NotClusteredProspect = "prospect"
	// NotClusteredZeroValue: orders, but none of positive net value and no
	// net refund (free or fully discounted orders only).
	NotClusteredZeroValue = "zero_value_orders_only"
	// NotClusteredReturnsOnly: no order of positive net value, and a
	// negative net spend: the customer only returned or cancelled.
	NotClusteredReturnsOnly = "returns_only"
	// NotClusteredReturnsExceed: orders of positive net value, but returns
	// and cancellations equal or exceed them (monetary ≤ 0).
	NotClusteredReturnsExceed = "returns_exceed_purchases"
	// NotClusteredBeforeWindow: purchases, but none in the window
	// (features.window_days): frequency and monetary, which the window
	// limits, are 0.
	NotClusteredBeforeWindow = "no_purchase_in_window"
)

// NotClusteredReasons lists the reasons in the order the report gives
// them, with a plain-language description of each.
var NotClusteredReasons = []struct{ ID, About string }{
	{NotClusteredProspect, "no order yet (customers or events table only)"},
	{NotClusteredZeroValue, "orders of zero net value only"},
	{NotClusteredReturnsOnly, "only returns or cancellations"},
	{NotClusteredReturnsExceed, "returns and cancellations equal or exceed their purchases (net spend ≤ 0)"},
	{NotClusteredBeforeWindow, "purchases only before the window (features.window_days)"},
}

// NotClustered returns, for each row of t, why the customer is not
// clustered, or "" for a buyer, who is. A table without a frequency or a
// monetary column (a feature table read with -features) has no notion of
// purchase for that column: only the columns present are checked, and a
// table with neither clusters every customer.
func NotClustered(t *Table) []string {
	freq, mon, ever := t.Col(Frequency), t.Col(Monetary), t.Col(LifetimeFrequency)
	reasons := make([]string, t.N())
	for i := range reasons {
		switch {
		case freq != nil && freq[i] < 1 && ever != nil && ever[i] >= 1:
			reasons[i] = NotClusteredBeforeWindow
		case freq != nil && freq[i] < 1 && mon != nil && mon[i] < 0:
			reasons[i] = NotClusteredReturnsOnly
		case freq != nil && freq[i] < 1:
			reasons[i] = NotClusteredZeroValue
		case mon != nil && mon[i] <= 0:
			reasons[i] = NotClusteredReturnsExceed
		}
	}
	return reasons
}

// Rows returns a copy of t holding only the given rows, in the given order
// (which must be increasing to keep IDs sorted). The table-wide counts
// (Orders, Purchases, Revenue, MedianOrder, Lines) are those of t. Given
// every row, it shares t's columns (no table is changed once made).
func (t *Table) Rows(rows []int) *Table {
	if !slices.IsSorted(rows) {
		panic("features: Table.Rows: rows are not increasing")
	}
	u := *t
	if len(rows) == t.N() { // every row, in order: tables are not changed once made, so share the columns
		u.Cols = slices.Clone(t.Cols)
		return &u
	}
	u.IDs = make([]string, len(rows))
	for k, i := range rows {
		u.IDs[k] = t.IDs[i]
	}
	u.Cols = make([][]float64, len(t.Cols))
	for j, col := range t.Cols {
		c := make([]float64, len(rows))
		for k, i := range rows {
			c[k] = col[i]
		}
		u.Cols[j] = c
	}
	u.TopCategory = spreadStrings(t.TopCategory, rows)
	u.City, u.Country, u.Channel = spreadStrings(t.City, rows), spreadStrings(t.Country, rows), spreadStrings(t.Channel, rows)
	return &u
}

// EverBought returns each customer's purchases over all history: the
// lifetime_frequency column when features.window_days limits frequency
// to the window, else frequency; nil when t has neither (a feature
// table without them). A customer with none is a prospect (no RFM
// scores, registered_lead); one who bought only before the window is
// not.
func (t *Table) EverBought() []float64 {
	if c := t.Col(LifetimeFrequency); c != nil {
		return c
	}
	return t.Col(Frequency)
}
