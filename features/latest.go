package features

import (
	"cmp"
	"slices"
	"time"
)

// LatestKept is the number of newest days with lines a table keeps
// (Table.Latest): enough to tell a batch of mistyped future dates (a
// month of orders dated 2100 for 2010) from the rest of the lines.
const LatestKept = 32

// DateGapMin is the least gap between the newest lines and the rest that
// Table.DateGap reports: more than a year without a line, right before the
// newest ones, is rarely a store's real history.
const DateGapMin = 365 * 24 * time.Hour

// latest keeps, for each of the newest LatestKept days (UTC) with lines,
// the newest instant noted that day (unix nanoseconds), newest first.
type latest []int64

const dayNanos = int64(24 * time.Hour)

// day returns the UTC day of instant t (unix nanoseconds), as days since
// 1970 (floored).
func day(t int64) int64 {
	d := t / dayNanos
	if t%dayNanos < 0 {
		d--
	}
	return d
}

// note adds instant t.
func (l *latest) note(t int64) {
	s := *l
	if len(s) > 0 && (t == s[0] || len(s) == LatestKept && t <= s[len(s)-1]) {
		return // most lines: the newest instant again, or older than all kept
	}
	if len(s) > 0 && t > s[0] && day(t) == day(s[0]) {
		s[0] = t // lines in time order: a newer instant of the newest day
		return
	}
	i, found := slices.BinarySearchFunc(s, t, func(a, b int64) int { return cmp.Compare(b, a) })
	switch d := day(t); {
	case found, i > 0 && day(s[i-1]) == d: // its day has this instant or a newer one
		return
	case i < len(s) && day(s[i]) == d: // a newer instant of a day kept
		s[i] = t
		return
	}
	if len(s) < LatestKept {
		s = append(s, 0)
	}
	if i < len(s) {
		copy(s[i+1:], s[i:len(s)-1])
		s[i] = t
	}
	*l = s
}

// MergeLatest returns the newest instant of each of the newest LatestKept
// days of a and b, each a Table.Latest, newest first: the same whatever
// the order in which tables are merged.
func MergeLatest(a, b []int64) []int64 {
	l := latest(slices.Clone(a))
	for _, t := range b {
		l.note(t)
	}
	return []int64(l)
}

// DateGap is a gap of more than DateGapMin before the newest lines of a
// table: typically a mistyped date (2100 for 2010), which would make the
// default analysis date, the day after the newest line, decades late and
// every customer lapsed.
type DateGap struct {
	Days int // the days with lines after the gap (at most LatestKept − 1)
	// Newest is the newest line's time, First the newest time of the
	// oldest day after the gap, Before the newest time before the gap.
	Newest, First, Before time.Time
}

// DateGap returns the gap of more than DateGapMin between the newest days
// with lines of t (among its Latest), or nil.
func (t *Table) DateGap() *DateGap {
	loc := t.LastLine.Location()
	for i := 0; i+1 < len(t.Latest); i++ {
		if t.Latest[i]-t.Latest[i+1] > int64(DateGapMin)+dayNanos { // a day's lines may start up to a day before its newest
			return &DateGap{Days: i + 1, Newest: time.Unix(0, t.Latest[0]).In(loc), First: time.Unix(0, t.Latest[i]).In(loc), Before: time.Unix(0, t.Latest[i+1]).In(loc)}
		}
	}
	return nil
}
