package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Period is the data period of the run: the dates of the first and the
// last order counted (zero when unknown, as for a feature table).
type Period struct{ First, Last time.Time }

// money formats an amount with the run's currency, when one is set.
func (r *Run) money(v float64) string {
	if r.Currency == "" {
		return formatNumber(v)
	}
	return formatNumber(v) + " " + r.Currency
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
	if len(r.Clusters) > 0 {
		var revenue float64
		var customers int
		for _, c := range r.Clusters {
			revenue += c.Revenue
			customers += c.Size
		}
		order := slices.Clone(r.Clusters)
		slices.SortStableFunc(order, func(a, b Cluster) int { return cmp.Compare(b.Revenue, a.Revenue) })
		b.WriteString("- **Act first on** the three segments with the most revenue (shares of the clustered customers and of their revenue):\n")
		for _, c := range order[:min(3, len(order))] {
			act := c.Action
			if i := strings.Index(act, ". "); i > 0 {
				act = act[:i+1]
			}
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
