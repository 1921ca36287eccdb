package features

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// customerTotals are one customer's sums over the orders that count.
type customerTotals struct {
	// over all history (before as_of), purchases only
	havePurchase         bool
	purchases            int   // purchases over all history (LifetimeFrequency)
	firstP, lastP        int64 // first and last purchase time
	firstID              string
	firstCoupon, firstPk bool

	// over the window
	orders, freq          int
	couponP, peakP        int
	firstPW, lastPW       int64 // first and last purchase time in the window
	net, gross, disc, qty fixed
	items                 fixed // Σ quantity of the purchases (items_per_order)
	ret                   fixed
	refundOrders          int   // orders with a refund taken off…
	refunded              fixed // …and the Σ taken off (part.settled)
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
// orders and the customers once ctx is done (and within them, every 65,536
// orders and 4,096 customers).
func (a *Aggregator) TableContext(ctx context.Context) (*Table, error) {
	if a.spill != nil {
		return a.spillTable(ctx)
	}
	t, _, err := a.table(ctx)
	return t, err
}

// table is TableContext without spilling; it also returns the net value
// of every counted purchase, by part.
func (a *Aggregator) table(ctx context.Context) (*Table, [][]fixed, error) {
	if err := a.firstError(); err != nil {
		return nil, nil, err
	}
	if a.opts.Categories != nil {
		if err := checkCategories(a.opts.Categories); err != nil {
			return nil, nil, err
		}
	}
	span := a.span()
	if span.customers == 0 {
		return nil, nil, ErrNoCustomers
	}
	sw, err := a.storeWide(span.newest, span.oldest)
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	acc, nets, err := a.totalsAll(ctx, sw.from)
	if err != nil {
		return nil, nil, err
	}
	if sw.cats, err = a.mixCategories(acc); err != nil {
		return nil, nil, err
	}
	t, sums, err := a.build(ctx, sw, acc, span.customers)
	if err != nil {
		return nil, nil, err
	}
	t.Lines, t.LinesAfterAsOf = span.lines, span.afterAsOf
	t.FirstLine, t.LastLine = span.oldest.In(a.loc), span.newest.In(a.loc)
	t.Latest = span.latest
	t.Revenue, t.MedianOrder, t.Holdout = sums.revenue.float(), medianOf(nets), sums.hold.result(a.loc)
	t.Refunded = sums.refunded.float()
	return t, nets, nil
}

// totalsAll runs totals over every part concurrently.
func (a *Aggregator) totalsAll(ctx context.Context, from int64) ([][]customerTotals, [][]fixed, error) {
	acc := make([][]customerTotals, len(a.parts))
	nets := make([][]fixed, len(a.parts)) // net value of every counted purchase
	errs := make([]error, len(a.parts))
	var wg sync.WaitGroup
	for k, p := range a.parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acc[k], nets[k], errs[k] = p.totals(ctx, from)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if err := firstOverflow(errs); err != nil {
		return nil, nil, err
	}
	for _, err := range errs { // the first part's error: the same message whatever the number of parts
		if err != nil {
			return nil, nil, err
		}
	}
	return acc, nets, nil
}

// totals sums each customer's orders; window sums include only the orders
// whose time is at or after from. It returns the totals by customer index
// and the net value of every counted purchase. It returns ctx.Err() once
// ctx is done (checked every 65,536 orders).
func (p *part) totals(ctx context.Context, from int64) ([]customerTotals, []fixed, error) {
	acc := make([]customerTotals, p.customers.len())
	nets := make([]fixed, 0, p.orders.len()) // most orders are purchases
	ovf := false
	last := int32(-1) // the customer of the order summed last: the one whose sum overflowed, once ovf is set
	var over *totalOverflow
	noteOverflow := func() { // the least id of the customers whose totals overflowed, whatever the parts
		if id := p.customers.at(last).id; over == nil || id < over.id {
			over = &totalOverflow{id: id}
		}
		ovf = false
	}
	for oi := range int32(p.orders.len()) {
		if ovf {
			noteOverflow()
		}
		if oi%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		o := p.orders.at(oi)
		last = o.cust
		c := &acc[o.cust]
		net, ret := p.settled(oi, &ovf)
		purchase := net > 0
		if ret > 0 && (!c.haveRet || o.time > c.lastRet) {
			c.haveRet, c.lastRet = true, o.time
		}
		if purchase {
			if !c.havePurchase || o.time < c.firstP || o.time == c.firstP && p.orderIDs.get(o.id) < c.firstID {
				c.firstP, c.firstID, c.firstCoupon, c.firstPk = o.time, p.orderIDs.get(o.id), o.coupon, o.peak
			}
			if !c.havePurchase || o.time > c.lastP {
				c.lastP = o.time
			}
			c.havePurchase = true
			c.purchases++
		}
		if o.time < from {
			continue
		}
		c.orders++
		if net != o.net {
			c.refundOrders++
			c.refunded = c.refunded.add(o.net-net, &ovf)
		}
		c.net = c.net.add(net, &ovf)
		c.gross = c.gross.add(o.gross, &ovf)
		c.disc = c.disc.add(o.disc, &ovf)
		c.qty = c.qty.add(o.qty, &ovf)
		c.ret = c.ret.add(ret, &ovf)
		if p.cfg.hasTiers || p.cfg.hasLaunch {
			ps := p.orderProd.at(oi)
			c.prem = c.prem.add(ps.prem, &ovf)
			c.newQty = c.newQty.add(ps.newQty, &ovf)
		}
		if p.cfg.orderCats {
			for _, s := range *p.orderCat.at(oi) {
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
		c.items = c.items.add(o.qty, &ovf)
		if o.coupon {
			c.couponP++
		}
		if o.peak {
			c.peakP++
		}
		if o.sale {
			c.saleP++
		}
		c.maxOrder = max(c.maxOrder, net)
		nets = append(nets, net)
	}
	if !p.cfg.orderCats {
		for ci := range int32(len(acc)) {
			acc[ci].cats = p.customers.at(ci).cats
		}
	}
	if ovf {
		noteOverflow()
	}
	if over != nil {
		return nil, nil, over
	}
	return acc, nets, nil
}

// mixCategories returns the mix categories: Options.Categories, or the
// top-N by store-wide gross spend over the counted orders.
func (a *Aggregator) mixCategories(acc [][]customerTotals) ([]string, error) {
	if a.opts.Categories != nil {
		return slices.Clone(a.opts.Categories), nil
	}
	byName := make(map[string]fixed)
	ovf := false
	for k, p := range a.parts {
		gross := make([]fixed, len(p.cats))
		for ci := range acc[k] {
			for _, s := range acc[k][ci].cats {
				gross[s.cat] = gross[s.cat].add(s.gross, &ovf)
			}
		}
		for c, name := range p.cats {
			byName[name] = byName[name].add(gross[c], &ovf)
		}
	}
	if ovf {
		return nil, errCategoryOverflow
	}
	return a.topOf(byName), nil
}

// fill computes every customer's features into t, one row per customer in
// the order of rows. It returns ctx.Err() once ctx is done (checked every
// 4,096 customers).
func (a *Aggregator) fill(ctx context.Context, t *Table, rows []rowRef, acc [][]customerTotals, sw storeWide) (tableSums, error) {
	n := len(rows)
	mixPos := make([][]int, len(a.parts)) // by part: category index → mix position, or -1
	for k, p := range a.parts {
		mixPos[k] = make([]int, len(p.cats))
		for c := range mixPos[k] {
			mixPos[k][c] = -1
		}
		for pos, name := range t.Categories {
			if c, ok := p.catIndex[name]; ok {
				mixPos[k][c] = pos
			}
		}
	}
	m := len(t.Categories)
	t.IDs = make([]string, n)
	t.TopCategory = make([]string, n)
	t.Cols = make([][]float64, len(t.Names))
	for j := range t.Cols {
		t.Cols[j] = make([]float64, n)
	}
	var revenue, refunded fixed
	ovf := false
	mix := make([]fixed, m)
	days := a.daysTo(sw.asOfNano) // whole store-time days to as_of
	asOfDay := a.calendarDay(sw.asOfNano)
	var scratch []dayNet
	hold := a.newHoldoutAcc(asOfDay, a.calendarDay(sw.oldestNano))
	for i, r := range rows {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return tableSums{}, err
			}
		}
		p := a.parts[r.part]
		cs, c := p.customers.at(r.ci), &acc[r.part][r.ci]
		t.IDs[i] = cs.id
		t.Orders += c.orders
		t.Purchases += c.freq
		t.RefundOrders += c.refundOrders
		revenue = revenue.add(c.net, &ovf)
		refunded = refunded.add(c.refunded, &ovf)

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
			gap = a.wallSpanDays(c.firstPW, c.lastPW) / (f - 1)
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
			name := p.cats[s.cat]
			if pos := mixPos[r.part][s.cat]; pos >= 0 {
				mix[pos] = s.gross
			}
			if name == "" {
				continue
			}
			distinct++
			if top == "" || s.gross > topGross || s.gross == topGross && name < top {
				top, topGross = name, s.gross
			}
		}
		t.TopCategory[i] = top

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
			per(c.items.float()),
			gap,
			per(float64(c.peakP)),
			boolFloat(c.firstPk),
			float64(distinct),
			c.maxOrder.float(),
			per(float64(c.saleP)),
			boolFloat(c.haveRet && (!c.havePurchase || c.lastRet >= c.lastP)),
		}
		for j, x := range v {
			t.Cols[j][i] = x
		}
		j := len(v)
		if a.hasTiers {
			t.Cols[j][i] = ratio(c.prem, c.gross)
			j++
		}
		if a.hasLaunch {
			if c.qty > 0 {
				t.Cols[j][i] = ratio(c.newQty, c.qty)
			}
			j++
		}
		if a.opts.WindowDays > 0 {
			t.Cols[j][i] = float64(c.purchases)
			j++
		}
		if a.opts.PurchaseDays {
			d := a.purchaseDays(p, r.ci, asOfDay, &scratch, &ovf)
			t.Cols[j][i], t.Cols[j+1][i], t.Cols[j+2][i], t.Cols[j+3][i] = d.days, d.repeat.float(), d.age, d.span
			j += 4
			if hold != nil { // scratch holds the customer's purchases, sorted
				for k, x := range hold.add(scratch, &ovf) {
					t.Cols[j+k][i] = x
				}
				j += len(holdoutColumns)
			}
		}
		other := c.gross
		for k, g := range mix {
			if c.gross > 0 {
				t.Cols[j+k][i] = ratio(g, c.gross)
			}
			other = other.add(-g, &ovf)
		}
		if c.gross > 0 {
			t.Cols[j+m][i] = ratio(other, c.gross)
		}
	}
	if ovf {
		return tableSums{}, fmt.Errorf("%w: revenue or a category share", errOverflow)
	}
	return tableSums{revenue: revenue, refunded: refunded, hold: hold}, nil
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
	if a.opts.WindowDays > 0 {
		names = append(names, LifetimeFrequency)
	}
	if a.opts.PurchaseDays {
		names = append(names, PurchaseDays, RepeatMonetary, FirstPurchaseAgeDays, PurchaseSpanDays)
		if a.opts.HoldoutDays > 0 {
			names = append(names, holdoutColumns...)
		}
	}
	return names
}

// boolFloat returns 1 for true and 0 for false.
func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
