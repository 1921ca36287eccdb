package features

import (
	"time"

	"github.com/segment-tool/segment/data"
)

// Columns present only with Options.HoldoutDays, after the PurchaseDays
// columns: the buy-till-you-die statistics of the calibration period (the
// days before Holdout.From) and the purchases of the holdout (the
// HoldoutDays days from Holdout.From to the day before AsOf). A customer
// without a purchase in calibration has 0 in each calibration column.
//
//	calibration_purchase_days    distinct purchase days before Holdout.From
//	calibration_repeat_monetary  Σ net of those purchases on days after the first purchase day
//	calibration_age_days         whole days from the first purchase day to the day before Holdout.From
//	calibration_span_days        whole days from the first to the last purchase day before Holdout.From
//	holdout_purchase_days        distinct purchase days in the holdout (for a customer who
//	                             bought in calibration, every one is a repeat purchase)
const (
	CalibrationPurchaseDays   = "calibration_purchase_days"
	CalibrationRepeatMonetary = "calibration_repeat_monetary"
	CalibrationAgeDays        = "calibration_age_days"
	CalibrationSpanDays       = "calibration_span_days"
	HoldoutPurchaseDays       = "holdout_purchase_days"
)

// holdoutColumns are the Options.HoldoutDays columns, in Table order.
var holdoutColumns = []string{CalibrationPurchaseDays, CalibrationRepeatMonetary, CalibrationAgeDays, CalibrationSpanDays, HoldoutPurchaseDays}

// Holdout is the store-wide side of the calibration/holdout split
// (Options.HoldoutDays): what the cumulative tracking plot of Fader, Hardie
// & Lee (2005) needs. The calibration customers are those with a purchase
// before From; days are calendar days of Options.Location.
type Holdout struct {
	Days int       // Options.HoldoutDays
	From time.Time // the first holdout day, midnight in Location: AsOf's day − Days days

	// Start is the first purchase day of the earliest calibration
	// customer (midnight in Location), the day of index 0 of First and
	// Repeat, which run to the day before AsOf. Zero, and both nil,
	// without calibration customers.
	Start time.Time
	// First counts the calibration customers whose first purchase day is
	// each day; Repeat the calibration customers with a repeat purchase
	// (a purchase day after their first) on each day, in calibration and
	// holdout alike.
	First, Repeat []int64
}

// CalibrationEnd returns the last calibration day (midnight in its
// location): the day before From.
func (h *Holdout) CalibrationEnd() time.Time { return h.From.AddDate(0, 0, -1) }

// holdoutAcc accumulates Table.Holdout as fill goes through the customers.
// Counts are integers, so the result does not depend on their order.
type holdoutAcc struct {
	days          int
	from          int64 // day number of the first holdout day
	origin        int64 // day number of index 0: the oldest line's day
	first, repeat []int64
}

// newHoldoutAcc returns the accumulator for a table whose as_of falls on
// day asOfDay and whose oldest line falls on oldestDay; nil without
// Options.HoldoutDays.
func (a *Aggregator) newHoldoutAcc(asOfDay, oldestDay int64) *holdoutAcc {
	if a.opts.HoldoutDays <= 0 {
		return nil
	}
	n := max(asOfDay-oldestDay, 1)
	return &holdoutAcc{days: a.opts.HoldoutDays, from: asOfDay - int64(a.opts.HoldoutDays), origin: oldestDay,
		first: make([]int64, n), repeat: make([]int64, n)}
}

// add returns a customer's values of the holdout columns, in Table order,
// from their purchases buf (sorted by day, as purchaseDays leaves them),
// and counts them into the store-wide days. An overflow of
// calibration_repeat_monetary sets *ovf.
func (h *holdoutAcc) add(buf []dayNet, ovf *bool) [5]float64 {
	var cal, hold, span int64
	var repeat fixed
	for k, p := range buf {
		distinct := k == 0 || p.day != buf[k-1].day
		if p.day >= h.from {
			if distinct {
				hold++
			}
			continue
		}
		if distinct {
			cal++
			span = p.day - buf[0].day
		}
		if p.day != buf[0].day {
			repeat = repeat.add(p.net, ovf)
		}
	}
	if cal == 0 {
		return [5]float64{0, 0, 0, 0, float64(hold)}
	}
	first := buf[0].day
	h.count(h.first, first)
	for k := 1; k < len(buf); k++ {
		if buf[k].day != buf[k-1].day {
			h.count(h.repeat, buf[k].day)
		}
	}
	return [5]float64{float64(cal), repeat.float(), float64(h.from - 1 - first), float64(span), float64(hold)}
}

// count adds one to the count of day d (a day outside the table's, such as
// as_of's own day when as_of is not a midnight, is left out).
func (h *holdoutAcc) count(c []int64, d int64) {
	if i := d - h.origin; i >= 0 && i < int64(len(c)) {
		c[i]++
	}
}

// result returns Table.Holdout, the days before the first calibration
// customer's first purchase dropped.
func (h *holdoutAcc) result(loc *time.Location) *Holdout {
	if h == nil {
		return nil
	}
	out := &Holdout{Days: h.days, From: dayTime(h.from, loc)}
	for i, n := range h.first {
		if n > 0 {
			out.Start = dayTime(h.origin+int64(i), loc)
			out.First, out.Repeat = h.first[i:], h.repeat[i:]
			break
		}
	}
	return out
}

// dayTime returns the start in loc of day number d (days since
// 1970-01-01): its midnight, unless a daylight-saving change skips it.
func dayTime(d int64, loc *time.Location) time.Time {
	return data.StartOfDay(1970, 1, 1+int(d), loc)
}

// merge adds o's counts to h's (both of the same store-wide days) and
// returns h; either may be nil (no holdout).
func (h *holdoutAcc) merge(o *holdoutAcc) *holdoutAcc {
	if h == nil {
		return o
	}
	if o == nil {
		return h
	}
	for i := range h.first {
		h.first[i] += o.first[i]
		h.repeat[i] += o.repeat[i]
	}
	return h
}
