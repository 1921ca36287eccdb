package featurejob

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// FeaturesDir is the folder of Config.Out the job writes: the shards and
// SummaryFile.
const FeaturesDir = "features"

// SummaryFile is the name of the job's summary in FeaturesDir.
const SummaryFile = "features.json"

// Summary describes the feature table the job wrote: its store-wide values
// and the table-wide counts of features.Table.
type Summary struct {
	AsOf       time.Time `json:"as_of"`
	TimeZone   string    `json:"time_zone"`
	Categories []string  `json:"categories"`
	Columns    []string  `json:"columns"` // the feature columns, in Table order
	Shards     []string  `json:"shards"`  // the shard files, in FeaturesDir

	Customers      int64     `json:"customers"`
	Orders         int64     `json:"orders"`
	Purchases      int64     `json:"purchases"`
	Revenue        float64   `json:"revenue"`
	MedianOrder    float64   `json:"median_order"` // the median net value of the purchases counted
	Lines          int64     `json:"lines"`
	LinesAfterAsOf int64     `json:"lines_after_as_of"`
	FirstLine      time.Time `json:"first_line"`
	LastLine       time.Time `json:"last_line"`
	Latest         []int64   `json:"latest_lines,omitempty"` // the newest line time of each of the newest days, unix nanoseconds (features.Table.Latest)

	Parts        int64 `json:"parts"`
	RowsRead     int64 `json:"rows_read"`
	RowsUsed     int64 `json:"rows_used"` // read and used, less those after as_of
	RowsRejected int64 `json:"rows_rejected"`
	// UnmatchedProducts counts the lines whose product the products
	// table lacks (none without one).
	UnmatchedProducts int64 `json:"unmatched_products,omitempty"`
	// NegativeDiscounts counts the lines whose negative discount was read
	// as its magnitude (data.ReadStats.NegativeDiscounts).
	NegativeDiscounts int64   `json:"negative_discounts,omitempty"`
	RefundOrders      int64   `json:"refund_orders,omitempty"` // features.Table.RefundOrders
	Refunded          float64 `json:"refunded,omitempty"`      // features.Table.Refunded
	// Absent are the optional order columns no file had
	// (data.ReadStats.Absent).
	Absent []string `json:"absent,omitempty"`
	// PartlyAbsent maps the optional order columns some files had and
	// others lacked to the files that lacked them
	// (data.ReadStats.PartlyAbsent).
	PartlyAbsent map[string][]string `json:"partly_absent,omitempty"`
	// Currency is the currency the money cells were marked with
	// (data.ReadStats.Currency).
	Currency string `json:"currency,omitempty"`
	// Holdout is the lifetime-value holdout's store-wide counts
	// (features.Table.Holdout; holdout.go), nil without clv.holdout_days.
	Holdout *holdoutDays `json:"holdout,omitempty"`
	// RejectsByReason counts the rejected rows by reason.
	RejectsByReason map[string]int64 `json:"rejects_by_reason,omitempty"`
	// Files are the order files read, by path, with their checksums and
	// rows (run.json's inputs).
	Files []InputFile `json:"files,omitempty"`
	// RejectFiles are the files of rejected lines in FeaturesDir, in the
	// order a local run reads the parts they come from (ReadRejects).
	RejectFiles []string `json:"reject_files,omitempty"`

	// Attributes are the order-line attributes some customer has, of
	// city, country and channel (a local table's column is nil for the
	// others).
	Attributes []string `json:"attributes"`

	// Fit are the global values the fit needs (fit.go), with its sample.
	Fit *Fit `json:"fit,omitempty"`

	// Features is the feature table read instead of order lines
	// (Config.Features), "" for order lines: the table has no as_of, mix
	// categories, order counts or top_category (table_job.go).
	Features string `json:"features,omitempty"`
}

// InputFile is an order file read: its path, SHA-256 and rows.
type InputFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Rows   int64  `json:"rows"`
}

// ReadSummary reads the summary of the feature table in dir/FeaturesDir.
func ReadSummary(dir string) (*Summary, error) {
	b, err := os.ReadFile(filepath.Join(dir, FeaturesDir, SummaryFile))
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", SummaryFile, err)
	}
	return &s, nil
}

// shardName is the file name of shard k of n.
func shardName(k, n int) string { return fmt.Sprintf("part-%05d-of-%05d.parquet", k, n) }

// stagingDir is where the shards are written before the commit:
// Out/.staging-<Staging>, or WorkDir/features with a working location.
func stagingDir(c *Config) string {
	if c.Work != "" {
		return joinPath(c.WorkDir(), FeaturesDir)
	}
	return filepath.Join(c.Out, ".staging-"+c.Staging)
}

// columnNames returns the feature columns of the table: those of order
// lines with the mix categories, or a feature table's (mix.Columns).
func columnNames(o features.Options, mix mixCats) ([]string, error) {
	if mix.Columns != nil {
		return mix.Columns, nil
	}
	cats := mix.Categories
	if cats == nil {
		cats = []string{}
	}
	t, err := features.CustomerRows(o, features.StoreValues{AsOf: time.Unix(0, 0).UTC(), Categories: cats}, nil)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	return t.Names, nil
}

// shardTable returns rows (sorted by id) as a table: customer_id, the
// feature columns, top_category, city, country and channel.
func shardTable(names []string, rows []featureRow) *data.Table {
	n := len(rows)
	str := func(name string, get func(r *featureRow) string) data.Column {
		c := data.Column{Name: name, Kind: data.KindString, Strings: make([]string, n)}
		for i := range rows {
			c.Strings[i] = get(&rows[i])
		}
		return c
	}
	t := &data.Table{Columns: []data.Column{str("customer_id", func(r *featureRow) string { return r.ID })}}
	for j, name := range names {
		c := data.Column{Name: name, Kind: data.KindFloat64, Floats: make([]float64, n)}
		for i := range rows {
			c.Floats[i] = rows[i].Values[j]
		}
		t.Columns = append(t.Columns, c)
	}
	t.Columns = append(t.Columns,
		str("top_category", func(r *featureRow) string { return r.TopCategory }),
		str("city", func(r *featureRow) string { return r.City }),
		str("country", func(r *featureRow) string { return r.Country }),
		str("channel", func(r *featureRow) string { return r.Channel }))
	return t
}

// writeTable writes t to path (a local path or a URL) as Parquet.
func writeTable(ctx context.Context, path string, t *data.Table) error {
	b, err := tableBytes(path, t)
	if err != nil {
		return err
	}
	return writeFile(ctx, path, b)
}

// tableBytes returns t as Parquet; name is the file's, for errors.
func tableBytes(name string, t *data.Table) ([]byte, error) {
	var buf bytes.Buffer
	if err := data.WriteParquet(&buf, t); err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// shardFile is a shard, or a part's rejected lines, written under a
// temporary name.
type shardFile struct {
	Shard int // -1 for the seed that makes the commit run without shards, and for rejects
	Path  string
	// Rejects marks the rejected lines of the part at place Part of the
	// read order (rejects.go).
	Rejects bool
	Part    int
	// Customers marks the customers table's rows of shard Shard
	// (customers.go).
	Customers bool
	// Events marks the events features of shard Shard's customers, or
	// with Rejects the events table's rejected rows (events.go); Customers
	// with Rejects marks the customers table's rows without an id.
	Events bool
}

// writeShardFn writes one shard's rows, sorted by id, under a temporary
// name of its own: a retried bundle writes another file, and only the
// names the runner keeps reach the commit.
type writeShardFn struct {
	Cfg  Config
	opts features.Options
}

// Setup builds the aggregation options.
func (f *writeShardFn) Setup() error {
	var err error
	f.opts, err = f.Cfg.featureOptions()
	return err
}

// ProcessElement writes shard k.
func (f *writeShardFn) ProcessElement(ctx context.Context, k int, rows func(*featureRow) bool, mix mixCats, emit func(shardFile)) error {
	names, err := columnNames(f.opts, mix)
	if err != nil {
		return err
	}
	var all []featureRow
	var r featureRow
	for rows(&r) {
		if len(r.Values) != len(names) {
			return fmt.Errorf("featurejob: customer %q has %d values for %d columns", r.ID, len(r.Values), len(names))
		}
		all = append(all, r)
		r = featureRow{}
	}
	slices.SortFunc(all, func(a, b featureRow) int { return strings.Compare(a.ID, b.ID) })
	for i := 1; i < len(all); i++ {
		if all[i].ID == all[i-1].ID { // a feature table's (order lines are grouped by id)
			return fmt.Errorf("%s: %w", f.Cfg.input(), features.DuplicateIDError(all[i].ID))
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	dir := stagingDir(&f.Cfg)
	if err := makeDir(dir); err != nil {
		return err
	}
	path := joinPath(dir, tempName(shardName(k, f.Cfg.shards())))
	if err := writeTable(ctx, path, shardTable(names, all)); err != nil {
		return err
	}
	emit(shardFile{Shard: k, Path: path})
	return nil
}

// commitFn renames the shards to their final names, writes the shards no
// customer fell in (empty) and the summary, then swaps the staging folder
// in for Out/features. Until then the previous outputs are intact. With
// a working location it lists them in the manifest instead (manifest.go).
type commitFn struct {
	Cfg  Config
	opts features.Options
}

// Setup builds the aggregation options.
func (f *commitFn) Setup() error {
	var err error
	f.opts, err = f.Cfg.featureOptions()
	return err
}

// ProcessElement commits the shards.
func (f *commitFn) ProcessElement(ctx context.Context, _ int, files func(*shardFile) bool, mix mixCats, asOf int64, ps partStats, rs rowStats, med float64,
	fitJSON string, sample sampleRows) error {
	c := &f.Cfg
	staging, final := stagingDir(c), filepath.Join(c.Out, FeaturesDir)
	if c.Work != "" && committed(ctx, staging) {
		return nil // a retried commit whose first attempt wrote the manifest
	}
	if _, err := os.Stat(staging); c.Work == "" && errors.Is(err, fs.ErrNotExist) && rs.Customers > 0 {
		return nil // a retried commit whose first attempt swapped the folders
	}
	com := newCommitter(staging, final, filepath.Join(c.Out, ".old-"+c.Staging), c.Work != "")
	if rs.Customers == 0 {
		return fmt.Errorf("featurejob: %s: %w", c.input(), features.ErrNoCustomers)
	}
	if rs.RevenueOverflow {
		return fmt.Errorf("featurejob: the revenue overflows the 1e-6 fixed-point range")
	}
	names, err := columnNames(f.opts, mix)
	if err != nil {
		return err
	}
	currency, err := checkCurrencies(ps.Currencies)
	if err != nil {
		return err
	}
	n := c.shards()
	chosen, customers, events := make([]string, n), make([]string, n), make([]string, n)
	rejects := map[int]string{} // by part
	var customerRejects, eventRejects string
	var fl shardFile
	for files(&fl) {
		switch {
		case fl.Customers && fl.Rejects:
			if customerRejects == "" || fl.Path < customerRejects {
				customerRejects = fl.Path
			}
		case fl.Customers:
			if customers[fl.Shard] == "" || fl.Path < customers[fl.Shard] {
				customers[fl.Shard] = fl.Path
			}
		case fl.Events && fl.Rejects:
			if eventRejects == "" || fl.Path < eventRejects {
				eventRejects = fl.Path
			}
		case fl.Events:
			if events[fl.Shard] == "" || fl.Path < events[fl.Shard] {
				events[fl.Shard] = fl.Path
			}
		case fl.Rejects:
			if p, ok := rejects[fl.Part]; !ok || fl.Path < p {
				rejects[fl.Part] = fl.Path
			}
		case fl.Shard >= 0 && (chosen[fl.Shard] == "" || fl.Path < chosen[fl.Shard]):
			chosen[fl.Shard] = fl.Path
		}
		fl = shardFile{}
	}
	sum := Summary{
		AsOf: time.Unix(0, asOf).In(f.opts.Location), TimeZone: f.opts.Location.String(),
		Categories: append([]string{}, mix.Categories...), Columns: names,
		Customers: rs.Customers, Orders: rs.Orders, Purchases: rs.Purchases, Revenue: float64(rs.Revenue) / 1e6, MedianOrder: med,
		Lines: rs.Lines, LinesAfterAsOf: rs.LinesAfterAsOf,
		Parts: ps.Parts, RowsRead: ps.RowsRead, RowsUsed: ps.RowsUsed - rs.LinesAfterAsOf, RowsRejected: ps.Rejected,
		RejectsByReason: ps.RejectsByReason, UnmatchedProducts: ps.UnmatchedProducts, NegativeDiscounts: ps.NegativeDiscounts,
		RefundOrders: rs.RefundOrders, Refunded: float64(rs.Refunded) / 1e6, Currency: currency,
	}
	sum.Absent = ps.Absent
	sum.Holdout = holdoutOf(rs, f.opts.HoldoutDays)
	for col, files := range ps.Lacking {
		if col != "amount" && !slices.Contains(ps.Absent, col) { // a file without an amount computes it
			if sum.PartlyAbsent == nil {
				sum.PartlyAbsent = map[string][]string{}
			}
			sum.PartlyAbsent[col] = files
		}
	}
	for _, path := range slices.Sorted(maps.Keys(ps.FileRows)) {
		sum.Files = append(sum.Files, InputFile{Path: path, SHA256: ps.SHA256[path], Rows: ps.FileRows[path]})
	}
	sum.Attributes = []string{}
	for _, a := range []struct {
		name string
		has  bool
	}{{"city", rs.HasCity}, {"country", rs.HasCountry}, {"channel", rs.HasChannel}} {
		if a.has {
			sum.Attributes = append(sum.Attributes, a.name)
		}
	}
	if c.Features != "" { // a feature table's values (features.FromColumns)
		sum.AsOf, sum.Categories, sum.Features = time.Time{}, nil, c.Features
	}
	if rs.Lines > 0 {
		sum.FirstLine, sum.LastLine = time.Unix(0, rs.FirstLine).In(f.opts.Location), time.Unix(0, rs.LastLine).In(f.opts.Location)
		sum.Latest = rs.Latest
	}
	for k := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := shardName(k, n)
		sum.Shards = append(sum.Shards, name)
		if chosen[k] == "" {
			b, err := tableBytes(name, shardTable(names, nil))
			if err != nil {
				return err
			}
			if err := com.write(ctx, name, b); err != nil {
				return err
			}
			continue
		}
		if err := com.put(ctx, chosen[k], name); err != nil {
			return err
		}
	}
	if c.Customers != "" {
		if err := commitGobShards(ctx, com, customers, CustomersName, []customerRow{}); err != nil {
			return err
		}
	}
	if c.Events != "" {
		if err := commitGobShards(ctx, com, events, EventsName, []eventRow{}); err != nil {
			return err
		}
	}
	for _, part := range slices.Sorted(maps.Keys(rejects)) {
		if err := com.put(ctx, rejects[part], RejectsName(part)); err != nil {
			return err
		}
		sum.RejectFiles = append(sum.RejectFiles, RejectsName(part))
	}
	if customerRejects != "" { // after the order files', as a local run lists them
		if err := com.put(ctx, customerRejects, CustomerRejectsName); err != nil {
			return err
		}
		sum.RejectFiles = append(sum.RejectFiles, CustomerRejectsName)
	}
	if eventRejects != "" { // after the customers table's, as a local run reads the events table after it
		if err := com.put(ctx, eventRejects, EventRejectsName); err != nil {
			return err
		}
		sum.RejectFiles = append(sum.RejectFiles, EventRejectsName)
	}
	sum.Fit = new(Fit)
	if err := json.Unmarshal([]byte(fitJSON), sum.Fit); err != nil {
		return fmt.Errorf("featurejob: the fit's values: %w", err)
	}
	rows := make([]featureRow, len(sample.Items))
	for i, it := range sample.Items {
		rows[i] = it.Row
	}
	b, err := tableBytes(SampleFile, shardTable(names, rows))
	if err != nil {
		return err
	}
	if err := com.write(ctx, SampleFile, b); err != nil {
		return err
	}
	if b, err = json.MarshalIndent(sum, "", "  "); err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	if err := com.write(ctx, SummaryFile, append(b, '\n')); err != nil {
		return err
	}
	return com.done(ctx)
}

// renameInto renames the file src to name in dir; a file an earlier
// attempt of the commit renamed already (src gone, dir/name there) is
// left as it is.
func renameInto(src, dir, name string) error {
	dst := filepath.Join(dir, name)
	if err := os.Rename(src, dst); err != nil {
		if _, serr := os.Stat(dst); serr != nil {
			return fmt.Errorf("featurejob: %w", err)
		}
	}
	return nil
}
