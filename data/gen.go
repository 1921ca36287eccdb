package data

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// GenOptions configures the synthetic store.
type GenOptions struct {
	Customers int    // number of customers with orders; 0 means 10,000
	Seed      uint64 // the only source of randomness
	// Prospects is the number of extra customers who registered but never
	// ordered (in customers.parquet and truth.parquet as persona "prospect",
	// not in orders.parquet); negative means none, 0 means Customers/20.
	Prospects int
}

// ProspectPersona is the truth.parquet persona of customers without orders.
const ProspectPersona = "prospect"

// StoreEnd is the last day of the synthetic store's history. It is fixed so
// that a generated store, and every run on it, is reproducible.
var StoreEnd = time.Date(2025, time.October, 31, 0, 0, 0, 0, time.UTC)

// peakStart and peakEnd bound last year's peak season (inclusive), where
// seasonal first-timers place their only order.
var (
	peakStart = time.Date(2024, time.November, 15, 0, 0, 0, 0, time.UTC)
	peakEnd   = time.Date(2024, time.December, 31, 0, 0, 0, 0, time.UTC)
)

// Store is a generated store held as tables.
type Store struct {
	Orders    *Table // order lines: order_id, customer_id, time, product_id, category, quantity, unit_price, discount, coupon
	Customers *Table // customer_id, email, city, country, newsletter, signup_time, b2b, age_band
	Products  *Table // product_id, category, price_tier, launch_time
	Events    *Table // customer_id, time, type (view, add_to_cart, checkout), product_id
	Truth     *Table // customer_id, persona, then one boolean column per TraitColumns
}

// GenerateStore builds a synthetic store with planted personas (see
// Personas). The same options give the same store, byte for byte.
func GenerateStore(o GenOptions) *Store {
	n := o.Customers
	if n <= 0 {
		n = 10000
	}
	prospects := o.Prospects
	switch {
	case prospects < 0:
		prospects = 0
	case prospects == 0:
		prospects = n / 20
	}
	var g storeBuilder
	width := len(fmt.Sprint(n + prospects))
	for i := range n + prospects {
		rng := rand.New(rand.NewPCG(o.Seed, uint64(i)))
		id := fmt.Sprintf("C%0*d", width, i+1)
		if i >= n {
			g.prospect(rng, id)
			continue
		}
		g.customer(rng, id, pickPersona(rng))
	}
	return g.store()
}

// WriteStore writes orders.parquet, customers.parquet, products.parquet,
// events.parquet and truth.parquet into dir, creating it if needed.
func WriteStore(ctx context.Context, dir string, s *Store) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	for _, f := range []struct {
		name string
		t    *Table
	}{{"orders.parquet", s.Orders}, {"customers.parquet", s.Customers}, {"products.parquet", s.Products},
		{"events.parquet", s.Events}, {"truth.parquet", s.Truth}} {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := writeParquetFile(filepath.Join(dir, f.name), f.t); err != nil {
			return err
		}
	}
	return nil
}

func writeParquetFile(path string, t *Table) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("data: close %s: %w", path, cerr)
		}
	}()
	if err := WriteParquet(f, t); err != nil {
		return fmt.Errorf("data: write %s: %w", path, err)
	}
	return nil
}

func pickPersona(rng *rand.Rand) persona {
	u := rng.Float64()
	for _, p := range personas {
		if u < p.Share {
			return p
		}
		u -= p.Share
	}
	return personas[len(personas)-1]
}

// line is one generated order line before it is sorted into the table.
type line struct {
	orderID, customerID, productID, category, coupon string
	t                                                time.Time
	qty                                              int64
	price, discount                                  float64
}

type storeBuilder struct {
	lines                                      []line
	events                                     []event
	ids, emails, cities, countries, pers, ages []string
	newsletter, b2b                            []bool
	signup                                     []time.Time
	traits                                     []traits
	nextOrder                                  int
}

// event is one generated row of events.parquet.
type event struct {
	customerID, typ, productID string
	t                          time.Time
}

// traits a customer carries, in TraitColumns order.
type traits [len(traitNames)]bool

const (
	tCouponFirst = iota
	tSaleDay
	tTrend
	tPremium
	tDissatisfied
	tAbandon
	tBrowse
)

var traitNames = [...]string{"coupon_first_order", "sale_day_shopper", "trend_follower", "premium_buyer",
	"dissatisfied", "cart_abandoner", "browser_never_bought"}

var ageBands = []string{"18-24", "25-34", "35-44", "45-54", "55-64", "65+"}

var cities = []struct {
	city, country string
	weight        float64
}{
	{"Bucharest", "RO", 0.22}, {"Cluj-Napoca", "RO", 0.12}, {"Berlin", "DE", 0.16},
	{"Munich", "DE", 0.08}, {"Paris", "FR", 0.14}, {"Lyon", "FR", 0.06},
	{"Madrid", "ES", 0.12}, {"Lisbon", "PT", 0.10},
}

func (g *storeBuilder) customer(rng *rand.Rand, id string, p persona) {
	var tr traits
	tr[tCouponFirst] = p.FirstCoupon
	switch p.Name {
	case "seasonal_first_timers":
		tr[tSaleDay] = rng.Float64() < traitSaleDay
	case "loyal_repeat":
		tr[tTrend] = rng.Float64() < traitTrend
		tr[tAbandon] = rng.Float64() < traitAbandon
	case "champions":
		tr[tPremium] = rng.Float64() < traitPremium
		tr[tAbandon] = rng.Float64() < traitAbandon
	case "one_time":
		tr[tDissatisfied] = rng.Float64() < traitReturn
	}
	days := orderDays(rng, p)
	if tr[tSaleDay] {
		days = []time.Time{saleDays[2+rng.IntN(2)]} // 2024's, inside the peak window
	} else {
		for i, d := range days {
			if isSaleDay(d) { // keep everyone else off sale days
				days[i] = d.AddDate(0, 0, 1)
			}
		}
	}
	var last time.Time
	for k, day := range days {
		first := g.order(rng, id, p, day, last, k == 0, tr)
		last = first[0].t
		if k == 0 && tr[tDissatisfied] {
			tr[tDissatisfied] = g.returnOne(rng, first)
		}
	}
	if tr[tAbandon] {
		g.abandon(rng, id, days)
	}
	g.profile(rng, id, p.Name, days[0].AddDate(0, 0, -rng.IntN(60)), tr)
}

// prospect adds a customer who registered in the last year and never
// ordered; some browse, and some of those leave a cart.
func (g *storeBuilder) prospect(rng *rand.Rand, id string) {
	signup := StoreEnd.AddDate(0, 0, -rng.IntN(365))
	var tr traits
	if rng.Float64() < traitBrowse {
		tr[tBrowse] = true
		span := int(StoreEnd.Sub(signup).Hours()/24) - 1
		for range 3 + rng.IntN(6) {
			at := signup.AddDate(0, 0, rng.IntN(max(span, 1))).Add(time.Duration(8*3600+rng.IntN(14*3600)) * time.Second)
			g.events = append(g.events, event{id, "view", pickProduct(rng, "home", at, false, false), at})
		}
		if rng.Float64() < traitBrowseAdd {
			tr[tAbandon] = true
			g.abandon(rng, id, nil)
		}
	}
	g.profile(rng, id, ProspectPersona, signup, tr)
}

// abandon adds a day in the 25 to 2 days before the store's end, other
// than the customer's order days, with views and a cart add but no
// checkout.
func (g *storeBuilder) abandon(rng *rand.Rand, id string, orderDays []time.Time) {
	var day time.Time
	for {
		day = StoreEnd.AddDate(0, 0, -2-rng.IntN(24))
		if !slices.ContainsFunc(orderDays, func(d time.Time) bool { return d.Equal(day) }) {
			break
		}
	}
	at := day.Add(time.Duration(8*3600+rng.IntN(14*3600)) * time.Second)
	product := pickProduct(rng, "home", day, false, false)
	for v := range 1 + rng.IntN(3) {
		g.events = append(g.events, event{id, "view", product, at.Add(time.Duration(v) * time.Minute)})
	}
	g.events = append(g.events, event{id, "add_to_cart", product, at.Add(5 * time.Minute)})
}

// returnOne returns one unit of the first line of an order that has more
// than one unit in all, 2–10 days after it, as an order "R…" of its own;
// it reports false (nothing returned) for a single-unit order.
func (g *storeBuilder) returnOne(rng *rand.Rand, lines []line) bool {
	var units int64
	for _, l := range lines {
		units += l.qty
	}
	if units < 2 {
		return false
	}
	l := lines[0]
	g.nextOrder++
	g.lines = append(g.lines, line{
		orderID: fmt.Sprintf("R%08d", g.nextOrder), customerID: l.customerID, productID: l.productID, category: l.category,
		t: l.t.AddDate(0, 0, 2+rng.IntN(9)), qty: -1, price: l.price,
	})
	return true
}

// profile adds a customers.parquet row and a truth.parquet row.
func (g *storeBuilder) profile(rng *rand.Rand, id, persona string, signup time.Time, tr traits) {
	u := rng.Float64()
	ci := len(cities) - 1
	for i, c := range cities {
		if u < c.weight {
			ci = i
			break
		}
		u -= c.weight
	}
	g.ids = append(g.ids, id)
	g.emails = append(g.emails, fmt.Sprintf("%s@example.com", id))
	g.cities = append(g.cities, cities[ci].city)
	g.countries = append(g.countries, cities[ci].country)
	g.newsletter = append(g.newsletter, rng.Float64() < 0.45)
	g.b2b = append(g.b2b, rng.Float64() < 0.05)
	g.ages = append(g.ages, ageBands[rng.IntN(len(ageBands))])
	g.signup = append(g.signup, signup)
	g.pers = append(g.pers, persona)
	g.traits = append(g.traits, tr)
}

// orderDays returns the days of a customer's purchases, oldest first.
func orderDays(rng *rand.Rand, p persona) []time.Time {
	n := between(rng, p.Orders)
	if p.Peak {
		span := int(peakEnd.Sub(peakStart).Hours() / 24)
		return []time.Time{peakStart.AddDate(0, 0, rng.IntN(span+1))}
	}
	last := StoreEnd.AddDate(0, 0, -between(rng, p.Recent))
	if n == 1 {
		return []time.Time{last}
	}
	first := last.AddDate(0, 0, -between(rng, p.Span))
	days := []time.Time{first, last}
	span := int(last.Sub(first).Hours() / 24)
	for range n - 2 {
		days = append(days, first.AddDate(0, 0, rng.IntN(span+1)))
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	return days
}

// order adds one purchase and its events (views, a cart add per line and
// a checkout, the same day, before the order), and returns its lines.
// Orders of one customer are strictly later than after (the previous
// one), so that the first order by time is the first one generated.
func (g *storeBuilder) order(rng *rand.Rand, customerID string, p persona, day, after time.Time, first bool, tr traits) []line {
	g.nextOrder++
	orderID := fmt.Sprintf("O%08d", g.nextOrder)
	at := day.Add(time.Duration(8*3600+rng.IntN(14*3600)) * time.Second)
	if !at.After(after) {
		at = after.Add(time.Minute)
	}
	value := p.Value[0] + rng.Float64()*(p.Value[1]-p.Value[0])
	coupon := ""
	if first && p.FirstCoupon || !first && rng.Float64() < p.Coupon {
		coupon = fmt.Sprintf("SAVE%d", 5*(1+rng.IntN(4)))
	}
	nLines := 1 + rng.IntN(4)
	weights := make([]float64, nLines)
	var sum float64
	for i := range weights {
		weights[i] = 0.5 + rng.Float64()
		sum += weights[i]
	}
	start := len(g.lines)
	for i := range nLines {
		cat := pickCategory(rng, p.Mix)
		qty := int64(1 + rng.IntN(3))
		gross := value * weights[i] / sum
		price := math.Round(gross/float64(qty)*100) / 100
		if price < 0.5 {
			price = 0.5
		}
		rate := p.Disc[0] + rng.Float64()*(p.Disc[1]-p.Disc[0])
		disc := math.Round(price*float64(qty)*rate*100) / 100
		product := pickProduct(rng, cat, day, tr[tPremium], tr[tTrend])
		g.lines = append(g.lines, line{
			orderID: orderID, customerID: customerID, category: cat, coupon: coupon,
			productID: product, t: at, qty: qty, price: price, discount: disc,
		})
		g.events = append(g.events, event{customerID, "add_to_cart", product, at.Add(-time.Duration(10+i) * time.Minute)})
	}
	for v := range 1 + rng.IntN(3) {
		g.events = append(g.events, event{customerID, "view", g.lines[start].productID, at.Add(-time.Duration(20+v) * time.Minute)})
	}
	g.events = append(g.events, event{customerID, "checkout", "", at.Add(-time.Minute)})
	return g.lines[start:len(g.lines):len(g.lines)]
}

func pickCategory(rng *rand.Rand, mix []catWeight) string {
	var total float64
	for _, c := range mix {
		total += c.Weight
	}
	u := rng.Float64() * total
	for _, c := range mix {
		if u < c.Weight {
			return c.Category
		}
		u -= c.Weight
	}
	return mix[len(mix)-1].Category
}

func between(rng *rand.Rand, r [2]int) int {
	return r[0] + rng.IntN(r[1]-r[0]+1)
}
