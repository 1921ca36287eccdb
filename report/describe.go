package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxListed is the number of distinguishing features a segment's
// description lists at most.
const maxListed = 6

// writeProfiles writes the segment section: the profile table in raw
// units with the population as the last row, what the columns mean, and
// one plain-language description per segment.
func writeProfiles(b *strings.Builder, r *Run) {
	b.WriteString("## Segments\n\n")
	if len(r.Clusters) == 0 {
		b.WriteString("No segment was computed.\n\n")
		return
	}
	var customers int64
	var revenue float64
	for _, c := range r.Clusters {
		customers += int64(c.Size)
		revenue += c.Revenue
	}
	fmt.Fprintf(b, "Customers were grouped into %d segments of customers who buy alike. "+
		"The table gives each segment's size, its share of all customers and of all revenue, and the average "+
		"of each feature in the segment; the last row is the average over all customers. "+
		"A segment is described by the features where it is at least %s above or below that average.\n\n",
		len(r.Clusters), trimFloat(100*DefaultNameThreshold, 1)+"%")

	b.WriteString("| Cluster | Segment | Customers | Share | Revenue share |")
	align := "|---:|---|---:|---:|---:|"
	for _, f := range r.Features {
		info, _ := lookupFeature(f)
		fmt.Fprintf(b, " `%s`%s |", mdCode(f), unitSuffix(info.unit))
		align += "---:|"
	}
	b.WriteString("\n" + align + "\n")
	for _, c := range r.Clusters {
		fmt.Fprintf(b, "| %d | %s | %s | %s | %s |", c.ID, mdText(c.Name), formatInt(int64(c.Size)),
			formatPercent(fraction(float64(c.Size), float64(customers))), formatPercent(fraction(c.Revenue, revenue)))
		for j, f := range r.Features {
			fmt.Fprintf(b, " %s |", formatFeature(f, c.Mean[j], false))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "| | **All customers** | %s | 100.0%% | 100.0%% |", formatInt(customers))
	for j, f := range r.Features {
		fmt.Fprintf(b, " %s |", formatFeature(f, r.PopulationMean[j], false))
	}
	b.WriteString("\n\n")

	if len(r.Features) > 0 {
		b.WriteString("What the feature columns mean (averages per customer):\n\n")
		for _, f := range r.Features {
			info, _ := lookupFeature(f)
			fmt.Fprintf(b, "- `%s`: %s.\n", mdCode(f), mdText(info.about))
		}
		b.WriteString("\n")
	}

	for _, c := range r.Clusters {
		writeCluster(b, r, c, customers, revenue)
	}
}

// writeCluster writes one segment's description and suggested action.
func writeCluster(b *strings.Builder, r *Run, c Cluster, customers int64, revenue float64) {
	fmt.Fprintf(b, "### Cluster %d: %s\n\n", c.ID, mdText(c.Name))
	if c.Key != "" {
		fmt.Fprintf(b, "Key `%s` · ", mdCode(c.Key))
	}
	fmt.Fprintf(b, "%s customers (%s of all) · %s of revenue\n\n", formatInt(int64(c.Size)),
		formatPercent(fraction(float64(c.Size), float64(customers))), formatPercent(fraction(c.Revenue, revenue)))

	rel := RelativeTo(nil, c.Mean, r.PopulationMean)
	var listed []int
	for j, v := range rel {
		if !math.IsNaN(v) && math.Abs(v) >= DefaultNameThreshold {
			listed = append(listed, j)
		}
	}
	slices.SortStableFunc(listed, func(a, b int) int { return cmp.Compare(math.Abs(rel[b]), math.Abs(rel[a])) })
	switch {
	case len(listed) == 0:
		fmt.Fprintf(b, "No feature is %s or more away from the average: these customers are close to the typical customer in every respect.\n\n",
			trimFloat(100*DefaultNameThreshold, 1)+"%")
	default:
		b.WriteString("Compared with the average customer:\n\n")
		if len(listed) > maxListed {
			listed = listed[:maxListed]
		}
		for _, j := range listed {
			f := r.Features[j]
			info, _ := lookupFeature(f)
			fmt.Fprintf(b, "- %s: %s against %s on average (%s).\n", mdText(capitalize(info.about)),
				formatFeature(f, c.Mean[j], true), formatFeature(f, r.PopulationMean[j], true), formatSignedPercent(rel[j]))
		}
		b.WriteString("\n")
	}
	if c.RFMSegment != "" {
		fmt.Fprintf(b, "Most of its customers (%s) are in the RFM segment `%s`.\n\n", formatPercent(c.RFMShare), mdCode(c.RFMSegment))
	}
	act := c.Action
	if act == "" {
		act = action(r.Features, rel)
	}
	fmt.Fprintf(b, "**Suggested action:** %s\n\n", mdText(act))
}

// action returns the suggested action for the strongest trait that has
// one, or a generic one for segments without a distinctive trait.
func action(features []string, rel []float64) string {
	for _, t := range traits(features, rel, DefaultNameThreshold) {
		if t.action != "" {
			return t.action
		}
	}
	return "Keep them in the regular programme and use them as the control group when testing offers on other segments."
}

// ClusterAction is the recommended action of a cluster: the action of its
// strongest trait (as in the report's descriptions), followed by the
// action of its dominant RFM segment. A cluster without a distinctive
// trait gets the segment's action alone.
func ClusterAction(features []string, rel []float64, segment, segmentAction string) string {
	seg := fmt.Sprintf("As %s: %s.", strings.ReplaceAll(segment, "_", " "), segmentAction)
	for _, t := range traits(features, rel, DefaultNameThreshold) {
		if t.action != "" {
			return t.action + " " + capitalize(seg)
		}
	}
	return capitalize(seg)
}

// formatFeature formats a value of the named feature in its unit; with
// withUnit, day counts are followed by "days" (the table says the unit
// in its heading instead).
func formatFeature(name string, v float64, withUnit bool) string {
	info, _ := lookupFeature(name)
	switch info.unit {
	case share:
		return formatPercent(v)
	case days:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "–"
		}
		if withUnit {
			return formatNumber(v) + " days"
		}
		return formatNumber(v)
	default:
		return formatNumber(v)
	}
}

// unitSuffix is the unit note after a feature's column heading.
func unitSuffix(u unit) string {
	switch u {
	case days:
		return " (days)"
	case share:
		return " (%)"
	default:
		return ""
	}
}

// capitalize returns s with its first letter in upper case.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
