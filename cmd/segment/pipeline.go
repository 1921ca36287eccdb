package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/exports"
	"github.com/segment-tool/segment/internal/outdir"
	"github.com/segment-tool/segment/report"
)

// demoCustomers is the size of the built-in demo store.
const demoCustomers = 10000

// result is everything one run produced, handed to the output writers.
type result struct {
	opts               *runOptions
	inputs             []data.FileStat
	stats              data.ReadStats
	table              *features.Table // every customer with orders
	clustered          *features.Table // the buyers: the rows of table that are clustered
	clusterRow         []int           // row of table → row of clustered, or −1
	notClustered       []string        // why row i of table is not clustered, "" when it is
	transform          *features.Transform
	x                  []float64 // the clustered matrix, n×d
	d                  int
	sweep              *cluster.Sweep // nil when k was fixed
	fit                *cluster.Result
	clusters           []clusterInfo
	popMean            []float64               // population mean of each profile column
	population         report.Population       // the clustered customers, for naming
	excluded           []features.Excluded     // features of clustering.use left out, and why
	clipped            int                     // clustered customers with a winsorised value
	kNote              string                  // why k differs from the one asked for, or ""
	silhouette, ch, db float64                 // quality of the final fit
	unmatchedProducts  int64                   // order lines whose product_id the products table lacks
	customers          *features.CustomerTable // the customers table, or nil
	prospects          []string                // sorted ids of customers-table rows with no orders
	events             *features.EventTable    // the events table, or nil
	seg                *segments
	previous           *previousRun // the previous run (-previous), or nil
	stable             *stability   // how the clusters match the previous run's
	paretoPlot         *report.Plot // plots shown in the report's sections (set by writePlots)
	rfmPlots           []report.Plot
	stabilityPlots     []report.Plot
	exportSummary      *exports.Summary // nil when no export was written
	exportNote         string           // why not, or a caveat
	timings            []timing
	demo               bool
}

type timing struct {
	Stage string
	D     time.Duration
}

// stage times f and records it under name.
func (r *result) stage(name string, f func() error) error {
	start := time.Now()
	err := f()
	r.timings = append(r.timings, timing{name, time.Since(start)})
	return err
}

// runPipeline runs every stage and swaps the outputs into place.
func runPipeline(ctx context.Context, o *runOptions, stdout io.Writer) error {
	r := &result{opts: o}
	staging, err := outdir.NewStaging(o.Out)
	if err != nil {
		return err
	}
	defer staging.Cleanup()
	if o.Model == nil {
		if dir := previousDir(o.Previous, o.Out); dir != "" {
			if r.previous, err = loadPrevious(ctx, dir); err != nil {
				return err
			}
			o.Log.Info("refitting with memory of the previous run", "previous", dir, "previous_as_of", r.previous.model.AsOf)
		}
	}

	if o.Orders == "" && o.Features == "" {
		dir, err := os.MkdirTemp("", "segment-demo-")
		if err != nil {
			return fmt.Errorf("demo store: %w", err)
		}
		defer os.RemoveAll(dir)
		o.Log.Info("no input given: running on the built-in demo store", "customers", demoCustomers)
		if err := r.stage("demo", func() error {
			return data.WriteStore(ctx, dir, data.GenerateStore(data.GenOptions{Customers: demoCustomers, Seed: 1}))
		}); err != nil {
			return err
		}
		o.Orders = filepath.Join(dir, "orders.parquet")
		o.CustomersPath = filepath.Join(dir, "customers.parquet")
		o.Products = &config.Table{Path: filepath.Join(dir, "products.parquet")}
		o.Events = &config.Table{Path: filepath.Join(dir, "events.parquet")}
		r.demo = true
	}

	rejects, err := newRejectWriter(filepath.Join(staging.Dir, "rejects.csv"))
	if err != nil {
		return err
	}
	defer rejects.close()

	if o.Features != "" {
		err = r.stage("features", func() error { return r.loadFeatureTable(ctx) })
	} else {
		err = r.stage("read+features", func() error { return r.aggregateOrders(ctx, rejects) })
	}
	if err != nil {
		return err
	}
	o.Log.Info("features ready", "customers", r.table.N(), "features", len(r.table.Names), "as_of", r.table.AsOf.Format("2006-01-02"))

	if o.CustomersPath != "" {
		if err := r.stage("customers", func() error { return r.joinCustomers(ctx) }); err != nil {
			return err
		}
	}
	if o.Events != nil {
		if err := r.stage("events", func() error { return r.joinEvents(ctx, rejects) }); err != nil {
			return err
		}
	}
	if err := rejects.close(); err != nil {
		return err
	}
	if err := r.selectBuyers(); err != nil {
		return err
	}
	if err := r.stage("segments", func() error { return r.segment(ctx) }); err != nil {
		return err
	}
	if err := r.stage("transform", r.prepareMatrix); err != nil {
		return err
	}
	if err := r.stage("cluster", func() error { return r.cluster(ctx) }); err != nil {
		return err
	}
	r.measure()
	r.profile()
	r.matchPrevious()
	r.applyNames()
	r.measureStability()
	if err := r.stage("outputs", func() error { return r.writeOutputs(ctx, staging.Dir) }); err != nil {
		return err
	}
	if err := writeRunJSON(filepath.Join(staging.Dir, "run.json"), r); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := staging.Commit(); err != nil {
		return err
	}
	o.Log.Info("run complete", "out", o.Out, "k", r.fit.K, "customers", r.table.N(), "clustered", r.clustered.N())
	return nil
}

// aggregateOrders streams the order lines into per-customer features.
func (r *result) aggregateOrders(ctx context.Context, rejects *rejectWriter) error {
	o := r.opts
	opts := features.Options{
		AsOf:          o.AsOf,
		Location:      o.Location,
		TopCategories: o.TopN,
		PeakStart:     o.PeakSeason[0],
		PeakEnd:       o.PeakSeason[1],
		WindowDays:    o.WindowDays,
	}
	src := data.OrderSource{
		Path:     o.Orders,
		Columns:  data.DefaultOrderColumns(),
		Location: o.Location,
		OnReject: rejects.add,
	}
	if m := o.Model; m != nil {
		opts.Categories = m.Categories
		if opts.Categories == nil {
			opts.Categories = []string{} // the model had no mix categories
		}
	}
	var prod *features.ProductTable
	if o.Products != nil {
		var err error
		if prod, err = features.ReadProductTable(ctx, o.Products.Path, o.Products.Columns); err != nil {
			return err
		}
		opts.Products = prod.Attrs
	}
	if c := o.Config; c != nil {
		src.Duplicates = c.Orders.Duplicates
		opts.SaleDays, opts.TrendDays = c.Features.SaleDays, c.Features.TrendDays
		src.Columns = c.Orders.Columns.Data()
		src.TimeFormat = c.Orders.TimeFormat
		src.CancelPrefix = c.Orders.Cancellation.OrderIDPrefix
		src.ReturnStatus = c.Orders.Cancellation.Status
	}
	agg := features.NewAggregator(opts)
	o.Progress.start(-1, "reading orders", "rows")
	defer o.Progress.done()
	stats, err := data.ReadOrders(ctx, src, func(batch []data.OrderLine) error {
		o.Progress.add(len(batch))
		if prod != nil {
			r.unmatchedProducts += prod.Join(batch)
		}
		agg.Add(batch)
		return nil
	})
	if err != nil {
		return err
	}
	r.stats = stats
	r.inputs = stats.Files
	if prod != nil {
		if err := r.addInput(o.Products.Path, int64(prod.Rows)); err != nil {
			return err
		}
	}
	t, err := agg.Table()
	if err != nil {
		return fmt.Errorf("features: %s: %w", o.Orders, err)
	}
	// Lines dated on or after as_of were read without fault but are left
	// out of the features: neither used nor rejected, so that rows read =
	// used + rejected + after as_of in the log, run.json and the report.
	r.stats.RowsUsed -= t.LinesAfterAsOf
	t.Absent = stats.Absent
	if prod != nil && prod.Categories != nil { // the products table gives the category
		t.Absent = slices.DeleteFunc(slices.Clone(t.Absent), func(c string) bool { return c == "category" })
	}
	r.table = t
	o.Log.Info("orders read", "rows", r.stats.RowsRead, "used", r.stats.RowsUsed, "rejected", r.stats.RowsRejected,
		"after_as_of", t.LinesAfterAsOf, "as_of", t.AsOf.Format(time.DateOnly), "timezone", t.AsOf.Location().String())
	return nil
}

// loadFeatureTable reads a per-customer feature table (-features).
func (r *result) loadFeatureTable(ctx context.Context) error {
	path := r.opts.Features
	t, err := data.ReadTable(ctx, path)
	if err != nil {
		return err
	}
	if len(t.Columns) == 0 {
		return fmt.Errorf("%s: no columns", path)
	}
	idCol := t.Columns[0]
	var names []string
	var cols [][]float64
	for _, c := range t.Columns {
		if c.Name == "customer_id" {
			idCol = c
		}
	}
	ids, err := data.IDStrings(path, idCol)
	if err != nil {
		return err
	}
	for _, c := range t.Columns {
		if c.Name == idCol.Name {
			continue
		}
		v, ok := c.Float64s()
		if !ok {
			continue
		}
		names = append(names, c.Name)
		cols = append(cols, v)
	}
	if len(names) == 0 {
		return fmt.Errorf("%s: no numeric feature columns besides %q", path, idCol.Name)
	}
	ft, err := features.FromColumns(ids, names, cols)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	r.table = ft
	sum, err := data.FileSHA256(path)
	if err != nil {
		return err
	}
	r.inputs = []data.FileStat{{Path: path, SHA256: sum, Rows: int64(len(ids))}}
	r.stats.RowsRead, r.stats.RowsUsed = int64(len(ids)), int64(len(ids))
	if !r.opts.UseSet {
		r.opts.Use = names
	}
	return nil
}

// addInput records a table read whole (customers, products) among the
// run's inputs with its checksum.
func (r *result) addInput(path string, rows int64) error {
	sum, err := data.FileSHA256(path)
	if err != nil {
		return err
	}
	r.inputs = append(r.inputs, data.FileStat{Path: path, SHA256: sum, Rows: rows})
	return nil
}

// joinCustomers reads the customers table and finds the prospects.
func (r *result) joinCustomers(ctx context.Context) error {
	c, err := features.ReadCustomerTable(ctx, r.opts.CustomersPath, r.opts.CustomerColumns)
	if err != nil {
		return err
	}
	r.customers = c
	r.prospects = c.Prospects(r.table.IDs)
	if err := r.addInput(c.Path, int64(len(c.IDs))); err != nil {
		return err
	}
	r.opts.Log.Info("customers table joined", "rows", len(c.IDs), "prospects", len(r.prospects))
	return nil
}

// joinEvents folds the events table per customer.
func (r *result) joinEvents(ctx context.Context, rejects *rejectWriter) error {
	e, err := features.ReadEventTable(ctx, r.opts.Events.Path, r.opts.Events.Columns, r.table.AsOf, func(rej data.Reject) {
		rejects.add(rej)
		if r.stats.RejectsByReason == nil {
			r.stats.RejectsByReason = map[string]int64{}
		}
		r.stats.RejectsByReason[rej.Reason]++
	})
	if err != nil {
		return err
	}
	r.events = e
	if err := r.addInput(e.Path, e.Rows); err != nil {
		return err
	}
	st := e.Agg.Stats()
	r.opts.Log.Info("events table joined", "rows", e.Rows, "used", st.Used, "after_as_of", st.AfterAsOf, "unknown_type", st.UnknownType, "rejected", e.Rejected)
	return nil
}
