package features

// foldRun is a spilled run (see spillRun) as a part folds it: its strings
// may share a buffer the caller reuses; its category indexes are the
// spiller's.
type foldRun struct {
	minT, maxT  int64
	coupon      bool
	sameOrder   bool // the customer and order of the run folded just before
	refunded    bool // sums.refund was written (spillRefund)
	cust, order string
	sums        runSums
	cats        []catSpend
	attrs       [numAttrs]string
}

// foldRun adds a spilled run whose last line is at position last among all
// lines added, as fold adds each of its lines, to the same state and with
// the same errors (see spillRun). names are the spiller's category names.
func (p *part) foldRun(u *foldRun, last int64, names []string) {
	a := p.cfg
	ci, oi := p.lastCust, p.lastOrder
	if !u.sameOrder || ci < 0 || oi < 0 {
		ci = p.customer(u.cust)
		oi = p.order(ci, u.order)
	}
	if ci < 0 || oi < 0 {
		p.fail(last, lineError(u.cust, u.order, "%w", errTooMany))
		return
	}
	p.attrs.add(oi, &u.attrs, p.orders.len())
	c := p.customers.at(ci)
	c.minT = min(c.minT, u.minT)
	c.maxT = max(c.maxT, u.maxT)
	o := p.orders.at(oi)
	if u.minT < o.time {
		o.time = u.minT
		o.peak, o.sale = a.dayFlags(u.minT)
	}
	if u.coupon {
		o.coupon = true
	}
	s := &u.sums
	ovf := false
	o.net = o.net.add(s.net, &ovf)
	o.ret = o.ret.add(s.ret, &ovf)
	p.addRefund(oi, s.refund, &ovf)
	o.gross = o.gross.add(s.gross, &ovf)
	o.disc = o.disc.add(s.disc, &ovf)
	o.qty = o.qty.add(s.qty, &ovf)
	if a.hasTiers || a.hasLaunch {
		ps := p.orderProd.at(oi)
		ps.prem = ps.prem.add(s.prem, &ovf)
		ps.newQty = ps.newQty.add(s.newQty, &ovf)
	}
	for _, cs := range u.cats {
		cat := p.spillCategory(cs.cat, names)
		if a.orderCats {
			oc := p.orderCat.at(oi)
			*oc = addSpend(*oc, cat, cs.gross, &ovf)
		} else {
			c.cats = addSpend(c.cats, cat, cs.gross, &ovf)
		}
	}
	if ovf {
		p.fail(last, lineError(u.cust, u.order, "%w", errOverflow))
	}
}

// spillCategory returns the part's index of the spiller's category c.
func (p *part) spillCategory(c int32, names []string) int32 {
	for int(c) >= len(p.spillCats) {
		p.spillCats = append(p.spillCats, -1)
	}
	if p.spillCats[c] < 0 {
		p.spillCats[c] = p.category(names[c])
	}
	return p.spillCats[c]
}
