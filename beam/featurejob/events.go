package featurejob

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// The events table (Config.Events): views, cart adds and checkouts,
// folded per customer on the workers and joined by customer id, as the
// customers table is (customers.go), so that no worker holds the table:
//
//	events file + as_of ─ReadEvents (a row group, or a CSV piece, at a time)→
//	    KV(id, the piece's counts of a day) ─CombinePerKey (the counts of each day added)→ KV(id, days)
//	    ReadEvents → the rejected rows, a file (temporary name) → Commit; counts ("events:")
//	feature rows ─KV(id, city)─┐
//	                           CoGroupByKey(id) → JoinEvents (the features summed) → KV(shard, sums) ─GroupByKey→
//	                           WriteEvents (the shard's customers, sorted) → Commit: events-….gob
//
// Each piece is folded into (customer, day) counts by the local run's
// code (features.ReadEventPiece), the counts of a day from every piece are
// added, then a customer's days are summed (features.SumEventDays): whole
// numbers throughout, so the features do not depend on the order of the
// events or of the pieces, and equal the local run's. The file is read by
// one worker a piece at a time, as the customers table is, in file order:
// its rejects go to one file in row order, which the finishing step
// writes to rejects.csv after the order lines' and the customers table's
// (ReadRejects), as a local run does. Job 2's worker for a shard reads the
// shard's sums (EventsName), the fit its sample's; the finishing step has
// the counts, and reads the shards' ids only when none is a buyer's
// (finishEvents).

// EventsName is the name, in FeaturesDir, of the events features of the
// customers of shard k of n.
func EventsName(k, n int) string { return fmt.Sprintf("events-%05d-of-%05d.gob", k, n) }

// EventRejectsName is the name, in FeaturesDir, of the events table's
// rejected rows.
const EventRejectsName = "rejects-events.gob"

// eventDays are a customer's counts by day, sorted by day, each day once.
type eventDays struct{ Days []features.EventDay }

// eventRow is a customer's events features.
type eventRow struct {
	ID   string
	Sums []uint64 // features.EventSums
}

// EventsFit is what job 1 counted of the events table (in Fit): run.json's
// events block, and the customers with events and no orders.
type EventsFit struct {
	Rows        int64 `json:"rows"`
	Used        int64 `json:"used"`
	Rejected    int64 `json:"rejected"`
	AfterAsOf   int64 `json:"after_as_of"`
	UnknownType int64 `json:"unknown_type"`
	NoOrders    int64 `json:"no_orders"` // customers with events counted and no orders
	Customers   int64 `json:"customers"` // customers with events counted (the table's ids)
	// RejectsByReason counts the rejected rows by reason.
	RejectsByReason map[string]int64 `json:"rejects_by_reason,omitempty"`
	// SHA256 is a remote table's checksum, computed by the worker that
	// downloaded it, so that the finishing step need not download it
	// again (it needs job 1's events features only); "" for a local file.
	SHA256 string `json:"sha256,omitempty"`
}

// totalsOf returns the counts c as catTotals (sorted by name).
func totalsOf(c map[string]int64) catTotals {
	var t catTotals
	for _, name := range sortedKeys(c) {
		t.Names, t.Gross = append(t.Names, name), append(t.Gross, c[name])
	}
	return t
}

// readEventsFn reads the events table a piece at a time and emits each
// customer's counts of a day in the piece, the table's counts ("events:")
// and the file of its rejected rows.
type readEventsFn struct{ Cfg Config }

// Setup sets the copy cache's budget (Config.CacheBytes).
func (f *readEventsFn) Setup() { copies.setLimit(f.Cfg.CacheBytes) }

// ProcessElement reads the table at path.
func (f *readEventsFn) ProcessElement(ctx context.Context, path string, asOf int64, emit func(string, eventDays), counts func(catTotals),
	rejects func(shardFile)) error {
	loc, err := f.Cfg.location()
	if err != nil {
		return err
	}
	at := time.Unix(0, asOf).In(loc)
	times, err := f.Cfg.EventTimes.format()
	if err != nil {
		return err
	}
	c := map[string]int64{}
	rw := &rejectsWriter{ctx: ctx, dir: stagingDir(&f.Cfg), name: EventRejectsName}
	err = withLocal(ctx, path, func(local, sha string) error {
		if sha != "" { // a remote file's, for run.json (eventsFit)
			c[eventsSHAPrefix+sha] = 1
		}
		return data.ScanTableRagged(ctx, local, func(t *data.Table, first int64) error {
			e, err := features.ReadEventPiece(ctx, path, t, first, f.Cfg.EventColumns, times, at, func(r data.Reject) {
				c["events:reject:"+r.Reason]++
				rw.add(r)
			})
			if err != nil {
				return err
			}
			st := e.Agg.Stats()
			c["events:rows"] += e.Rows
			c["events:rejected"] += e.Rejected
			c["events:used"] += st.Used
			c["events:after_as_of"] += st.AfterAsOf
			c["events:unknown_type"] += st.UnknownType
			e.Agg.EachDay(func(id string, d features.EventDay) { emit(id, eventDays{Days: []features.EventDay{d}}) })
			return nil
		})
	})
	rpath, rerr := rw.close()
	if err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	if rerr != nil {
		return rerr
	}
	if rpath != "" {
		rejects(shardFile{Shard: -1, Rejects: true, Events: true, Path: rpath})
	}
	counts(totalsOf(c))
	return nil
}

// mergeDaysFn is the CombineFn of a customer's eventDays: the counts of
// each day added (features.EventDay.Merge), whatever the order.
type mergeDaysFn struct{}

// MergeAccumulators merges two lists of days.
func (mergeDaysFn) MergeAccumulators(a, b eventDays) eventDays {
	var m eventDays
	i, j := 0, 0
	for i < len(a.Days) || j < len(b.Days) {
		switch {
		case j == len(b.Days) || i < len(a.Days) && a.Days[i].Day < b.Days[j].Day:
			m.Days = append(m.Days, a.Days[i])
			i++
		case i == len(a.Days) || b.Days[j].Day < a.Days[i].Day:
			m.Days = append(m.Days, b.Days[j])
			j++
		default:
			d := a.Days[i]
			d.Merge(b.Days[j])
			m.Days = append(m.Days, d)
			i, j = i+1, j+1
		}
	}
	return m
}

// joinEventsFn sums a customer's days into the events features, keyed by
// the customer's shard, and counts the customers with events
// ("events:customers") and those of them with no orders
// ("events:no_orders").
type joinEventsFn struct{ Cfg Config }

// ProcessElement joins one customer.
func (f *joinEventsFn) ProcessElement(id string, cities func(*string) bool, days func(*eventDays) bool, asOf int64,
	emit func(int, eventRow), counts func(catTotals)) error {
	loc, err := f.Cfg.location()
	if err != nil {
		return err
	}
	var city string
	hasOrders := false
	for cities(&city) {
		hasOrders = true
	}
	var all, d eventDays
	n := 0
	for days(&d) {
		all = mergeDaysFn{}.MergeAccumulators(all, d)
		d = eventDays{}
		n++
	}
	if n == 0 {
		return nil // orders and no events counted
	}
	sums := features.SumEventDays(all.Days, time.Unix(0, asOf).In(loc))
	emit(shardOf(id, f.Cfg.shards()), eventRow{ID: id, Sums: sums[:]})
	c := catTotals{Names: []string{"events:customers"}, Gross: []int64{1}}
	if !hasOrders {
		c = catTotals{Names: []string{"events:customers", "events:no_orders"}, Gross: []int64{1, 1}}
	}
	counts(c)
	return nil
}

// eventsSHAPrefix names the count that carries a remote events table's
// SHA-256 (its one file: one count) from the reader to the summary.
const eventsSHAPrefix = "events:sha256:"

// eventsFit returns the events table's counts from the combined counts,
// nil without an events table.
func eventsFit(c *Config, counts catTotals) *EventsFit {
	if c.Events == "" {
		return nil
	}
	f := &EventsFit{}
	fields := map[string]*int64{"events:rows": &f.Rows, "events:used": &f.Used, "events:rejected": &f.Rejected,
		"events:after_as_of": &f.AfterAsOf, "events:unknown_type": &f.UnknownType, "events:no_orders": &f.NoOrders,
		"events:customers": &f.Customers}
	for i, name := range counts.Names {
		if p, ok := fields[name]; ok {
			*p = counts.Gross[i]
		} else if sha, ok := strings.CutPrefix(name, eventsSHAPrefix); ok {
			f.SHA256 = sha
		} else if reason, ok := strings.CutPrefix(name, "events:reject:"); ok {
			if f.RejectsByReason == nil {
				f.RejectsByReason = map[string]int64{}
			}
			f.RejectsByReason[reason] = counts.Gross[i]
		}
	}
	return f
}

// joinEvents adds the events table's read, fold, join and shards to job
// 1: it returns the shard files and the rejects file to commit, and the
// counts ("events:") the fit's values take.
func joinEvents(s beam.Scope, cfg Config, rows, asOf beam.PCollection) (files, counts beam.PCollection) {
	s = s.Scope("events")
	days, counts, rejects := beam.ParDo3(s, &readEventsFn{Cfg: cfg}, beam.Create(s, cfg.Events), beam.SideInput{Input: asOf})
	days = beam.CombinePerKey(s, mergeDaysFn{}, days)
	joined := beam.CoGroupByKey(s, beam.ParDo(s, idCity, rows), days)
	byShard, noOrders := beam.ParDo2(s, &joinEventsFn{Cfg: cfg}, joined, beam.SideInput{Input: asOf})
	files = beam.ParDo(s, &writeEventsFn{Cfg: cfg}, beam.GroupByKey(s, byShard))
	return beam.Flatten(s, files, rejects), beam.Flatten(s, counts, noOrders)
}

// sortEventRows sorts rows by id.
func sortEventRows(rows []eventRow) {
	slices.SortFunc(rows, func(a, b eventRow) int { return strings.Compare(a.ID, b.ID) })
}
