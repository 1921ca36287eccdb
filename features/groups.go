package features

import (
	"context"
	"fmt"
	"math"
)

// Thresholds are the parameters of the seed groups. A zero field takes its
// default from DefaultThresholds.
type Thresholds struct {
	RepeatMinOrders     int     // repeat_buyer: at least this many purchases (2)
	TopShare            float64 // top20: the top share of buyers by monetary (0.20)
	VIPShare            float64 // vip_top5 (0.05)
	EliteShare          float64 // elite_top1 (0.01)
	BigOrderShare       float64 // big_order: the top share of buyers by largest order (0.05); see BigOrderCut
	PremiumShare        float64 // premium_buyer: premium share of gross spend (0.5)
	RecentDays          int     // bought_last_30d: recency_days below this (30)
	IdleDays            int     // idle: recency_days from this … (90)
	LapsedDays          int     // … up to lapsed, recency_days from this (365)
	DiscountHunterRatio float64 // discount_hunter: discount_ratio at least (0.25)
	SaleDayShare        float64 // sale_day_shopper: share of purchases on sale days (0.5)
	TrendShare          float64 // trend_follower: share of items bought while new (0.5)
	BrowserMinViews     int     // browser_never_bought: at least this many views (3)
	TopCities           int     // city_<slug> groups for the most common cities (5)
}

// DefaultThresholds are the documented defaults of Thresholds.
var DefaultThresholds = Thresholds{
	RepeatMinOrders: 2, TopShare: 0.20, VIPShare: 0.05, EliteShare: 0.01,
	BigOrderShare: 0.05, PremiumShare: 0.5, RecentDays: 30, IdleDays: 90, LapsedDays: 365,
	DiscountHunterRatio: 0.25, SaleDayShare: 0.5, TrendShare: 0.5, BrowserMinViews: 3, TopCities: 5,
}

// withDefaults returns th with zero fields set to their defaults.
func (th Thresholds) withDefaults() Thresholds {
	d := DefaultThresholds
	setInt := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setFloat := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	setInt(&th.RepeatMinOrders, d.RepeatMinOrders)
	setFloat(&th.TopShare, d.TopShare)
	setFloat(&th.VIPShare, d.VIPShare)
	setFloat(&th.EliteShare, d.EliteShare)
	setFloat(&th.BigOrderShare, d.BigOrderShare)
	setFloat(&th.PremiumShare, d.PremiumShare)
	setInt(&th.RecentDays, d.RecentDays)
	setInt(&th.IdleDays, d.IdleDays)
	setInt(&th.LapsedDays, d.LapsedDays)
	setFloat(&th.DiscountHunterRatio, d.DiscountHunterRatio)
	setFloat(&th.SaleDayShare, d.SaleDayShare)
	setFloat(&th.TrendShare, d.TrendShare)
	setInt(&th.BrowserMinViews, d.BrowserMinViews)
	setInt(&th.TopCities, d.TopCities)
	return th
}

// MaxDays is the most days any setting counted in days may hold (a
// window, a threshold, a horizon, a holdout): 100 years. A store's history
// lies within the years 1678–2261 that a time holds to the nanosecond, so
// a larger value could not mean more; one that overflows a date (a typo, a
// maximum integer) would wrap around instead.
const MaxDays = 36525

// Check reports the first threshold outside its range: shares in (0, 1],
// counts and days positive, days at most MaxDays, RecentDays at most
// IdleDays, IdleDays below LapsedDays.
func (th Thresholds) Check() error {
	th = th.withDefaults()
	for _, s := range []struct {
		name string
		v    float64
	}{{"top_share", th.TopShare}, {"vip_share", th.VIPShare}, {"elite_share", th.EliteShare},
		{"big_order_share", th.BigOrderShare}, {"premium_share", th.PremiumShare}, {"discount_hunter_ratio", th.DiscountHunterRatio},
		{"sale_day_share", th.SaleDayShare}, {"trend_share", th.TrendShare}} {
		if !(s.v > 0 && s.v <= 1) {
			return fmt.Errorf("features: threshold %s = %v: want a share in (0, 1]", s.name, s.v)
		}
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"repeat_min_orders", th.RepeatMinOrders}, {"recent_days", th.RecentDays}, {"idle_days", th.IdleDays},
		{"lapsed_days", th.LapsedDays}, {"browser_min_views", th.BrowserMinViews}, {"top_cities", th.TopCities}} {
		if c.v < 0 {
			return fmt.Errorf("features: threshold %s = %d: want a positive number", c.name, c.v)
		}
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"recent_days", th.RecentDays}, {"idle_days", th.IdleDays}, {"lapsed_days", th.LapsedDays}} {
		if c.v > MaxDays {
			return fmt.Errorf("features: threshold %s = %d: want at most %d days (100 years)", c.name, c.v, MaxDays)
		}
	}
	if th.IdleDays >= th.LapsedDays {
		return fmt.Errorf("features: idle_days %d must be below lapsed_days %d", th.IdleDays, th.LapsedDays)
	}
	if th.RecentDays > th.IdleDays {
		// bought_last_30d and idle would hold the same customers.
		return fmt.Errorf("features: recent_days %d must be at most idle_days %d", th.RecentDays, th.IdleDays)
	}
	return nil
}

// Profile holds what the seed groups need about the customers, one value
// per row of the feature table: the customers table's columns, and the
// city from the customers table or the order lines. A nil slice means the
// column was not given.
type Profile struct {
	Registered []bool   // the customer is in the customers table
	Newsletter []bool   // subscribed to the newsletter
	B2B        []bool   // a business customer
	City       []string // "" when unknown; from the customers table or the order lines
}

// needsCity is what the city groups and the city of custom groups need
// when the run has no city.
const needsCity = "a city column in the customers table or the orders"

// Group is a rule-based group of customers (a seed group or a custom
// group): who is in it, what it means and what to do with it.
type Group struct {
	SegmentInfo

	// Needs, when not empty, says what the run lacked to compute the
	// group ("the events table"); Members is then nil.
	Needs string

	// Members[i] reports whether row i of the table is in the group.
	Members []bool
}

// Count returns the number of members.
func (g *Group) Count() int {
	n := 0
	for _, m := range g.Members {
		if m {
			n++
		}
	}
	return n
}

// Events feature columns, joined onto a Table from the events table (see
// AggregateEvents).
const (
	Sessions30d          = "sessions_30d"
	Views                = "views"
	CartAdds             = "cart_adds"
	AbandonedCarts       = "abandoned_carts"
	ViewsWithoutPurchase = "views_without_purchase"
)

// SeedGroups computes the seed groups of the articles for every row of t,
// in the order of SeedGroupIDs, with city groups last. A group whose
// inputs the run lacks (a column of t, a Profile column) is returned with
// Needs set and no members; nothing fails for lack of data. p may be nil.
// Zero thresholds take their defaults; invalid ones are an error.
//
// Customers with frequency 0 (prospects) are in no group based on
// purchases. The top shares are taken among buyers (frequency > 0): a
// buyer is in the top share s when their monetary is strictly above the
// empirical quantile Q(1 − s) = x_⌈(1−s)·n⌉ of the n buyers' monetary, so
// that ties never push a group above its share. big_order applies the same
// rule to the buyers' largest orders (see BigOrderCut).
//
// Each group is a pass over the rows; SeedGroups returns ctx.Err() between
// two once ctx is done.
func SeedGroups(ctx context.Context, t *Table, p *Profile, th Thresholds) ([]Group, error) {
	return seedGroups(ctx, t, p, th, nil)
}

// seedGroups is SeedGroups with the store-wide cuts given (SeedGroupsWith),
// or computed from t when cuts is nil.
func seedGroups(ctx context.Context, t *Table, p *Profile, th Thresholds, cuts *GroupCuts) ([]Group, error) {
	if err := th.Check(); err != nil {
		return nil, err
	}
	th = th.withDefaults()
	if p == nil {
		p = &Profile{}
	}
	if cuts == nil {
		c := GroupCutsOf(t, p, th)
		cuts = &c
	}
	n := t.N()
	col := func(name string) []float64 { return t.Col(name) }
	freq := col(Frequency)
	var groups []Group
	var err error // ctx.Err() once a rule found it done
	// rule adds a group; needs lists (what it needs, whether present).
	rule := func(id string, missing string, member func(i int) bool) {
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			return
		}
		g := Group{SegmentInfo: groupInfo(id, th)}
		if missing == "" {
			missing = t.lacks(id)
		}
		if missing != "" {
			g.Needs = missing
			groups = append(groups, g)
			return
		}
		g.Members = make([]bool, n)
		for i := range n {
			g.Members[i] = member(i)
		}
		groups = append(groups, g)
	}
	// needCols names the first of the columns t lacks.
	needCols := func(names ...string) string {
		for _, name := range names {
			if col(name) == nil {
				return "the feature " + name
			}
		}
		return ""
	}
	// buyer: a purchase in the window (features.window_days; all history
	// without one), for the groups on the window's spend and shares; ever:
	// purchases over all history, for those on the customer's history
	// (bought once, lapsed, never bought).
	buyer := func(i int) bool { return freq[i] > 0 }
	ever := t.EverBought()
	rec, mon := col(RecencyDays), col(Monetary)

	rule("one_time_buyer", needCols(Frequency), func(i int) bool { return ever[i] == 1 })
	rule("repeat_buyer", needCols(Frequency), func(i int) bool { return ever[i] >= float64(th.RepeatMinOrders) })
	for _, top := range []struct {
		id    string
		share float64
	}{{"top20", th.TopShare}, {"vip_top5", th.VIPShare}, {"elite_top1", th.EliteShare}} {
		missing := needCols(Frequency, Monetary)
		cut := map[string]float64{"top20": cuts.Top, "vip_top5": cuts.VIP, "elite_top1": cuts.Elite}[top.id]
		rule(top.id, missing, func(i int) bool { return buyer(i) && mon[i] > cut })
	}
	bigMissing := needCols(Frequency, MaxOrderValue)
	maxOrder := col(MaxOrderValue)
	bigCut := cuts.BigOrder
	rule("big_order", bigMissing, func(i int) bool {
		v := maxOrder[i]
		if mon != nil {
			v = BigOrderValue(v, mon[i])
		}
		return buyer(i) && v > bigCut
	})
	if bigMissing == "" && err == nil {
		g := &groups[len(groups)-1]
		g.Definition += bigOrderOnStore(bigCut, t.MedianOrder)
	}
	premMissing := needCols(Frequency)
	if premMissing == "" && col(PremiumShare) == nil {
		premMissing = "the products table with price_tier"
	}
	prem := col(PremiumShare)
	rule("premium_buyer", premMissing, func(i int) bool { return buyer(i) && prem[i] >= th.PremiumShare })
	recMissing := needCols(Frequency, RecencyDays)
	rule("bought_last_30d", recMissing, func(i int) bool { return ever[i] > 0 && rec[i] < float64(th.RecentDays) })
	rule("idle", recMissing, func(i int) bool {
		return ever[i] > 0 && rec[i] >= float64(th.IdleDays) && rec[i] < float64(th.LapsedDays)
	})
	rule("lapsed", recMissing, func(i int) bool { return ever[i] > 0 && rec[i] >= float64(th.LapsedDays) })
	peak := col(FirstOrderInPeak)
	rule("seasonal_first_timer", needCols(Frequency, FirstOrderInPeak), func(i int) bool { return ever[i] == 1 && peak[i] == 1 })
	coupon := col(FirstOrderCoupon)
	rule("coupon_first_order", needCols(Frequency, FirstOrderCoupon), func(i int) bool { return ever[i] > 0 && coupon[i] == 1 })
	disc := col(DiscountRatio)
	rule("discount_hunter", needCols(Frequency, DiscountRatio), func(i int) bool {
		return freq[i] >= 2 && disc[i] >= th.DiscountHunterRatio
	})
	sale := col(SaleDayShare)
	rule("sale_day_shopper", needCols(Frequency, SaleDayShare), func(i int) bool { return buyer(i) && sale[i] >= th.SaleDayShare })
	trendMissing := needCols(Frequency)
	if trendMissing == "" && col(NewProductShare) == nil {
		trendMissing = "the products table with launch_time"
	}
	trend := col(NewProductShare)
	rule("trend_follower", trendMissing, func(i int) bool { return freq[i] >= 2 && trend[i] >= th.TrendShare })
	ret := col(ReturnedLast)
	rule("dissatisfied", needCols(ReturnedLast), func(i int) bool { return ret[i] == 1 })
	needCustomers := func(present bool, column string) string {
		if !present {
			return "the customers table with " + column
		}
		return ""
	}
	rule("newsletter_subscriber", needCustomers(p.Newsletter != nil, "newsletter"), func(i int) bool { return p.Newsletter[i] })
	abandoned := col(AbandonedCarts)
	rule("cart_abandoner", eventsNeed(abandoned), func(i int) bool { return abandoned[i] >= 1 })
	views := col(Views)
	browseMissing := eventsNeed(views)
	if browseMissing == "" {
		browseMissing = needCols(Frequency)
	}
	rule("browser_never_bought", browseMissing, func(i int) bool { return ever[i] == 0 && views[i] >= float64(th.BrowserMinViews) })
	leadMissing := needCustomers(p.Registered != nil, "customer_id")
	if leadMissing == "" {
		leadMissing = needCols(Frequency)
	}
	rule("registered_lead", leadMissing, func(i int) bool { return p.Registered[i] && ever[i] == 0 })
	rule("b2b", needCustomers(p.B2B != nil, "b2b"), func(i int) bool { return p.B2B[i] })
	if err != nil {
		return nil, err
	}

	if p.City == nil {
		g := Group{SegmentInfo: groupInfo("city", th), Needs: needsCity}
		groups = append(groups, g)
		return groups, nil
	}
	used := map[string]bool{}
	for _, g := range groups {
		used[g.ID] = true
	}
	for _, city := range cuts.Cities {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		g := Group{SegmentInfo: cityInfo(city, th.TopCities, used), Members: make([]bool, n)}
		for i, c := range p.City {
			g.Members[i] = c == city
		}
		groups = append(groups, g)
	}
	return groups, nil
}

func eventsNeed(c []float64) string {
	if c == nil {
		return "the events table"
	}
	return ""
}

// topCuts returns Q(1 − share) of the values of buyers (freq > 0) for
// each share: the value a top-share member must exceed; +Inf without
// buyers.
func topCuts(values, freq []float64, shares ...float64) []float64 {
	v := make([]float64, 0, len(values))
	for i, m := range values {
		if freq[i] > 0 {
			v = append(v, m)
		}
	}
	if len(v) == 0 {
		out := make([]float64, len(shares))
		for i := range out {
			out[i] = math.Inf(1)
		}
		return out
	}
	ranks := make([]int, len(shares))
	for i, s := range shares {
		ranks[i] = TopRank(len(v), s)
	}
	return orderStats(v, ranks...)
}

// topCities returns the n most common non-empty cities, most customers
// first (ties by name).
func topCities(city []string, n int) []string {
	count := map[string]int{}
	for _, c := range city {
		if c != "" {
			count[c]++
		}
	}
	return RankCities(count, n)
}
