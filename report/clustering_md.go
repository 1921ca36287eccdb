package report

import (
	"fmt"
	"strings"
)

// Clustering says who was clustered and on what: the customers left out
// and why, the features left out and why, and how outliers were kept from
// owning a segment.
type Clustering struct {
	Customers    int // customers with orders (and prospects) in the run
	Clustered    int // customers clustered
	NotClustered []ReasonCount
	Excluded     []ExcludedFeature
	// ClipShare is the share of customers at each tail whose values were
	// clipped to the quantile (winsorised) before clustering; Clipped the
	// number of clustered customers with at least one clipped value.
	ClipShare float64
	Clipped   int
	MinShare  float64 // clustering.min_share
	// WindowDays is features.window_days (0: all history): buyers are
	// those with a purchase in the window.
	WindowDays int
	MinSize    int    // the fewest customers a segment may hold
	KNote      string // why k differs from the one asked for, or ""
}

// ReasonCount is a number of customers left out of the clustering for
// one reason.
type ReasonCount struct {
	ID, About string
	Customers int
}

// ExcludedFeature is a feature of clustering.use that was not clustered.
type ExcludedFeature struct{ Name, Reason string }

// writeClustering writes the "Who is clustered" section.
func writeClustering(b *strings.Builder, r *Run) {
	c := r.Clustering
	if c == nil {
		return
	}
	b.WriteString("## Who is clustered\n\n")
	window := ""
	if c.WindowDays > 0 {
		window = fmt.Sprintf(" in the window (the last %d days: `features.window_days`)", c.WindowDays)
	}
	fmt.Fprintf(b, "Only buyers are clustered: customers with at least one order of positive net value and a positive net spend%s. "+
		"**%s of the %s customers** (%s) are clustered.", window, FormatInt(int64(c.Clustered)), FormatInt(int64(c.Customers)),
		formatPercent(fraction(float64(c.Clustered), float64(c.Customers))))
	if len(c.NotClustered) == 0 {
		b.WriteString(" Every customer is a buyer.\n\n")
	} else {
		b.WriteString(" The others keep their RFM segment and groups, with cluster −1 and the reason in the `not_clustered` column:\n\n")
		b.WriteString("| Not clustered | Customers | Share of all customers |\n|---|---:|---:|\n")
		for _, n := range c.NotClustered {
			fmt.Fprintf(b, "| `%s`: %s | %s | %s |\n", mdCode(n.ID), mdText(n.About), FormatInt(int64(n.Customers)),
				formatPercent(fraction(float64(n.Customers), float64(c.Customers))))
		}
		b.WriteString("\n")
	}
	if len(c.Excluded) > 0 {
		b.WriteString("Features of `clustering.use` left out of the clustering, because they say nothing about these customers:\n\n")
		for _, e := range c.Excluded {
			fmt.Fprintf(b, "- `%s`: %s.\n", mdCode(e.Name), mdText(e.Reason))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "Outliers do not become segments: no segment may hold fewer than %s of the clustered customers (%s, `clustering.min_share`); "+
		"the elbow only considers numbers of segments that respect it.", formatPercent(c.MinShare), customersCount(c.MinSize))
	if c.ClipShare > 0 {
		fmt.Fprintf(b, " Before clustering, each feature's values beyond its %s and %s quantiles were clipped to them (winsorised), "+
			"so a few extreme customers cannot pull a segment of their own: %s (%s of the clustered customers) had at least one value clipped; "+
			"their own values are unchanged everywhere else in this report.",
			formatPercent(c.ClipShare), formatPercent(1-c.ClipShare), customersCount(c.Clipped),
			formatPercent(fraction(float64(c.Clipped), float64(c.Clustered))))
	}
	b.WriteString("\n\n")
	if c.KNote != "" {
		fmt.Fprintf(b, "%s\n\n", mdText(c.KNote))
	}
}

// customersCount is "1 customer" or "n customers".
func customersCount(n int) string {
	if n == 1 {
		return "1 customer"
	}
	return FormatInt(int64(n)) + " customers"
}
