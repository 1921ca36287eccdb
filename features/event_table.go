package features

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/segment-tool/segment/data"
)

// EventTable is the events table folded per customer.
type EventTable struct {
	Path     string           // the file read
	Agg      *EventAggregator // the events of the rows not rejected
	Rows     int64            // rows read
	Rejected int64            // rows without a customer id or a time, handed to rejects
}

// ReadEventTable reads the events table at path and folds it into
// per-customer counts before asOf. columns maps logical names
// (data.EventColumns, all required) to file columns; an unmapped logical
// column is looked for under its own name. Times are read and days counted
// in asOf's location, the store's time zone (a time without an offset is a
// store time), as for the orders. Rows with an empty customer id or time
// go to rejects; rows at or after as_of and of unknown types are counted,
// not rejected (see EventStats). The table is read a piece at a time (a
// Parquet row group, or data.ScanTable's rows of a CSV file). When each
// customer's events come in time order (a log in time order, or a file
// sorted by customer and time), memory grows with the customers alone;
// otherwise the file is read a second time (from the first event out of
// order), keeping the events on disk with a spill (memory per customer,
// 8 bytes of disk per event; see EventSpill), or, when spill is nil, the
// (customer, day) pairs with events in memory. Each reject is handed over
// once.
func ReadEventTable(ctx context.Context, path string, columns map[string]string, asOf time.Time, spill *EventSpill, rejects func(data.Reject)) (*EventTable, error) {
	e := &EventTable{Path: path, Agg: newOrderedEventAggregator(asOf)}
	err := data.ScanTable(ctx, path, func(t *data.Table, first int64) error {
		return e.add(ctx, t, first, columns, rejects)
	})
	if !errors.Is(err, errEventsUnordered) {
		if err != nil {
			return nil, err
		}
		return e, nil
	}
	// Again; the rows before done were handed to rejects already.
	done := e.Rows
	return readUnordered(ctx, path, columns, asOf, spill, func(r data.Reject) {
		if r.Row > done {
			rejects(r)
		}
	})
}

// readUnordered reads the events table at path in the spilled mode (spill
// not nil) or with the (customer, day) pairs.
func readUnordered(ctx context.Context, path string, columns map[string]string, asOf time.Time, spill *EventSpill, rejects func(data.Reject)) (_ *EventTable, err error) {
	e := &EventTable{Path: path, Agg: NewEventAggregator(asOf)}
	if spill != nil {
		sp, err := newEventSpill(spill)
		if err != nil {
			return nil, err
		}
		defer func() {
			if cerr := sp.close(); err == nil && cerr != nil {
				err = fmt.Errorf("features: events spill: %w", cerr)
			}
		}()
		e.Agg.spill, e.Agg.days = sp, nil
	}
	err = data.ScanTable(ctx, path, func(t *data.Table, first int64) error {
		return e.add(ctx, t, first, columns, rejects)
	})
	if err != nil {
		return nil, err
	}
	if e.Agg.spill != nil {
		if err := e.Agg.foldSpill(ctx); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// add folds the rows of t, a piece of the events table whose first row is
// the file's row first (counting from 0).
func (e *EventTable) add(ctx context.Context, t *data.Table, first int64, columns map[string]string, rejects func(data.Reject)) error {
	path := e.Path
	cols := make([]*data.Column, len(data.EventColumns))
	for j, logical := range data.EventColumns {
		name := columns[logical]
		if name == "" {
			name = logical
		}
		if cols[j] = t.Column(name); cols[j] == nil {
			return fmt.Errorf("events %s: column %q (mapped as %s) not found", path, name, logical)
		}
	}
	if k := cols[1].Kind; k != data.KindTime && k != data.KindString {
		// Numbers are not taken for times of an unknown unit: rejecting
		// every row would leave the run without its events.
		return fmt.Errorf("events %s: column %q (mapped as time) holds %s values, which cannot be read as times: want timestamps or text such as 2025-03-01 10:00:00",
			path, cols[1].Name, k)
	}
	ids, err := data.IDStrings(path, *cols[0])
	if err != nil {
		return err
	}
	e.Rows += int64(len(ids))
	loc := e.Agg.asOf.Location()
	for i, id := range ids {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		tm, null, ok := cols[1].TimeIn(i, loc)
		reason := ""
		switch {
		case id == "" || cols[0].IsNull(i):
			reason = "missing customer_id"
		case !utf8.ValidString(id):
			reason = "customer_id is not valid UTF-8"
		case !ok:
			reason = "unparseable time"
		case null:
			reason = "missing time"
		case tm.Before(data.MinTime) || tm.After(data.MaxTime):
			reason = "time out of range (years 1678–2261)"
		}
		if reason != "" {
			e.Rejected++
			raw := map[string]string{}
			for _, col := range cols {
				raw[col.Name] = col.Text(i)
			}
			rejects(data.Reject{File: path, Row: first + int64(i) + 1, Reason: "events: " + reason, Raw: raw})
			continue
		}
		if e.Agg.Add(id, tm, cols[2].Text(i)); e.Agg.unordered {
			e.Rows -= int64(len(ids) - i - 1) // the rows read: this one, not those after it
			return errEventsUnordered
		}
	}
	return nil
}
