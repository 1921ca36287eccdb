package featurejob

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// The fit runs on the submitting machine, after job 1: k-means and the
// elbow sweep (the local run's own code, pipeline.FitSample) on the
// sample of buyers job 1 drew, with the transform and RFM cut points job 1
// fitted on every customer. Its result is model.json.

// ModelFile is the fit's model, in Config.Out.
const ModelFile = "model.json"

// ReadSample reads the fit's sample that job 1 wrote into out as a feature
// table (ReadShard).
func ReadSample(ctx context.Context, out string, sum *Summary) (*features.Table, error) {
	if sum.Fit == nil {
		return nil, fmt.Errorf("featurejob: %s has no fit (written by an older segment-beam?)", SummaryFile)
	}
	return ReadShard(ctx, filepath.Join(out, FeaturesDir, sum.Fit.Sample), sum)
}

// ReadShard reads a feature shard (or the sample) as a feature table: its
// rows, sorted by id, with the store-wide values of the summary (as_of,
// mix categories, the median order and the counts) and the attribute
// columns some customer of the store has.
func ReadShard(ctx context.Context, path string, sum *Summary) (*features.Table, error) {
	raw, err := data.ReadTable(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	ids := raw.Column("customer_id")
	if ids == nil || ids.Kind != data.KindString {
		return nil, fmt.Errorf("featurejob: %s: no customer_id column", path)
	}
	// A shard of no row (its customers all prospects) reads back nil
	// slices: its columns stay empty, not absent (Table.Col nil would say
	// the store has no such feature).
	t := featureHeader(sum)
	if ids.Strings != nil {
		t.IDs = ids.Strings
	}
	for j, name := range sum.Columns {
		c := raw.Column(name)
		if c == nil || c.Kind != data.KindFloat64 {
			return nil, fmt.Errorf("featurejob: %s: no float column %q", path, name)
		}
		if c.Floats != nil {
			t.Cols[j] = c.Floats
		}
	}
	for _, a := range []struct {
		dst  *[]string
		name string
	}{{&t.TopCategory, "top_category"}, {&t.City, "city"}, {&t.Country, "country"}, {&t.Channel, "channel"}} {
		if *a.dst == nil { // a column job 1 did not write
			continue
		}
		if c := raw.Column(a.name); c != nil && c.Kind == data.KindString {
			if c.Strings != nil {
				*a.dst = c.Strings
			}
		} else {
			*a.dst = make([]string, len(ids.Strings))
		}
	}
	return t, nil
}

// featureHeader returns job 1's feature table without a row: its
// columns (empty), the string columns job 1 writes (empty, not nil: the
// top category unless the run read a feature table, the attributes it
// found) and the store-wide values of sum. A scale-out finish needs no
// more of it (pipeline.BeamFinish).
func featureHeader(sum *Summary) *features.Table {
	t := &features.Table{AsOf: sum.AsOf, IDs: []string{}, Names: sum.Columns, Categories: sum.Categories,
		Orders: int(sum.Orders), Purchases: int(sum.Purchases), Revenue: sum.Revenue, MedianOrder: sum.MedianOrder,
		RefundOrders: int(sum.RefundOrders), Refunded: sum.Refunded,
		Lines: sum.Lines, LinesAfterAsOf: sum.LinesAfterAsOf, FirstLine: sum.FirstLine, LastLine: sum.LastLine, Latest: sum.Latest,
		Cols: make([][]float64, len(sum.Columns))}
	for j := range t.Cols {
		t.Cols[j] = []float64{}
	}
	// The order columns no file had, as a local run's table holds them
	// (the groups made of them are not computed): the category not, when
	// a products table gave the categories (the mix has some).
	t.Absent = slices.Clone(sum.Absent)
	if len(sum.Categories) > 0 {
		t.Absent = slices.DeleteFunc(t.Absent, func(c string) bool { return c == "category" })
	}
	if sum.Features == "" { // a feature table has none
		t.TopCategory = []string{}
	}
	for _, a := range []struct {
		dst  *[]string
		name string
	}{{&t.City, "city"}, {&t.Country, "country"}, {&t.Channel, "channel"}} {
		if slices.Contains(sum.Attributes, a.name) {
			*a.dst = []string{}
		}
	}
	return t
}

// FitModel fits the model on the sample job 1 wrote into out (see
// pipeline.FitSample) with the run's options o and writes out/model.json,
// under a temporary name renamed into place. o must be the options job 1
// ran with (clustering.use, scale, min_share, the feature options).
func FitModel(ctx context.Context, out string, o *pipeline.Options) (*pipeline.Model, error) {
	r, err := FitResult(ctx, out, o)
	if err != nil {
		return nil, err
	}
	return r.Model(), nil
}

// FitResult is FitModel returning the fit's result (the sample's clustering,
// with its elbow sweep), which Finish renders the outputs with. With
// o.Previous a previous run's folder ("" and "none": none; segment run
// resolves its default, -out, before), the clusters are matched with its
// clusters (pipeline.FitSample) and its customers are split by shard for
// job 2 (previous.go). With o.CLV, the lifetime-value models are fitted
// on every customer and saved for job 2 (FitCLV).
func FitResult(ctx context.Context, out string, o *pipeline.Options) (*pipeline.Result, error) {
	sum, err := ReadSummary(out)
	if err != nil {
		return nil, err
	}
	// As a local read: two input files of the same bytes stop the run.
	files := make([]data.FileStat, len(sum.Files))
	for i, f := range sum.Files {
		files[i] = data.FileStat{Path: f.Path, SHA256: f.SHA256, Rows: f.Rows}
	}
	if o.Products != nil && slices.Contains(sum.Absent, "product_id") { // as a local run
		return nil, fmt.Errorf("featurejob: products %s: the order lines have no product_id column to join it on: map orders.columns.product_id, or leave the products table out", o.Products.Path)
	}
	if o.Duplicates != string(data.DropDuplicates) {
		if err := data.SameBytes(files); err != nil {
			return nil, fmt.Errorf("featurejob: %w", err)
		}
	}
	prev, err := loadPrevious(ctx, o.Previous)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	sample, err := ReadSample(ctx, out, sum)
	if err != nil {
		return nil, err
	}
	fit := sum.Fit
	if fit.Transform == nil {
		return nil, fmt.Errorf("featurejob: no customer is clustered (no buyer): nothing to fit")
	}
	cuts := fit.GroupCuts.Cuts()
	// With a customers table, its rows of the sample's customers (the
	// seed and custom groups that profile the clusters read them).
	cfg := Config{Customers: o.CustomersPath, CustomerColumns: o.CustomerColumns,
		CustomerTimes: TableTimes{o.CustomerTimeFormat, o.CustomerTimezone}}
	cust, err := sampleCustomers(ctx, &cfg, localFiles(out), sum, sample.IDs)
	if err != nil {
		return nil, err
	}
	// With an events table, the sample's events features (the groups on
	// them profile the clusters too).
	var events *features.EventTable
	if o.Events != nil {
		cfg.Events = o.Events.Path
		if events, err = selectEvents(ctx, &cfg, localFiles(out), sum, sample.IDs); err != nil {
			return nil, err
		}
	}
	lv, err := FitCLV(ctx, out, sum, o)
	if err != nil {
		return nil, err
	}
	r, err := pipeline.FitSample(ctx, sample, pipeline.SampleFit{Transform: fit.Transform, Excluded: fit.Excluded,
		Clipped: int(fit.Clipped), RFMCuts: fit.RFMCuts, GroupCuts: &cuts, Previous: prev, Customers: cust, Events: events, CLV: lv,
		Currency: sum.Currency}, o)
	if err != nil {
		return nil, fmt.Errorf("featurejob: fit: %w", err)
	}
	pipeline.WarnSameDate(o.Log, prev, sample.AsOf)
	if prev != nil {
		// Job 2 reads the customers of its shard from those files; the
		// finishing step needs none of them (pipeline.FinishBeam).
		if err := writePreviousShards(ctx, out, prev, len(sum.Shards)); err != nil {
			return nil, err
		}
	}
	if err := writeModel(out, r.Model()); err != nil {
		return nil, err
	}
	return r, nil
}

// Options returns the options of a local run (pipeline.Options) that
// match c: the inputs, feature options, the fit's settings, the seed
// groups' thresholds, the custom groups, rfm.recency_days and freeze_from,
// the clv section and the cluster names, with the clustering settings (k, restarts, workers) of
// pipeline.DefaultOptions.
// For a feature table without Use, Use is nil: the table's columns,
// which job 1 writes in its summary (Summary.Columns), are the default.
// Fixed mix categories (Config.Categories) have no option of a local run:
// the fit reads them from the sample.
func (c *Config) Options() (pipeline.Options, error) {
	fo, err := c.featureOptions()
	if err != nil {
		return pipeline.Options{}, err
	}
	o := pipeline.DefaultOptions()
	o.Orders, o.Features, o.Out, o.AsOf, o.Location = c.Orders, c.Features, c.Out, fo.AsOf, fo.Location
	o.TopN, o.WindowDays, o.SaleDays, o.TrendDays = c.TopCategories, c.WindowDays, c.SaleDays, c.TrendDays
	if c.PeakStart != "" || c.PeakEnd != "" {
		o.PeakSeason = [2]string{c.PeakStart, c.PeakEnd}
	}
	o.Use, o.MinShare, o.Seed = c.use(nil), c.MinShare, c.Seed
	if c.Scale != "" {
		o.Scale = c.Scale
	}
	if !reflect.DeepEqual(c.Columns, data.OrderColumns{}) {
		o.OrderColumns = c.Columns
	}
	o.TimeFormat, o.CancelPrefix, o.ReturnStatus = c.TimeFormat, c.CancelPrefix, c.ReturnStatus
	o.ExcludeStatus, o.ExcludeProducts, o.AmountScale = c.ExcludeStatus, c.ExcludeProducts, c.AmountScale
	o.AmountBeforeDiscount = c.AmountBeforeDiscount
	o.CSV, o.Duplicates, o.AttributesMapped = c.CSV, c.Duplicates, c.AttributesMapped
	if c.Products != "" {
		o.Products = &config.Table{Path: c.Products, Columns: c.ProductColumns, TimeFormat: c.ProductTimes.Format, Timezone: c.ProductTimes.Zone}
	}
	o.CustomersPath, o.CustomerColumns = c.Customers, c.CustomerColumns
	o.CustomerTimeFormat, o.CustomerTimezone = c.CustomerTimes.Format, c.CustomerTimes.Zone
	if c.Events != "" {
		o.Events = &config.Table{Path: c.Events, Columns: c.EventColumns, TimeFormat: c.EventTimes.Format, Timezone: c.EventTimes.Zone}
	}
	o.Thresholds, o.RecencyDays, o.RFMFreezeFrom, o.Names = c.Thresholds, c.RecencyDays, c.RFMFreezeFrom, c.Names
	if o.CLV = pipeline.CLVValue(c.CLV); c.CLV != nil {
		o.ChurnThreshold, o.HoldoutDays = c.CLV.ChurnThreshold, c.CLV.HoldoutDays
	}
	if len(c.Groups) > 0 {
		if o.Custom, err = features.CompileGroups(c.Groups); err != nil {
			return o, fmt.Errorf("featurejob: groups: %w", err)
		}
	}
	return o, nil
}
