package features

import (
	"context"
	"fmt"
	"time"
)

// The pieces TableContext and the spilled table (spill_table.go) share:
// the store-wide values a row depends on, and the building of a table of
// some customers at those values.

// storeWide are the values every customer's row depends on beyond the
// customer's own lines.
type storeWide struct {
	asOf       time.Time
	asOfNano   int64
	from       int64    // the window's start, unix nanoseconds
	oldestNano int64    // the oldest line aggregated
	cats       []string // the mix categories
}

// storeWide returns as_of (Options.AsOf, or the midnight after the newest
// line) and the window's start; the categories are left to the caller.
func (a *Aggregator) storeWide(newest, oldest time.Time) (storeWide, error) {
	asOf := a.opts.AsOf
	if !a.hasAsOf {
		asOf = DefaultAsOf(newest, a.loc)
	}
	asOfNano, ok := unixNano(asOf)
	if !ok {
		return storeWide{}, fmt.Errorf("features: as_of %s is outside the years 1678–2261", asOf)
	}
	oldestNano, _ := unixNano(oldest)
	return storeWide{asOf: asOf, asOfNano: asOfNano, from: windowStart(asOf, a.loc, a.opts.WindowDays), oldestNano: oldestNano}, nil
}

// tableSums are the table-wide sums build leaves to its caller, which
// combines those of several pieces of a store.
type tableSums struct {
	revenue, refunded fixed
	hold              *holdoutAcc
}

// build fills the table of the parts' n customers, sorted by id, at the
// store-wide values sw; Lines, FirstLine, LastLine, Revenue, MedianOrder
// and Holdout are left to the caller.
func (a *Aggregator) build(ctx context.Context, sw storeWide, acc [][]customerTotals, n int) (*Table, tableSums, error) {
	t := &Table{
		AsOf:       sw.asOf,
		Names:      append(append(a.columns(), MixColumns(sw.cats)...), MixOther),
		Categories: sw.cats,
	}
	rows := a.rows(n)
	sums, err := a.fill(ctx, t, rows, acc, sw)
	if err != nil {
		return nil, tableSums{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, tableSums{}, err
	}
	a.fillAttributes(t, rows)
	return t, sums, nil
}
