package featurejob

import (
	"fmt"
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
	start := dayNumber(h.Start) // never a day a time change skips: a purchase was made on it
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

// holdoutOf returns the summary's holdout of the merged counts rs, for a
// holdout of days days before as_of (unix nanoseconds, its day in loc as
// the features count days), nil without one (days 0).
func holdoutOf(rs rowStats, days int, asOf int64, loc *time.Location) (*holdoutDays, error) {
	if days <= 0 {
		return nil, nil
	}
	end := dayNumber(time.Unix(0, asOf).In(loc)) // as_of's day: the holdout's end, not in it
	h := &holdoutDays{Days: days, From: end - int64(days)}
	if len(rs.HoldFirst) == 0 {
		return h, nil
	}
	// As a local table: every day from the first calibration purchase to
	// the day before as_of.
	h.Start = rs.HoldFirst[0].Day
	n := end - h.Start
	h.First, h.Repeat = make([]int64, max(n, 0)), make([]int64, max(n, 0))
	for _, l := range [...]struct {
		counts []dayCount
		dst    []int64
	}{{rs.HoldFirst, h.First}, {rs.HoldRepeat, h.Repeat}} {
		for _, c := range l.counts {
			i := c.Day - h.Start
			if i < 0 || i >= n {
				return nil, fmt.Errorf("featurejob: holdout: a purchase day %d outside the days %d to %d before as_of", c.Day, h.Start, end)
			}
			l.dst[i] = c.N
		}
	}
	return h, nil
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
