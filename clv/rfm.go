package clv

import (
	"fmt"
	"slices"
	"time"
)

// Period is the time unit of the models, given as its length in days. The
// zero value means Day.
type Period int

// The periods the models are usually fitted in.
const (
	Day  Period = 1
	Week Period = 7
)

// Days returns the length of the period in days (1 for the zero value).
func (p Period) Days() float64 {
	if p <= 0 {
		return 1
	}
	return float64(p)
}

// String returns "day", "week" or "<n> days".
func (p Period) String() string {
	switch p {
	case 0, Day:
		return "day"
	case Week:
		return "week"
	}
	return fmt.Sprintf("%d days", int(p))
}

// ParsePeriod reads "day" or "week" (the config's clv.period); "" is Day.
func ParsePeriod(s string) (Period, error) {
	switch s {
	case "", "day":
		return Day, nil
	case "week":
		return Week, nil
	}
	return 0, fmt.Errorf("clv: period %q: want day or week", s)
}

// Stats holds one customer's sufficient statistics for the BG/NBD model
// (Fader, Hardie & Lee 2005a, section 3), measured in periods:
//
//	X  the number of repeat purchases: purchase days after the first one,
//	Tx the time of the last purchase, t_x (0 when X = 0),
//	T  the customer's age at the end of calibration,
//
// both times counted from the day of the first purchase.
type Stats struct {
	X  int
	Tx float64
	T  float64
}

// DayNumber returns the day of t in t's own location as the number of days
// since 1970-01-01: two times on the same calendar day give the same number.
func DayNumber(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Summary returns the sufficient statistics of a customer whose purchases
// fell on the given days (day numbers as DayNumber gives, in any order,
// repeated when several purchases fell on one day), for a calibration that
// ends with day calEnd (inclusive), in periods of p:
//
//	X  = (number of distinct purchase days ≤ calEnd) − 1,
//	Tx = (last purchase day ≤ calEnd − first purchase day) / p.Days(),
//	T  = (calEnd − first purchase day) / p.Days().
//
// This is the customer-by-sufficient-statistic table of BTYD's
// dc.ElogToCbsCbt and of lifetimes' summary_data_from_transaction_data; with
// weeks, times are fractional weeks, days/7. ok is false when the customer
// made no purchase on or before calEnd. days is not modified.
func Summary(days []int, calEnd int, p Period) (s Stats, ok bool) {
	if !slices.IsSorted(days) {
		days = slices.Clone(days)
		slices.Sort(days)
	}
	first, last, distinct := 0, 0, 0
	for i, d := range days {
		if d > calEnd {
			break
		}
		if distinct == 0 {
			first = d
		}
		if distinct == 0 || d != days[i-1] {
			distinct++
		}
		last = d
	}
	if distinct == 0 {
		return Stats{}, false
	}
	w := p.Days()
	return Stats{X: distinct - 1, Tx: float64(last-first) / w, T: float64(calEnd-first) / w}, true
}

// Holdout returns the number of distinct purchase days in (calEnd, end]:
// the purchases a calibrated model's conditional expectation over the next
// (end − calEnd) days predicts (BTYD's x.star). days is not modified.
func Holdout(days []int, calEnd, end int) int {
	seen := make(map[int]struct{})
	for _, d := range days {
		if d > calEnd && d <= end {
			seen[d] = struct{}{}
		}
	}
	return len(seen)
}

// check panics on statistics no purchase history can produce.
func (s Stats) check() {
	if s.X < 0 || !(s.Tx >= 0) || !(s.T >= s.Tx) || (s.X == 0 && s.Tx != 0) {
		panic(fmt.Sprintf("clv: invalid statistics x=%d t_x=%g T=%g", s.X, s.Tx, s.T))
	}
}

// group holds the customers of one frequency x, for the likelihood: the
// terms that depend on x alone are computed once per group.
type group struct {
	x     int
	tx, t []float64 // the customers' t_x and T
	w     []float64 // how many customers share (x, t_x, T)
}

// groupStats sorts a copy of data by (x, t_x, T), merges equal statistics
// into weights and splits the result by x.
func groupStats(data []Stats) []group {
	d := slices.Clone(data)
	slices.SortFunc(d, func(a, b Stats) int {
		if a.X != b.X {
			return a.X - b.X
		}
		if c := cmpFloat(a.Tx, b.Tx); c != 0 {
			return c
		}
		return cmpFloat(a.T, b.T)
	})
	var gs []group
	for i, s := range d {
		s.check()
		if i > 0 && s == d[i-1] {
			g := &gs[len(gs)-1]
			g.w[len(g.w)-1]++
			continue
		}
		if len(gs) == 0 || gs[len(gs)-1].x != s.X {
			gs = append(gs, group{x: s.X})
		}
		g := &gs[len(gs)-1]
		g.tx = append(g.tx, s.Tx)
		g.t = append(g.t, s.T)
		g.w = append(g.w, 1)
	}
	return gs
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
