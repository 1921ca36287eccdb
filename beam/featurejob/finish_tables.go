package featurejob

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

// The customers and events tables in the finishing step: job 1 counted
// what the outputs need of them (their rows, prospects and rejects, a
// remote file's checksum), so the finish reads none of their rows. Only
// when no id of a table is a buyer's (job 1's counts say so) does it read
// the shards' ids, one shard at a time, for the examples the report gives
// (finishMismatch).

// finishCustomers returns in with the customers table at path joined as
// job 1 counted it (CustomersFit): the table's header (its path and
// columns), its file among the inputs (after in's, with its rows and
// checksum) and, when none of its ids is a buyer's, the mismatch. Its
// rejected rows are counted into stats.
func finishCustomers(ctx context.Context, out, path string, sum *Summary, o *pipeline.Options, in *pipeline.Tables, stats *data.ReadStats) (*pipeline.Tables, *CustomersFit, error) {
	cf := sum.Fit.Customers
	if cf == nil {
		return nil, nil, fmt.Errorf("featurejob: %s has no customers table", SummaryFile)
	}
	header, err := customersOf(path, cf.Columns, nil)
	if err != nil {
		return nil, nil, err
	}
	sha, err := fileSHA(ctx, path, cf.SHA256)
	if err != nil {
		return nil, nil, err
	}
	res := *in
	res.Customers = header
	res.Inputs = append(slices.Clip(in.Inputs), data.FileStat{Path: path, SHA256: sha, Rows: cf.Rows + cf.Rejected})
	if len(cf.RejectsByReason) > 0 {
		stats.RejectsByReason = addCounts(stats.RejectsByReason, cf.RejectsByReason)
	}
	if o.Log != nil {
		o.Log.Info("customers table joined", "rows", cf.Rows+cf.Rejected, "rejected", cf.Rejected, "prospects", cf.Prospects)
	}
	if cf.Rows > 0 && cf.Prospects == cf.Rows { // no id of the table is a buyer's
		m, err := finishMismatch(ctx, out, sum, shardIDs(ctx, out, sum, readCustomerRows, func(r customerRow) string { return r.ID }))
		if err != nil {
			return nil, nil, err
		}
		res.CustomersMismatch = m
		if m != nil && o.Log != nil {
			o.Log.Warn("no customer_id of the customers table is the id of a customer with orders: check that both files write ids alike",
				"customers", path, "customers_example", m.TableID, "orders_example", m.OrderID, "leading_zeros", m.LeadingZeros)
		}
	}
	return &res, cf, nil
}

// finishEvents returns in with the events table at path as job 1 counted
// it (EventsFit: a table without customers), its file among the inputs
// and, when none of its ids is a buyer's, the mismatch. Its rejected rows
// are counted into stats.
func finishEvents(ctx context.Context, out, path string, sum *Summary, o *pipeline.Options, in *pipeline.Tables, stats *data.ReadStats) (*pipeline.Tables, error) {
	c := &Config{Events: path}
	if _, err := hasEvents(c, sum); err != nil {
		return nil, err
	}
	e, err := eventTable(c, sum, nil)
	if err != nil {
		return nil, err
	}
	if in, err = withEventsInput(ctx, in, e, sum.Fit.Events.SHA256); err != nil {
		return nil, err
	}
	ef := sum.Fit.Events
	if len(ef.RejectsByReason) > 0 {
		stats.RejectsByReason = addCounts(stats.RejectsByReason, ef.RejectsByReason)
	}
	if ef.Customers > 0 && ef.NoOrders == ef.Customers { // no id of the table is a buyer's
		m, err := finishMismatch(ctx, out, sum, shardIDs(ctx, out, sum, readEventRows, func(r eventRow) string { return r.ID }))
		if err != nil {
			return nil, err
		}
		in.EventsMismatch = m
		if m != nil && o.Log != nil {
			o.Log.Warn("no customer_id of the events table is the id of a customer with orders: check that both files write ids alike",
				"events", path, "events_example", m.TableID, "orders_example", m.OrderID, "leading_zeros", m.LeadingZeros)
		}
	}
	return in, nil
}

// fileSHA returns sha, the checksum job 1's worker computed as it
// downloaded a remote file, or else the SHA-256 of the file at path (a
// local file's, or a remote one's copy).
func fileSHA(ctx context.Context, path, sha string) (string, error) {
	if sha != "" {
		return sha, nil
	}
	err := withLocal(ctx, path, func(local, remote string) (err error) {
		if sha = remote; sha == "" {
			sha, err = data.FileSHA256(local)
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("featurejob: %w", err)
	}
	return sha, nil
}

// shardIDs returns a func giving the ids of shard k of a table's files in
// out (job 1's), whose rows read reads and id names.
func shardIDs[T any](ctx context.Context, out string, sum *Summary, read func(context.Context, jobFiles, int, int) ([]T, error),
	id func(T) string) func(k int) ([]string, error) {
	return func(k int) ([]string, error) {
		rows, err := read(ctx, localFiles(out), k, len(sum.Shards))
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = id(r)
		}
		return ids, err
	}
}

// errFound stops a scan once it has found what it looks for.
var errFound = errors.New("featurejob: found")

// finishMismatch returns features.IDMismatchOf of job 1's customers with
// orders (the feature shards' ids) against a table that shares no id with
// them, whose ids (sorted) tableIDs reads by shard; nil when either side
// is empty. It holds the first features.MismatchSample ids of each side
// and one shard's ids of the table at a time, not every id: the feature
// shards are read for their smallest ids and, only when some of the
// table's ids have leading zeros, once more for them; the table's shards
// likewise, once or twice.
func finishMismatch(ctx context.Context, out string, sum *Summary, tableIDs func(k int) ([]string, error)) (*features.IDMismatch, error) {
	paths := make([]string, len(sum.Shards))
	for i, name := range sum.Shards {
		paths[i] = filepath.Join(out, FeaturesDir, name)
	}
	scan := func(rows int, fn func(ids []string) error) error {
		err := data.MergeScan(ctx, paths, "customer_id", []string{"customer_id"}, rows, func(t *data.Table) error { return fn(t.Columns[0].Strings) })
		if err != nil && !errors.Is(err, errFound) {
			return fmt.Errorf("featurejob: feature shards: %w", err)
		}
		return nil
	}
	var orderFirst []string
	err := scan(features.MismatchSample, func(ids []string) error {
		orderFirst = append(orderFirst, ids...)
		if len(orderFirst) >= features.MismatchSample {
			return errFound
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	orderFirst = orderFirst[:min(len(orderFirst), features.MismatchSample)]
	// The smallest ids of the table are among the smallest of each shard.
	var tableFirst []string
	for k := range sum.Shards {
		ids, err := tableIDs(k)
		if err != nil {
			return nil, err
		}
		tableFirst = append(tableFirst, ids[:min(len(ids), features.MismatchSample)]...)
		slices.Sort(tableFirst)
		tableFirst = tableFirst[:min(len(tableFirst), features.MismatchSample)]
	}
	if len(orderFirst) == 0 || len(tableFirst) == 0 {
		return nil, nil
	}
	ordersHave := func(want []string) (found bool, err error) {
		err = scan(1<<16, func(ids []string) error {
			for _, id := range ids {
				if _, ok := slices.BinarySearch(want, id); ok {
					found = true
					return errFound
				}
			}
			return nil
		})
		return found, err
	}
	tableHas := func(want []string) (bool, error) {
		for k := range sum.Shards {
			ids, err := tableIDs(k)
			if err != nil {
				return false, err
			}
			for _, id := range want {
				if _, ok := slices.BinarySearch(ids, id); ok {
					return true, nil
				}
			}
		}
		return false, nil
	}
	return features.IDMismatchOf(orderFirst, tableFirst, ordersHave, tableHas)
}
