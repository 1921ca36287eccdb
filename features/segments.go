package features

import "fmt"

// SegmentInfo explains a segment or group to a marketer: what it is and
// what to do with it.
type SegmentInfo struct {
	ID         string `json:"id"`
	Definition string `json:"definition"` // one line, with its thresholds
	Action     string `json:"action"`     // the recommended campaign
}

// rfmSegments are the RFM segments, from the most to the least valuable
// (champions first, lost last, prospects after them), with the grid cells
// of each in their definition.
var rfmSegments = []SegmentInfo{
	{Champions,
		"bought recently and often, spend the most: R 5 with FM 4–5, R 4 with FM 5",
		"reward them: early access to new products, loyalty perks, ask for reviews and referrals; no discounts needed"},
	{LoyalCustomers,
		"buy regularly and spend well: R 5 with FM 3, R 4 with FM 4, R 3 with FM 4–5",
		"upsell higher-value products, offer the loyalty programme, ask for reviews"},
	{PotentialLoyalist,
		"recent customers with average frequency and spend: R 5 with FM 2, R 4 with FM 2–3, R 3 with FM 3",
		"offer membership or a loyalty programme, recommend products from their top category"},
	{NewCustomers,
		"bought very recently, once or for little: R 5 with FM 1",
		"onboarding: a welcome series, how-to content, a reason for a second order"},
	{Promising,
		"fairly recent but low frequency and spend: R 3–4 with FM 1",
		"build brand awareness, free trials or samples, a small incentive for the next order"},
	{NeedAttention,
		"average recency, frequency and spend, slipping: R 3 with FM 2, R 2 with FM 2–3",
		"limited-time offers and recommendations based on past purchases to re-engage them"},
	{AboutToSleep,
		"below-average recency, frequency and spend: R 2 with FM 1",
		"share popular products and category bestsellers with a modest discount before they lapse"},
	{AtRisk,
		"spent well and often but long ago: R 2 with FM 4–5, R 1 with FM 3",
		"personalised win-back emails, a renewal offer, remind them of what they bought"},
	{CantLoseThem,
		"made the biggest and most frequent purchases but have not returned for long: R 1 with FM 4–5",
		"win them back with a strong personal offer or a call; ask what went wrong; do not lose them to a competitor"},
	{Hibernating,
		"last purchase long ago, few orders and low spend: R 1 with FM 2",
		"offer other relevant products and special discounts; recreate brand value"},
	{Lost,
		"lowest recency, frequency and spend: R 1 with FM 1",
		"revive interest with a reach-out campaign, otherwise ignore; keep them out of paid audiences"},
	{Prospects,
		"no purchase yet (known from the customers table, or only returns, cancellations or orders of zero value)",
		"convert: a first-order incentive and a welcome series"},
}

// RFMSegments returns every RFM segment with its definition and recommended
// action, from champions (the most valuable) to lost, then prospects.
func RFMSegments() []SegmentInfo {
	s := make([]SegmentInfo, len(rfmSegments))
	copy(s, rfmSegments)
	return s
}

// SeedGroupIDs are the ids of the seed groups in report order; the city
// groups (city_<slug>) follow them.
var SeedGroupIDs = []string{
	"one_time_buyer", "repeat_buyer", "top20", "vip_top5", "elite_top1", "big_order",
	"premium_buyer", "bought_last_30d", "idle", "lapsed", "seasonal_first_timer",
	"coupon_first_order", "discount_hunter", "sale_day_shopper", "trend_follower",
	"dissatisfied", "newsletter_subscriber", "cart_abandoner", "browser_never_bought",
	"registered_lead", "b2b",
}

// groupInfo returns a seed group's definition, with the thresholds in
// force, and its recommended action.
func groupInfo(id string, th Thresholds) SegmentInfo {
	pct := func(s float64) string { return fmt.Sprintf("%.4g %%", 100*s) }
	def, action := "", ""
	switch id {
	case "one_time_buyer":
		def = "exactly one purchase"
		action = "second-order campaign: a thank-you, recommendations from their first order's category, a time-limited incentive"
	case "repeat_buyer":
		def = fmt.Sprintf("at least %d purchases", th.RepeatMinOrders)
		action = "loyalty programme, cross-sell in their top category, ask for reviews"
	case "top20":
		def = fmt.Sprintf("monetary in the top %s of buyers (above the %s quantile)", pct(th.TopShare), pct(1-th.TopShare))
		action = "protect the core: service first, early access, no blanket discounts"
	case "vip_top5":
		def = fmt.Sprintf("monetary in the top %s of buyers (above the %s quantile)", pct(th.VIPShare), pct(1-th.VIPShare))
		action = "VIP treatment: early access and exclusive offers, a personal contact, free shipping"
	case "elite_top1":
		def = fmt.Sprintf("monetary in the top %s of buyers (above the %s quantile)", pct(th.EliteShare), pct(1-th.EliteShare))
		action = "white-glove care: a personal account manager, invitations, gifts; watch them for churn"
	case "big_order":
		def = fmt.Sprintf("largest order (at most their net spend) in the top %s of buyers by largest order (above the %s quantile)", pct(th.BigOrderShare), pct(1-th.BigOrderShare))
		action = "offer bulk or bundle deals and financing; check whether they buy for a business"
	case "premium_buyer":
		def = fmt.Sprintf("at least %s of gross spend on premium-tier products", pct(th.PremiumShare))
		action = "premium launches and collections first; never lead with discounts"
	case "bought_last_30d":
		def = fmt.Sprintf("last purchase fewer than %d days before as_of", th.RecentDays)
		action = "post-purchase care: delivery follow-up, how-to content, a review request; exclude from win-back"
	case "idle":
		def = fmt.Sprintf("last purchase %d to %d days before as_of", th.IdleDays, th.LapsedDays-1)
		action = "re-engage: what is new since their last visit, a reminder of their favourite category"
	case "lapsed":
		def = fmt.Sprintf("last purchase at least %d days before as_of", th.LapsedDays)
		action = "win-back series with a strong offer; suppress from paid audiences if they do not respond"
	case "seasonal_first_timer":
		def = "exactly one purchase (never came back), placed in the peak season (features.peak_season)"
		action = "invite them back before next season with a reminder of what they bought; off-season offer"
	case "coupon_first_order":
		def = "the first purchase used a coupon"
		action = "test full-price offers; watch margin; move them to value messages, not ever-bigger coupons"
	case "discount_hunter":
		def = fmt.Sprintf("at least 2 purchases and discount_ratio at least %s", pct(th.DiscountHunterRatio))
		action = "margin-aware offers: bundles and clearance, not site-wide discounts; exclude from full-price launches"
	case "sale_day_shopper":
		def = fmt.Sprintf("at least %s of purchases on sale days (features.sale_days; default Black Friday and Cyber Monday)", pct(th.SaleDayShare))
		action = "early access to the next sale; reminders the day before"
	case "trend_follower":
		def = fmt.Sprintf("at least 2 purchases and at least %s of items bought within features.trend_days (default 30) of the product's launch", pct(th.TrendShare))
		action = "new-arrival announcements and pre-orders first"
	case "dissatisfied":
		def = "returned or cancelled something, or was refunded, and has not purchased since"
		action = "service recovery: ask what went wrong, make it right before any sales message"
	case "newsletter_subscriber":
		def = "subscribed to the newsletter (customers table)"
		action = "the newsletter audience: content and launches; the only customers exported to campaign tools"
	case "cart_abandoner":
		def = "at least one day in the 30 days before as_of with an add_to_cart event and no checkout"
		action = "cart reminder emails within 24 hours, then a small incentive"
	case "browser_never_bought":
		def = fmt.Sprintf("at least %d product views and no purchase", th.BrowserMinViews)
		action = "retarget the products they viewed; a first-order incentive"
	case "registered_lead":
		def = "in the customers table with no purchase"
		action = "welcome series and a first-order incentive"
	case "b2b":
		def = "marked as a business customer (customers table)"
		action = "volume pricing, invoices and a business account contact"
	case "city":
		def = fmt.Sprintf("lives in one of the %d most common cities", th.TopCities)
		action = "local events, local delivery promises"
	default:
		panic(fmt.Sprintf("features: no seed group %q", id))
	}
	return SegmentInfo{ID: id, Definition: def, Action: action}
}

// cityInfo describes the group of a city; ids already in used get a
// numeric suffix so that two cities with the same slug stay distinct.
func cityInfo(city string, top int, used map[string]bool) SegmentInfo {
	id := "city_" + Slug(city)
	for k := 2; used[id]; k++ {
		id = fmt.Sprintf("city_%s_%d", Slug(city), k)
	}
	used[id] = true
	return SegmentInfo{
		ID:         id,
		Definition: fmt.Sprintf("city is %s (one of the %d most common cities)", city, top),
		Action:     "local events and store openings, local delivery promises, city-specific creatives",
	}
}
