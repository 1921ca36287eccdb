package report

import (
	"fmt"
	"strings"
)

// unit says how a feature's values print in the report.
type unit int

const (
	plain unit = iota // a count or amount: 12.3
	days              // a number of days: 45 days
	share             // a fraction printed as a percentage: 12.3%
	money             // an amount of money: 12.3, and 3.00 beside 3.60
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
	// lowFloor, when set, replaces low for a cluster whose median is at
	// the feature's floor (0, or 1 for distinct_categories): "full-price"
	// only when the median customer had no discount at all; a median of
	// 9 % is "low-discount".
	lowFloor string
	floor    float64
}

// lowWord returns the low word of a cluster whose median is med.
func (f featureInfo) lowWord(med float64) string {
	if f.lowFloor != "" && med <= f.floor {
		return f.lowFloor
	}
	return f.low
}

// features holds the known feature names (DESIGN.md, "Feature
// definitions"); category-mix columns mix_<category> are handled by
// lookupFeature.
var features = map[string]featureInfo{
	"recency_days": {high: "inactive", low: "recent", order: 10, unit: days,
		about:      "days since the customer's last order",
		highAction: winBackAction,
		lowAction:  "Strike while interest is high: follow-up with related products and a reason to come back soon."},
	"tenure_days": {high: "long-standing", low: "new", order: 11, unit: days,
		about:     "days since the customer's first order",
		lowAction: "Onboard: a welcome series that explains the range and nudges the second purchase."},
	"monetary": {high: "high-spend", low: "low-spend", order: 20, unit: money,
		about:      "total net spend over the customer's history (after discounts and returns)",
		highAction: "Treat as VIPs: early access, loyalty rewards and personal service rather than discounts.",
		lowAction:  "Raise basket value: bundles, free-shipping thresholds and entry-level best sellers."},
	"frequency": {high: "frequent", low: "infrequent", order: 21,
		about:      "number of orders",
		highAction: "Reward loyalty: points, subscriptions or replenishment reminders.",
		lowAction:  "Give a reason to return: a second-purchase offer timed to the typical gap between orders."},
	"aov": {high: "big-basket", low: "small-basket", order: 22, unit: money,
		about:      "average order value (spend per order)",
		highAction: "Promote premium and complementary items; they buy a lot at once.",
		lowAction:  "Suggest add-ons and bundles at checkout to grow the basket."},
	"items_per_order": {high: "bulk-buying", order: 23,
		about:      "average number of items per order",
		highAction: "Offer multi-packs, volume pricing or a trade account."},
	"discount_ratio": {high: "discount-driven", low: "low-discount", lowFloor: "full-price", order: 30, unit: share,
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
	"distinct_categories": {high: "multi-category", low: "few-category", lowFloor: "single-category", floor: 1, order: 50,
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

// The actions of clusters most of whose customers are lapsed (winBackActions) or
// idle but not yet lapsed (reengageActions), by what the cluster spent (see
// valueLevel): win-back clusters of one store differ in value more than in
// anything else, and a marketer spends on them accordingly. Each is one
// sentence, so that the segments-at-a-glance table tells them apart.
var (
	winBackAction  = "Win back: a personal \"we miss you\" message with a time-limited incentive, then stop mailing those who do not react."
	winBackActions = [3]string{
		winBackAction,
		"Win back the big spenders personally: a \"we miss you\" call or letter with the most generous time-limited offer, then stop those who do not react.",
		"Win back cheaply: one automated \"we miss you\" email with a modest time-limited incentive, then stop mailing those who do not react.",
	}
	reengageActions = [3]string{
		"Re-engage before they lapse: a reminder of what they bought and a reason to come back, with an incentive only for those who do not react.",
		"Re-engage these big spenders before they lapse: a personal reminder of what they bought, with a generous offer for those who do not react.",
		"Re-engage cheaply before they lapse: an automated reminder of what they bought, incentives only for those who do not react.",
	}
)

// The recency word and action of a cluster whose median customer is among
// the least recent third but most of whose customers are not yet idle or
// lapsed: on a store whose customers buy every few weeks, such a cluster
// is drifting away long before the idle group's 90 days.
const (
	slipping       = "slipping"
	slippingAction = "Nudge them back before they go idle: a reminder of what they bought and what is new, timed to their usual gap between orders."
	// slippingLead opens, in one sentence, the action of a slipping
	// cluster with another trait's action (ClusterActions), so that the
	// segments at a glance, which show an action's first sentence, tell a
	// store's slipping clusters apart.
	slippingLead = "Nudge them back before they go idle, timed to their usual gap between orders —"
)

// Ordering of the category-specialist trait and of unknown features.
const (
	categoryOrder = 90
	unknownOrder  = 100
)

// lookupFeature returns what is known about the feature name. Columns
// named mix_<category> are shares of spend in one category, named label
// when it is not "" (Population.Labels), else after the column; any other
// unknown feature gets generic phrases ("high <name>"), so that a custom
// feature that sets a cluster apart still shows in its name.
func lookupFeature(name, label string) (info featureInfo, category string) {
	if info, ok := features[name]; ok {
		return info, ""
	}
	if cat, ok := strings.CutPrefix(name, "mix_"); ok && cat != "" {
		cat = strings.ReplaceAll(cat, "_", " ")
		if label != "" {
			cat = label
		}
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
