package featurejob

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"slices"
	"strings"

	"github.com/segment-tool/segment/features"
)

// The customers table's files (customers.go): each shard's rows, written
// by job 1 under a temporary name and committed with the feature shards;
// read back by job 2 (a shard's) and by the fit (its sample's); and the
// Beam coder of a row.

// writeCustomersFn writes the customers table's rows of one shard, sorted
// by id, under a temporary name of its own (as writeShardFn).
type writeCustomersFn struct{ Cfg Config }

// ProcessElement writes shard k's rows.
func (f *writeCustomersFn) ProcessElement(ctx context.Context, k int, rows func(*customerRow) bool, emit func(shardFile)) error {
	var all []customerRow
	var r customerRow
	for rows(&r) {
		all = append(all, r)
		r = customerRow{}
	}
	slices.SortFunc(all, func(a, b customerRow) int { return strings.Compare(a.ID, b.ID) })
	if err := ctx.Err(); err != nil {
		return err
	}
	path, err := writeGobShard(ctx, &f.Cfg, CustomersName(k, f.Cfg.shards()), all)
	if err != nil {
		return err
	}
	emit(shardFile{Shard: k, Path: path, Customers: true})
	return nil
}

// writeGobShard writes v as gob under a temporary name of name (of its
// own: a retried bundle writes another file) in the staging folder, and
// returns its path.
func writeGobShard(ctx context.Context, c *Config, name string, v any) (string, error) {
	dir := stagingDir(c)
	if err := makeDir(dir); err != nil {
		return "", err
	}
	path := joinPath(dir, tempName(name))
	if err := writeGobFile(ctx, path, v); err != nil {
		return "", err
	}
	return path, nil
}

// writeGobFile writes v to path (a local path or a URL) as gob.
func writeGobFile(ctx context.Context, path string, v any) error {
	f, err := createFile(ctx, path)
	if err != nil {
		return err
	}
	err = gob.NewEncoder(f).Encode(v)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("featurejob: %s: %w", path, err)
	}
	return nil
}

// readCustomerRows reads the customers table's rows of shard k of n in
// job 1's files (written by job 1).
func readCustomerRows(ctx context.Context, files jobFiles, k, n int) ([]customerRow, error) {
	var rows []customerRow
	if err := readGob(ctx, files, CustomersName(k, n), &rows); err != nil {
		return nil, err
	}
	return rows, nil
}

// readGob decodes job 1's gob file name into v.
func readGob(ctx context.Context, files jobFiles, name string, v any) error {
	path, err := files.path(name)
	if err != nil {
		return err
	}
	f, err := openFile(ctx, path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := gob.NewDecoder(f).Decode(v); err != nil {
		return fmt.Errorf("featurejob: %s: %w", path, err)
	}
	return nil
}

// readCustomerShard returns the customers table's rows of shard k of the
// feature table of sum in job 1's files, nil without a customers table.
func readCustomerShard(ctx context.Context, c *Config, files jobFiles, sum *Summary, k int) (*features.CustomerTable, error) {
	if c.Customers == "" {
		return nil, nil
	}
	if sum.Fit == nil || sum.Fit.Customers == nil {
		return nil, fmt.Errorf("featurejob: %s has no customers table", SummaryFile)
	}
	rows, err := readCustomerRows(ctx, files, k, len(sum.Shards))
	if err != nil {
		return nil, err
	}
	return customersOf(c.Customers, sum.Fit.Customers.Columns, rows)
}

// sampleCustomers returns the customers table's rows of the customers of
// ids (sorted), read from every shard's file one at a time, nil without a
// customers table: memory grows with the sample, not with the table.
func sampleCustomers(ctx context.Context, c *Config, files jobFiles, sum *Summary, ids []string) (*features.CustomerTable, error) {
	if c.Customers == "" {
		return nil, nil
	}
	if sum.Fit == nil || sum.Fit.Customers == nil {
		return nil, fmt.Errorf("featurejob: %s has no customers table", SummaryFile)
	}
	if err := features.CheckCustomerRows(c.Customers, sum.Fit.Customers.Rows, sum.Fit.Customers.RejectsByReason); err != nil { // as a local run
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	var kept []customerRow
	for k := range sum.Shards {
		rows, err := readCustomerRows(ctx, files, k, len(sum.Shards))
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if _, ok := slices.BinarySearch(ids, r.ID); ok {
				kept = append(kept, r)
			}
		}
	}
	return customersOf(c.Customers, sum.Fit.Customers.Columns, kept)
}

// encodeCustomerRow is the Beam coder of a customerRow: the id and values
// length-prefixed, the row as a varint, the column and null bits.
func encodeCustomerRow(r customerRow) []byte {
	b := binary.AppendUvarint(nil, uint64(len(r.ID)))
	b = append(b, r.ID...)
	b = binary.AppendVarint(b, r.Row)
	b = append(b, r.Has, r.Null)
	b = binary.AppendUvarint(b, uint64(len(r.Values)))
	for _, v := range r.Values {
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return b
}

// decodeCustomerRow decodes what encodeCustomerRow encoded.
func decodeCustomerRow(b []byte) (customerRow, error) {
	var r customerRow
	bad := fmt.Errorf("featurejob: a damaged customers row (%d bytes)", len(b))
	bytes := func() ([]byte, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, false
		}
		v := b[k : k+int(n)]
		b = b[k+int(n):]
		return v, true
	}
	id, ok := bytes()
	if !ok {
		return r, bad
	}
	r.ID = string(id)
	row, k := binary.Varint(b)
	if k <= 0 || len(b) < k+2 {
		return r, bad
	}
	r.Row, r.Has, r.Null = row, b[k], b[k+1]
	b = b[k+2:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return r, bad
	}
	b = b[k:]
	for range n {
		v, ok := bytes()
		if !ok {
			return r, bad
		}
		r.Values = append(r.Values, slices.Clone(v))
	}
	if len(b) != 0 {
		return r, bad
	}
	return r, nil
}

// commitGobShards renames gob shards (by shard, a temporary name or ""
// for a shard without rows) to their names in staging (name(k, n)), and
// writes the shards without rows (empty, a gob of empty).
func commitGobShards(ctx context.Context, com committer, paths []string, name func(k, n int) string, empty any) error {
	for k, p := range paths {
		dst := name(k, len(paths))
		if p == "" {
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(empty); err != nil {
				return fmt.Errorf("featurejob: %s: %w", dst, err)
			}
			if err := com.write(ctx, dst, buf.Bytes()); err != nil {
				return err
			}
			continue
		}
		if err := com.put(ctx, p, dst); err != nil {
			return err
		}
	}
	return nil
}
