package featurejob

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/segment-tool/segment/features"
)

// The events table's files (events.go): each shard's customers with
// their events features, written by job 1 under a temporary name and
// committed with the feature shards; read back by job 2 (a shard's), the
// fit (its sample's) and, for their ids, the finishing step (a shard at a
// time, only when no id is a buyer's).

// writeEventsFn writes the events features of one shard's customers,
// sorted by id, under a temporary name of its own (as writeShardFn).
type writeEventsFn struct{ Cfg Config }

// ProcessElement writes shard k's rows.
func (f *writeEventsFn) ProcessElement(ctx context.Context, k int, rows func(*eventRow) bool, emit func(shardFile)) error {
	var all []eventRow
	var r eventRow
	for rows(&r) {
		all = append(all, r)
		r = eventRow{}
	}
	sortEventRows(all)
	if err := ctx.Err(); err != nil {
		return err
	}
	path, err := writeGobShard(ctx, &f.Cfg, EventsName(k, f.Cfg.shards()), all)
	if err != nil {
		return err
	}
	emit(shardFile{Shard: k, Path: path, Events: true})
	return nil
}

// readEventRows reads the events features of shard k of n in job 1's files.
func readEventRows(ctx context.Context, files jobFiles, k, n int) ([]eventRow, error) {
	var rows []eventRow
	if err := readGob(ctx, files, EventsName(k, n), &rows); err != nil {
		return nil, err
	}
	return rows, nil
}

// eventTable returns rows (sorted by id) as the events table of job 1's
// summary sum (its counts, run.json's events block).
func eventTable(c *Config, sum *Summary, rows []eventRow) (*features.EventTable, error) {
	e := sum.Fit.Events
	ids, sums := make([]string, len(rows)), make([]features.EventSums, len(rows))
	for i, r := range rows {
		if len(r.Sums) != len(sums[i]) {
			return nil, fmt.Errorf("featurejob: events of customer %q: %d sums, want %d", r.ID, len(r.Sums), len(sums[i]))
		}
		ids[i] = r.ID
		copy(sums[i][:], r.Sums)
	}
	st := features.EventStats{Used: e.Used, AfterAsOf: e.AfterAsOf, UnknownType: e.UnknownType}
	return features.NewEventTable(c.Events, e.Rows, e.Rejected, st, sum.AsOf, ids, sums), nil
}

// hasEvents reports whether job 1 of sum folded an events table, and
// fails when c has one and sum not.
func hasEvents(c *Config, sum *Summary) (bool, error) {
	if c.Events == "" {
		return false, nil
	}
	if sum.Fit == nil || sum.Fit.Events == nil {
		return false, fmt.Errorf("featurejob: %s has no events table", SummaryFile)
	}
	// As a local run (features.ReadEventTable): a table without rows, or
	// every row of which was rejected, stops the run rather than leaving
	// its groups empty.
	if sum.Fit.Events.Rows == 0 {
		return false, fmt.Errorf("featurejob: %w", features.NoRowsError("events", c.Events))
	}
	if ef := sum.Fit.Events; ef.Rejected == ef.Rows {
		var why []string
		for _, r := range sortedKeys(ef.RejectsByReason) {
			why = append(why, fmt.Sprintf("%s: %d", r, ef.RejectsByReason[r]))
		}
		return false, fmt.Errorf("featurejob: events %s: every one of its %d rows was rejected (%s): check events.columns, the header and events.time_format (-event-column, -event-time-format)",
			c.Events, ef.Rows, strings.Join(why, ", "))
	}
	return true, nil
}

// readEventShard returns the events table folded for the customers of
// shard k of the feature table of sum in out, nil without an events
// table.
func readEventShard(ctx context.Context, c *Config, files jobFiles, sum *Summary, k int) (*features.EventTable, error) {
	if ok, err := hasEvents(c, sum); !ok {
		return nil, err
	}
	rows, err := readEventRows(ctx, files, k, len(sum.Shards))
	if err != nil {
		return nil, err
	}
	return eventTable(c, sum, rows)
}

// selectEvents returns the events table folded for the customers of ids
// (sorted), read from every shard's file one at a time, nil without an
// events table.
func selectEvents(ctx context.Context, c *Config, files jobFiles, sum *Summary, ids []string) (*features.EventTable, error) {
	if ok, err := hasEvents(c, sum); !ok {
		return nil, err
	}
	var kept []eventRow
	for k := range sum.Shards {
		rows, err := readEventRows(ctx, files, k, len(sum.Shards))
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if _, ok := slices.BinarySearch(ids, r.ID); ok {
				kept = append(kept, r)
			}
		}
	}
	sortEventRows(kept)
	return eventTable(c, sum, kept)
}
