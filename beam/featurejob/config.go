// Package featurejob runs segment's order-history stages on Apache Beam:
// job 1, order lines → per-customer feature table shards, bit-identical to
// the rows of the local run's features.Table, with the store-wide values
// the fit needs (fit.go) and a seeded sample of the buyers; the fit on that
// sample, on the submitting machine (FitModel → model.json); and job 2
// (assign.go), the assignments of every customer with the model.
//
// Job 1, in Beam transforms:
//
//	orders glob ─ListParts→ parts (Parquet row groups, CSV files) ─Reshuffle→
//	ReadPart (orders.duplicates: drop, two passes: dups.go; the products
//	table joined: products.go)
//	→ KV(line shard of customer_id, block of lines) ─GroupByKey→ line shards (orders.go)
//	ReadPart → part stats ─Combine→ store stats → as_of (singleton)
//	ReadPart → the part's rejected lines, a file (temporary name) → Commit
//	line shards + as_of ─CategoryGross (a features.Piece)→ ─Combine→ mix categories (singleton)
//	line shards + as_of + categories ─Rows (a features.Piece, as CustomerRows)→ KV(shard, row)
//	─GroupByKey→ WriteShard (sorted by id, temporary name) ─GroupByKey (one key)→ Commit
//	  and → PurchaseNets → two histogram passes → median order (to Commit)
//	rows ─StatPoints→ two histogram passes → order statistics (RFM cuts, group cuts, transform bounds)
//	rows + order statistics ─Moments→ exact sums → ─Squares→ exact sums → Fit (to Commit)
//	rows ─SampleItem→ ─Combine (the K smallest hashes)→ sample (to Commit)
//	rows + the customers table ─CoGroupByKey(id)→ its rows by shard (to Commit), cities (customers.go)
//	rows + the events table's days ─CoGroupByKey(id)→ events features by shard (to Commit) (events.go)
//
// A per-customer feature table (Config.Features, segment run -features)
// takes the place of the order lines: its rows are sharded as they are
// and the same fit passes run over its columns (table_job.go).
//
// Every customer's lines are grouped on one worker, with those of the other
// customers of its line shard, and folded into rows by a features.Piece
// (the local run's Aggregator), a chunk of lines at a time (its state is
// per order, not per line); the store-wide values
// come from order-independent combines (maxima, exact fixed-point sums,
// exact float sums, histograms of exact values, the smallest hashes).
// Shards are keyed by a hash of the customer id and sorted, so their bytes
// do not depend on how the runner splits the work.
package featurejob

import (
	"fmt"
	"time"
	_ "time/tzdata" // the workers may have no zoneinfo

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// Config configures job 1. It travels to the workers inside the DoFns
// (Beam serializes them as JSON), so it holds only plain values.
type Config struct {
	// Orders is the order lines: a file, glob or directory, as
	// data.OrderSource.Path, which every worker must see, or an object
	// store's file or glob (a URL: remote.go). So are the other inputs
	// (Features, Products, Customers, Events).
	Orders string
	// Features is a per-customer feature table (segment run -features), a
	// .parquet or .csv file, instead of Orders (table_job.go): its
	// customer_id column (else its first) and every numeric column.
	Features string
	// Out is the output directory: the job writes Out/features/ (the
	// shards, part-00000-of-00016.parquet…) and Out/features.json, and
	// replaces them only once every shard is written.
	Out string
	// Shards is the number of feature shards; 0 means DefaultShards.
	Shards int
	// LineShards is the number of groups the order lines are shuffled
	// into, by a hash of the customer id, for the per-customer steps; 0
	// means DefaultLineShards. A worker folds one group at a time, with
	// memory for the group's orders: more groups spread a store over more
	// workers, fewer make fewer elements to shuffle (orders.go).
	LineShards int
	// CacheBytes is how many bytes of remote input copies that no bundle
	// holds a worker process keeps for later bundles (cache.go), beyond
	// the last one released; 0 means DefaultCacheBytes. A worker's disk
	// holds its bundles' copies and at most this much more.
	CacheBytes int64
	// Staging names the folder (Out/.staging-<Staging>) the shards are
	// written to before the commit; empty means the time Build was called.
	Staging string
	// Work is the jobs' working location on an object store (gs://…,
	// s3://…, memfs://… in tests); empty means folders under Out, which
	// every worker must then see. With a URL the workers write under
	// Work/segment-<Staging>/ (WorkDir) through Beam's filesystem
	// registry, and each job is committed by a manifest there
	// (manifest.go) instead of a folder swap in Out.
	Work string

	// AsOf is the analysis date, "YYYY-MM-DD" in Location; empty means
	// the day after the newest line.
	AsOf string
	// Location is the store's IANA time zone; empty means UTC.
	Location string
	// The features.Options of the same names.
	TopCategories      int
	PeakStart, PeakEnd string
	WindowDays         int
	SaleDays           []string
	TrendDays          int
	Categories         []string

	// The fit's settings, as the pipeline.Options of the same names: Use
	// is clustering.use (nil: the local run's default), Scale "auto" (or
	// "") or "none", MinShare clustering.min_share (no default here:
	// segment-beam's flag gives 0.01, the local run's), Seed the sample's
	// seed. SampleSize is the most buyers the model is fitted on (0:
	// DefaultSampleSize).
	Use        []string
	Thresholds features.Thresholds // the seed groups' (zero fields: the defaults)
	// Groups are the custom groups (the config file's groups:), evaluated
	// by job 2 and the finishing step for each customer; RecencyDays are
	// rfm.recency_days, RFMFreezeFrom rfm.freeze_from (a model.json on the
	// submitting machine) and Names clustering.names, applied by the fit.
	Groups        []features.CustomGroup
	RecencyDays   []int
	RFMFreezeFrom string
	Names         map[string]string
	// CLV is the clv section (lifetime value), nil without one: job 1 adds
	// the models' columns (features.Options.PurchaseDays), the fit step
	// fits the models on every customer (clv.go), job 2 and the finishing
	// step score each customer with them. With holdout_days, job 1 adds
	// the calibration columns and the holdout's counts, and the models are
	// fitted on the calibration period and compared with the holdout.
	CLV        *config.CLV
	Scale      string
	MinShare   float64
	Seed       uint64
	SampleSize int

	// The data.OrderSource fields of the same names. A zero Columns is
	// data.DefaultOrderColumns.
	Columns      data.OrderColumns
	TimeFormat   string
	CSV          data.CSVDialect
	CancelPrefix string
	ReturnStatus []string
	// ExcludeStatus and ExcludeProducts are orders.exclude's lists.
	ExcludeStatus, ExcludeProducts []string
	AmountScale                    float64 // orders.amount_scale
	AmountBeforeDiscount           bool    // orders.amount_before_discount
	// Duplicates is orders.duplicates: "" or data.KeepDuplicates, or
	// data.DropDuplicates (dups.go).
	Duplicates string
	// Products is the products table (products.go), ProductColumns its
	// column mapping (config.Table.Columns); "" for none.
	Products       string
	ProductColumns map[string]string
	// Customers is the customers table (customers.go), CustomerColumns
	// its column mapping (config.Table.Columns); "" for none.
	Customers       string
	CustomerColumns map[string]string
	// Events is the events table (events.go), EventColumns its column
	// mapping (config.Table.Columns); "" for none.
	Events       string
	EventColumns map[string]string
	// CustomerTimes, ProductTimes and EventTimes are how the tables'
	// times are read: their time_format and timezone (config.Table.Times).
	CustomerTimes, ProductTimes, EventTimes TableTimes
	// AttributesMapped are the order attributes (city, country, channel)
	// mapped explicitly: assignment columns even when no line has a value
	// (pipeline.Options.AttributesMapped).
	AttributesMapped [3]bool
}

// DefaultShards is the number of feature shards when Config.Shards is 0.
const DefaultShards = 16

// DefaultSampleSize is the most buyers the model is fitted on when
// Config.SampleSize is 0.
const DefaultSampleSize = 100_000

// sampleSize returns the most buyers the model is fitted on.
func (c *Config) sampleSize() int {
	if c.SampleSize <= 0 {
		return DefaultSampleSize
	}
	return c.SampleSize
}

// use returns clustering.use: for a feature table (Features) whose
// columns are names, those columns by default, as a local run defaults it.
func (c *Config) use(names []string) []string {
	switch {
	case c.Use != nil:
		return c.Use
	case c.Features != "":
		return names
	}
	return pipeline.DefaultOptions().Use
}

// input returns the input read: the feature table or the order lines.
func (c *Config) input() string {
	if c.Features != "" {
		return c.Features
	}
	return c.Orders
}

// minShare returns clustering.min_share.
func (c *Config) minShare() float64 { return c.MinShare }

// spec returns the transform's spec on the features use, as
// pipeline.BuildMatrix builds it.
func (c *Config) spec(use []string) features.Spec {
	s := features.Spec{Use: use, Scale: c.Scale != "none", Clip: c.MinShare / 2}
	if c.Scale == "none" {
		s.Log1p = []string{}
	}
	return s
}

// StagingDir is the folder job 1 writes its shards into before its commit
// (Out/.staging-<Staging>); a driver removes it after a failed job.
func (c *Config) StagingDir() string { return stagingDir(c) }

// lineShards returns the number of line shards.
func (c *Config) lineShards() int {
	if c.LineShards <= 0 {
		return DefaultLineShards
	}
	return c.LineShards
}

// shards returns the number of shards.
func (c *Config) shards() int {
	if c.Shards <= 0 {
		return DefaultShards
	}
	return c.Shards
}

// location returns the store's time zone.
func (c *Config) location() (*time.Location, error) {
	if c.Location == "" {
		return time.UTC, nil
	}
	loc, err := data.LoadZone(c.Location)
	if err != nil {
		return nil, fmt.Errorf("featurejob: time zone: %w", err)
	}
	return loc, nil
}

// featureOptions returns the aggregation options (AsOf set when given),
// with the products table's attributes.
func (c *Config) featureOptions() (features.Options, error) {
	o, err := c.baseFeatureOptions()
	if err != nil {
		return o, err
	}
	prod, err := c.productTable()
	if err != nil {
		return o, err
	}
	if prod != nil {
		o.Products = prod.Attrs
	}
	return o, nil
}

// baseFeatureOptions returns the aggregation options without the products
// table.
func (c *Config) baseFeatureOptions() (features.Options, error) {
	loc, err := c.location()
	if err != nil {
		return features.Options{}, err
	}
	o := features.Options{
		Location: loc, TopCategories: c.TopCategories, PeakStart: c.PeakStart, PeakEnd: c.PeakEnd,
		WindowDays: c.WindowDays, SaleDays: c.SaleDays, TrendDays: c.TrendDays, Categories: c.Categories,
		PurchaseDays: c.CLV != nil,
	}
	if c.CLV != nil {
		o.HoldoutDays = c.CLV.HoldoutDays
	}
	if c.AsOf != "" {
		d, err := time.Parse(time.DateOnly, c.AsOf)
		if err != nil {
			return o, fmt.Errorf("featurejob: as_of %q: want YYYY-MM-DD", c.AsOf)
		}
		o.AsOf = data.StartOfDay(d.Year(), d.Month(), d.Day(), loc)
	}
	return o, nil
}

// orderSource returns how the order files are read (duplicates kept:
// dups.go drops them).
func (c *Config) orderSource() (data.OrderSource, error) {
	loc, err := c.location()
	if err != nil {
		return data.OrderSource{}, err
	}
	return data.OrderSource{
		Columns: c.Columns, TimeFormat: c.TimeFormat, CSV: c.CSV, Location: loc,
		CancelPrefix: c.CancelPrefix, ReturnStatus: c.ReturnStatus,
		ExcludeStatus: c.ExcludeStatus, ExcludeProducts: c.ExcludeProducts, AmountScale: c.AmountScale,
		AmountBeforeDiscount: c.AmountBeforeDiscount,
	}, nil
}

// Check validates the configuration before a pipeline is built.
func (c *Config) Check() error {
	switch {
	case c.Orders == "" && c.Features == "":
		return fmt.Errorf("featurejob: no orders and no feature table")
	case c.Orders != "" && c.Features != "":
		return fmt.Errorf("featurejob: orders and a feature table: give one")
	case c.Features != "" && (c.Events != "" || c.Products != "" || c.AsOf != ""):
		// Refused on every runner, with the local run's reason.
		o := pipeline.Options{Features: c.Features}
		if c.Events != "" {
			o.Events = &config.Table{Path: c.Events}
		}
		if c.Products != "" {
			o.Products = &config.Table{Path: c.Products}
		}
		if c.AsOf != "" {
			o.AsOf = time.Unix(0, 0) // a date is set; which one does not matter to the check
		}
		return fmt.Errorf("featurejob: %w", pipeline.CheckFeatureTable(&o))
	case c.Features != "" && c.CLV != nil:
		return fmt.Errorf("featurejob: a feature table with a clv section is not supported yet")
	case c.Out == "":
		return fmt.Errorf("featurejob: no output directory")
	case c.Work != "" && !config.IsURL(c.Work):
		return fmt.Errorf("featurejob: work location %q: want a gs://, s3:// or memfs:// URL (without one the jobs work in the output directory's folders)", c.Work)
	case c.Shards < 0:
		return fmt.Errorf("featurejob: shards %d is negative", c.Shards)
	case c.LineShards < 0:
		return fmt.Errorf("featurejob: line shards %d is negative", c.LineShards)
	case c.Scale != "" && c.Scale != "auto" && c.Scale != "none":
		return fmt.Errorf("featurejob: scale %q: want auto or none", c.Scale)
	case !(c.MinShare >= 0 && c.MinShare < 0.5):
		return fmt.Errorf("featurejob: min_share %v: want a share in [0, 0.5)", c.MinShare)
	case c.Thresholds.Check() != nil:
		return fmt.Errorf("featurejob: %w", c.Thresholds.Check())
	case c.SampleSize < 0:
		return fmt.Errorf("featurejob: sample size %d is negative", c.SampleSize)
	case c.CLV != nil && c.CLV.Validate() != nil:
		return fmt.Errorf("featurejob: %w", c.CLV.Validate())
	case c.Duplicates != "" && c.Duplicates != data.KeepDuplicates && c.Duplicates != data.DropDuplicates:
		return fmt.Errorf("featurejob: duplicates %q: want %s or %s", c.Duplicates, data.KeepDuplicates, data.DropDuplicates)
	}
	if _, err := data.ParseCSVDialect(dialectString(c.CSV.Delimiter), dialectString(c.CSV.Decimal)); err != nil {
		return fmt.Errorf("featurejob: csv: %w", err)
	}
	if _, err := data.TimeLayout(c.TimeFormat); err != nil {
		return fmt.Errorf("featurejob: time format: %w", err)
	}
	for _, t := range []struct {
		name  string
		times TableTimes
	}{{"customers", c.CustomerTimes}, {"products", c.ProductTimes}, {"events", c.EventTimes}} {
		if _, err := t.times.format(); err != nil {
			return fmt.Errorf("featurejob: %s.%w", t.name, err)
		}
	}
	if _, err := features.CompileGroups(c.Groups); err != nil {
		return fmt.Errorf("featurejob: groups: %w", err)
	}
	if c.RecencyDays != nil {
		if err := features.CheckRecencyDays(c.RecencyDays); err != nil {
			return fmt.Errorf("featurejob: rfm.recency_days %v: %w", c.RecencyDays, err)
		}
	}
	if _, err := c.orderSource(); err != nil {
		return err
	}
	o, err := c.baseFeatureOptions()
	if err != nil {
		return err
	}
	// The options are checked as the aggregator checks them.
	cats := o.Categories
	if cats == nil {
		cats = []string{}
	}
	if _, err := features.CustomerRows(o, features.StoreValues{AsOf: time.Unix(0, 0), Categories: cats}, nil); err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	return nil
}

// dialectString returns a CSV dialect's rune as data.ParseCSVDialect reads
// it ("" for 0, detected).
func dialectString(r rune) string {
	if r == 0 {
		return ""
	}
	return string(r)
}

// TableTimes are an optional table's time_format and timezone.
type TableTimes struct{ Format, Zone string }

// format returns how the times are read (config.Table.Times).
func (t TableTimes) format() (data.TimeFormat, error) {
	return (&config.Table{TimeFormat: t.Format, Timezone: t.Zone}).Times()
}
