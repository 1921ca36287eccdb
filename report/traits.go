package report

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"
)

// Bars of the naming rules. A cluster is "high" on a feature when its
// median customer sits in the top third of all clustered customers
// (quantile position ≥ HighPosition) and its median is above theirs, "low"
// in the bottom third; group words need a majority of the cluster in the
// group; a category specialist spends most of its money in the category.
const (
	HighPosition    = 2.0 / 3
	LowPosition     = 1.0 / 3
	Majority        = 0.5
	SpecialistShare = 0.5
)

// maxTraits is the number of traits a cluster name holds before any is
// added to tell it apart from another cluster.
const maxTraits = 3

// Seed group ids the naming rules read (features.SeedGroups).
const (
	GroupLapsed    = "lapsed"
	GroupIdle      = "idle"
	GroupRecent    = "bought_last_30d"
	GroupOneTime   = "one_time_buyer"
	GroupRepeat    = "repeat_buyer"
	groupNoneFound = ""
)

// Population describes every clustered customer, feature by feature.
type Population struct {
	Features []string
	Median   []float64 // median of each feature
	// Share, for a mix_ column, is the category's share of the spend of
	// all clustered customers (NaN for other columns).
	Share []float64
	// Groups is the share of all clustered customers in each seed group.
	Groups map[string]float64
	// Labels, when not nil, names a mix_ column's category as the data
	// wrote it where its column name cannot ("書籍" for mix_xcde2f5,
	// "Spielzeug & Bücher" for mix_spielzeug_bucher): parallel to
	// Features, "" where the column name says it.
	Labels []string
}

// label returns the category name of feature j as Labels gives it, or "".
func (p Population) label(j int) string {
	if j < len(p.Labels) {
		return p.Labels[j]
	}
	return ""
}

// ClusterStats describes one cluster against the Population.
type ClusterStats struct {
	Median []float64 // median of each feature over the cluster
	// Pos is the quantile position of Median[j] among all clustered
	// customers: (number below + half the number equal) / n, in [0, 1].
	Pos []float64
	// Ties is the share of all clustered customers whose value equals
	// Median[j] (nil: not counted), so that Pos − Ties/2 of them are below
	// it and 1 − Pos − Ties/2 above.
	Ties []float64
	// Share, for a mix_ column, is the category's share of the cluster's
	// spend (NaN for other columns).
	Share []float64
	// Groups is the share of the cluster's customers in each seed group,
	// by group id; a group that was not computed is absent.
	Groups map[string]float64
}

// trait is one thing that sets a cluster apart, with the word the name
// uses for it.
type trait struct {
	feature  int     // index into Population.Features
	phrase   string  // adjective; empty for a category
	category string  // the category of a specialist trait
	strength float64 // how far the cluster is from the typical customer, 0..0.5
	order    int     // position in a name
	action   string
	stance   stance
	idle     bool // a win-back trait of a cluster idle more than lapsed: re-engage, not win back
}

// stance says whether an action courts active customers or wins back
// inactive ones; a cluster's action never mixes the two (see ClusterAction).
type stance int

const (
	neutral stance = iota
	active
	winBack
)

// traits returns the traits of cluster c, strongest first (ties by feature
// order), under the rules of NameClusters.
func traits(p Population, c ClusterStats) []trait {
	var ts []trait
	for j, name := range p.Features {
		info, cat := lookupFeature(name, p.label(j))
		pos, med := c.Pos[j], c.Median[j]
		if math.IsNaN(pos) || math.IsNaN(med) {
			continue
		}
		above := pos >= HighPosition && med > p.Median[j]
		below := pos <= LowPosition && med < p.Median[j]
		t := trait{feature: j, strength: math.Abs(pos - 0.5), order: info.order}
		switch {
		case strings.HasPrefix(name, "mix_"):
			if !specialist(p, c, j) {
				continue
			}
			t.strength = math.Min(c.Share[j]-p.Share[j], 0.5)
			t.category, t.action = cat, info.highAction
			if cat == "" { // mix_other: the long tail outside the top categories
				t.phrase = info.high
			}
		case name == "recency_days":
			lapsed, idle := c.Groups[GroupLapsed], c.Groups[GroupIdle]
			recent, hasRecent := c.Groups[GroupRecent]
			_, hasLapsed := c.Groups[GroupLapsed]
			switch {
			case hasLapsed && lapsed > Majority:
				t.phrase, t.stance = "lapsed", winBack
			case hasLapsed && lapsed+idle > Majority:
				t.phrase, t.stance = info.high, winBack
			case hasRecent && recent > Majority, below && (!hasLapsed || lapsed+idle < Majority):
				t.phrase, t.stance = info.low, active
			case above:
				// Among the least recent third, but most not yet idle or
				// lapsed: a weaker word, as strong as its median.
				t.phrase, t.action = slipping, slippingAction
				ts = append(ts, t)
				continue
			default:
				continue
			}
			switch {
			case t.stance == active:
				t.action = info.lowAction
			case t.phrase == "lapsed":
				t.action = info.highAction
			default: // idle more than lapsed: not gone yet
				t.action, t.idle = reengageActions[0], true
			}
			// A group word says where most of the cluster stands: it counts as
			// strong as a median in the outer quarter, so that it makes the name.
			t.strength = math.Max(t.strength, 0.25)
		case name == "frequency":
			oneTime, ok := c.Groups[GroupOneTime]
			switch {
			case above:
				t.phrase, t.action = info.high, info.highAction
			case ok && oneTime > Majority && med < p.Median[j]:
				t.phrase, t.action = "one-time", info.lowAction
			case below:
				t.phrase, t.action = info.low, info.lowAction
			default:
				continue
			}
		case above && info.high != "":
			t.phrase, t.action = info.high, info.highAction
		case below && info.low != "":
			t.phrase, t.action = info.lowWord(med), info.lowAction
		default:
			continue
		}
		ts = append(ts, t)
	}
	slices.SortStableFunc(ts, func(a, b trait) int {
		return cmp.Or(cmp.Compare(b.strength, a.strength), cmp.Compare(a.order, b.order))
	})
	return ts
}

// specialist reports whether cluster c specialises in the category of
// mix column j: the category holds most (> SpecialistShare) of the
// cluster's spend, more than its share of all clustered customers' spend,
// and the cluster's median customer is in the top third of all clustered
// customers on the column and above their median, as for any other name
// word. Without the last condition a category most customers buy most of
// (groceries in a grocery store) named a cluster that buys less of it than
// others.
func specialist(p Population, c ClusterStats, j int) bool {
	share, popShare := c.Share[j], p.Share[j]
	if math.IsNaN(share) || share <= SpecialistShare || share <= popShare {
		return false
	}
	return c.Pos[j] >= HighPosition && c.Median[j] > p.Median[j]
}

// NameClusters returns a short readable name for each cluster from the
// traits that set it apart from the clustered population, compared by
// median and quantile position, never by the mean (which the best
// customers inflate):
//
//   - a feature is "high" when the cluster's median customer is in the top
//     third of all clustered customers and above their median
//     ("high-spend", "frequent", "big-basket", "discount-driven", …), "low"
//     in the bottom third and below it ("low-spend", "small-basket",
//     "low-discount", …); a word that names a floor is used only at it:
//     "full-price" when the median customer had no discount,
//     "single-category" when it bought in one category;
//   - recency uses the groups' thresholds: "lapsed" when most of the
//     cluster is in the lapsed group, "inactive" when most are idle or
//     lapsed, "recent" when most bought in the recent window or the
//     cluster's median is in the bottom third and most are neither idle
//     nor lapsed, "slipping" when the median is in the top third (least
//     recent) but most are neither idle nor lapsed; "one-time" when most
//     are one-time buyers and the median is below the population's;
//   - "category specialists (c)" when category c holds most (> 50 %) of
//     the cluster's spend, more than its share of all spend, and the
//     cluster's median customer is in the top third on c's share of spend
//     (specialist).
//
// The strongest three traits (the slipping word always among them) are
// written in a fixed order (recency, tenure, value, frequency, behaviour,
// categories): "Lapsed high-spend customers". A cluster with no trait is "Typical customers". Names are
// unique without numeric suffixes: clusters whose names collide take
// their next traits, then a comparison with each other on the feature
// where they differ most ("higher spend", "lower spend").
//
// NameClusters panics if a cluster's slices are not len(p.Features) long.
func NameClusters(p Population, cs []ClusterStats) []string {
	all := make([][]trait, len(cs))
	used := make([]int, len(cs))
	names := make([]string, len(cs))
	for i, c := range cs {
		if len(c.Median) != len(p.Features) || len(c.Pos) != len(p.Features) || len(c.Share) != len(p.Features) {
			panic("report: NameClusters: cluster slices do not match Features")
		}
		all[i] = slippingFirst(traits(p, c))
		used[i] = min(maxTraits, len(all[i]))
		names[i] = nameFor(all[i][:used[i]], "")
	}
	// Collisions take one more trait at a time while any is left.
	for {
		grew := false
		for _, group := range collisions(names) {
			for _, i := range group {
				if used[i] < len(all[i]) {
					used[i]++
					names[i] = nameFor(all[i][:used[i]], "")
					grew = true
				}
			}
		}
		if !grew {
			break
		}
	}
	// Then a comparison within each group of equal names.
	tried := map[int]bool{}
	for {
		groups := collisions(names)
		if len(groups) == 0 {
			break
		}
		// A feature the names already say ("small-basket") would read as a
		// contradiction beside its comparison ("small-basket customers,
		// bigger baskets"): compare on another first.
		named := maps.Clone(tried)
		for _, i := range groups[0] {
			for _, t := range all[i][:used[i]] {
				if t.category == "" {
					named[t.feature] = true
				}
			}
		}
		// A feature the names do not say, unless it barely differs (less
		// than half the widest spread: a comparison on noise).
		j, spread := widest(p, cs, groups[0], named)
		relative := false // a feature the names say: "relatively bigger baskets"
		if all, allSpread := widest(p, cs, groups[0], tried); j < 0 || 2*spread < allSpread {
			j, relative = all, all >= 0 && named[all]
		}
		if j < 0 {
			// Identical on every feature: the order of the clusters tells them
			// apart, which is all that is left to say.
			for k, i := range groups[0][1:] {
				names[i] = nameFor(all[i][:used[i]], spelledOrdinal(k+2)+" group")
			}
			continue
		}
		tried[j] = true
		group := groups[0]
		slices.SortStableFunc(group, func(a, b int) int { return cmp.Compare(cs[b].Median[j], cs[a].Median[j]) })
		first, last := group[0], group[len(group)-1]
		if cs[first].Median[j] == cs[last].Median[j] {
			continue
		}
		w := contrastOf(p.Features[j], p.label(j))
		hi, lo := w.higher, w.lower
		if len(group) > 2 { // the middle ones stay and are told apart next
			hi, lo = w.highest, w.lowest
		}
		if relative { // every feature that differs is in the names: compare within them
			hi, lo = "relatively "+hi, "relatively "+lo
		}
		names[first] = nameFor(all[first][:used[first]], hi)
		names[last] = nameFor(all[last][:used[last]], lo)
	}
	return names
}

// slippingFirst moves the slipping trait of ts, if it has one, to the
// front, so that it always makes the name: a segment drifting away is
// told so even where three other traits are stronger, and every cluster
// of a store among the least recent third reads "slipping", not only
// those whose other traits are weaker. Other recency words compete by
// strength ("recent" and the win-back words count at least 0.25).
func slippingFirst(ts []trait) []trait {
	i := slices.IndexFunc(ts, func(t trait) bool { return t.phrase == slipping })
	if i > 0 {
		t := ts[i]
		copy(ts[1:i+1], ts[:i])
		ts[0] = t
	}
	return ts
}

// collisions returns the groups of indices that share a name, in order of
// first appearance.
func collisions(names []string) [][]int {
	at := map[string][]int{}
	var order []string
	for i, n := range names {
		if len(at[n]) == 0 {
			order = append(order, n)
		}
		at[n] = append(at[n], i)
	}
	var groups [][]int
	for _, n := range order {
		if len(at[n]) > 1 {
			groups = append(groups, at[n])
		}
	}
	return groups
}

// widest returns the feature, not yet tried, on which the clusters of
// group differ most in quantile position, and that spread; −1 and 0 when
// none differs.
func widest(p Population, cs []ClusterStats, group []int, tried map[int]bool) (int, float64) {
	best, bestSpread := -1, 0.0
	for j := range p.Features {
		if tried[j] {
			continue
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, i := range group {
			lo, hi = math.Min(lo, cs[i].Pos[j]), math.Max(hi, cs[i].Pos[j])
		}
		if spread := hi - lo; spread > bestSpread {
			best, bestSpread = j, spread
		}
	}
	return best, bestSpread
}

// contrast are the words that tell clusters apart on a feature, for two
// clusters and for the ends of three or more.
type contrast struct{ higher, lower, highest, lowest string }

// contrastOf returns the contrast words of a feature.
func contrastOf(feature, label string) contrast {
	switch feature {
	case "monetary":
		return contrast{"higher spend", "lower spend", "highest spend", "lowest spend"}
	case "frequency":
		return contrast{"more orders", "fewer orders", "most orders", "fewest orders"}
	case "recency_days": // more days since the last order: less recent
		return contrast{"less recent", "more recent", "least recent", "most recent"}
	case "aov":
		return contrast{"bigger baskets", "smaller baskets", "biggest baskets", "smallest baskets"}
	case "discount_ratio":
		return contrast{"more discount", "less discount", "most discount", "least discount"}
	}
	what := strings.ReplaceAll(feature, "_", " ")
	if _, cat := lookupFeature(feature, label); cat != "" {
		what = cat
	}
	return contrast{"more " + what, "less " + what, "most " + what, "least " + what}
}

// spelledOrdinal spells small ordinals.
func spelledOrdinal(k int) string {
	words := []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"}
	if k < len(words) {
		return words[k]
	}
	return "another"
}

// nameFor composes a name from a cluster's traits, with an optional
// distinguishing remark in parentheses.
func nameFor(ts []trait, remark string) string {
	var cats []string
	for _, t := range ts {
		if t.category != "" {
			cats = append(cats, t.category)
		}
	}
	ordered := slices.Clone(ts)
	slices.SortStableFunc(ordered, func(a, b trait) int {
		return cmp.Or(cmp.Compare(a.order, b.order), cmp.Compare(a.feature, b.feature))
	})
	var words []string
	for _, t := range ordered {
		if t.phrase != "" {
			words = append(words, t.phrase)
		}
	}
	noun := "customers"
	if len(cats) > 0 {
		noun = "category specialists (" + strings.Join(cats, ", ") + ")"
	}
	if len(ts) == 0 {
		words = append(words, "typical")
	}
	words = append(words, noun)
	name := capitalize(strings.Join(words, " "))
	if remark != "" {
		name += ", " + remark
	}
	return name
}
