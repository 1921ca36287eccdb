package features

import (
	"context"
	"math"
	"time"

	"github.com/segment-tool/segment/data"
)

// A scale-out run (the Beam runner) folds the events table on several
// machines, in no particular order: each piece of the file is folded into
// (customer, day) counts (ReadEventPiece, EachDay), the counts of a
// customer's day from every piece are added (EventDay.Merge), a
// customer's days are summed into the features (SumEventDays), and the
// sums make the EventTable the local run's stages read (NewEventTable).
// Every step adds whole numbers, so the features are those of
// ReadEventTable whatever the order of the events.

// EventDay is one customer's counts of one calendar day of the store's
// time zone: Day is its key (year·10000 + month·100 + day), the counts
// saturate at the largest uint32 as EventAggregator's do.
type EventDay struct {
	Day                        uint32
	Views, CartAdds, Checkouts uint32
}

// Merge adds the counts of e, of the same day, to d's, saturating.
func (d *EventDay) Merge(e EventDay) {
	add := func(a *uint32, b uint32) { *a = uint32(min(uint64(*a)+uint64(b), math.MaxUint32)) }
	add(&d.Views, e.Views)
	add(&d.CartAdds, e.CartAdds)
	add(&d.Checkouts, e.Checkouts)
}

// EventSums are a customer's events features, in EventColumns' order.
type EventSums [5]uint64

// SumEventDays returns the events features of a customer whose days
// (each day once, in any order) are days, with as_of asOf.
func SumEventDays(days []EventDay, asOf time.Time) EventSums {
	var s [5]uint64
	from := uint32(dayKey(asOf.AddDate(0, 0, -CartDays)))
	for _, d := range days {
		addDay(&s, d.Day, dayEvents{views: d.Views, carts: d.CartAdds, checkouts: d.Checkouts}, from)
	}
	return s
}

// ReadEventPiece folds a piece of the events table at path (a table
// data.ScanTable gives, whose first row is the file's row first, from 0)
// as ReadEventTable folds it: the same rejects, handed to rejects in row
// order, the same counts. Its aggregator holds the piece's (customer,
// day) counts (EachDay).
func ReadEventPiece(ctx context.Context, path string, t *data.Table, first int64, columns map[string]string, times data.TimeFormat, asOf time.Time,
	rejects func(data.Reject)) (*EventTable, error) {
	e := &EventTable{Path: path, Agg: NewEventAggregator(asOf), times: eventTimes(times, asOf)}
	if err := e.add(ctx, t, first, columns, rejects); err != nil {
		return nil, err
	}
	return e, nil
}

// EachDay calls fn with the counts of every (customer, day) with events,
// in no particular order. It panics for an aggregator of ReadEventTable's
// ordered mode, which keeps no days.
func (a *EventAggregator) EachDay(fn func(id string, d EventDay)) {
	if a.ordered {
		panic("features: EachDay of an ordered EventAggregator")
	}
	for k, d := range a.days {
		fn(a.ids[k>>32], EventDay{Day: uint32(k), Views: d.views, CartAdds: d.carts, Checkouts: d.checkouts})
	}
}

// NewEventTable returns the events table of the file path folded
// elsewhere: rows read, rows rejected, the counts st, and the features
// sums[i] of customer ids[i] (no id twice), with as_of asOf. Its
// aggregator gives these features (Columns) and counts; it adds no
// events.
func NewEventTable(path string, rows, rejected int64, st EventStats, asOf time.Time, ids []string, sums []EventSums) *EventTable {
	a := newOrderedEventAggregator(asOf)
	a.stats = st
	a.cust = make([]custDays, len(ids))
	for i, id := range ids {
		a.index[id] = int32(i)
		a.cust[i].sums = sums[i]
	}
	a.ids = append([]string{}, ids...)
	return &EventTable{Path: path, Agg: a, Rows: rows, Rejected: rejected}
}
