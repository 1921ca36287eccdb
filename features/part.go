package features

import (
	"math"
	"strings"

	"github.com/segment-tool/segment/data"
)

// part is the state of one partition of an Aggregator's customers: every
// line of a customer is folded into the same part.
type part struct {
	cfg *Aggregator // the options, read only

	custIndex map[string]int32
	customers chunked[customerState]
	orders    chunked[orderState]
	orderIdx  orderIndex          // finds an order by customer and id
	orderIDs  idArena             // the orders' ids
	custIDs   idArena             // the bytes of the customers' ids
	orderCat  chunked[[]catSpend] // per order, when cfg.orderCats
	orderProd chunked[prodSums]   // per order, when cfg.hasTiers or cfg.hasLaunch
	// orderRefund is each order's Σ Refunded over its non-returned lines
	// (settled), made at the first refund: up to the last order refunded,
	// so that a store without refunds holds none.
	orderRefund chunked[fixed]
	catIndex    map[string]int32
	cats        []string
	spillCats   []int32   // the spiller's category index → the part's, or -1
	attrs       attrStore // city, country and channel per order

	// lastCust and lastOrder cache the previous line's customer and order:
	// the lines of one order are usually adjacent.
	lastCust, lastOrder int32

	span      lineSpan // the lines folded
	afterAsOf int64    // the lines left out for being at or after as_of
	err       error    // the first invalid line or overflow…
	errSeq    int64    // …and its position among all lines added
}

func newPart(cfg *Aggregator) *part {
	return &part{
		cfg:       cfg,
		custIndex: make(map[string]int32),
		catIndex:  make(map[string]int32),
		lastCust:  -1,
		lastOrder: -1,
	}
}

// customerState is what an Aggregator keeps per customer; its orders are
// found through the part's orderIdx.
type customerState struct {
	id         string
	minT, maxT int64      // earliest and latest line time
	cats       []catSpend // gross spend per category (WindowDays == 0)
}

// orderState is what an Aggregator keeps per order. Money and quantities
// are exact fixed-point sums (see fixed).
type orderState struct {
	id     idRef // in part.orderIDs: orderState holds no pointer
	time   int64 // earliest line time, unix nanoseconds
	cust   int32
	peak   bool  // the earliest line falls in the peak season
	sale   bool  // the earliest line falls on a sale day
	coupon bool  // some line carries a coupon
	net    fixed // Σ Amount over all lines
	gross  fixed // Σ (Amount + Discount) over non-returned lines
	disc   fixed // Σ Discount over non-returned lines
	qty    fixed // Σ Quantity over non-returned lines
	ret    fixed // Σ |Amount| over returned lines
}

// addRefund adds r to order oi's refund (orderRefund); ovf is set when
// that overflows.
func (p *part) addRefund(oi int32, r fixed, ovf *bool) {
	if r == 0 {
		return
	}
	for p.orderRefund.len() <= int(oi) {
		p.orderRefund.push(0)
	}
	x := p.orderRefund.at(oi)
	*x = x.add(r, ovf)
}

// settled returns order oi's net and returned value once its refund is
// taken off: at most its net, for a refund that holds the tax or the
// shipping (Shopify's, Magento's), which the lines' amounts do not, must
// not take money off the customer's other orders. What it takes off the
// net it adds to the returned value. ovf is set when that overflows.
func (p *part) settled(oi int32, ovf *bool) (net, ret fixed) {
	o := p.orders.at(oi)
	if int(oi) >= p.orderRefund.len() || *p.orderRefund.at(oi) <= 0 {
		return o.net, o.ret
	}
	r := min(*p.orderRefund.at(oi), max(o.net, 0))
	return o.net - r, o.ret.add(r, ovf)
}

// prodSums are an order's sums over product attributes, kept only when
// the products table gives them.
type prodSums struct {
	prem   fixed // Σ gross of non-returned lines of premium products
	newQty fixed // Σ Quantity of non-returned lines bought while the product was new
}

// catSpend is the gross spend in one category (an index into part.cats).
type catSpend struct {
	cat   int32
	gross fixed
}

// add folds lines[i] for each i in idx (none when idx is empty); base is
// the position of lines[0] among all lines added.
func (p *part) add(lines []data.OrderLine, idx []int32, base int64) {
	for _, i := range idx {
		if p.err != nil {
			return
		}
		p.addLine(&lines[i], base+int64(i))
	}
}

// addAll folds every line of a batch whose first line is at position
// base among all lines added.
func (p *part) addAll(lines []data.OrderLine, base int64) {
	for i := range lines {
		if p.err != nil {
			return
		}
		p.addLine(&lines[i], base+int64(i))
	}
}

// fail records the first invalid line, at position seq.
func (p *part) fail(seq int64, err error) {
	if p.err == nil {
		p.err, p.errSeq = err, seq
	}
}

// addLine folds one line, at position seq among all lines added.
func (p *part) addLine(l *data.OrderLine, seq int64) {
	var r lineRec
	after, err := p.cfg.check(l, &r)
	switch {
	case err != nil:
		p.fail(seq, err)
		return
	case after:
		p.afterAsOf++
		return
	}
	p.span.note(l.Time, r.t)
	p.fold(&r, seq)
}

// fold adds a checked line, at position seq among all lines added. It keeps
// no reference to r's strings.
func (p *part) fold(r *lineRec, seq int64) {
	a := p.cfg
	t := r.t
	ci := p.customer(r.cust)
	oi := p.order(ci, r.order)
	if ci < 0 || oi < 0 {
		p.fail(seq, lineError(r.cust, r.order, "%w", errTooMany))
		return
	}
	p.attrs.add(oi, &r.attrs, p.orders.len())
	c := p.customers.at(ci)
	c.minT = min(c.minT, t)
	c.maxT = max(c.maxT, t)
	o := p.orders.at(oi)
	if t < o.time {
		o.time = t
		o.peak, o.sale = a.dayFlags(t)
	}
	if r.coupon {
		o.coupon = true
	}
	amount, discount, quantity := r.amount, r.discount, r.quantity
	ovf := false
	o.net = o.net.add(r.net(), &ovf)
	if r.returned {
		o.ret = o.ret.add(amount.abs(), &ovf)
	}
	p.addRefund(oi, r.refunded, &ovf) // 0 on a returned line
	if r.bought() {
		gross := amount.add(discount, &ovf)
		o.gross = o.gross.add(gross, &ovf)
		o.disc = o.disc.add(discount, &ovf)
		o.qty = o.qty.add(quantity, &ovf)
		if a.hasTiers || a.hasLaunch {
			prem, newQty := a.productTerms(r, gross)
			ps := p.orderProd.at(oi)
			ps.prem = ps.prem.add(prem, &ovf)
			ps.newQty = ps.newQty.add(newQty, &ovf)
		}
		cat := p.category(r.category)
		if a.orderCats {
			oc := p.orderCat.at(oi)
			*oc = addSpend(*oc, cat, gross, &ovf)
		} else {
			c.cats = addSpend(c.cats, cat, gross, &ovf)
		}
	}
	if ovf {
		p.fail(seq, lineError(r.cust, r.order, "%w", errOverflow))
	}
}

// customer returns the index of a customer's state, creating it; -1 when
// there are too many customers.
func (p *part) customer(id string) int32 {
	if p.lastCust >= 0 && p.customers.at(p.lastCust).id == id {
		return p.lastCust
	}
	ci, ok := p.custIndex[id]
	if !ok {
		id = p.custIDs.get(p.custIDs.put(id))
		if ci = p.customers.push(customerState{id: id, minT: math.MaxInt64, maxT: math.MinInt64}); ci < 0 {
			return -1
		}
		p.custIndex[id] = ci
	}
	p.lastCust, p.lastOrder = ci, -1
	return ci
}

// order returns the index of customer ci's order id, creating it; -1 when
// ci is -1 or there are too many orders.
func (p *part) order(ci int32, id string) int32 {
	if ci < 0 {
		return -1
	}
	if p.lastOrder >= 0 && p.orderID(p.lastOrder) == id {
		return p.lastOrder // lastOrder is reset when the customer changes
	}
	h := orderKeyHash(ci, hashID(id))
	oi, slot := p.findOrder(ci, id, h)
	if oi < 0 {
		ref := p.orderIDs.put(id)
		if oi = p.orders.push(orderState{id: ref, cust: ci, time: math.MaxInt64}); oi < 0 {
			return -1
		}
		if p.cfg.orderCats {
			p.orderCat.push(nil)
		}
		if p.cfg.hasTiers || p.cfg.hasLaunch {
			p.orderProd.push(prodSums{})
		}
		p.attrs.newOrder()
		p.indexOrder(oi, h, slot)
	}
	p.lastOrder = oi
	return oi
}

// orderID returns the id of order oi.
func (p *part) orderID(oi int32) string { return p.orderIDs.get(p.orders.at(oi).id) }

// category returns the index of a category name, interning it.
func (p *part) category(name string) int32 {
	ci, ok := p.catIndex[name]
	if !ok {
		name = strings.Clone(name)
		ci = int32(len(p.cats))
		p.catIndex[name] = ci
		p.cats = append(p.cats, name)
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
