package data

import (
	"context"
	"errors"
	"fmt"
)

// OrderPart is a piece of an order input that can be read on its own, on
// another machine: one row group of a Parquet file, or a whole CSV file. A
// distributed run (the segment-beam binary) lists the parts with
// OrderParts and reads each with ReadOrderPart.
type OrderPart struct {
	File     string // the file's path
	RowGroup int    // the row group's index in a Parquet file; -1 for a whole CSV file
	FirstRow int64  // the file row (from 0) of the part's first row
	Rows     int64  // the part's rows; -1 when unknown (a CSV file)
}

// ErrPartDuplicates is returned by ReadOrderPart for DropDuplicates: finding
// a line's earlier copy needs every line read before it, which a part read
// on its own does not have.
var ErrPartDuplicates = errors.New("data: dropping duplicate lines needs the whole input: it cannot be done one part at a time")

// OrderParts lists the parts of the order files of path (a file, glob or
// directory, as OrderSource.Path), in the order ReadOrders reads them:
// files in path order, the row groups of a Parquet file in file order. Only
// the footer of a Parquet file is read. Reading every part with
// ReadOrderPart gives the lines ReadOrders gives, in the same order.
func OrderParts(path string) ([]OrderPart, error) {
	files, err := expandPath(path)
	if err != nil {
		return nil, err
	}
	var parts []OrderPart
	for _, f := range files {
		if f.format != formatParquet {
			parts = append(parts, OrderPart{File: f.path, RowGroup: -1, Rows: -1})
			continue
		}
		if parts, err = appendRowGroups(parts, f.path); err != nil {
			return nil, err
		}
	}
	return parts, nil
}

// appendRowGroups appends a Parquet file's row groups to parts.
func appendRowGroups(parts []OrderPart, path string) (_ []OrderPart, err error) {
	defer recoverParquet(path, &err)
	f, pf, err := openParquet(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var first int64
	for i, rg := range pf.RowGroups() {
		parts = append(parts, OrderPart{File: path, RowGroup: i, FirstRow: first, Rows: rg.NumRows()})
		first += rg.NumRows()
	}
	return parts, nil
}

// ReadOrderPart reads the order lines of one part as ReadOrders reads them
// (src.Path is ignored): the same columns, checks, rejects (with the row
// number in the file) and batches. ReadStats.Files is left empty: a file's
// checksum covers the whole file. src.Duplicates must not be
// DropDuplicates (ErrPartDuplicates).
func ReadOrderPart(ctx context.Context, src OrderSource, part OrderPart, fn func(batch []OrderLine) error) (ReadStats, error) {
	return readOrderPart(ctx, src, part, fn, nil)
}

// PartLineHashes returns the LineHash of every line of one part that
// ReadOrderPart keeps, as DropDuplicates compares lines (before a refund
// carried to a line from a rejected line of its order): what a distributed
// run's first pass gathers for ReadOrderPartAfter.
func PartLineHashes(ctx context.Context, src OrderSource, part OrderPart) (map[uint64]struct{}, error) {
	hashes := map[uint64]struct{}{}
	_, err := readOrderPart(ctx, src, part, func([]OrderLine) error { return nil }, hashes)
	return hashes, err
}

// readOrderPart is ReadOrderPart, adding the LineHash of every line kept
// to hashes when not nil.
func readOrderPart(ctx context.Context, src OrderSource, part OrderPart, fn func(batch []OrderLine) error, hashes map[uint64]struct{}) (ReadStats, error) {
	if src.Duplicates == DropDuplicates {
		return ReadStats{}, ErrPartDuplicates
	}
	if part.RowGroup < 0 {
		src.Path = part.File
		st, err := readOrders(ctx, src, fn, hashes)
		st.Files = nil
		return st, err
	}
	r, err := newPartReader(ctx, src, fn)
	if err != nil {
		return r.stats, err
	}
	r.hashes = hashes
	if err := r.readParquetRowGroup(part); err != nil {
		return r.stats, err
	}
	if err := r.currencyClash(); err != nil {
		return r.stats, err
	}
	r.stats.Absent, r.stats.PartlyAbsent, r.stats.Currency = r.absent(), r.partlyAbsent(), r.currencyName()
	r.stats.Repeats = r.repeats.result()
	r.stats.Repeated, r.stats.RepeatedEstimated = r.stats.Repeats.Count(r.stats.RowsUsed), r.stats.Repeats.Estimated(r.stats.RowsUsed)
	return r.stats, r.flush()
}

// newPartReader returns the reader of one part of src: its batch, its time
// layout and, without a mapping, the default columns.
func newPartReader(ctx context.Context, src OrderSource, fn func(batch []OrderLine) error) (*orderReader, error) {
	r := &orderReader{ctx: ctx, src: src, fn: fn, stats: ReadStats{RejectsByReason: map[string]int64{}}}
	r.batchSize = src.BatchSize
	if r.batchSize <= 0 {
		r.batchSize = defaultBatchSize
	}
	r.batch = make([]OrderLine, 0, r.batchSize)
	layout, err := TimeLayout(src.TimeFormat)
	if err != nil {
		return r, err
	}
	r.src.TimeFormat = layout
	if mappedNames(src.Columns) == ([numLogical]string{}) && len(src.Columns.Discount) == 0 {
		r.src.Columns = DefaultOrderColumns()
	}
	return r, nil
}

// readParquetRowGroup reads one row group of a Parquet file, decoding only
// the planned columns (as readParquet does for every row group).
func (r *orderReader) readParquetRowGroup(part OrderPart) (err error) {
	path := part.File
	defer recoverParquet(path, &err)
	f, pf, err := openParquet(path)
	if err != nil {
		return err
	}
	defer f.Close()
	groups := pf.RowGroups()
	if part.RowGroup >= len(groups) {
		return fmt.Errorf("data: %s: no row group %d: the file has %d", path, part.RowGroup, len(groups))
	}
	plan, cols, err := r.planParquet(path, pf)
	if err != nil {
		return err
	}
	var first int64
	for _, rg := range groups[:part.RowGroup] {
		first += rg.NumRows()
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	g := newPageGuard(path, f, pf.Size())
	g.keep = new(keptGroup)
	if err := g.rowGroup(pf, part.RowGroup, cols); err != nil {
		return err
	}
	return r.readRowGroup(path, &plan, groups[part.RowGroup], first, cols, make([]missing, fillChunk), g.keep)
}
