package data

import (
	"math"
	"math/rand/v2"
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

// sizes returns the number of customers with orders and of prospects.
func (o GenOptions) sizes() (customers, prospects int) {
	customers = o.Customers
	if customers <= 0 {
		customers = 10000
	}
	prospects = o.Prospects
	switch {
	case prospects < 0:
		prospects = 0
	case prospects == 0:
		prospects = customers / 20
	}
	return customers, prospects
}

// generator generates the store's customers one at a time, in id order,
// appending their order lines, events and profile to its slices (which its
// caller takes away). Customer i draws every random number from its own
// stream, PCG(Seed, i), in a fixed order, so the same options give the same
// store; only the order numbers run on from one customer to the next.
type generator struct {
	seed      uint64
	src       rand.PCG
	rng       *rand.Rand // reads src
	nextOrder uint64     // the last order number used
	lines     []lineRec
	events    []eventRec
	profiles  []profileRec
	days      []time.Time // orderDays' result, reused
}

func newGenerator(seed uint64) *generator {
	g := &generator{seed: seed}
	g.rng = rand.New(&g.src)
	return g
}

// add generates customer i (customer_id C<i+1>): a prospect, or a customer
// with a persona drawn by pickPersona.
func (g *generator) add(i uint32, prospect bool) {
	g.src.Seed(g.seed, uint64(i))
	if prospect {
		g.prospect(i)
		return
	}
	g.customer(i, pickPersona(g.rng))
}

// pickPersona returns the index in personas of a persona drawn by share.
func pickPersona(rng *rand.Rand) int {
	u := rng.Float64()
	for i, p := range personas {
		if u < p.Share {
			return i
		}
		u -= p.Share
	}
	return len(personas) - 1
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

// customer adds customer cust with persona personas[pi].
func (g *generator) customer(cust uint32, pi int) {
	rng, p := g.rng, &personas[pi]
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
	days := g.orderDays(p)
	if tr[tSaleDay] {
		days = append(days[:0], saleDays[2+rng.IntN(2)]) // 2024's, inside the peak window
	} else {
		for i, d := range days {
			if isSaleDay(d) { // keep everyone else off sale days
				days[i] = d.AddDate(0, 0, 1)
			}
		}
	}
	var last time.Time
	for k, day := range days {
		start, at := g.order(cust, pi, day, last, k == 0, tr)
		last = at
		if k == 0 && tr[tDissatisfied] {
			tr[tDissatisfied] = g.returnOne(g.lines[start:], at)
		}
	}
	if tr[tAbandon] {
		g.abandon(cust, days)
	}
	g.profile(cust, pi, days[0].AddDate(0, 0, -rng.IntN(60)), tr)
}

// prospect adds a customer who registered in the last year and never
// ordered; some browse, and some of those leave a cart.
func (g *generator) prospect(cust uint32) {
	rng := g.rng
	signup := StoreEnd.AddDate(0, 0, -rng.IntN(365))
	var tr traits
	if rng.Float64() < traitBrowse {
		tr[tBrowse] = true
		span := int(StoreEnd.Sub(signup).Hours()/24) - 1
		for range 3 + rng.IntN(6) {
			at := signup.AddDate(0, 0, rng.IntN(max(span, 1))).Add(time.Duration(8*3600+rng.IntN(14*3600)) * time.Second)
			g.event(cust, evView, pickProduct(rng, homeCategory, at, false, false), at)
		}
		if rng.Float64() < traitBrowseAdd {
			tr[tAbandon] = true
			g.abandon(cust, nil)
		}
	}
	g.profile(cust, len(personas), signup, tr)
}

// abandon adds a day in the 25 to 2 days before the store's end, other
// than the customer's order days, with views and a cart add but no
// checkout.
func (g *generator) abandon(cust uint32, orderDays []time.Time) {
	rng := g.rng
	var day time.Time
	for {
		day = StoreEnd.AddDate(0, 0, -2-rng.IntN(24))
		if !slices.ContainsFunc(orderDays, func(d time.Time) bool { return d.Equal(day) }) {
			break
		}
	}
	at := day.Add(time.Duration(8*3600+rng.IntN(14*3600)) * time.Second)
	product := pickProduct(rng, homeCategory, day, false, false)
	for v := range 1 + rng.IntN(3) {
		g.event(cust, evView, product, at.Add(time.Duration(v)*time.Minute))
	}
	g.event(cust, evAddToCart, product, at.Add(5*time.Minute))
}

// returnOne returns one unit of the first of lines (an order placed at at)
// when they hold more than one unit in all, 2–10 days after the order, as
// an order "R…" of its own; it reports false (nothing returned) for a
// single-unit order.
func (g *generator) returnOne(lines []lineRec, at time.Time) bool {
	var units int64
	for _, l := range lines {
		units += int64(l.qty)
	}
	if units < 2 {
		return false
	}
	l := lines[0]
	g.nextOrder++
	g.lines = append(g.lines, lineRec{
		t: at.AddDate(0, 0, 2+g.rng.IntN(9)).UnixMicro(), order: uint32(g.nextOrder), cust: l.cust,
		product: l.product, qty: -1, flags: lineReturn, price: l.price,
	})
	return true
}

// profile adds the customer's customers.parquet and truth.parquet row;
// persona is an index in personas, len(personas) for a prospect.
func (g *generator) profile(cust uint32, persona int, signup time.Time, tr traits) {
	rng := g.rng
	u := rng.Float64()
	ci := len(cities) - 1
	for i, c := range cities {
		if u < c.weight {
			ci = i
			break
		}
		u -= c.weight
	}
	p := profileRec{signup: signup.UnixMicro(), city: uint8(ci), persona: uint8(persona)}
	p.newsletter = rng.Float64() < 0.45
	p.b2b = rng.Float64() < 0.05
	p.age = uint8(rng.IntN(len(ageBands)))
	for k, on := range tr {
		if on {
			p.traits |= 1 << k
		}
	}
	g.profiles = append(g.profiles, p)
}

// orderDays returns the days of a customer's purchases, oldest first, in
// g.days.
func (g *generator) orderDays(p *persona) []time.Time {
	rng := g.rng
	n := between(rng, p.Orders)
	if p.Peak {
		span := int(peakEnd.Sub(peakStart).Hours() / 24)
		g.days = append(g.days[:0], peakStart.AddDate(0, 0, rng.IntN(span+1)))
		return g.days
	}
	last := StoreEnd.AddDate(0, 0, -between(rng, p.Recent))
	if n == 1 {
		g.days = append(g.days[:0], last)
		return g.days
	}
	first := last.AddDate(0, 0, -between(rng, p.Span))
	days := append(g.days[:0], first, last)
	span := int(last.Sub(first).Hours() / 24)
	for range n - 2 {
		days = append(days, first.AddDate(0, 0, rng.IntN(span+1)))
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	g.days = days
	return days
}

// order adds one purchase of persona personas[pi] and its events (views, a
// cart add per line and a checkout, the same day, before the order), and
// returns the index of its first line in g.lines and its time. Orders of
// one customer are strictly later than after (the previous one), so that
// the first order by time is the first one generated.
func (g *generator) order(cust uint32, pi int, day, after time.Time, first bool, tr traits) (start int, at time.Time) {
	rng, p := g.rng, &personas[pi]
	g.nextOrder++
	order := uint32(g.nextOrder)
	at = day.Add(time.Duration(8*3600+rng.IntN(14*3600)) * time.Second)
	if !at.After(after) {
		at = after.Add(time.Minute)
	}
	value := p.Value[0] + rng.Float64()*(p.Value[1]-p.Value[0])
	var coupon uint8
	if first && p.FirstCoupon || !first && rng.Float64() < p.Coupon {
		coupon = uint8(1 + rng.IntN(4)) // SAVE5 … SAVE20
	}
	nLines := 1 + rng.IntN(4)
	var weights [4]float64
	var sum float64
	for i := range nLines {
		weights[i] = 0.5 + rng.Float64()
		sum += weights[i]
	}
	start = len(g.lines)
	micros := at.UnixMicro()
	for i := range nLines {
		cat := mixCategories[pi][pickCategory(rng, p.Mix)]
		qty := 1 + rng.IntN(3)
		gross := value * weights[i] / sum
		// Prices are whole cents: the line keeps the cents, and the
		// table's float64 is cents/100, the very value computed here.
		cents := math.Round(gross / float64(qty) * 100)
		if cents/100 < 0.5 {
			cents = 50
		}
		price := cents / 100
		rate := p.Disc[0] + rng.Float64()*(p.Disc[1]-p.Disc[0])
		disc := math.Round(price * float64(qty) * rate * 100)
		product := pickProduct(rng, cat, day, tr[tPremium], tr[tTrend])
		g.lines = append(g.lines, lineRec{
			t: micros, order: order, cust: cust, product: product, qty: int8(qty), flags: coupon,
			lineNo: uint8(i), price: int32(cents), discount: int32(disc),
		})
		g.event(cust, evAddToCart, product, at.Add(-time.Duration(10+i)*time.Minute))
	}
	for v := range 1 + rng.IntN(3) {
		g.event(cust, evView, g.lines[start].product, at.Add(-time.Duration(20+v)*time.Minute))
	}
	g.event(cust, evCheckout, noProduct, at.Add(-time.Minute))
	return start, at
}

// event adds an event; seq keeps the order in which they were generated.
func (g *generator) event(cust uint32, typ uint8, product uint16, at time.Time) {
	g.events = append(g.events, eventRec{t: at.UnixMicro(), cust: cust, seq: uint32(len(g.events)), product: product, typ: typ})
}

// pickCategory returns the index in mix of a category drawn by weight.
func pickCategory(rng *rand.Rand, mix []catWeight) int {
	var total float64
	for _, c := range mix {
		total += c.Weight
	}
	u := rng.Float64() * total
	for i, c := range mix {
		if u < c.Weight {
			return i
		}
		u -= c.Weight
	}
	return len(mix) - 1
}

func between(rng *rand.Rand, r [2]int) int {
	return r[0] + rng.IntN(r[1]-r[0]+1)
}
