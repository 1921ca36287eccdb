package main

import (
	"context"
	"fmt"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// events is the events table folded per customer.
type events struct {
	path     string
	agg      *features.EventAggregator
	rows     int64
	rejected int64 // rows without a customer id or a time, listed in rejects.csv
}

// loadEvents reads the events table and folds it into per-customer counts
// before asOf. Times are read and days counted in asOf's location, the
// store's time zone (a time without an offset is a store time), as for the
// orders. Rows with an empty customer id or time go to rejects; rows at or
// after as_of and of unknown types are counted, not rejected (see
// features.EventStats). The table is read whole: memory grows with its rows.
func loadEvents(ctx context.Context, c *tableConfig, asOf time.Time, rejects func(data.Reject)) (*events, error) {
	t, err := data.ReadTable(ctx, c.Path)
	if err != nil {
		return nil, err
	}
	cols := make([]*data.Column, len(data.EventColumns))
	for j, logical := range data.EventColumns {
		name := c.Columns[logical]
		if name == "" {
			name = logical
		}
		if cols[j] = t.Column(name); cols[j] == nil {
			return nil, fmt.Errorf("events %s: column %q (mapped as %s) not found", c.Path, name, logical)
		}
	}
	ids, err := data.IDStrings(c.Path, *cols[0])
	if err != nil {
		return nil, err
	}
	e := &events{path: c.Path, agg: features.NewEventAggregator(asOf), rows: int64(len(ids))}
	for i, id := range ids {
		tm, null, ok := cols[1].TimeIn(i, asOf.Location())
		reason := ""
		switch {
		case id == "" || cols[0].IsNull(i):
			reason = "missing customer_id"
		case !ok:
			reason = "unparseable time"
		case null:
			reason = "missing time"
		}
		if reason != "" {
			e.rejected++
			raw := map[string]string{}
			for _, col := range cols {
				raw[col.Name] = col.Text(i)
			}
			rejects(data.Reject{File: c.Path, Row: int64(i + 1), Reason: "events: " + reason, Raw: raw})
			continue
		}
		e.agg.Add(id, tm, cols[2].Text(i))
	}
	return e, nil
}
