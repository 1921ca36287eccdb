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

// The customers table (Config.Customers): one row a customer, joined by
// customer id, so that no worker holds the whole table:
//
//	customers file ─ReadCustomers (a row group, or a CSV piece, at a time)→ KV(id, row)
//	feature rows ─KV(id, city)─┐
//	                           CoGroupByKey(id) → Join (as_of's table counts) → KV(shard, row) ─GroupByKey→
//	                           WriteCustomers (the shard's rows, sorted) → Commit: customers-….gob
//	                           Join → counts: cities (the city_ groups), prospects, columns → the fit's values
//
// The join is by customer id (a CoGroupByKey), not a side input: a side
// input would put the whole table on every worker, while the join holds
// one customer's rows at a time, and job 2's worker for a shard reads only
// that shard's rows (CustomersName), about 1/Shards of the table, beside
// the shard's features. It checks that no id is on two rows, counts the
// customers of each city as a local run counts them (the city of the
// customers table wins over the order lines', features.MergeAttributes)
// and the prospects (rows without orders). The fit reads the rows of its
// sample's customers from the shards (sampleCustomers); the finishing
// step reads none: it has the table's columns and counts (CustomersFit),
// the rows without an id in a file (CustomerRejectsName) and, only when
// no id of the table is a buyer's, the shards' ids (finishMismatch).
//
// The file is read by one worker, a piece at a time (data.ScanTable: a
// Parquet row group, or a few thousand CSV rows), so it holds one piece;
// reading it in parallel by row group would need a data.ScanTable of one
// row group. That worker writes the rows without an id, as it reads
// them, to a file of rejects (rejects.go) and computes a remote file's
// checksum as it downloads it.

// CustomersName is the name, in FeaturesDir, of the customers table's
// rows of shard k of n.
func CustomersName(k, n int) string { return fmt.Sprintf("customers-%05d-of-%05d.gob", k, n) }

// customerFields are the logical columns of a customerRow, customer_id
// excluded.
var customerFields = data.CustomerColumns[1:]

// customerRow is a row of the customers table: its id, its row in the
// file (from 1), which logical columns the file has (bit j: customerFields[j])
// and which are null, and the values of those it has: a string as it is,
// a boolean as "1" or "", a time as time.Time.MarshalBinary.
type customerRow struct {
	ID     string
	Row    int64
	Has    uint8
	Null   uint8
	Values [][]byte
}

// CustomerRejectsName is the name, in FeaturesDir, of the customers
// table's rows without an id (listed after the order lines' rejects, as a
// local run lists them).
const CustomerRejectsName = "rejects-customers.gob"

// customersSHAPrefix names the count that carries a remote customers
// table's SHA-256 from the reader to the summary (as eventsSHAPrefix).
const customersSHAPrefix = "customers:sha256:"

// CustomersFit is what job 1 counted of the customers table (in Fit).
type CustomersFit struct {
	Rows      int64    `json:"rows"`      // rows with an id
	Prospects int64    `json:"prospects"` // rows whose customer has no orders
	Columns   []string `json:"columns"`   // the logical columns the file has, customer_id excluded
	// Rejected counts the rows without an id, by reason in
	// RejectsByReason (listed in CustomerRejectsName).
	Rejected        int64            `json:"rejected"`
	RejectsByReason map[string]int64 `json:"rejects_by_reason,omitempty"`
	// SHA256 is a remote table's checksum, computed by the worker that
	// downloaded it; "" for a local file.
	SHA256 string `json:"sha256,omitempty"`
}

// rowOf returns row i of a piece's columns (features.CustomerPiece).
func rowOf(id string, row int64, cols []data.Column, i int) (customerRow, error) {
	r := customerRow{ID: id, Row: row}
	for _, c := range cols {
		j := slices.Index(customerFields, c.Name)
		r.Has |= 1 << j
		if c.IsNull(i) {
			r.Null |= 1 << j
		}
		var v []byte
		switch c.Kind {
		case data.KindBool:
			if c.Bools[i] {
				v = []byte{'1'}
			}
		case data.KindTime:
			var err error
			if v, err = c.Times[i].MarshalBinary(); err != nil {
				return r, fmt.Errorf("featurejob: customers: row %d: %w", row, err)
			}
		default:
			v = []byte(c.Strings[i])
		}
		r.Values = append(r.Values, v)
	}
	return r, nil
}

// customersOf returns the rows (any order) as a customers table of the
// file path with the logical columns names (CustomersFit.Columns).
func customersOf(path string, names []string, rows []customerRow) (*features.CustomerTable, error) {
	ids := make([]string, len(rows))
	cols := make([]data.Column, len(names))
	for k, name := range names {
		cols[k] = data.Column{Name: name, Kind: data.KindString, Nulls: make([]bool, len(rows))}
		switch name {
		case "newsletter", "b2b":
			cols[k].Kind, cols[k].Bools = data.KindBool, make([]bool, len(rows))
		case "signup_time":
			cols[k].Kind, cols[k].Times = data.KindTime, make([]time.Time, len(rows))
		default:
			cols[k].Strings = make([]string, len(rows))
		}
	}
	for i, r := range rows {
		ids[i] = r.ID
		v := 0 // r.Values holds the columns r has, in customerFields order
		for j, name := range customerFields {
			if r.Has&(1<<j) == 0 {
				continue
			}
			k := slices.Index(names, name)
			if k < 0 {
				return nil, fmt.Errorf("featurejob: customers: row %d has a column %s the table has not", r.Row, name)
			}
			c, b := &cols[k], r.Values[v]
			v++
			c.Nulls[i] = r.Null&(1<<j) != 0
			switch c.Kind {
			case data.KindBool:
				c.Bools[i] = len(b) > 0
			case data.KindTime:
				if err := c.Times[i].UnmarshalBinary(b); err != nil {
					return nil, fmt.Errorf("featurejob: customers: row %d: %w", r.Row, err)
				}
			default:
				c.Strings[i] = string(b)
			}
		}
	}
	t, err := features.NewCustomerTable(path, ids, cols)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	return t, nil
}

// city returns the row's city ("" without one).
func (r *customerRow) city() string {
	v := 0
	for j, name := range customerFields {
		if r.Has&(1<<j) == 0 {
			continue
		}
		if name == "city" {
			return string(r.Values[v])
		}
		v++
	}
	return ""
}

// readCustomersFn reads the customers table a piece at a time and emits
// its rows keyed by customer id, and the logical columns each piece has
// ("customers:column:" counts; a table without rows has its columns too).
type readCustomersFn struct{ Cfg Config }

// Setup sets the copy cache's budget (Config.CacheBytes).
func (f *readCustomersFn) Setup() { copies.setLimit(f.Cfg.CacheBytes) }

// ProcessElement reads the table at path.
func (f *readCustomersFn) ProcessElement(ctx context.Context, path string, emit func(string, customerRow), counts func(catTotals),
	rejects func(shardFile)) error {
	times, err := f.Cfg.CustomerTimes.format()
	if err != nil {
		return fmt.Errorf("featurejob: customers.%w", err)
	}
	rw := &rejectsWriter{ctx: ctx, dir: stagingDir(&f.Cfg), name: CustomerRejectsName}
	err = withLocal(ctx, path, func(local, sha string) error {
		if sha != "" { // a remote file's, for run.json (customersFit)
			counts(catTotals{Names: []string{customersSHAPrefix + sha}, Gross: []int64{1}})
		}
		return data.ScanTableRagged(ctx, local, func(t *data.Table, first int64) error {
			return f.piece(path, times, t, first, emit, counts, rw)
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
		rejects(shardFile{Shard: -1, Rejects: true, Customers: true, Path: rpath})
	}
	return nil
}

// piece emits the rows of a piece of the customers table at path (its
// times read as times says) and its columns, and writes its rows rejected
// to rw.
func (f *readCustomersFn) piece(path string, times data.TimeFormat, t *data.Table, first int64, emit func(string, customerRow), counts func(catTotals), rw *rejectsWriter) error {
	ids, cols, rejected, err := features.CustomerPiece(path, f.Cfg.CustomerColumns, times, t, first)
	if err != nil {
		return err
	}
	c := map[string]int64{}
	for _, col := range cols {
		c["customers:column:"+col.Name] = 1
	}
	for _, r := range rejected {
		rw.add(r)
		c["customers:reject:"+r.Reason]++
	}
	var has catTotals // sorted by name
	for _, name := range sortedKeys(c) {
		has.Names, has.Gross = append(has.Names, name), append(has.Gross, c[name])
	}
	counts(has)
	for i, id := range ids {
		r, err := rowOf(id, first+int64(i)+1, cols, i)
		if err != nil {
			return err
		}
		emit(id, r)
	}
	return nil
}

// idCity keys a customer with orders by id, with the city of their
// orders.
func idCity(_ int, r featureRow, emit func(string, string)) { emit(r.ID, r.City) }

// joinCustomersFn joins a customer's row of the customers table (if any)
// with their orders' city (if they have orders): it keys the row by shard
// and counts the customer in their city, as the local run's city_ groups
// count (features.MergeAttributes, then the most common cities), in
// "city:" counts; the rows and the prospects in "customers:" counts.
type joinCustomersFn struct{ Cfg Config }

// ProcessElement joins one customer.
func (f *joinCustomersFn) ProcessElement(id string, cities func(*string) bool, rows func(*customerRow) bool, table rowStats,
	emit func(int, customerRow), counts func(catTotals)) error {
	var orderCity, city string
	hasOrders := false
	for cities(&city) {
		orderCity, hasOrders = city, true
	}
	var all []customerRow
	var r customerRow
	for rows(&r) {
		all = append(all, r)
		r = customerRow{}
	}
	if len(all) > 1 {
		slices.SortFunc(all, func(a, b customerRow) int { return int(a.Row - b.Row) })
		return fmt.Errorf("featurejob: customers %s: customer_id %q on rows %d and %d", f.Cfg.Customers, id, all[0].Row, all[1].Row)
	}
	// The merged city: the customers table's (trimmed) when it has one and
	// the order lines give cities, else the orders'; the table's as it is
	// when the order lines give none (MergeAttributes).
	var tableCity string
	if len(all) == 1 {
		tableCity = all[0].city()
	}
	merged := orderCity
	if !table.HasCity && !f.Cfg.AttributesMapped[0] {
		merged = tableCity
	} else if tv := strings.TrimSpace(tableCity); tv != "" {
		merged = tv
	}
	c := map[string]int64{}
	if merged != "" {
		c["city:"+merged] = 1
	}
	if len(all) == 1 {
		emit(shardOf(id, f.Cfg.shards()), all[0])
		c["customers:rows"] = 1
		if !hasOrders {
			c["customers:prospects"] = 1
		}
	}
	if len(c) > 0 {
		var t catTotals
		for _, name := range sortedKeys(c) {
			t.Names, t.Gross = append(t.Names, name), append(t.Gross, c[name])
		}
		counts(t)
	}
	return nil
}

// customersFit returns the customers table's counts from the combined
// counts, nil without a customers table.
func customersFit(c *Config, counts catTotals) *CustomersFit {
	if c.Customers == "" {
		return nil
	}
	f := &CustomersFit{Columns: []string{}}
	for i, name := range counts.Names {
		switch {
		case name == "customers:rows":
			f.Rows = counts.Gross[i]
		case name == "customers:prospects":
			f.Prospects = counts.Gross[i]
		case strings.HasPrefix(name, "customers:column:"):
			f.Columns = append(f.Columns, strings.TrimPrefix(name, "customers:column:"))
		case strings.HasPrefix(name, customersSHAPrefix):
			f.SHA256 = strings.TrimPrefix(name, customersSHAPrefix)
		case strings.HasPrefix(name, "customers:reject:"):
			if f.RejectsByReason == nil {
				f.RejectsByReason = map[string]int64{}
			}
			f.RejectsByReason[strings.TrimPrefix(name, "customers:reject:")] = counts.Gross[i]
			f.Rejected += counts.Gross[i]
		}
	}
	// In the order of data.CustomerColumns, as CustomerPiece gives them
	// (the counts are of the pieces that have a column: every piece).
	slices.SortFunc(f.Columns, func(a, b string) int { return slices.Index(customerFields, a) - slices.Index(customerFields, b) })
	return f
}

// joinCustomers adds the customers table's read, join and shards to job
// 1: it returns the shard files to commit and the counts (cities and
// customers) the fit's values take.
func joinCustomers(s beam.Scope, cfg Config, rows, table beam.PCollection) (files, counts beam.PCollection) {
	s = s.Scope("customers")
	crows, columns, rejects := beam.ParDo3(s, &readCustomersFn{Cfg: cfg}, beam.Create(s, cfg.Customers))
	joined := beam.CoGroupByKey(s, beam.ParDo(s, idCity, rows), crows)
	byShard, counts := beam.ParDo2(s, &joinCustomersFn{Cfg: cfg}, joined, beam.SideInput{Input: table})
	files = beam.ParDo(s, &writeCustomersFn{Cfg: cfg}, beam.GroupByKey(s, byShard))
	return beam.Flatten(s, files, rejects), beam.Flatten(s, counts, columns)
}
