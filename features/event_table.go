package features

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

	workers int             // goroutines preparing the rows of a piece (see prepare)
	times   data.TimeFormat // how the times are read, located

	// firstReject is the first row rejected: its row, reason (an index
	// into eventRejects) and the text of the column at fault (checkRejects).
	firstReject struct {
		row        int64
		reason     uint8
		col, value string
	}
}

// eventTimes is times located in asOf's zone when it has no zone of its
// own (events.timezone).
func eventTimes(times data.TimeFormat, asOf time.Time) data.TimeFormat {
	if times.Located() {
		return times
	}
	return times.In(asOf.Location())
}

// ReadEventTable reads the events table at path and folds it into
// per-customer counts before asOf. columns maps logical names
// (data.EventColumns, all required) to file columns; an unmapped logical
// column is looked for under its own name. times says how the times are
// read (events.time_format and timezone); a time without an offset is one
// in times' zone, or, when it has none, in asOf's location, the store's
// time zone, as for the orders. Days are counted in asOf's location. Rows with an empty customer id or time
// go to rejects; rows at or after as_of and of unknown types are counted,
// not rejected (see EventStats). The table is read a piece at a time (a
// Parquet row group, or data.ScanTable's rows of a CSV file). When each
// customer's events come in time order (a log in time order, or a file
// sorted by customer and time), memory grows with the customers alone;
// otherwise the file is read a second time (from the first event out of
// order), keeping the events on disk with a spill (memory per customer,
// 8 bytes of disk per event; see EventSpill), or, when spill is nil, the
// (customer, day) pairs with events in memory. Each reject is handed over
// once. The rows of a piece are checked, and their customers looked up, on
// workers goroutines (at least one), then folded in file order, while,
// with more than one worker, the next piece is read: the result is the
// same with any number of workers.
func ReadEventTable(ctx context.Context, path string, columns map[string]string, times data.TimeFormat, asOf time.Time, spill *EventSpill, workers int, rejects func(data.Reject)) (*EventTable, error) {
	e := &EventTable{Path: path, Agg: newOrderedEventAggregator(asOf), workers: workers, times: eventTimes(times, asOf)}
	err := e.scan(ctx, func(t *data.Table, first int64) error {
		return e.add(ctx, t, first, columns, rejects)
	})
	if !errors.Is(err, errEventsUnordered) {
		if err != nil {
			return nil, err
		}
		return e, e.checkRejects()
	}
	// Again; the rows before done were handed to rejects already.
	done := e.Rows
	return readUnordered(ctx, path, columns, times, asOf, spill, workers, func(r data.Reject) {
		if r.Row > done {
			rejects(r)
		}
	})
}

// readUnordered reads the events table at path in the spilled mode (spill
// not nil) or with the (customer, day) pairs.
func readUnordered(ctx context.Context, path string, columns map[string]string, times data.TimeFormat, asOf time.Time, spill *EventSpill, workers int, rejects func(data.Reject)) (_ *EventTable, err error) {
	e := &EventTable{Path: path, Agg: NewEventAggregator(asOf), workers: workers, times: eventTimes(times, asOf)}
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
	err = e.scan(ctx, func(t *data.Table, first int64) error {
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
	return e, e.checkRejects()
}

// scan gives fn the pieces of the table, a CSV file's rows with the wrong
// number of fields kept for add to reject (data.ScanTableRagged): with
// more than one worker, the next piece is read while fn folds one
// (data.ScanTableAhead).
func (e *EventTable) scan(ctx context.Context, fn func(t *data.Table, first int64) error) error {
	if e.workers > 1 {
		return data.ScanTableAhead(ctx, e.Path, true, fn)
	}
	return data.ScanTableRagged(ctx, e.Path, fn)
}

// add folds the rows of t, a piece of the events table whose first row is
// the file's row first (counting from 0). Its ragged rows (t.Ragged) are
// rejected with their fields.
func (e *EventTable) add(ctx context.Context, t *data.Table, first int64, columns map[string]string, rejects func(data.Reject)) error {
	path := e.Path
	cols := make([]*data.Column, len(data.EventColumns))
	for j, logical := range data.EventColumns {
		name := columns[logical]
		if name == "" {
			name = logical
		}
		if cols[j] = t.Column(name); cols[j] == nil {
			return data.MissingColumnError("events", path, name, logical, t)
		}
	}
	if k := cols[1].Kind; k != data.KindTime && k != data.KindString && !e.times.ReadsNumbers(k) {
		// Numbers are not taken for times of an unknown unit: rejecting
		// every row would leave the run without its events.
		return fmt.Errorf("events %s: column %q (mapped as time) holds %s values, which cannot be read as times: want timestamps or text such as 2025-03-01 10:00:00, or set events.time_format (%s for numbers since 1970)",
			path, cols[1].Name, k, data.EpochFormats)
	}
	ids, err := data.IDStrings(path, *cols[0], first)
	if err != nil {
		return err
	}
	e.Rows += int64(len(ids))
	ragged := t.Ragged // in row order, walked as the rows are (as CustomerPiece does)
	// A window of rows at a time, so that the prepared rows cost a fixed
	// amount of memory, however large the piece.
	var rows []preparedEvent
	for lo := 0; lo < len(ids); lo += eventWindow {
		hi := min(len(ids), lo+eventWindow)
		if rows, err = e.prepare(ctx, cols, ids, lo, hi, rows); err != nil {
			return err
		}
		for j, r := range rows {
			i := lo + j
			if j%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			var raw map[string]string
			odd := len(ragged) > 0 && ragged[0].Row == i
			if odd {
				r.reason, raw, ragged = reasonFieldCount, ragged[0].Raw, ragged[1:]
			}
			if r.reason != 0 {
				e.Rejected++
				if e.Rejected == 1 {
					c := cols[0] // the id's, or the time's
					if r.reason >= 3 && r.reason <= 5 {
						c = cols[1]
					}
					e.firstReject.row, e.firstReject.reason, e.firstReject.col, e.firstReject.value = first+int64(i)+1, r.reason, c.Name, c.Text(i)
				}
				if !odd {
					raw = map[string]string{}
					for _, col := range cols {
						raw[col.Name] = col.Text(i)
					}
				}
				rejects(data.Reject{File: path, Row: first + int64(i) + 1, Reason: "events: " + eventRejects[r.reason], Raw: raw})
				continue
			}
			if e.Agg.add(ids[i], r.ci, r.day, eventTypes[r.typ], r.after); e.Agg.unordered {
				e.Rows -= int64(len(ids) - i - 1) // the rows read: this one, not those after it
				return errEventsUnordered
			}
		}
	}
	return nil
}

// preparedEvent is what folding a row of an events piece needs that
// depends on the row alone: prepare finds it for every row of a piece on
// e.workers goroutines, before the rows are folded in order.
type preparedEvent struct {
	ci     int32  // the customer's index when the aggregator had it before the piece, else -1
	day    uint32 // the calendar day of the time (dayKey)
	typ    uint8  // index into eventTypes; 0: not a known type
	reason uint8  // index into eventRejects; 0: not rejected
	after  bool   // at or after as_of
}

// eventTypes are the event types a preparedEvent's typ indexes.
var eventTypes = [...]string{"", EventView, EventCartAdd, EventCheckout}

// eventRejects are the reasons a preparedEvent's reason indexes.
var eventRejects = [...]string{"", "missing customer_id", "customer_id is not valid UTF-8", "unparseable time", "missing time",
	"time out of range (years 1678–2261)", data.ReasonRepeatedHeader, data.ReasonFieldCount, "customer_id holds a NUL byte"}

// reasonFieldCount is the index in eventRejects of a CSV row with the
// wrong number of fields.
const reasonFieldCount = 7

// eventChunk is the number of rows prepare hands to a goroutine at a
// time, and eventWindow the number of rows add prepares, then folds.
const (
	eventChunk  = 8192
	eventWindow = 8 * eventChunk
)

// prepare returns the preparedEvent of each row from lo to hi of a piece
// (columns cols: customer id, time and type; ids its customer ids), in
// buf's array when it has room. Only lookups in the aggregator's index
// happen while the goroutines run; the rows are folded after, in order,
// so the result does not depend on e.workers.
func (e *EventTable) prepare(ctx context.Context, cols []*data.Column, ids []string, lo, hi int, buf []preparedEvent) ([]preparedEvent, error) {
	rows := slices.Grow(buf[:0], hi-lo)[:hi-lo]
	clear(rows)
	loc, a := e.Agg.asOf.Location(), e.Agg
	forEach((hi-lo+eventChunk-1)/eventChunk, e.workers, func(c int) {
		for i := lo + c*eventChunk; i < min(hi, lo+(c+1)*eventChunk); i++ {
			r, id := &rows[i-lo], ids[i]
			tm, null, ok := cols[1].TimeAs(i, e.times)
			switch {
			case id == "" || cols[0].IsNull(i):
				r.reason = 1
			case !utf8.ValidString(id):
				r.reason = 2
			case data.HasNUL(id):
				r.reason = 8
			case !ok && id == cols[0].Name && cols[1].Text(i) == cols[1].Name:
				r.reason = 6 // the header again: files concatenated with their headers
			case !ok:
				r.reason = 3
			case null:
				r.reason = 4
			case tm.Before(data.MinTime) || tm.After(data.MaxTime):
				r.reason = 5
			}
			if r.reason != 0 {
				continue
			}
			r.typ = uint8(eventTypeIndex(cols[2].Text(i)))
			r.after = !tm.Before(a.asOf)
			if r.typ == 0 || r.after {
				continue // counted, not folded
			}
			if tm.Location() != loc { // events.timezone: days are the store's
				tm = tm.In(loc)
			}
			r.day = uint32(dayKey(tm))
			r.ci = -1
			if ci, ok := a.index[id]; ok {
				r.ci = ci
			}
		}
	})
	return rows, ctx.Err()
}

// eventTypeIndex is the index in eventTypes of EventType(raw).
func eventTypeIndex(raw string) int {
	switch EventType(raw) {
	case EventView:
		return 1
	case EventCartAdd:
		return 2
	case EventCheckout:
		return 3
	}
	return 0
}

// checkRejects is an error when the table has no rows, or every row of it
// was rejected: a
// run without any of its events would report its groups (cart abandoners,
// browsers) as empty rather than unread, so the run stops, naming the
// first row rejected and what to set: the times' layout, the id column,
// or the header, whose number of fields no row has.
func (e *EventTable) checkRejects() error {
	if e.Rows == 0 {
		// A header alone: an export gone wrong, as every row rejected.
		return NoRowsError("events", e.Path)
	}
	if e.Rejected < e.Rows {
		return nil
	}
	at := e.firstReject
	what := fmt.Sprintf("every one of its %d rows was rejected (row %d: %s", e.Rows, at.row, eventRejects[at.reason])
	switch at.reason {
	case reasonFieldCount:
		return fmt.Errorf("events %s: %s): check that the header names every field of the rows, and the delimiter", e.Path, what)
	case 3:
		return fmt.Errorf("events %s: %s, column %q: %s): set events.time_format to the times' layout (a Go layout or a strftime format such as \"%%d/%%m/%%Y %%H:%%M\"; %s for numbers since 1970)",
			e.Path, what, at.col, data.QuoteCell(at.value), data.EpochFormats)
	case 1:
		return fmt.Errorf("events %s: %s, column %q): map the column of the customer ids (events.columns.customer_id)", e.Path, what, at.col)
	}
	return fmt.Errorf("events %s: %s, column %q: %s)", e.Path, what, at.col, data.QuoteCell(at.value))
}
