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
// units (medians, with the clustered population as the last row), what
// the columns mean, and one plain-language description per segment.
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
	fmt.Fprintf(b, "The %s clustered customers were grouped into %d segments of customers who buy alike. "+
		"The table gives each segment's size, its share of the clustered customers and of their revenue, and the median "+
		"customer of the segment on each feature (on a category's share `mix_…`, the segment's share of spend in the category, "+
		"since most customers' share of most categories is 0); the last row is the same over all clustered customers. "+
		"A segment's name and description use the features where its median customer is in the top or bottom third "+
		"of all clustered customers (see \"How segments are named\" below).\n\n",
		FormatInt(customers), len(r.Clusters))

	b.WriteString("| Cluster | Segment | Customers | Share of clustered customers | Share of their revenue |")
	align := "|---:|---|---:|---:|---:|"
	for _, f := range r.Features {
		info, _ := lookupFeature(f, "")
		fmt.Fprintf(b, " `%s`%s |", mdCode(f), unitSuffix(info.unit))
		align += "---:|"
	}
	b.WriteString("\n" + align + "\n")
	for _, c := range r.Clusters {
		fmt.Fprintf(b, "| %d | %s | %s | %s | %s |", c.ID, mdText(c.Name), FormatInt(int64(c.Size)),
			formatPercent(fraction(float64(c.Size), float64(customers))), formatPercent(fraction(c.Revenue, revenue)))
		for j, f := range r.Features {
			fmt.Fprintf(b, " %s |", formatFeature(f, profileValue(f, c.Stats.Median, c.Stats.Share, j), false))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "| | **All clustered customers** | %s | 100.0%% | 100.0%% |", FormatInt(customers))
	for j, f := range r.Features {
		fmt.Fprintf(b, " %s |", formatFeature(f, profileValue(f, r.Population.Median, r.Population.Share, j), false))
	}
	b.WriteString("\n\n")

	if len(r.Features) > 0 {
		b.WriteString("What the feature columns mean (the median customer of each row):\n\n")
		for j, f := range r.Features {
			info, _ := lookupFeature(f, r.Population.label(j))
			fmt.Fprintf(b, "- `%s`: %s.\n", mdCode(f), mdText(info.about))
		}
		b.WriteString("\n")
	}
	writeNamingRules(b)

	for _, c := range r.Clusters {
		writeCluster(b, r, c, customers, revenue)
	}
}

// profileValue is what the profile table gives of feature f (column j):
// the median, or for a category's share (mix_) the share of spend in the
// category when it is known.
func profileValue(f string, median, shares []float64, j int) float64 {
	if strings.HasPrefix(f, "mix_") && j < len(shares) && !math.IsNaN(shares[j]) {
		return shares[j]
	}
	return median[j]
}

// writeNamingRules explains how the names are made.
func writeNamingRules(b *strings.Builder) {
	fmt.Fprintf(b, "How segments are named: a word such as \"high-spend\" or \"small-basket\" means the segment's median customer "+
		"is in the top (or bottom) third of all clustered customers on that feature. Recency takes the first of these words that "+
		"applies: \"lapsed\" when most of the segment is in the `lapsed` group, \"inactive\" when most are idle or lapsed, "+
		"\"recent\" when most bought within the recent window (`bought_last_30d`) or the median customer is among the most recent "+
		"third, \"slipping\" when the median customer is among the least recent third but most are not yet idle or lapsed. "+
		"\"One-time\" means that most are one-time buyers and the median customer has fewer orders than "+
		"that of all clustered customers (where the typical customer buys once, it sets no segment apart); "+
		"\"category specialists (c)\" that category c holds more than %s of the segment's spend, more than of all clustered "+
		"customers' spend, and that the median customer is in the top third on c's share of spend. Up to three traits make a "+
		"name, the strongest first (a slipping segment always says so, and its action leads with the nudge back); "+
		"segments that would share a name are told apart by their next trait or by how they compare. "+
		"A scheduled run keeps a segment's previous name while every word of it still holds. "+
		"A team can rename a segment by its key (`clustering.names` in the config); the name follows the key across runs.\n\n",
		formatPercent(SpecialistShare))
}

// writeCluster writes one segment's description and suggested action.
func writeCluster(b *strings.Builder, r *Run, c Cluster, customers int64, revenue float64) {
	fmt.Fprintf(b, "### Cluster %d: %s\n\n", c.ID, mdText(c.Name))
	if c.Key != "" {
		fmt.Fprintf(b, "Key `%s` · ", mdCode(c.Key))
	}
	fmt.Fprintf(b, "%s customers (%s of clustered customers) · %s of their revenue\n\n", FormatInt(int64(c.Size)),
		formatPercent(fraction(float64(c.Size), float64(customers))), formatPercent(fraction(c.Revenue, revenue)))
	if c.RuleName != "" {
		fmt.Fprintf(b, "This name is the saved model's, given for the customers it was fitted on; on these customers the naming rules "+
			"give \"%s\" (`segment assign` keeps the model's names so that labels stay fixed; `segment run` names clusters "+
			"from their current customers).\n\n", mdText(c.RuleName))
	}
	if c.FreshName != "" {
		fmt.Fprintf(b, "This name is the previous run's: every word of it still holds on this run's numbers, so the segment "+
			"keeps it; ranking this run's traits afresh, the naming rules would call it \"%s\".\n\n", mdText(c.FreshName))
	}

	lines := distinctions(r, c)
	switch {
	case len(lines) == 0:
		b.WriteString("Its median customer is in the middle third of all clustered customers on every feature: these are typical customers.\n\n")
	default:
		b.WriteString("What sets it apart from the other clustered customers:\n\n")
		for _, l := range lines {
			fmt.Fprintf(b, "- %s\n", mdText(l))
		}
		b.WriteString("\n")
	}
	if c.RFMSegment != "" {
		// "Most" only for a majority; otherwise it is the largest part.
		format := "Most of its customers (%s) are in the RFM segment `%s`.\n\n"
		if !(c.RFMShare > Majority) {
			format = "Its most common RFM segment is `%[2]s` (%[1]s of its customers).\n\n"
		}
		fmt.Fprintf(b, format, formatPercent(c.RFMShare), mdCode(c.RFMSegment))
	}
	fmt.Fprintf(b, "**Suggested action:** %s\n\n", mdText(clusterAction(r, c)))
}

// distinctions are the description lines of a cluster: each feature on
// which its median customer is in the top or bottom third, each category
// that holds at least twice its share of all spend, and each group most of
// its customers are in, strongest first, at most maxListed.
func distinctions(r *Run, c Cluster) []string {
	type line struct {
		text     string
		strength float64
	}
	var ls []line
	p, st := r.Population, c.Stats
	for j, f := range r.Features {
		info, cat := lookupFeature(f, p.label(j))
		if strings.HasPrefix(f, "mix_") {
			share, pop := st.Share[j], p.Share[j]
			if math.IsNaN(share) || (share < 2*pop || share < 0.1) && !specialist(p, st, j) {
				continue // neither far above the population's share nor a name word
			}
			what := fmt.Sprintf("the %q category", cat)
			if cat == "" {
				what = "categories outside the top ones"
			}
			ls = append(ls, line{fmt.Sprintf("%s of its spend goes to %s, against %s of all clustered customers' spend.",
				formatPercent(share), what, formatPercent(pop)), math.Min(share-pop, 0.5)})
			continue
		}
		pos, med := st.Pos[j], st.Median[j]
		ties := 0.0 // customers with the median's value: neither below nor above it
		if j < len(st.Ties) && !math.IsNaN(st.Ties[j]) {
			ties = st.Ties[j]
		}
		var cmpWord string
		var beyond float64
		switch {
		case pos >= HighPosition && med > p.Median[j]:
			cmpWord, beyond = "higher than", pos-ties/2
		case pos <= LowPosition && med < p.Median[j]:
			cmpWord, beyond = "lower than", 1-pos-ties/2
		default:
			continue
		}
		ls = append(ls, line{fmt.Sprintf("%s: median %s, %s %s of clustered customers (their median: %s).",
			capitalize(info.about), formatFeature(f, med, true), cmpWord, formatPercent(beyond), formatFeature(f, p.Median[j], true)),
			math.Abs(pos - 0.5)})
	}
	for _, g := range []struct{ id, what string }{
		{GroupLapsed, "have not bought for a year or more (the lapsed group)"},
		{GroupIdle, "are idle (the idle group)"},
		{GroupRecent, "bought within the recent window (the bought_last_30d group)"},
		{GroupOneTime, "bought only once (the one_time_buyer group)"},
	} {
		share, ok := st.Groups[g.id]
		if !ok || share <= Majority {
			continue
		}
		ls = append(ls, line{fmt.Sprintf("%s of its customers %s, against %s of all clustered customers.",
			formatPercent(share), g.what, formatPercent(p.Groups[g.id])), math.Min(share-p.Groups[g.id], 0.5)})
	}
	slices.SortStableFunc(ls, func(a, b line) int { return cmp.Compare(b.strength, a.strength) })
	var out []string
	for _, l := range ls[:min(len(ls), maxListed)] {
		out = append(out, l.text)
	}
	return out
}

// segmentStance is the stance of each RFM segment's action.
var segmentStance = map[string]stance{
	"champions": active, "loyal_customers": active, "potential_loyalist": active,
	"new_customers": active, "promising": active,
	"at_risk": winBack, "cant_lose_them": winBack, "hibernating": winBack, "lost": winBack,
}

// clusterStance is the stance the groups most of a cluster's customers are
// in call for: win-back when most are idle or lapsed, active when most
// bought recently, neutral otherwise.
func clusterStance(c ClusterStats) stance {
	switch {
	case c.Groups[GroupLapsed]+c.Groups[GroupIdle] > Majority:
		return winBack
	case c.Groups[GroupRecent] > Majority:
		return active
	}
	return neutral
}

// valueLevel says what a cluster spent: 1 when its median customer's spend
// (monetary) is in the top third of all clustered customers and above
// their median, 2 in the bottom third and below it, else 0 (also when
// monetary is not among the features). It indexes winBackActions and reengageActions.
func valueLevel(p Population, c ClusterStats) int {
	j := slices.Index(p.Features, "monetary")
	if j < 0 || math.IsNaN(c.Pos[j]) || math.IsNaN(c.Median[j]) {
		return 0
	}
	switch {
	case c.Pos[j] >= HighPosition && c.Median[j] > p.Median[j]:
		return 1
	case c.Pos[j] <= LowPosition && c.Median[j] < p.Median[j]:
		return 2
	}
	return 0
}

// winBackFor returns the win-back action, or the re-engage action for a
// cluster idle more than lapsed, for a cluster of value level v.
func winBackFor(idle bool, v int) string {
	if idle {
		return reengageActions[v]
	}
	return winBackActions[v]
}

// formatFeature formats a value of the named feature in its unit; with
// withUnit, day counts are followed by "days" (the table says the unit
// in its heading instead).
func formatFeature(name string, v float64, withUnit bool) string {
	info, _ := lookupFeature(name, "")
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
	case money:
		return formatMoney(v)
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
