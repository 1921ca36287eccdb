package features

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// customerTotals are one customer's sums over the orders that count.
type customerTotals struct {
	// over all history (before as_of), purchases only
	havePurchase         bool
	firstP, lastP        int64 // first and last purchase time
	firstID              string
	firstCoupon, firstPk bool

	// over the window
	orders, freq          int
	couponP, peakP        int
	firstPW, lastPW       int64 // first and last purchase time in the window
	net, gross, disc, qty fixed
	ret                   fixed
	cats                  []catSpend
	saleP                 int
	maxOrder              fixed
	prem, newQty          fixed

	// over all history: the latest return or cancellation
	haveRet bool
	lastRet int64
}

// Table returns the per-customer feature table of everything added so far.
// It fails when nothing was aggregated (ErrNoCustomers), when a line was
// invalid (ErrInvalidLine) or when the options are invalid. Table does not
// change the Aggregator: more lines may be added and Table called again.
func (a *Aggregator) Table() (*Table, error) { return a.TableContext(context.Background()) }

// TableContext is Table, returning ctx.Err() between its passes over the
// orders and the customers once ctx is done.
func (a *Aggregator) TableContext(ctx context.Context) (*Table, error) {
	if a.err != nil {
		return nil, a.err
	}
	if a.opts.Categories != nil {
		if err := checkCategories(a.opts.Categories); err != nil {
			return nil, err
		}
	}
	if a.customers.len() == 0 {
		return nil, ErrNoCustomers
	}
	asOf := a.opts.AsOf
	if !a.hasAsOf {
		asOf = DefaultAsOf(a.newest, a.loc)
	}
	asOfNano, ok := unixNano(asOf)
	if !ok {
		return nil, fmt.Errorf("features: as_of %s is outside the years 1678–2261", asOf)
	}
	from := windowStart(asOf, a.loc, a.opts.WindowDays)

	if err := ctx.Err(); err != nil {
		return nil, err
	}
	acc, err := a.totals(ctx, from)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cats, err := a.mixCategories(acc)
	if err != nil {
		return nil, err
	}
	t := &Table{
		AsOf:           asOf,
		Names:          append(append(a.columns(), MixColumns(cats)...), MixOther),
		Categories:     cats,
		Lines:          a.lines,
		LinesAfterAsOf: a.afterAsOf,
		FirstLine:      a.oldest.In(a.loc),
		LastLine:       a.newest.In(a.loc),
	}
	if err := a.fill(ctx, t, acc, asOfNano); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a.fillAttributes(t)
	return t, nil
}

// totals sums each customer's orders; window sums include only the orders
// whose time is at or after from. It returns ctx.Err() once ctx is done
// (checked every 65,536 orders).
func (a *Aggregator) totals(ctx context.Context, from int64) ([]customerTotals, error) {
	acc := make([]customerTotals, a.customers.len())
	var nets []fixed // net value of every counted purchase
	ovf := false
	for oi := range int32(a.orders.len()) {
		if oi%(1<<16) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		o := a.orders.at(oi)
		c := &acc[o.cust]
		purchase := o.net > 0
		if o.ret > 0 && (!c.haveRet || o.time > c.lastRet) {
			c.haveRet, c.lastRet = true, o.time
		}
		if purchase {
			if !c.havePurchase || o.time < c.firstP || o.time == c.firstP && o.id < c.firstID {
				c.firstP, c.firstID, c.firstCoupon, c.firstPk = o.time, o.id, o.coupon, o.peak
			}
			if !c.havePurchase || o.time > c.lastP {
				c.lastP = o.time
			}
			c.havePurchase = true
		}
		if o.time < from {
			continue
		}
		c.orders++
		c.net = c.net.add(o.net, &ovf)
		c.gross = c.gross.add(o.gross, &ovf)
		c.disc = c.disc.add(o.disc, &ovf)
		c.qty = c.qty.add(o.qty, &ovf)
		c.ret = c.ret.add(o.ret, &ovf)
		c.prem = c.prem.add(o.prem, &ovf)
		c.newQty = c.newQty.add(o.newQty, &ovf)
		if a.orderCats {
			for _, s := range *a.orderCat.at(oi) {
				c.cats = addSpend(c.cats, s.cat, s.gross, &ovf)
			}
		}
		if !purchase {
			continue
		}
		if c.freq == 0 || o.time < c.firstPW {
			c.firstPW = o.time
		}
		if c.freq == 0 || o.time > c.lastPW {
			c.lastPW = o.time
		}
		c.freq++
		if o.coupon {
			c.couponP++
		}
		if o.peak {
			c.peakP++
		}
		if o.sale {
			c.saleP++
		}
		c.maxOrder = max(c.maxOrder, o.net)
		nets = append(nets, o.net)
	}
	a.medianOrder = median(nets)
	if !a.orderCats {
		for ci := range int32(len(acc)) {
			acc[ci].cats = a.customers.at(ci).cats
		}
	}
	if ovf {
		return nil, fmt.Errorf("%w: a customer total", errOverflow)
	}
	return acc, nil
}

// mixCategories returns the mix categories: Options.Categories, or the
// top-N by store-wide gross spend over the counted orders.
func (a *Aggregator) mixCategories(acc []customerTotals) ([]string, error) {
	if a.opts.Categories != nil {
		return slices.Clone(a.opts.Categories), nil
	}
	gross := make([]fixed, len(a.cats))
	ovf := false
	for ci := range acc {
		for _, s := range acc[ci].cats {
			gross[s.cat] = gross[s.cat].add(s.gross, &ovf)
		}
	}
	if ovf {
		return nil, fmt.Errorf("%w: a category total", errOverflow)
	}
	n := a.opts.TopCategories
	if n == 0 {
		n = DefaultTopCategories
	}
	return topCategories(a.cats, gross, n), nil
}

// fill computes every customer's features into t, rows sorted by id. It
// returns ctx.Err() once ctx is done (checked every 4,096 customers).
func (a *Aggregator) fill(ctx context.Context, t *Table, acc []customerTotals, asOf int64) error {
	n := a.customers.len()
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int { return strings.Compare(a.customers.at(x).id, a.customers.at(y).id) })

	mixIdx := make(map[int32]int, len(t.Categories)) // category index → mix position
	for k, name := range t.Categories {
		if ci, ok := a.catIndex[name]; ok {
			mixIdx[ci] = k
		}
	}
	m := len(t.Categories)
	t.IDs = make([]string, n)
	t.TopCategory = make([]string, n)
	t.Cols = make([][]float64, len(t.Names))
	for j := range t.Cols {
		t.Cols[j] = make([]float64, n)
	}
	var revenue fixed
	ovf := false
	mix := make([]fixed, m)
	days := a.daysTo(asOf) // whole store-time days to as_of
	for row, ci := range order {
		if row%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		cs, c := a.customers.at(ci), &acc[ci]
		t.IDs[row] = cs.id
		t.Orders += c.orders
		t.Purchases += c.freq
		revenue = revenue.add(c.net, &ovf)

		first, last := cs.minT, cs.maxT // rule for customers with no purchase
		if c.havePurchase {
			first, last = c.firstP, c.lastP
		}
		tenure := days(first)
		f := float64(c.freq)
		per := func(x float64) float64 { // x per purchase, 0 without one
			if c.freq == 0 {
				return 0
			}
			return x / f
		}
		gap := tenure // frequency ≤ 1: "no second order within tenure_days"
		if c.freq > 1 {
			gap = spanDays(c.firstPW, c.lastPW) / (f - 1)
		}
		returnRate := 0.0
		if c.freq > 0 {
			returnRate = ratio(c.ret, c.gross)
		}
		var top string
		var topGross fixed
		distinct := 0
		clear(mix)
		for _, s := range c.cats {
			name := a.cats[s.cat]
			if k, ok := mixIdx[s.cat]; ok {
				mix[k] = s.gross
			}
			if name == "" {
				continue
			}
			distinct++
			if top == "" || s.gross > topGross || s.gross == topGross && name < top {
				top, topGross = name, s.gross
			}
		}
		t.TopCategory[row] = top

		v := [...]float64{
			days(last),
			tenure,
			f,
			c.net.float(),
			per(c.net.float()),
			ratio(c.disc, c.gross),
			per(float64(c.couponP)),
			boolFloat(c.firstCoupon),
			returnRate,
			per(c.qty.float()),
			gap,
			per(float64(c.peakP)),
			boolFloat(c.firstPk),
			float64(distinct),
			c.maxOrder.float(),
			per(float64(c.saleP)),
			boolFloat(c.haveRet && (!c.havePurchase || c.lastRet >= c.lastP)),
		}
		for j, x := range v {
			t.Cols[j][row] = x
		}
		j := len(v)
		if a.hasTiers {
			t.Cols[j][row] = ratio(c.prem, c.gross)
			j++
		}
		if a.hasLaunch {
			if c.qty > 0 {
				t.Cols[j][row] = ratio(c.newQty, c.qty)
			}
			j++
		}
		other := c.gross
		for k, g := range mix {
			if c.gross > 0 {
				t.Cols[j+k][row] = ratio(g, c.gross)
			}
			other = other.add(-g, &ovf)
		}
		if c.gross > 0 {
			t.Cols[j+m][row] = ratio(other, c.gross)
		}
	}
	if ovf {
		return fmt.Errorf("%w: revenue or a category share", errOverflow)
	}
	t.Revenue = revenue.float()
	t.MedianOrder = a.medianOrder
	return nil
}

// columns returns the names of the columns before the mix: the base
// columns, then the optional product columns.
func (a *Aggregator) columns() []string {
	names := slices.Clone(baseColumns)
	if a.hasTiers {
		names = append(names, PremiumShare)
	}
	if a.hasLaunch {
		names = append(names, NewProductShare)
	}
	return names
}

// median returns the median of v as a float (the mean of the two middle
// values for an even count), 0 for an empty v. v is sorted in place.
func median(v []fixed) float64 {
	n := len(v)
	if n == 0 {
		return 0
	}
	slices.Sort(v)
	if n%2 == 1 {
		return v[n/2].float()
	}
	return (v[n/2-1].float() + v[n/2].float()) / 2
}

// boolFloat returns 1 for true and 0 for false.
func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
