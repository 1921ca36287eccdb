package features

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/segment-tool/segment/data"
)

// Options configures an Aggregator. The zero value is ready to use.
type Options struct {
	// AsOf is the analysis date: only lines strictly before it count, and
	// recency and tenure are measured up to it. Lines with Time >= AsOf
	// are excluded and counted in Table.LinesAfterAsOf. The zero value
	// means the day after the newest order line: midnight in Location
	// following the newest line's calendar date in Location (DefaultAsOf).
	// The clock is never read. An explicit AsOf is normally a midnight in
	// Location too.
	AsOf time.Time

	// Location is the store's time zone. Calendar days are counted in it:
	// the default AsOf, the whole days of recency_days and tenure_days, the
	// first day of the window (WindowDays) and the peak-season and sale
	// days of an order. nil means UTC.
	Location *time.Location

	// TopCategories is the number N of categories, ranked by store-wide
	// gross revenue, that get their own mix_ column. 0 means 8.
	TopCategories int

	// PeakStart and PeakEnd bound the peak season, inclusive, as "MM-DD"
	// calendar days of the order time in Location. A range whose
	// start is after its end wraps around the new year. Empty means
	// "11-15" and "12-31".
	PeakStart, PeakEnd string

	// WindowDays, when positive, limits frequency, monetary and every
	// per-order ratio (aov, discount_ratio, coupon_order_share,
	// return_rate, items_per_order, mean_interorder_days,
	// peak_season_share, the category mix and distinct_categories) to
	// orders whose time is in [AsOf − WindowDays days, AsOf), days on the
	// calendar of Location (24h each in UTC). recency_days,
	// tenure_days, first_order_coupon and first_order_in_peak stay
	// measured on all history. 0 means all history.
	WindowDays int

	// Categories, when not nil, fixes the mix categories and their column
	// order instead of ranking the data's categories (TopCategories is
	// then ignored). It is how a saved model re-creates its mix columns on
	// new orders (segment assign).
	Categories []string

	// SaleDays lists the store's sale days as "YYYY-MM-DD" calendar days
	// of the order time in Location; sale_day_share counts the
	// purchases whose first line falls on one. nil means Black Friday and
	// Cyber Monday of every year (see IsBlackFridayWeekend); an empty
	// non-nil slice means the store has none.
	SaleDays []string

	// Products gives attributes of products by product_id. When some
	// product has a Tier, the table gets premium_share; when some has a
	// Launch time, new_product_share. nil: neither column.
	Products map[string]Product

	// TrendDays is how long after its launch a product counts as new for
	// new_product_share. 0 means 30.
	TrendDays int
}

// Product holds the attributes of a product that features use.
type Product struct {
	Tier   string    // price tier; "premium" counts for premium_share
	Launch time.Time // launch time; zero when unknown
}

// PremiumTier is the price tier that premium_share counts.
const PremiumTier = "premium"

// Defaults applied to zero Options fields.
const (
	DefaultTopCategories = 8
	DefaultPeakStart     = "11-15"
	DefaultPeakEnd       = "12-31"
	DefaultTrendDays     = 30
)

// Aggregator folds order lines into per-customer state. Lines may arrive in
// any number of batches, in any order; the resulting Table does not depend
// on how the lines were split or ordered. An Aggregator is not safe for
// concurrent use.
type Aggregator struct {
	opts Options
	loc  *time.Location // opts.Location, or UTC

	asOf    int64 // unix nanoseconds of opts.AsOf, when hasAsOf
	hasAsOf bool

	peakStart, peakEnd  int          // month*100 + day
	saleDays            map[int]bool // year*10000 + month*100 + day; nil: Black Friday and Cyber Monday
	hasTiers, hasLaunch bool
	trendNano           int64
	orderCats           bool // keep category spend per order (WindowDays > 0)

	custIndex map[string]int32
	customers chunked[customerState]
	orders    chunked[orderState]
	orderCat  chunked[[]catSpend] // per order, when orderCats
	catIndex  map[string]int32
	cats      []string
	attrs     attrStore // city, country and channel per order

	// lastCust and lastOrder cache the previous line's customer and order:
	// the lines of one order are usually adjacent.
	lastCust, lastOrder int32

	newest     time.Time
	newestNano int64
	oldest     time.Time
	oldestNano int64
	lines      int64
	afterAsOf  int64
	err        error // first invalid input or overflow; Table returns it

	medianOrder float64 // set by totals

}

// customerState is what an Aggregator keeps per customer.
type customerState struct {
	id         string
	minT, maxT int64      // earliest and latest line time
	cats       []catSpend // gross spend per category (WindowDays == 0)
	orders     []int32    // the customer's orders, in order of appearance
	byID       map[string]int32
}

// orderScanMax is the number of orders a customer's orders are searched
// linearly up to; beyond it they are indexed by a map (byID). Most
// customers have few orders: a short scan is faster than hashing and keeps
// no map per order.
const orderScanMax = 8

// orderState is what an Aggregator keeps per order. Money and quantities
// are exact fixed-point sums (see fixed).
type orderState struct {
	id     string
	time   int64 // earliest line time, unix nanoseconds
	cust   int32
	peak   bool  // the earliest line falls in the peak season
	coupon bool  // some line carries a coupon
	net    fixed // Σ Amount over all lines
	gross  fixed // Σ (Amount + Discount) over non-returned lines
	disc   fixed // Σ Discount over non-returned lines
	qty    fixed // Σ Quantity over non-returned lines
	ret    fixed // Σ |Amount| over returned lines
	sale   bool  // the earliest line falls on a sale day
	prem   fixed // Σ gross of non-returned lines of premium products
	newQty fixed // Σ Quantity of non-returned lines bought while the product was new
}

// catSpend is the gross spend in one category (an index into
// Aggregator.cats).
type catSpend struct {
	cat   int32
	gross fixed
}

// NewAggregator returns an Aggregator with the given options. Invalid
// options (a malformed peak day, a negative count) are reported by Table.
func NewAggregator(o Options) *Aggregator {
	a := &Aggregator{
		opts:      o,
		loc:       o.location(),
		custIndex: make(map[string]int32),
		catIndex:  make(map[string]int32),
		lastCust:  -1,
		lastOrder: -1,
		orderCats: o.WindowDays > 0,
	}
	a.opts.Categories = slices.Clone(o.Categories)
	if !o.AsOf.IsZero() {
		ns, ok := unixNano(o.AsOf)
		if !ok {
			a.fail(fmt.Errorf("features: as_of %s is outside the years 1678–2261", o.AsOf))
		}
		a.asOf, a.hasAsOf = ns, true
	}
	start, end := o.PeakStart, o.PeakEnd
	if start == "" {
		start = DefaultPeakStart
	}
	if end == "" {
		end = DefaultPeakEnd
	}
	var err error
	if a.peakStart, err = parseMonthDay(start); err != nil {
		a.fail(fmt.Errorf("features: peak season start: %w", err))
	}
	if a.peakEnd, err = parseMonthDay(end); err != nil {
		a.fail(fmt.Errorf("features: peak season end: %w", err))
	}
	if o.SaleDays != nil {
		a.saleDays = make(map[int]bool, len(o.SaleDays))
		for _, d := range o.SaleDays {
			day, err := time.Parse(time.DateOnly, d)
			if err != nil {
				a.fail(fmt.Errorf("features: sale day %q: want YYYY-MM-DD", d))
				continue
			}
			a.saleDays[dayKey(day)] = true
		}
	}
	for _, p := range o.Products {
		a.hasTiers = a.hasTiers || p.Tier != ""
		a.hasLaunch = a.hasLaunch || !p.Launch.IsZero()
	}
	trend := o.TrendDays
	if trend == 0 {
		trend = DefaultTrendDays
	}
	a.trendNano = int64(trend) * nanosPerDay
	switch {
	case o.TrendDays < 0:
		a.fail(fmt.Errorf("features: trend days %d is negative", o.TrendDays))
	case o.TopCategories < 0:
		a.fail(fmt.Errorf("features: top categories %d is negative", o.TopCategories))
	case o.WindowDays < 0:
		a.fail(fmt.Errorf("features: window days %d is negative", o.WindowDays))
	}
	return a
}

// fail records the first error; Table returns it.
func (a *Aggregator) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

// Add folds a batch of lines into the aggregate. It keeps no reference to
// lines or to the strings in it, so the caller may reuse the batch. An
// invalid line (empty customer or order id, a non-finite or too large
// number, a time outside the years 1678–2261) makes Table fail; lines
// after it are ignored.
func (a *Aggregator) Add(lines []data.OrderLine) {
	for i := range lines {
		if a.err != nil {
			return
		}
		a.add(&lines[i])
	}
}

// add folds one line.
func (a *Aggregator) add(l *data.OrderLine) {
	t, ok := unixNano(l.Time)
	if !ok {
		a.fail(lineError(l, "time %s: %w", l.Time, errTimeRange))
		return
	}
	if a.hasAsOf && t >= a.asOf {
		a.afterAsOf++
		return
	}
	if l.CustomerID == "" || l.OrderID == "" {
		a.fail(lineError(l, "%w", errMissingID))
		return
	}
	amount, ok1 := toFixed(l.Amount)
	discount, ok2 := toFixed(l.Discount)
	quantity, ok3 := toFixed(l.Quantity)
	if !ok1 || !ok2 || !ok3 {
		a.fail(lineError(l, "amount %v, discount %v, quantity %v: %w", l.Amount, l.Discount, l.Quantity, errBadNumber))
		return
	}
	a.lines++
	if a.lines == 1 || t > a.newestNano {
		a.newest, a.newestNano = l.Time, t
	}
	if a.lines == 1 || t < a.oldestNano {
		a.oldest, a.oldestNano = l.Time, t
	}

	ci := a.customer(l.CustomerID)
	oi := a.order(ci, l.OrderID)
	if ci < 0 || oi < 0 {
		a.fail(lineError(l, "%w", errTooMany))
		return
	}
	a.attrs.add(oi, l, a.orders.len())
	c := a.customers.at(ci)
	c.minT = min(c.minT, t)
	c.maxT = max(c.maxT, t)
	o := a.orders.at(oi)
	if t < o.time {
		local := l.Time.In(a.loc)
		o.time, o.peak, o.sale = t, a.inPeak(local), a.onSaleDay(local)
	}
	if l.Coupon != "" {
		o.coupon = true
	}
	ovf := false
	o.net = o.net.add(amount, &ovf)
	if l.Returned {
		o.ret = o.ret.add(amount.abs(), &ovf)
	} else {
		gross := amount.add(discount, &ovf)
		o.gross = o.gross.add(gross, &ovf)
		o.disc = o.disc.add(discount, &ovf)
		o.qty = o.qty.add(quantity, &ovf)
		if p, ok := a.opts.Products[l.ProductID]; ok {
			if p.Tier == PremiumTier {
				o.prem = o.prem.add(gross, &ovf)
			}
			if launch, ok := unixNano(p.Launch); ok && !p.Launch.IsZero() && t >= launch && t-launch < a.trendNano {
				o.newQty = o.newQty.add(quantity, &ovf)
			}
		}
		cat := a.category(l.Category)
		if a.orderCats {
			oc := a.orderCat.at(oi)
			*oc = addSpend(*oc, cat, gross, &ovf)
		} else {
			c.cats = addSpend(c.cats, cat, gross, &ovf)
		}
	}
	if ovf {
		a.fail(lineError(l, "%w", errOverflow))
	}
}

// customer returns the index of a customer's state, creating it; -1 when
// there are too many customers.
func (a *Aggregator) customer(id string) int32 {
	if a.lastCust >= 0 && a.customers.at(a.lastCust).id == id {
		return a.lastCust
	}
	ci, ok := a.custIndex[id]
	if !ok {
		id = strings.Clone(id)
		if ci = a.customers.push(customerState{id: id, minT: math.MaxInt64, maxT: math.MinInt64}); ci < 0 {
			return -1
		}
		a.custIndex[id] = ci
	}
	a.lastCust, a.lastOrder = ci, -1
	return ci
}

// order returns the index of customer ci's order id, creating it; -1 when
// ci is -1 or there are too many orders.
func (a *Aggregator) order(ci int32, id string) int32 {
	if ci < 0 {
		return -1
	}
	if a.lastOrder >= 0 && a.orders.at(a.lastOrder).id == id {
		return a.lastOrder // lastOrder is reset when the customer changes
	}
	c := a.customers.at(ci)
	oi := int32(-1)
	if c.byID != nil {
		if i, ok := c.byID[id]; ok {
			oi = i
		}
	} else {
		for _, i := range c.orders {
			if a.orders.at(i).id == id {
				oi = i
				break
			}
		}
	}
	if oi < 0 {
		id = strings.Clone(id)
		if oi = a.orders.push(orderState{id: id, cust: ci, time: math.MaxInt64}); oi < 0 {
			return -1
		}
		if a.orderCats {
			a.orderCat.push(nil)
		}
		a.attrs.newOrder()
		c.orders = append(c.orders, oi)
		switch {
		case c.byID != nil:
			c.byID[id] = oi
		case len(c.orders) > orderScanMax:
			c.byID = make(map[string]int32, 2*len(c.orders))
			for _, i := range c.orders {
				c.byID[a.orders.at(i).id] = i
			}
		}
	}
	a.lastOrder = oi
	return oi
}

// category returns the index of a category name, interning it.
func (a *Aggregator) category(name string) int32 {
	ci, ok := a.catIndex[name]
	if !ok {
		name = strings.Clone(name)
		ci = int32(len(a.cats))
		a.catIndex[name] = ci
		a.cats = append(a.cats, name)
	}
	return ci
}

// addSpend adds gross to category cat in a short list of spends.
func addSpend(s []catSpend, cat int32, gross fixed, ovf *bool) []catSpend {
	for i := range s {
		if s[i].cat == cat {
			s[i].gross = s[i].gross.add(gross, ovf)
			return s
		}
	}
	return append(s, catSpend{cat, gross})
}

// lineError describes an invalid line.
func lineError(l *data.OrderLine, format string, args ...any) error {
	return fmt.Errorf("features: customer %q order %q: "+format, append([]any{l.CustomerID, l.OrderID}, args...)...)
}
