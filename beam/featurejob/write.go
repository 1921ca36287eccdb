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
		Repeated: ps.Repeats.Count(ps.RowsUsed), RepeatedEstimated: ps.Repeats.Estimated(ps.RowsUsed),
	}
	sum.Absent = ps.Absent
	if sum.Holdout, err = holdoutOf(rs, f.opts.HoldoutDays, asOf, f.opts.Location); err != nil {
		return err
	}
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
