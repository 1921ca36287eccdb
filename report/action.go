package report

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ClusterAction is the recommended action of a cluster: the action of its
// strongest trait that has one (the win-back trait first when most of the
// cluster is idle or lapsed; the slipping trait's nudge back, then the
// strongest other trait's action, when it is slipping), followed by the action of its
// dominant RFM segment. It never contradicts the groups most of its customers are
// in: when most are idle or lapsed, actions that court active customers
// (a recent trait's, champions', loyal customers', …) are left out and
// the majority group's action (groupActions[id]) is used instead; when
// most bought recently, win-back actions are left out. A cluster without
// a usable part gets a generic action.
func ClusterAction(p Population, c ClusterStats, segment, segmentAction string, groupActions map[string]string) string {
	return ClusterActions(p, c, segment, segmentAction, groupActions)[0]
}

// ClusterActions returns the actions ClusterAction may recommend for
// cluster c were its traits of nearly equal strength ranked otherwise,
// ClusterAction's first: led by the action of any of its maxListed
// strongest traits that has one and fits the cluster's stance (only the
// win-back lead when most of the cluster is idle or lapsed, and after
// the slipping trait's nudge back when it is slipping), each
// followed by the same parts. A scheduled run keeps a cluster's previous
// action while it is among them (pipeline.MatchPrevious), as it keeps a
// name that holds (NameHolds), so that a campaign's content does not
// change with a swap of two traits' strength.
func ClusterActions(p Population, c ClusterStats, segment, segmentAction string, groupActions map[string]string) []string {
	leads := actionLeads(p, c)
	if len(leads) == 0 {
		leads = []string{""}
	}
	out := make([]string, len(leads))
	for i, lead := range leads {
		out[i] = actionWith(lead, c, segment, segmentAction, groupActions)
	}
	return out
}

// actionLeads returns the sentences an action of cluster c may open with
// (ClusterActions), ClusterAction's first; none when no trait has an
// action that fits.
func actionLeads(p Population, c ClusterStats) []string {
	want := clusterStance(c)
	fits := func(s stance) bool { return want == neutral || s == neutral || s == want }
	// A cluster that is mostly idle or lapsed leads with its win-back
	// trait (before, say, its big baskets); otherwise the strongest trait
	// with an action leads.
	var leads []string
	var slip string
	for i, t := range traits(p, c) {
		if t.action == "" || !fits(t.stance) {
			continue
		}
		if want == winBack && t.stance == winBack {
			return []string{winBackFor(t.idle, valueLevel(p, c))}
		}
		if t.phrase == slipping {
			slip = t.action
			continue
		}
		if (i < maxListed || len(leads) == 0) && !slices.Contains(leads, t.action) {
			leads = append(leads, t.action)
		}
	}
	// Drifting away: the nudge back leads, as the word leads the name, and
	// the next trait says what to nudge them with (so that the slipping
	// clusters of a store do not all get the same action).
	if slip != "" {
		if len(leads) == 0 {
			return []string{slip}
		}
		for i := range leads {
			leads[i] = slippingLead + " " + uncapitalize(leads[i])
		}
	}
	return leads
}

// actionWith is the action led by lead ("": none), followed by the parts
// ClusterAction adds.
func actionWith(lead string, c ClusterStats, segment, segmentAction string, groupActions map[string]string) string {
	want := clusterStance(c)
	fits := func(s stance) bool { return want == neutral || s == neutral || s == want }
	var parts []string
	if lead != "" {
		parts = append(parts, lead)
	}
	if segment != "" && fits(segmentStance[segment]) {
		parts = append(parts, capitalize(fmt.Sprintf("As %s: %s.", strings.ReplaceAll(segment, "_", " "), segmentAction)))
	} else if segment != "" {
		for _, g := range []string{GroupLapsed, GroupIdle, GroupRecent} {
			if c.Groups[g] > Majority && groupActions[g] != "" {
				parts = append(parts, capitalize(fmt.Sprintf("As most of them are in the %s group: %s.", g, groupActions[g])))
				break
			}
		}
		if want == winBack && c.Groups[GroupLapsed] <= Majority && c.Groups[GroupIdle] <= Majority && groupActions[GroupIdle] != "" {
			parts = append(parts, capitalize(fmt.Sprintf("As most of them are idle or lapsed: %s.", groupActions[GroupIdle])))
		}
	}
	if len(parts) == 0 {
		return "Keep them in the regular programme and use them as the control group when testing offers on other segments."
	}
	return strings.Join(parts, " ")
}

// uncapitalize lowers the first letter of s unless the second is a capital
// too (an acronym).
func uncapitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
