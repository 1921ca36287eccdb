package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Quality counts what happened to the input rows: each row read is used,
// rejected, or an order line dated on or after AsOf (valid, but left out of
// the analysis), so RowsRead = RowsUsed + RowsRejected + LinesAfterAsOf.
type Quality struct {
	RowsRead, RowsUsed, RowsRejected int64
	RejectsByReason                  map[string]int64
	LinesAfterAsOf                   int64 // order lines on or after AsOf, left out, not rejected
	Customers, Orders                int
	Revenue                          float64 // net revenue of the used rows
	RevenueExcluded                  float64 // net amount of the rejected rows whose amount could be read
	PurchasesExcluded                float64 // of it, the rows of a positive amount
	NegativeDiscounts                int64   // lines used whose negative discount was read as its magnitude
	// Repeated counts the rows used that repeat an earlier row exactly,
	// duplicates kept (orders.duplicates: keep); estimated from a sample
	// of the orders when RepeatedEstimated.
	Repeated          int64
	RepeatedEstimated bool
	RefundOrders      int     // orders with a refund (orders.columns.refunded) taken off their net…
	Refunded          float64 // …and the Σ taken off
	// NotPurchases are the orders of a net value of zero or less (returned,
	// cancelled or free in full): Orders counts purchases only.
	NotPurchases int
	// UnmatchedProducts are the order lines whose product the products
	// table lacks.
	UnmatchedProducts int64
	// PartlyAbsent maps the optional order columns some input files had
	// and others lacked to the files that lacked them; Files is the
	// number of input files.
	PartlyAbsent map[string][]string
	Files        int
	// DateGap, when not nil, says that the newest order lines lie long
	// after the rest while the analysis date follows them.
	DateGap *DateGap
	// IDMismatches are the joined tables (customers, events) that share no
	// customer id with the order lines.
	IDMismatches []IDMismatch
}

// IDMismatch is a customers or events table none of whose ids is the id of
// a customer with orders.
type IDMismatch struct {
	Events                     bool   // the events table, else the customers table
	Table                      string // the table's path
	OrderExample, TableExample string
	LeadingZeros               bool // the ids match once leading zeros are dropped
}

// sentence describes the mismatch and what to do about it.
func (m *IDMismatch) sentence() string {
	what, lost := "customers", "none of its columns (e-mail, city, …) reached a buyer and each of its rows counts as a prospect"
	if m.Events {
		what, lost = "events", "no buyer got its events (cart abandoners, browsers) and each of its customers counts as a prospect"
	}
	s := fmt.Sprintf("no customer id of the %s table (%s) is the id of a customer with orders (the orders have ids such as %q, the table %q), so %s.",
		what, m.Table, m.OrderExample, m.TableExample, lost)
	if m.LeadingZeros {
		s += " The ids match once leading zeros are dropped: one file writes them as numbers, the other as text; write both alike."
	} else {
		s += " Map the column that holds the same ids as the orders as the table's customer id in the config, or write both alike."
	}
	return s
}

// excludedReason starts the reject reasons of the lines orders.exclude
// leaves out (data.ExcludedStatus, data.ExcludedProduct).
const excludedReason = "excluded by orders.exclude."

// otherTable reports whether a reject reason is of a table other than the
// order lines ("customers: …", "events: …").
func otherTable(reason string) bool {
	return strings.HasPrefix(reason, "customers: ") || strings.HasPrefix(reason, "events: ")
}

// writeQuality writes the data quality section: the rows read, used,
// rejected (by reason) and dated on or after the analysis date.
func writeQuality(b *strings.Builder, r *Run) {
	q := r.Quality
	b.WriteString("## Data quality\n\n")
	share := func(n int64) string {
		if q.RowsRead == 0 {
			return "–"
		}
		return formatPercent(float64(n) / float64(q.RowsRead))
	}
	b.WriteString("| Rows | Count | Share of rows read |\n|---|---:|---:|\n")
	fmt.Fprintf(b, "| Read | %s | %s |\n", FormatInt(q.RowsRead), share(q.RowsRead))
	fmt.Fprintf(b, "| Used | %s | %s |\n", FormatInt(q.RowsUsed), share(q.RowsUsed))
	if q.LinesAfterAsOf > 0 {
		fmt.Fprintf(b, "| On or after the analysis date | %s | %s |\n", FormatInt(q.LinesAfterAsOf), share(q.LinesAfterAsOf))
	}
	fmt.Fprintf(b, "| Rejected | %s | %s |\n\n", FormatInt(q.RowsRejected), share(q.RowsRejected))

	if len(q.RejectsByReason) > 0 {
		reasons := make([]string, 0, len(q.RejectsByReason))
		for k := range q.RejectsByReason {
			reasons = append(reasons, k)
		}
		// Most frequent first; ties by name so the order is stable.
		slices.SortFunc(reasons, func(a, c string) int {
			return cmp.Or(cmp.Compare(q.RejectsByReason[c], q.RejectsByReason[a]), strings.Compare(a, c))
		})
		b.WriteString("Rejected rows by reason (each rejected row is kept, with its reason, in the rejects file):\n\n")
		b.WriteString("| Reason | Rows | Share of rows read |\n|---|---:|---:|\n")
		otherTables := false
		for _, k := range reasons {
			pct := share(q.RejectsByReason[k])
			if otherTable(k) {
				pct, otherTables = "–", true
			}
			fmt.Fprintf(b, "| %s | %s | %s |\n", mdText(k), FormatInt(q.RejectsByReason[k]), pct)
		}
		b.WriteString("\n")
		if otherTables {
			b.WriteString("Rows read are order lines; the rejected rows of the customers and events tables are counted apart, without a share of them.\n\n")
		}
	} else if q.RowsRejected == 0 {
		b.WriteString("No row was rejected.\n\n")
	}

	if q.RowsRejected > 0 {
		fmt.Fprintf(b, "The rejected rows amount to %s of net revenue", formatNumber(q.RevenueExcluded))
		if credits := q.RevenueExcluded - q.PurchasesExcluded; q.PurchasesExcluded > 0 && credits < 0 {
			// Returns and credits among them would hide the sales lost.
			fmt.Fprintf(b, " (%s of purchases, %s of returns and credits)", formatNumber(q.PurchasesExcluded), formatNumber(credits))
		}
		b.WriteString(", left out of every figure below")
		if total := q.Revenue + q.RevenueExcluded; total != 0 {
			fmt.Fprintf(b, " (%s of the revenue read)", formatPercent(q.RevenueExcluded/total))
		}
		b.WriteString(".\n\n")
	}

	switch n := q.NegativeDiscounts; {
	case n == 1:
		b.WriteString("**Discounts:** 1 order line carries a negative discount, read as the amount taken off (its magnitude); check the discount column if that line should have raised the price instead.\n\n")
	case n > 1:
		fmt.Fprintf(b, "**Discounts:** %s order lines carry a negative discount, read as the amount taken off (its magnitude): some exports write discounts negative; check the discount column if these lines should have raised the price instead.\n\n", FormatInt(n))
	}
	if n := q.Repeated; n > 0 {
		rows, verb, about := "rows", "repeat", ""
		if n == 1 {
			rows, verb = "row", "repeats"
		}
		if q.RepeatedEstimated {
			about = "About "
		}
		fmt.Fprintf(b, "**Repeated rows:** %s%s %s (%s of the rows read) %s an earlier row exactly", about, FormatInt(n), rows, share(n), verb)
		if q.RepeatedEstimated {
			b.WriteString(" (estimated from a sample of the orders)")
		}
		each := "each was"
		if n == 1 {
			each = "it was"
		}
		fmt.Fprintf(b, ", and %s counted, its amount and quantity added to its order (`orders.duplicates: keep`, the default: two identical rows can be two purchases of one item on one day). "+
			"If the export repeats rows (files concatenated, an export appended twice), set `orders.duplicates: drop`.\n\n", each)
	}
	if n := q.RefundOrders; n > 0 {
		orders := "orders had"
		if n == 1 {
			orders = "order had"
		}
		fmt.Fprintf(b, "**Refunds:** %s %s a refund (the refunded column): %s in all, taken off their net value, each at most the order's value, and counted as returned (return_rate); an order refunded in full counts as no purchase.\n\n",
			FormatInt(int64(n)), orders, formatMoney(q.Refunded))
	}
	switch n := q.NotPurchases; {
	case n == 1:
		fmt.Fprintf(b, "**Orders:** 1 order of a net value of zero or less (returned, cancelled or free in full) counts as no purchase: "+
			"the %s orders of the summary are purchases.\n\n", FormatInt(int64(q.Orders)))
	case n > 1:
		fmt.Fprintf(b, "**Orders:** %s orders of a net value of zero or less (returned, cancelled or free in full) count as no purchase: "+
			"the %s orders of the summary are purchases.\n\n", FormatInt(int64(n)), FormatInt(int64(q.Orders)))
	}
	switch n := q.UnmatchedProducts; {
	case n == 1:
		b.WriteString("**Products:** 1 order line has a product the products table lacks: it counts in every figure, " +
			"without the table's category, price tier or launch time.\n\n")
	case n > 1:
		fmt.Fprintf(b, "**Products:** %s order lines have a product the products table lacks: they count in every figure, "+
			"without the table's category, price tier or launch time.\n\n", FormatInt(n))
	}
	for _, col := range slices.Sorted(maps.Keys(q.PartlyAbsent)) {
		files := q.PartlyAbsent[col]
		fmt.Fprintf(b, "**Columns:** `%s` is missing from %s of the %s input files (%s): their lines have no %s.\n\n",
			col, FormatInt(int64(len(files))), FormatInt(int64(q.Files)), mdText(joinFirst(files, 3)), strings.ReplaceAll(col, "_", " "))
	}
	for _, m := range q.IDMismatches {
		b.WriteString("**Customer ids:** " + mdText(m.sentence()) + "\n\n")
	}
	if g := q.DateGap; g != nil {
		b.WriteString("**Dates:** " + mdText(g.sentence()) + "\n\n")
	}
	switch q.LinesAfterAsOf {
	case 0:
		b.WriteString("No order line is dated on or after the analysis date.\n\n")
	case 1:
		fmt.Fprintf(b, "1 order line dated on or after the analysis date (%s of rows read) was left out: "+
			"the analysis only counts orders placed before it. It is not an error and is not in the rejects file.\n\n",
			share(1))
	default:
		fmt.Fprintf(b, "%s order lines dated on or after the analysis date (%s of rows read) were left out: "+
			"the analysis only counts orders placed before it. They are not errors and are not in the rejects file.\n\n",
			FormatInt(q.LinesAfterAsOf), share(q.LinesAfterAsOf))
	}
}

// DateGap is a gap of more than a year before the newest order lines, with
// the analysis date defaulted to the day after them: likely a mistyped date
// that makes every customer look lapsed.
type DateGap struct {
	Days int // the days with lines after the gap
	// Newest is the newest line's time, First a time of the oldest day
	// after the gap, Before the newest line's before the gap.
	Newest, First, Before time.Time
	AsOf                  time.Time
}

// sentence describes the gap and what to do about it.
func (g *DateGap) sentence() string {
	days := FormatInt((g.First.Unix() - g.Before.Unix()) / 86400) // not Sub: it stops at 292 years
	what := "the newest order line is dated " + g.Newest.Format(time.DateOnly)
	if g.Days > 1 {
		what = fmt.Sprintf("the order lines of the %d newest days (%s to %s)", g.Days, g.First.Format(time.DateOnly), g.Newest.Format(time.DateOnly))
	}
	return fmt.Sprintf("%s, %s days after every other line (the newest of them dated %s), and the analysis date follows it (%s): "+
		"every customer's recency is counted from then. If that date is a mistake, correct it, or set the analysis date (as_of, -as-of) and run again.",
		what, days, g.Before.Format(time.DateOnly), g.AsOf.Format(time.DateOnly))
}

// joinFirst joins the first n of names, then says how many more there are.
func joinFirst(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}
