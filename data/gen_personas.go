package data

import (
	"slices"
	"time"
)

// A persona is a kind of customer the synthetic store plants, taken from the
// segments the seed articles describe. Each persona fixes how many orders a
// customer places, when, how large, with what discount and in which
// categories. The ranges are wide enough to look like a store and narrow
// enough that the personas stay separable in the default clustering space
// (recency, frequency, monetary, AOV, discount ratio, category mix).
type persona struct {
	Name   string
	Share  float64    // fraction of customers
	Orders [2]int     // inclusive range of purchases
	Recent [2]int     // days before the store's last day of the newest purchase
	Span   [2]int     // days between first and last purchase (ignored for one order)
	Value  [2]float64 // target order value before discount, USD
	Disc   [2]float64 // discount rate of a line
	Coupon float64    // probability an order after the first uses a coupon
	// FirstCoupon: the first order always uses a coupon (and for every
	// other persona never does), so coupon_first_order is exact.
	FirstCoupon bool
	Peak        bool // the single order falls in last year's peak season
	Mix         []catWeight
}

type catWeight struct {
	Category string
	Weight   float64
}

// generalMix is how most customers spread their spend across the catalogue.
var generalMix = []catWeight{
	{"apparel", 0.24}, {"home", 0.18}, {"beauty", 0.14}, {"electronics", 0.12},
	{"grocery", 0.12}, {"sports", 0.10}, {"books", 0.10},
}

// personas are the planted customer kinds, in the order truth.parquet uses.
var personas = []persona{
	{
		Name: "champions", Share: 0.11,
		Orders: [2]int{25, 40}, Recent: [2]int{1, 6}, Span: [2]int{450, 650},
		Value: [2]float64{300, 450}, Disc: [2]float64{0, 0.04}, Coupon: 0.05,
		Mix: generalMix,
	},
	{
		Name: "loyal_repeat", Share: 0.15,
		Orders: [2]int{7, 10}, Recent: [2]int{5, 20}, Span: [2]int{250, 500},
		Value: [2]float64{100, 140}, Disc: [2]float64{0, 0.04}, Coupon: 0.05,
		Mix: generalMix,
	},
	{
		Name: "one_time", Share: 0.17,
		Orders: [2]int{1, 1}, Recent: [2]int{10, 35},
		Value: [2]float64{35, 55}, Disc: [2]float64{0, 0.04}, Coupon: 0.05,
		Mix: generalMix,
	},
	{
		Name: "discount_hunters", Share: 0.14,
		Orders: [2]int{3, 5}, Recent: [2]int{10, 40}, Span: [2]int{120, 300},
		Value: [2]float64{40, 60}, Disc: [2]float64{0.35, 0.5}, Coupon: 0.9, FirstCoupon: true,
		Mix: generalMix,
	},
	{
		Name: "seasonal_first_timers", Share: 0.14,
		Orders: [2]int{1, 1}, Peak: true,
		Value: [2]float64{90, 140}, Disc: [2]float64{0.05, 0.15}, Coupon: 0.3,
		Mix: []catWeight{{"toys", 0.7}, {"electronics", 0.15}, {"books", 0.15}},
	},
	{
		Name: "lapsed_big_spenders", Share: 0.13,
		Orders: [2]int{5, 9}, Recent: [2]int{400, 550}, Span: [2]int{150, 300},
		Value: [2]float64{220, 320}, Disc: [2]float64{0, 0.04}, Coupon: 0.05,
		Mix: generalMix,
	},
	{
		Name: "category_specialists", Share: 0.16,
		Orders: [2]int{9, 14}, Recent: [2]int{5, 15}, Span: [2]int{200, 400},
		Value: [2]float64{18, 30}, Disc: [2]float64{0, 0.04}, Coupon: 0.05,
		Mix: []catWeight{{"pets", 1}},
	},
}

// Personas returns the names of the planted personas, in truth order.
func Personas() []string {
	names := make([]string, len(personas))
	for i, p := range personas {
		names[i] = p.Name
	}
	return names
}

// Traits are behaviours planted on a share of some personas, for the seed
// groups that the clustering personas do not cover. Each is recorded as a
// boolean column of truth.parquet named as its group.
const (
	traitSaleDay   = 0.40 // of seasonal_first_timers: the single order on Black Friday or Cyber Monday 2024
	traitTrend     = 0.35 // of loyal_repeat: every item launched within 30 days
	traitPremium   = 0.50 // of champions: only premium-tier products
	traitReturn    = 0.25 // of one_time: return one line 2–10 days later
	traitAbandon   = 0.30 // of champions and loyal_repeat: a recent cart left without checkout
	traitBrowse    = 0.50 // of prospects: 3–8 product views
	traitBrowseAdd = 0.30 // of browsing prospects: also a recent abandoned cart
)

// TraitColumns returns the names of the boolean truth.parquet columns,
// after persona: each is the seed group its trait plants.
func TraitColumns() []string { return slices.Clone(traitNames[:]) }

// The sale days of the synthetic history: Black Friday and Cyber Monday.
var saleDays = []time.Time{
	time.Date(2023, 11, 24, 0, 0, 0, 0, time.UTC), time.Date(2023, 11, 27, 0, 0, 0, 0, time.UTC),
	time.Date(2024, 11, 29, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 2, 0, 0, 0, 0, time.UTC),
}

func isSaleDay(day time.Time) bool {
	y, m, d := day.Date()
	return slices.ContainsFunc(saleDays, func(s time.Time) bool {
		sy, sm, sd := s.Date()
		return y == sy && m == sm && d == sd
	})
}
