package report

import (
	"fmt"
	"slices"
	"strings"
)

// CommonValue is the most common value of a customer attribute (city,
// country, channel) among a cluster's customers.
type CommonValue struct {
	Attribute string  // "city", "country", "channel"
	Value     string  // "" when no customer of the cluster has a value
	Share     float64 // customers with Value / the cluster's customers
}

// writeCommonValues writes, after the segment profiles, a table of each
// segment's most common city, country and channel with its share of the
// segment's customers. Attributes are listed in the order of the first
// cluster that has them; nothing is written when no cluster has any.
func writeCommonValues(b *strings.Builder, r *Run) {
	var attrs []string
	for _, c := range r.Clusters {
		for _, v := range c.Common {
			if !slices.Contains(attrs, v.Attribute) {
				attrs = append(attrs, v.Attribute)
			}
		}
	}
	if len(attrs) == 0 {
		return
	}
	fmt.Fprintf(b, "### %s by segment\n\n", title(joinWords(attrs)))
	b.WriteString("The most common value in each segment, with the share of the segment's customers who have it " +
		"(a customers table's value first, else the value of most of the customer's orders).\n\n")
	b.WriteString("| Cluster | Segment |")
	align := "|---:|---|"
	for _, a := range attrs {
		fmt.Fprintf(b, " %s |", mdText(title(a)))
		align += "---|"
	}
	b.WriteString("\n" + align + "\n")
	for _, c := range r.Clusters {
		fmt.Fprintf(b, "| %d | %s |", c.ID, mdText(c.Name))
		for _, a := range attrs {
			cell := "–"
			for _, v := range c.Common {
				if v.Attribute == a && v.Value != "" {
					cell = fmt.Sprintf("%s (%s)", mdText(v.Value), formatPercent(v.Share))
				}
			}
			fmt.Fprintf(b, " %s |", cell)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// joinWords joins words as "a, b and c".
func joinWords(w []string) string {
	if len(w) <= 1 {
		return strings.Join(w, "")
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}

// title returns an attribute name with an upper-case first letter (the
// names are ASCII).
func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
