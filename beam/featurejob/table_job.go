package featurejob

import (
	"context"
	"fmt"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

// Job 1 on a per-customer feature table (Config.Features, segment run
// -features) instead of order lines: the table's rows are the customers'
// rows as they are, so there is nothing to aggregate; the job shards them
// and computes the fit's store-wide values over them, as it does for the
// rows it aggregates:
//
//	feature table ─ReadTable (a row group, or a CSV piece, at a time)→ KV(shard, row)
//	─GroupByKey→ WriteShard (sorted by id, a duplicate id refused) → Commit
//	ReadTable → the table's columns (singleton, in place of the mix categories)
//	ReadTable → the file's counts and checksum, the rows' counts (singletons) → Commit
//	rows ─ as for order lines (fitjob.go) → the fit's values and the sample → Commit
//	rows + the customers table ─ as for order lines (customers.go) → its rows by shard, cities
//
// The table has no as_of, mix categories, order counts or median order
// (a local run's features.FromColumns sets none): the summary says so
// (Summary.Features), and the RFM and seed group cuts come from the
// columns the table has (fitCols.point). Each row's id and values are
// checked as the local run checks them (features.CheckID, CheckValue,
// and DuplicateIDError in writeShardFn), with the row's number in the
// file. The file is read by one worker, a piece at a time
// (data.ScanTable), as the customers table is (customers.go).

// buildTable adds job 1 on the feature table cfg.Features to scope s.
func buildTable(s beam.Scope, cfg Config) {
	rows, mix, store, table := beam.ParDo4(s, &readTableFn{Cfg: cfg}, beam.Create(s, cfg.Features))
	files := beam.ParDo(s, &writeShardFn{Cfg: cfg}, beam.GroupByKey(s, rows), beam.SideInput{Input: mix})
	cities := beam.ParDo(s, cityOf, rows) // none: a feature table has no city
	if cfg.Customers != "" {
		var customerFiles beam.PCollection
		customerFiles, cities = joinCustomers(s, cfg, rows, table) // customers.go, as for order lines
		files = beam.Flatten(s, files, customerFiles)
	}
	fit, sample := fitValues(s, cfg, rows, mix, store, cities)
	commit(s, cfg, files, jobValues{mix: mix, asOf: beam.Create(s, int64(0)), store: store, table: table,
		med: beam.Create(s, 0.0), fit: fit, sample: sample})
}

// readTableFn reads the feature table: it emits each row keyed by its
// shard, and once each the table's columns (mixCats.Columns), the file's
// counts and checksum (partStats) and the rows' count (rowStats).
type readTableFn struct{ Cfg Config }

// Setup sets the copy cache's budget (Config.CacheBytes).
func (f *readTableFn) Setup() { copies.setLimit(f.Cfg.CacheBytes) }

// ProcessElement reads the table at path.
func (f *readTableFn) ProcessElement(ctx context.Context, path string, emit func(int, featureRow), columns func(mixCats),
	stats func(partStats), counts func(rowStats)) error {
	var names []string
	var n int64
	var sum string
	err := withLocal(ctx, path, func(local, sha string) error {
		mixed := pipeline.NewMixedColumns(path) // the file's verdict, as a local read's
		err := data.ScanTable(ctx, local, func(t *data.Table, first int64) error {
			ids, cols, err := tablePiece(path, t, first, mixed, &names, columns)
			if err != nil {
				return err
			}
			for i, id := range ids {
				row := int(first) + i + 1
				if err := features.CheckID(row, id); err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
				r := featureRow{ID: id, Values: make([]float64, len(cols))}
				for j, c := range cols {
					if err := features.CheckValue(names[j], id, row, c[i]); err != nil {
						return fmt.Errorf("%s: %w", path, err)
					}
					r.Values[j] = c[i]
				}
				emit(shardOf(id, f.Cfg.shards()), r)
			}
			n += int64(len(ids))
			return ctx.Err()
		})
		if err != nil {
			return err
		}
		if err := mixed.Err(); err != nil {
			return err
		}
		if names == nil {
			return fmt.Errorf("%s: no columns", path)
		}
		if sum = sha; sum == "" { // a local file's
			sum, err = data.FileSHA256(local)
		}
		return err
	})
	if err != nil {
		return err
	}
	stats(partStats{Parts: 1, RowsRead: n, RowsUsed: n, FileRows: map[string]int64{path: n}, SHA256: map[string]string{path: sum}})
	counts(rowStats{Customers: n})
	return nil
}

// tablePiece returns a piece's ids and feature columns
// (pipeline.FeatureColumnsOf). The first piece's column names are set in
// *names and emitted to columns; a later piece must have the same.
func tablePiece(path string, t *data.Table, first int64, mixed *pipeline.MixedColumns, names *[]string, columns func(mixCats)) ([]string, [][]float64, error) {
	ids, got, cols, err := pipeline.FeatureColumnsOf(path, t, first, mixed)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case *names == nil:
		*names = got
		columns(mixCats{Columns: got})
	case !slices.Equal(got, *names):
		return nil, nil, fmt.Errorf("%s: a piece has the feature columns %v, the first %v", path, got, *names)
	}
	return ids, cols, nil
}
