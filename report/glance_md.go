package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Period is the data period of the run: the dates of the first and the
// last order counted (zero when unknown, as for a feature table).
type Period struct{ First, Last time.Time }

// money formats an amount with the run's currency, when one is set.
func (r *Run) money(v float64) string {
	switch {
	case r.Currency == "":
		return formatMoney(v)
	case currencySign(r.Currency) && v < 0:
		return "-" + r.Currency + formatMoney(-v) // -$12.50
	case currencySign(r.Currency):
		return r.Currency + formatMoney(v) // $12,647, as the file wrote it
	}
	return formatMoney(v) + " " + r.Currency // 12,647 USD
}

// currencySign reports whether a currency is a sign written before the
// amount ($, €, £, R$: it holds a symbol), rather than a code or a word
// written after it (USD, kr, zł).
func currencySign(c string) bool {
	return strings.ContainsFunc(c, func(r rune) bool { return !unicode.IsLetter(r) })
}

// writeGlance writes the summary at the top of the report: who the
// customers are, where the revenue is, and the three segments to act on
// first, by their share of the clustered customers' revenue.
func writeGlance(b *strings.Builder, r *Run) {
	q := r.Quality
	b.WriteString("## In short\n\n")
	fmt.Fprintf(b, "- **Who:** %s customers with orders placed %s, %s of revenue", FormatInt(int64(q.Customers)),
		periodText(r.Period), r.money(q.Revenue))
	if q.Orders > 0 {
		fmt.Fprintf(b, " over %s orders (revenue per order: %s)", FormatInt(int64(q.Orders)), r.money(q.Revenue/float64(q.Orders)))
	}
	if r.WindowDays > 0 {
		fmt.Fprintf(b, " in the last %d days before %s (`features.window_days`: revenue, orders and spend count that window)", r.WindowDays, r.AsOf.Format(time.DateOnly))
	}
	b.WriteString(".")
	if c := r.Concentration; c != nil && c.Buyers > 0 {
		fmt.Fprintf(b, " %s of the %s buyers bought more than once.", formatPercent(c.RepeatRate), FormatInt(int64(c.Buyers)))
	}
	b.WriteString("\n")
	if c := r.Concentration; c != nil {
		for _, ts := range c.TopShares {
			if ts.Share == 0.2 {
				fmt.Fprintf(b, "- **Where the revenue is:** the top 20%% of customers by spend bring %s of all revenue.\n", formatPercent(ts.RevenueShare))
			}
		}
	}
	if q.RowsRejected > 0 && q.RowsRead > 0 {
		fmt.Fprintf(b, "- **Data:** %s of the %s rows read (%s) were rejected and left out of every figure",
			FormatInt(q.RowsRejected), FormatInt(q.RowsRead), formatPercent(float64(q.RowsRejected)/float64(q.RowsRead)))
		var excluded int64
		for reason, n := range q.RejectsByReason {
			if strings.HasPrefix(reason, excludedReason) {
				excluded += n
			}
		}
		if excluded > 0 {
			fmt.Fprintf(b, ", %s of them as orders.exclude asks", FormatInt(excluded))
		}
		b.WriteString("; see the data quality section.\n")
	}
	if g := q.DateGap; g != nil {
		b.WriteString("- **Check the dates first:** " + mdText(g.sentence()) + "\n")
	}
	for _, m := range q.IDMismatches {
		b.WriteString("- **Check the customer ids first:** " + mdText(m.sentence()) + "\n")
	}
	if len(r.Clusters) > 0 {
		var revenue float64
		var customers int
		for _, c := range r.Clusters {
			revenue += c.Revenue
			customers += c.Size
		}
		order := byRevenue(r.Clusters)
		b.WriteString("- **Act first on** the three segments with the most revenue (shares of the clustered customers and of their revenue):\n")
		for _, c := range order[:min(3, len(order))] {
			act := firstSentence(clusterAction(r, c))
			fmt.Fprintf(b, "  1. **%s**: %s of customers, %s of revenue. %s\n", mdText(c.Name),
				formatPercent(fraction(float64(c.Size), float64(customers))), formatPercent(fraction(c.Revenue, revenue)), mdText(act))
		}
	}
	b.WriteString("\n")
}

// periodText says when the orders were placed.
func periodText(p Period) string {
	if p.First.IsZero() || p.Last.IsZero() {
		return "before the analysis date"
	}
	return "from " + p.First.Format(time.DateOnly) + " to " + p.Last.Format(time.DateOnly)
}

// byRevenue returns the clusters sorted by revenue, most first (ties keep
// their order).
func byRevenue(clusters []Cluster) []Cluster {
	order := slices.Clone(clusters)
	slices.SortStableFunc(order, func(a, b Cluster) int { return cmp.Compare(b.Revenue, a.Revenue) })
	return order
}

// clusterAction returns the cluster's action, or the one its strongest
// trait suggests when none is set.
func clusterAction(r *Run, c Cluster) string {
	if c.Action != "" {
		return c.Action
	}
	return ClusterAction(r.Population, c.Stats, "", "", nil)
}

// firstSentence returns the first sentence of an action.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}

// writeOverview writes the segments at a glance, most revenue first: size,
// shares of the clustered customers and of their revenue, the median
// customer's spend and days since the last order (when they are profile
// features), and the first sentence of the action.
func writeOverview(b *strings.Builder, r *Run) {
	if len(r.Clusters) == 0 {
		return
	}
	var revenue float64
	var customers int
	for _, c := range r.Clusters {
		revenue += c.Revenue
		customers += c.Size
	}
	spend, recency := slices.Index(r.Features, "monetary"), slices.Index(r.Features, "recency_days")
	b.WriteString("## Segments at a glance\n\n")
	b.WriteString("The segments by their share of the clustered customers' revenue, most first. ")
	if spend >= 0 || recency >= 0 {
		over := "over the customer's history"
		if r.WindowDays > 0 {
			over = fmt.Sprintf("over the last %d days", r.WindowDays)
		}
		fmt.Fprintf(b, "Typical spend (%s) and days since the last order are those of the segment's median customer. ", over)
	}
	b.WriteString("Details of each segment follow below.\n\n")
	b.WriteString("| Segment | Customers | Share of clustered customers | Share of their revenue |")
	align := "|---|---:|---:|---:|"
	if spend >= 0 {
		if r.Currency != "" {
			fmt.Fprintf(b, " Typical spend (%s) |", mdText(r.Currency))
		} else {
			b.WriteString(" Typical spend |")
		}
		align += "---:|"
	}
	if recency >= 0 {
		b.WriteString(" Days since last order |")
		align += "---:|"
	}
	b.WriteString(" Action |\n" + align + "---|\n")
	for _, c := range byRevenue(r.Clusters) {
		fmt.Fprintf(b, "| **%s** | %s | %s | %s |", mdText(c.Name), FormatInt(int64(c.Size)),
			formatPercent(fraction(float64(c.Size), float64(customers))), formatPercent(fraction(c.Revenue, revenue)))
		if spend >= 0 {
			fmt.Fprintf(b, " %s |", formatMoney(c.Stats.Median[spend]))
		}
		if recency >= 0 {
			fmt.Fprintf(b, " %s |", formatDays(c.Stats.Median[recency]))
		}
		fmt.Fprintf(b, " %s |\n", mdText(firstSentence(clusterAction(r, c))))
	}
	b.WriteString("\n")
}

// formatDays formats a number of days: whole days, or a half day from a
// median of two: 2, 12.5, 474, 1,234.
func formatDays(v float64) string {
	if v >= 100 || math.IsNaN(v) || math.IsInf(v, 0) {
		return formatNumber(v)
	}
	return trimFloat(v, 1)
}
