package features

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
		"no purchase yet (known from the customers table or only returns and cancellations)",
		"convert: a first-order incentive and a welcome series"},
}

// RFMSegments returns every RFM segment with its definition and recommended
// action, from champions (the most valuable) to lost, then prospects.
func RFMSegments() []SegmentInfo {
	s := make([]SegmentInfo, len(rfmSegments))
	copy(s, rfmSegments)
	return s
}
