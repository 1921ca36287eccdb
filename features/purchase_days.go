package features

import (
	"cmp"
	"slices"
)

// The sufficient statistics of buy-till-you-die models (Fader, Hardie &
// Lee 2005): purchases are counted by calendar day, several on one day
// being one transaction, over all history.

// dayNet is a purchase's calendar day and net value.
type dayNet struct {
	day int64
	net fixed
}

// purchaseStats are one customer's values of the PurchaseDays columns.
type purchaseStats struct {
	days, age, span float64
	repeat          fixed
}

// purchaseDays computes customer ci's purchase statistics (of part p);
// asOfDay is as_of's calendar day and scratch a reusable buffer. An
// overflow of repeat_monetary sets *ovf.
func (a *Aggregator) purchaseDays(p *part, ci int32, asOfDay int64, scratch *[]dayNet, ovf *bool) purchaseStats {
	buf := (*scratch)[:0]
	for _, oi := range p.ordersOf(ci) {
		if net, _ := p.settled(oi, ovf); net > 0 {
			buf = append(buf, dayNet{a.calendarDay(p.orders.at(oi).time), net})
		}
	}
	*scratch = buf
	if len(buf) == 0 {
		return purchaseStats{}
	}
	slices.SortFunc(buf, func(x, y dayNet) int { return cmp.Compare(x.day, y.day) })
	first, last := buf[0].day, buf[len(buf)-1].day
	s := purchaseStats{days: 1, age: float64(asOfDay - 1 - first), span: float64(last - first)}
	for k := 1; k < len(buf); k++ {
		if buf[k].day != buf[k-1].day {
			s.days++
		}
		if buf[k].day != first {
			s.repeat = s.repeat.add(buf[k].net, ovf)
		}
	}
	return s
}

// calendarDay returns the number of the calendar day, in the store's time
// zone, of an instant in unix nanoseconds (days since 1970-01-01).
func (a *Aggregator) calendarDay(ns int64) int64 {
	sec, _ := splitNano(ns)
	return floorDiv(sec+int64(a.offset(sec)), 86400)
}
