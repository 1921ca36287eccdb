package featurejob

import (
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// The lifetime-value holdout (clv.holdout_days): each customer's row holds
// the calibration and holdout columns (features.Options.HoldoutDays), and
// the store-wide daily counts of the tracking plot (features.Holdout) are
// the sums of each customer's: rowsFn emits them by calendar day
// (rowStats.HoldFirst, HoldRepeat), mergeRowStats adds them exactly, and
// the commit lays them out as a local run's table holds them
// (holdoutDays), from the earliest calibration customer's first purchase
// day to the day before as_of.

// dayCount is a count on a calendar day (days since 1970-01-01).
type dayCount struct{ Day, N int64 }

// holdoutDays is Summary.Holdout: features.Holdout with its days as day
// numbers (days since 1970-01-01 in the store's time zone).
type holdoutDays struct {
	Days int   `json:"days"`
	From int64 `json:"from_day"` // the first holdout day
	// Start is the day of index 0 of First and Repeat (when First has
	// any day: a calibration customer).
	Start  int64   `json:"start_day"`
	First  []int64 `json:"first"`
	Repeat []int64 `json:"repeat"`
}

// dayNumber returns the calendar day of t (in its location) as days since
// 1970-01-01.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// dayStart returns the start in loc of day number d, as the features
// package's days start: its midnight, unless a daylight-saving change
// skips it.
func dayStart(d int64, loc *time.Location) time.Time {
	return data.StartOfDay(1970, 1, 1+int(d), loc)
}

// addHoldout adds a customer's holdout (nil: none) to st.
func (st *rowStats) addHoldout(h *features.Holdout) {
	if h == nil {
		return
	}
	st.HoldFrom = dayNumber(h.From) + 1
	start := dayNumber(h.Start)
	sparse := func(counts []int64) []dayCount {
		var out []dayCount
		for i, n := range counts {
			if n > 0 {
				out = append(out, dayCount{Day: start + int64(i), N: n})
			}
		}
		return out
	}
	st.HoldFirst, st.HoldRepeat = sparse(h.First), sparse(h.Repeat)
}

// mergeDayCounts adds two lists of counts sorted by day.
func mergeDayCounts(a, b []dayCount) []dayCount {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]dayCount, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i].Day < b[j].Day:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j].Day < a[i].Day:
			out = append(out, b[j])
			j++
		default:
			out = append(out, dayCount{Day: a[i].Day, N: a[i].N + b[j].N})
			i, j = i+1, j+1
		}
	}
	return out
}

// holdoutOf returns the summary's holdout of the merged counts rs and a
// holdout of days days, nil when no customer had one (no holdout).
func holdoutOf(rs rowStats, days int) *holdoutDays {
	if rs.HoldFrom == 0 {
		return nil
	}
	h := &holdoutDays{Days: days, From: rs.HoldFrom - 1}
	if len(rs.HoldFirst) == 0 {
		return h
	}
	// As a local table: every day from the first calibration purchase to
	// the day before as_of (From + Days).
	h.Start = rs.HoldFirst[0].Day
	n := h.From + int64(days) - h.Start
	h.First, h.Repeat = make([]int64, n), make([]int64, n)
	for _, c := range rs.HoldFirst {
		h.First[c.Day-h.Start] = c.N
	}
	for _, c := range rs.HoldRepeat {
		h.Repeat[c.Day-h.Start] = c.N
	}
	return h
}

// holdout returns h as a feature table's holdout with the days in loc (nil
// for none).
func (h *holdoutDays) holdout(loc *time.Location) *features.Holdout {
	if h == nil {
		return nil
	}
	out := &features.Holdout{Days: h.Days, From: dayStart(h.From, loc)}
	if len(h.First) > 0 {
		out.Start, out.First, out.Repeat = dayStart(h.Start, loc), h.First, h.Repeat
	}
	return out
}
