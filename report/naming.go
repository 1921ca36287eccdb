package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// DefaultNameThreshold is the relative difference from the population
// mean (±30 %) at which a feature becomes a trait in a cluster's name.
const DefaultNameThreshold = 0.30

// maxTraits is the number of traits a cluster name holds at most.
const maxTraits = 3

// unit says how a feature's values print in the report.
type unit int

const (
	plain unit = iota // a count or amount: 12.3
	days              // a number of days: 45 days
	share             // a fraction printed as a percentage: 12.3%
)

// featureInfo is what the report knows about one feature: the words for
// a cluster far above (high) or below (low) the population, where they
// go in a name (order: lower first), a plain-language definition, the
// printing unit and the suggested action for a segment whose strongest
// trait it is. An empty phrase means that direction is not a trait
// (being below average on returns is not what defines a segment).
type featureInfo struct {
	high, low             string
	order                 int
	about                 string
	unit                  unit
	highAction, lowAction string
}

// features holds the known feature names (DESIGN.md, "Feature
// definitions"); category-mix columns mix_<category> are handled by
// lookupFeature.
var features = map[string]featureInfo{
	"recency_days": {high: "lapsed", low: "recent", order: 10, unit: days,
		about:      "days since the customer's last order",
		highAction: "Win back: a personal \"we miss you\" message with a time-limited incentive, then stop mailing those who do not react.",
		lowAction:  "Strike while interest is high: follow-up with related products and a reason to come back soon."},
	"tenure_days": {high: "long-standing", low: "new", order: 11, unit: days,
		about:     "days since the customer's first order",
		lowAction: "Onboard: a welcome series that explains the range and nudges the second purchase."},
	"monetary": {high: "high-spend", low: "low-spend", order: 20,
		about:      "total net spend over the customer's history (after discounts and returns)",
		highAction: "Treat as VIPs: early access, loyalty rewards and personal service rather than discounts.",
		lowAction:  "Raise basket value: bundles, free-shipping thresholds and entry-level best sellers."},
	"frequency": {high: "frequent", low: "infrequent", order: 21,
		about:      "number of orders",
		highAction: "Reward loyalty: points, subscriptions or replenishment reminders.",
		lowAction:  "Give a reason to return: a second-purchase offer timed to the typical gap between orders."},
	"aov": {high: "big-basket", low: "small-basket", order: 22,
		about:      "average order value (spend per order)",
		highAction: "Promote premium and complementary items; they buy a lot at once.",
		lowAction:  "Suggest add-ons and bundles at checkout to grow the basket."},
	"items_per_order": {high: "bulk-buying", order: 23,
		about:      "average number of items per order",
		highAction: "Offer multi-packs, volume pricing or a trade account."},
	"discount_ratio": {high: "discount-driven", low: "full-price", order: 30, unit: share,
		about:      "share of the gross order value given as discount",
		highAction: "Reach them in sales and with coupon codes; protect margin with minimum-spend conditions.",
		lowAction:  "Do not train them to wait for sales: lead with new products and service, not discounts."},
	"mix_other": {high: "niche-category", order: 89, unit: share,
		about:      "share of gross spend outside the top categories",
		highAction: "Feature the long tail they buy from: niche and seasonal ranges, gift guides."},
	"coupon_order_share": {high: "coupon-using", order: 31, unit: share,
		about:      "share of orders placed with a coupon",
		highAction: "Use coupons as the lever, but cap them and test whether they would buy anyway."},
	"first_order_coupon": {high: "coupon-acquired", order: 32, unit: share,
		about:      "share of customers whose first order used a coupon",
		highAction: "Convert coupon-acquired customers to full price: second-order value messages instead of another coupon."},
	"return_rate": {high: "high-return", order: 40, unit: share,
		about:      "returned value as a share of the purchased value",
		highAction: "Check fit, quality and product descriptions; follow up with service before any promotion."},
	"mean_interorder_days": {high: "slow-repeat", low: "quick-repeat", order: 24, unit: days,
		about:      "average number of days between two orders",
		highAction: "Time reminders to their long buying cycle instead of mailing them weekly.",
		lowAction:  "Make reordering effortless: replenishment reminders and subscriptions."},
	"peak_season_share": {high: "seasonal", order: 33, unit: share,
		about:      "share of spend placed in the peak season",
		highAction: "Re-engage ahead of the next peak season with early-bird offers and gift guides."},
	"first_order_in_peak": {high: "peak-acquired", order: 34, unit: share,
		about:      "share of customers whose first order fell in the peak season",
		highAction: "Turn seasonal first-timers into regulars: an off-season reason to come back."},
	"distinct_categories": {high: "multi-category", low: "single-category", order: 50,
		about:     "number of product categories bought",
		lowAction: "Cross-sell: introduce categories that customers like them also buy."},
	"sessions_30d": {high: "engaged", order: 60,
		about: "site sessions in the last 30 days"},
	"cart_adds": {high: "cart-adding", order: 61,
		about: "products added to the cart"},
	"abandoned_carts": {high: "cart-abandoning", order: 62,
		about:      "carts abandoned before checkout",
		highAction: "Send abandoned-cart reminders within hours; remove friction at checkout."},
	"views_without_purchase": {high: "window-shopping", order: 63,
		about:      "product views that did not lead to a purchase",
		highAction: "Retarget viewed products with social proof and reviews."},
}

// specialistRel is how far above the population a category's share of
// spend must be before a cluster is called its specialists: double the
// average share. A lower bar names ordinary customers "specialists" of any
// category that a true specialist segment happens to pull the average of.
const specialistRel = 1.0

// Ordering of the category-specialist trait and of unknown features.
const (
	categoryOrder = 90
	unknownOrder  = 100
)

// lookupFeature returns what is known about the feature name. Columns
// named mix_<category> are shares of spend in one category; any other
// unknown feature gets generic phrases ("high <name>"), so that a custom
// feature that sets a cluster apart still shows in its name.
func lookupFeature(name string) (info featureInfo, category string) {
	if info, ok := features[name]; ok {
		return info, ""
	}
	if cat, ok := strings.CutPrefix(name, "mix_"); ok && cat != "" {
		cat = strings.ReplaceAll(cat, "_", " ")
		return featureInfo{
			order:      categoryOrder,
			unit:       share,
			about:      fmt.Sprintf("share of gross spend in the %q category", cat),
			highAction: fmt.Sprintf("Lead with %s: new arrivals, best sellers and cross-sells within the category.", cat),
		}, cat
	}
	words := strings.ReplaceAll(name, "_", " ")
	return featureInfo{high: "high " + words, low: "low " + words, order: unknownOrder, about: words}, ""
}

// trait is one feature that sets a cluster apart.
type trait struct {
	feature  int     // index into the feature list
	rel      float64 // relative difference from the population mean
	phrase   string  // adjective, empty for a category
	category string  // category of a mix_ feature, else empty
	order    int
	action   string
}

// traits returns the features of one cluster whose relative difference
// rel[j] is at least threshold in size and which have a phrase for that
// direction, strongest first (ties by feature order). NaN values are
// skipped.
func traits(features []string, rel []float64, threshold float64) []trait {
	var ts []trait
	for j, v := range rel {
		if math.IsNaN(v) || math.Abs(v) < threshold {
			continue
		}
		info, cat := lookupFeature(features[j])
		t := trait{feature: j, rel: v, order: info.order, category: cat}
		switch {
		case cat != "" && v >= specialistRel:
			t.action = info.highAction
		case cat != "":
			continue
		case v > 0 && info.high != "":
			t.phrase, t.action = info.high, info.highAction
		case v < 0 && info.low != "":
			t.phrase, t.action = info.low, info.lowAction
		default:
			continue
		}
		ts = append(ts, t)
	}
	slices.SortStableFunc(ts, func(a, b trait) int {
		return cmp.Compare(math.Abs(b.rel), math.Abs(a.rel))
	})
	return ts
}

// NameClusters returns a short readable name for each cluster from the
// features that set it apart: rel[i][j] is the relative difference of
// cluster i's mean of features[j] from the population mean (see
// RelativeTo), and a feature is a trait when |rel[i][j]| ≥ threshold
// (threshold ≤ 0 or NaN means DefaultNameThreshold) and the phrase table
// has a word for that direction: recency_days high "lapsed", low
// "recent"; monetary "high-spend"/"low-spend"; frequency "frequent"/
// "infrequent"; discount_ratio high "discount-driven"; peak_season_share
// high "seasonal"; mix_<category> high "category specialists
// (<category>)"; and so on. The strongest maxTraits (3) traits are kept
// and written in a fixed order (recency, tenure, value, frequency,
// behaviour, categories): "Lapsed high-spend customers", "Recent category
// specialists (pets)". A cluster with no trait is "Typical customers".
//
// Names are unique within the result: the second cluster with a name
// gets " 2" appended, the third " 3", in cluster order. NameClusters
// panics if a row of rel is not len(features) long.
func NameClusters(features []string, rel [][]float64, threshold float64) []string {
	if threshold <= 0 || math.IsNaN(threshold) {
		threshold = DefaultNameThreshold
	}
	names := make([]string, len(rel))
	for i, row := range rel {
		if len(row) != len(features) {
			panic("report: NameClusters: len(rel[i]) != len(features)")
		}
		names[i] = nameFor(traits(features, row, threshold))
	}
	return uniqueNames(names)
}

// nameFor composes a name from a cluster's traits, strongest first.
func nameFor(ts []trait) string {
	if len(ts) > maxTraits {
		ts = ts[:maxTraits]
	}
	if len(ts) == 0 {
		return "Typical customers"
	}
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
	words = append(words, noun)
	name := strings.Join(words, " ")
	return capitalize(name)
}

// uniqueNames makes names unique in place by appending " 2", " 3", … to
// repeats, in order, skipping suffixes that are already taken.
func uniqueNames(names []string) []string {
	taken := make(map[string]bool, len(names))
	for _, n := range names {
		taken[n] = true
	}
	seen := make(map[string]int, len(names))
	for i, n := range names {
		seen[n]++
		if seen[n] == 1 {
			continue
		}
		for s := seen[n]; ; s++ {
			cand := fmt.Sprintf("%s %d", n, s)
			if !taken[cand] {
				names[i] = cand
				taken[cand] = true
				seen[n] = s
				break
			}
		}
	}
	return names
}
