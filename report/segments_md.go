package report

import (
	"fmt"
	"strconv"
	"strings"
)

// Concentration describes how revenue spreads over customers.
type Concentration struct {
	Buyers     int     // customers with at least one purchase
	RepeatRate float64 // share of buyers with two purchases or more
	TopShares  []TopShare
	Plot       *Plot // the Pareto curve, or nil
}

// TopShare is the revenue share of the top Share of customers by spend.
type TopShare struct {
	Share        float64 // e.g. 0.05 for the top 5 %
	RevenueShare float64
	// Customers is the number of customers in it (⌈Share × Of⌉) and Of
	// the number ranked; 0 when not known.
	Customers, Of int
}

// RFMSection is the RFM part of the report.
type RFMSection struct {
	Segments   []RFMSegment // in the order to list them
	Cuts       [3][]float64 // R (recency_days), F (frequency), M (monetary): four cut points each
	FrozenFrom string       // the model the cuts were frozen from; "" when fitted on this run
	Collapsed  []string     // one sentence per letter whose scores collapsed
	Plots      []Plot       // grid heat maps, share plot

	// RFixedDays reports that Cuts[0] are fixed days (rfm.recency_days),
	// not quintile cuts; RecencyNote lists the segments described as
	// recent whose customers stopped buying, or is nil.
	RFixedDays  bool
	RecencyNote *RecencyNote
}

// RFMSegment is one RFM segment's row.
type RFMSegment struct {
	ID, Definition, Action string
	Customers              int
	Orders                 float64 // purchases of its customers
	Revenue                float64
	// Medians over the segment's customers (NaN when it is empty).
	MedianRecency, MedianFrequency, MedianMonetary float64
}

// GroupRow is one rule-based group's row.
type GroupRow struct {
	ID, Definition, Action string
	Needs                  string // not empty: the group was not computed, for lack of this
	Custom                 bool
	Members                int
	Revenue                float64
}

// Crosstab counts customers per cluster (rows) and RFM segment (columns).
type Crosstab struct {
	Rows, Cols []string
	Counts     [][]int
	// RowNames and ColNames, when not nil, are the rows' and columns'
	// names for a reader (a cluster's name where Rows and Cols hold
	// keys), in their order; nil: the labels themselves, as code.
	RowNames, ColNames []string
}

// RowLabels returns the names of x's rows (RowNames), or their labels
// without names.
func (x *Crosstab) RowLabels() []string {
	if x.RowNames != nil {
		return x.RowNames
	}
	return x.Rows
}

// ColLabels returns the names of x's columns (ColNames), or their labels
// without names.
func (x *Crosstab) ColLabels() []string {
	if x.ColNames != nil {
		return x.ColNames
	}
	return x.Cols
}

// Setting is one threshold or option, for the appendix.
type Setting struct {
	Key, Value, Meaning string
}

// writeConcentration appends the revenue concentration to the summary.
func writeConcentration(b *strings.Builder, r *Run) {
	c := r.Concentration
	if c == nil {
		return
	}
	fmt.Fprintf(b, "%s of the %s buyers bought more than once (the repeat rate).", formatPercent(c.RepeatRate), FormatInt(int64(c.Buyers)))
	if len(c.TopShares) > 0 {
		b.WriteString(" Revenue is concentrated:")
		for i, t := range c.TopShares {
			sep := ","
			if i == len(c.TopShares)-1 {
				sep = "."
			}
			who := "of customers"
			switch {
			case t.Of > 0 && i == 0:
				noun := "customers"
				if t.Customers == 1 {
					noun = "customer"
				}
				who = fmt.Sprintf("of the %s customers by spend (%s %s)", FormatInt(int64(t.Of)), FormatInt(int64(t.Customers)), noun)
			case t.Of > 0:
				who = fmt.Sprintf("(%s)", FormatInt(int64(t.Customers)))
			}
			fmt.Fprintf(b, " the top %s %s bring %s of revenue%s", trimFloat(100*t.Share, 2)+"%", who, formatPercent(t.RevenueShare), sep)
		}
		// The groups of the same names count otherwise: a reader comparing
		// 473 here with 471 in the groups table must not suspect an error.
		b.WriteString(" These rank all customers by spend; the `top20`, `vip_top5` and `elite_top1` groups count the buyers " +
			"whose spend is above the quantile, so their counts can differ from these.")
	}
	b.WriteString("\n\n")
	if c.Plot != nil {
		writeInlinePlot(b, *c.Plot)
	}
}

// writeRFM writes the RFM section.
func writeRFM(b *strings.Builder, r *Run) {
	s := r.RFM
	if s == nil {
		return
	}
	b.WriteString("## RFM segments\n\n")
	scored := "Scores come from the quintile cut points of the values"
	if s.RFixedDays {
		scored = "R comes from fixed days (below), F and M from the quintile cut points of the values"
	}
	b.WriteString("Every customer gets three scores from 1 to 5: **R**ecency (5 = bought most recently), " +
		"**F**requency and **M**onetary (5 = most orders, most spend). " + scored + ", so customers with equal values " +
		"always get equal scores. The segment follows from R and FM = ⌊(F + M) / 2⌋ on the standard 5 × 5 grid; " +
		"customers without a purchase are prospects.\n\n")
	writeRFMCuts(b, s)
	for _, c := range s.Collapsed {
		fmt.Fprintf(b, "- %s\n", mdText(c))
	}
	if len(s.Collapsed) > 0 {
		b.WriteString("\n")
	}
	customers, revenue := r.totals()
	b.WriteString("| Segment | Customers | Share of all customers | Revenue | Share of all revenue | Revenue per order (AOV) | Median recency (days) | Median orders | Median spend |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, g := range s.Segments {
		aov := fraction(g.Revenue, g.Orders)
		fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n", mdCode(g.ID), FormatInt(int64(g.Customers)),
			formatPercent(fraction(float64(g.Customers), float64(customers))), formatNumber(g.Revenue),
			formatPercent(fraction(g.Revenue, revenue)), formatMoney(aov),
			formatNumber(g.MedianRecency), formatNumber(g.MedianFrequency), formatMoney(g.MedianMonetary))
	}
	b.WriteString("\n")
	writeRecencyNote(b, s)
	b.WriteString("What each segment means and what to do with it:\n\n")
	for _, g := range s.Segments {
		fmt.Fprintf(b, "- `%s`: %s. **Action:** %s.\n", mdCode(g.ID), mdText(g.Definition), mdText(g.Action))
	}
	b.WriteString("\n")
	for _, p := range s.Plots {
		writeInlinePlot(b, p)
	}
}

// writeGroups writes the groups table.
func writeGroups(b *strings.Builder, r *Run) {
	if len(r.Groups) == 0 {
		return
	}
	customers, revenue := r.totals()
	b.WriteString("## Groups\n\n")
	b.WriteString("Rule-based groups from the marketing playbook, plus the custom groups of the config. " +
		"A customer can be in several groups. Each group is a boolean column of the assignments, named as below.\n\n")
	b.WriteString("| Group | Customers | Share of all customers | Share of all revenue | Definition | Action |\n|---|---:|---:|---:|---|---|\n")
	for _, g := range r.Groups {
		if g.Needs != "" {
			fmt.Fprintf(b, "| `%s` | – | – | – | not computed: needs %s | %s |\n", mdCode(g.ID), mdText(g.Needs), mdText(g.Action))
			continue
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s | %s |\n", mdCode(g.ID), FormatInt(int64(g.Members)),
			formatPercent(fraction(float64(g.Members), float64(customers))), formatPercent(fraction(g.Revenue, revenue)),
			mdText(g.Definition), mdText(g.Action))
	}
	b.WriteString("\n")
}

// totals returns the customers and revenue summed over the RFM segments
// (every customer, prospects included), or the Quality totals without an
// RFM section.
func (r *Run) totals() (customers int, revenue float64) {
	if r.RFM == nil {
		return r.Quality.Customers, r.Quality.Revenue
	}
	for _, g := range r.RFM.Segments {
		customers += g.Customers
		revenue += g.Revenue
	}
	return customers, revenue
}

// writeCrosstab writes the cluster × RFM segment table.
func writeCrosstab(b *strings.Builder, r *Run) {
	x := r.Crosstab
	if x == nil || len(x.Rows) == 0 {
		return
	}
	b.WriteString("### Clusters and RFM segments\n\nCustomers of each cluster (rows) by RFM segment (columns).\n\n| Cluster |")
	align := "|---|"
	for _, c := range x.Cols {
		fmt.Fprintf(b, " `%s` |", mdCode(c))
		align += "---:|"
	}
	b.WriteString("\n" + align + "\n")
	for i, name := range x.Rows {
		fmt.Fprintf(b, "| %s |", mdText(name))
		for _, n := range x.Counts[i] {
			fmt.Fprintf(b, " %s |", FormatInt(int64(n)))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// writeAppendix lists the thresholds and options in force.
func writeAppendix(b *strings.Builder, r *Run) {
	if len(r.Settings) == 0 {
		return
	}
	b.WriteString("## Appendix: thresholds and options\n\n| Key | Value | Meaning |\n|---|---|---|\n")
	for _, s := range r.Settings {
		fmt.Fprintf(b, "| `%s` | %s | %s |\n", mdCode(s.Key), mdText(s.Value), mdText(s.Meaning))
	}
	b.WriteString("\n")
}

// writeInlinePlot embeds one plot where the text discusses it.
func writeInlinePlot(b *strings.Builder, p Plot) {
	link, _ := plotLink(p.Path) // checked by validate
	fmt.Fprintf(b, "![%s](%s)\n\n", mdText(p.Title), link)
	if p.Caption != "" {
		fmt.Fprintf(b, "%s\n\n", mdText(p.Caption))
	}
}

// joinNumbers formats cut points as "1 · 2 · 3 · 4".
func joinNumbers(v []float64) string {
	if len(v) == 0 {
		return "–"
	}
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strings.Join(parts, " · ")
}
