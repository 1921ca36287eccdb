package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/scratch"
	"github.com/segment-tool/segment/report"
)

// DemoCustomers is the size of the built-in demo store.
const DemoCustomers = 10000

// Result is everything a run computed, stage by stage, as the output
// writers read it. It is assembled once the stages are done and not
// changed afterwards.
type Result struct {
	Options    *Options
	Tables     *Tables
	Segments   *Segments
	Buyers     *Buyers
	Matrix     *Matrix
	Clustering *Clustering
	Profiles   *Profiles  // the clusters with their final keys and names
	Previous   *Previous  // the previous run (-previous), or nil
	Stability  *Stability // how the clusters match the previous run's, or nil
	CLV        *CLV       // lifetime value (the clv section), or nil
	Demo       bool       // the input was the built-in demo store

	// customers is the map of the clustered customers that a plot draws,
	// or nil: Matrix has no rows by then (Matrix.forOutputs).
	customers *customerMap

	// runner is the Beam runner of a scale-out run (FinishBeam), "" for a
	// local run: run.json and the report name it, and model.json is the
	// scale-out run's own.
	runner string

	// shards, in a scale-out run's finish, are the passes over job 2's
	// assignment shards that the report's figures are read from (those
	// that are read in passes: shard_passes.go); nil in a local run.
	shards *shardPasses

	// history is the previous run's cluster key, RFM segment and segment
	// date of each customer (alignPrevious), nil without a previous run
	// or when the assignments are read from job 2's shards.
	history *previousHistory

	// tally is the report's figures over every customer counted in one
	// pass (tallyCustomers) when the outputs are written, or job 2's
	// (shardTally) in a scale-out finish.
	tally *customerTally
	// shardTally, in a scale-out finish, is job 2's customers' tally
	// (BeamFinish.Tally): tallyCustomers takes it instead of a pass.
	shardTally *customerTally

	// tableRows are the customers table's row of every customer (−1:
	// none), looked up once when the outputs are written, for the
	// assignments' ranges that every writer makes; nil before.
	tableRows []int32

	// segFigures are the plots' and the report's figures counted in one
	// pass over every customer's scores and groups (segmentFigures).
	segFigures segmentFigures

	// sortedRevenue is every customer's monetary sorted once, for the
	// report's concentration figures and the Pareto plot (revenue).
	sortedRevenue struct {
		once sync.Once
		rev  *report.Revenue
		err  error
	}
}

// Timing is how long a stage took; run.json reports them.
type Timing struct {
	Stage    string
	Duration time.Duration
}

// timer records the stages' timings and checks the memory budget after
// each stage.
type timer struct {
	times  []Timing
	budget *budget
}

// stageStarts, when a test sets it, is called as each timed stage starts.
var stageStarts func(stage string)

// stage times f and records it under name.
func (t *timer) stage(name string, f func() error) error {
	if stageStarts != nil {
		stageStarts(name)
	}
	start := time.Now()
	err := f()
	t.times = append(t.times, Timing{Stage: name, Duration: time.Since(start)})
	if err != nil {
		return err
	}
	return t.budget.check(func() string { return "after stage " + name })
}

// Run runs every stage on o's inputs and swaps the outputs into o.Out: a
// failed or interrupted run leaves the previous outputs as they were. With
// o.Demo it first writes the built-in demo store into a temporary
// directory and reads it. It returns run.json as written.
func Run(ctx context.Context, o Options) (*Manifest, error) {
	o.Log = o.logger()
	if o.Location == nil {
		o.Location = time.UTC
	}
	if !o.Demo && o.Orders == "" && o.Features == "" {
		return nil, errors.New("pipeline: no input: set Orders, Features or Demo")
	}
	if err := o.CheckUse(); err != nil {
		return nil, err
	}
	if err := o.checkHoldout(); err != nil {
		return nil, err
	}
	if err := CheckFeatureTable(&o); err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	if err := CheckLocalInputs(&o); err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	if err := CheckSpill(o.Spill); err != nil {
		return nil, err
	}
	b, restore := newBudget(o.MemoryLimit)
	defer restore()
	defer o.keepGCPercent()()
	times := timer{budget: b}
	staging, err := OpenOutput(ctx, &o) // checks, locks and stages o.Out before any work
	if err != nil {
		return nil, err
	}
	defer staging.Close()
	if o.RFMFreezeFrom != "" && o.Model == nil { // read again when the RFM scores are made; an error here saves the run
		if _, err := readRFMCuts(o.RFMFreezeFrom); err != nil {
			return nil, err
		}
	}
	var prev *Previous
	if o.Model == nil {
		warnNoModel(&o)
		if dir := PreviousDir(o.Previous, o.Out); dir != "" {
			if prev, err = LoadPrevious(ctx, dir); err != nil {
				return nil, err
			}
			o.Log.Info("refitting with memory of the previous run", "previous", dir, "previous_as_of", prev.Model.AsOf)
			if err := CheckPreviousDate(prev, o.AsOf); err != nil { // a date given: refused before the read
				return nil, err
			}
		}
	}
	if o.Demo {
		scr, err := scratch.Make("", "demo")
		if err != nil {
			return nil, fmt.Errorf("demo store: %w", err)
		}
		defer scr.Remove()
		dir := scr.Path
		o.Log.Info("no input given: running on the built-in demo store", "customers", DemoCustomers)
		if err := times.stage("demo", func() error { return WriteDemo(ctx, dir) }); err != nil {
			return nil, err
		}
		o = withDemoInputs(o, dir)
	}

	rejects, err := newRejectWriter(filepath.Join(staging.Dir, "rejects.csv"), o.Excel)
	if err != nil {
		return nil, err
	}
	defer rejects.close()
	in, err := readTables(ctx, &o, rejects.add, &times)
	if err != nil {
		return nil, keepRejects(err, rejects, staging.Dir, staging.Target)
	}
	if err := rejects.close(); err != nil {
		return nil, err
	}
	if err := CheckPreviousDate(prev, in.Table.AsOf); err != nil {
		return nil, err
	}
	if err := checkCurrency(&o, in.Stats.Currency, prev); err != nil {
		return nil, err
	}
	WarnSameDate(o.Log, prev, in.Table.AsOf)
	if in.FeatureColumns != nil && !o.UseSet {
		o.Use = in.FeatureColumns
	}
	r, err := analyse(ctx, &o, in, prev, &times)
	if err != nil {
		return nil, err
	}
	var w *Written
	if err := times.stage("outputs", func() (err error) { w, err = WriteOutputs(ctx, staging.Dir, r); return err }); err != nil {
		return nil, err
	}
	m := r.Manifest(w, times.times)
	if err := writeManifest(staging.Dir, m); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := staging.Commit(); err != nil {
		return nil, err
	}
	o.Log.Info("run complete", "out", o.Out, "k", r.Clustering.Fit.K, "customers", in.Table.N(), "clustered", r.Buyers.N())
	return m, nil
}

// WriteDemo writes the built-in demo store into dir: orders, customers,
// products, events and truth tables (data.WriteGeneratedStore, seed 1).
func WriteDemo(ctx context.Context, dir string) error {
	return data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: DemoCustomers, Seed: 1})
}

// withDemoInputs returns o reading the demo store written into dir.
func withDemoInputs(o Options, dir string) Options {
	o.Orders = filepath.Join(dir, "orders.parquet")
	o.CustomersPath = filepath.Join(dir, "customers.parquet")
	o.Products = &config.Table{Path: filepath.Join(dir, "products.parquet")}
	o.Events = &config.Table{Path: filepath.Join(dir, "events.parquet")}
	return o
}

// readTables runs the first stage: the customer table from the order lines
// (or a feature table), then the customers and events joins.
func readTables(ctx context.Context, o *Options, rejects func(data.Reject), times *timer) (in *Tables, err error) {
	if o.Features != "" {
		err = times.stage("features", func() (err error) { in, err = ReadFeatureTable(ctx, o.Features); return err })
		if err == nil {
			err = CheckGroupColumns(o.Features, in.FeatureColumns, o.Custom)
		}
	} else {
		err = times.stage("read+features", func() (err error) { in, err = AggregateOrders(ctx, o, rejects); return err })
	}
	if err != nil {
		return nil, err
	}
	o.collectAfterFeatures()
	if o.Features != "" {
		o.Log.Info("features ready", "customers", in.Table.N(), "features", len(in.Table.Names))
		if !o.UseSet {
			for _, name := range in.FeatureColumns {
				if IDLikeColumn(name) {
					o.Log.Warn("feature table: a column named like an id or a row number is clustered as a feature: drop it from the table, or list the features in clustering.use",
						"features", o.Features, "column", name)
				}
			}
		}
	} else {
		o.Log.Info("features ready", "customers", in.Table.N(), "features", len(in.Table.Names), "as_of", in.Table.AsOf.Format("2006-01-02"))
		for _, p := range in.Table.PlaceholderIDs() {
			o.Log.Warn("orders: a customer id that looks like a placeholder for guest checkouts makes one customer of many people: give guests an id of their own (their e-mail, orders.columns.customer_id) or leave their lines out",
				"customer_id", p.ID, "orders", p.Orders, "revenue_share", formatShare(math.Round(p.RevenueShare*1000)/1000))
		}
		if n, first := in.Table.DecimalIDs(); n > 0 {
			o.Log.Warn("orders: customer ids written as decimals (a float id column exported as text): the same customer written without the fraction in another export, or read from a Parquet number column, is another customer; export the ids as whole numbers",
				"ids", n, "first", first)
		}
		if n, pair := in.Table.CaseVariantIDs(); n > 0 {
			o.Log.Warn("orders: e-mail customer ids that differ from another only in letter case or spaces are counted as customers of their own: if they are one person's, write the ids in one case in the export",
				"ids", n, "first", pair[0], "and", pair[1])
		}
		if n, pair := in.Table.NormalisationVariantIDs(); n > 0 {
			o.Log.Warn("orders: customer ids that look the same as another but are written with other Unicode characters (an accent as a character of its own or combined: NFC and NFD) are counted as customers of their own: if they are one person's, write the ids in one form (NFC) in the export",
				"ids", n, "first", pair[0], "and", pair[1])
		}
	}
	if g := o.dateGap(in.Table); g != nil {
		o.Log.Warn("the newest order lines lie more than a year after the rest, and as_of follows them: check their dates, or set as_of",
			"newest", g.Newest.Format(time.DateOnly), "before_them", g.Before.Format(time.DateOnly), "days", g.Days, "as_of", in.Table.AsOf.Format(time.DateOnly))
	}
	if o.CustomersPath != "" {
		if err := times.stage("customers", func() (err error) {
			in, err = JoinCustomers(ctx, in, o.CustomersTable(), o.Log)
			return err
		}); err != nil {
			return nil, err
		}
		for _, r := range in.Customers.Rejects {
			rejects(r)
		}
	}
	if o.Events != nil {
		if err := times.stage("events", func() (err error) {
			in, err = JoinEvents(ctx, in, o.Events, eventSpill(o), o.Workers, rejects, o.Log)
			return err
		}); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// analyse runs the stages from the customer table to the named clusters.
func analyse(ctx context.Context, o *Options, in *Tables, prev *Previous, times *timer) (*Result, error) {
	buyers, err := SelectBuyers(in.Table, o.Log)
	if err != nil {
		return nil, err
	}
	var m *Matrix
	if err := times.stage("transform", func() (err error) { m, err = BuildMatrix(ctx, buyers.Table, o); return err }); err != nil {
		return nil, err
	}
	var c *Clustering
	var cm *customerMap
	if err := times.stage("cluster", func() (err error) {
		if c, err = clusterLike(ctx, m, o, prev, in.Table.Categories); err != nil || c.Skipped != "" {
			return err
		}
		// The later stages need only the map of the customers, not the
		// matrix's rows.
		m, cm = m.forOutputs(), c.customers
		return nil
	}); err != nil {
		return nil, err
	}
	o.releaseMemory()
	// The segments come after the clustering, so that their columns are
	// not held beside the matrix and k-means' buffers.
	var seg *Segments
	if err := times.stage("segments", func() (err error) { seg, err = Segment(ctx, in, o); return err }); err != nil {
		return nil, err
	}
	var hist *previousHistory
	if prev != nil {
		check := prev.tenureCheck(seg.All)
		if err := times.stage("previous", func() (err error) { hist, err = alignPrevious(ctx, prev, seg.All.IDs, check); return err }); err != nil {
			return nil, err
		}
		hist.warnLost(o.logger())
	}
	var lv *CLV
	if o.CLV != nil {
		if err := times.stage("clv", func() (err error) {
			lv, err = ComputeCLV(ctx, seg.All, *o.CLV, o.WindowDays, o.Workers)
			return err
		}); err != nil {
			return nil, err
		}
		o.Log.Info("lifetime value", "scored", lv.Scored, "bgnbd", orOK(lv.BGNBDNotComputed), "gamma_gamma", orOK(lv.GammaGammaNotComputed))
		lv.ChurnThreshold = o.ChurnThreshold
		seg = seg.withCLVGroups(lv)
	}
	if c.Skipped != "" { // no clustering: every customer is left out, and says why
		return &Result{Options: o, Tables: in, Segments: seg, Buyers: buyers.withoutClustering(),
			Matrix: &Matrix{Transform: &features.Transform{}, Excluded: m.Excluded}, Clustering: c, Profiles: &Profiles{},
			Previous: prev, history: hist}, nil
	}
	var prof *Profiles
	var clusters []ClusterInfo
	var st *Stability
	if err := times.stage("profiles", func() (err error) {
		if prof, err = Profile(ctx, buyers, m, c, seg, o); err != nil {
			return err
		}
		clusters = prof.Clusters
		if prev != nil {
			clusters, st = MatchPrevious(prev, in, buyers, m, c, clusters, prof.Population)
			warnFeaturesChanged(o.logger(), prev, m)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	named := *prof
	named.Clusters = ApplyNames(clusters, o.Names)
	WarnUnusedNames(o.logger(), clusters, o.Names)
	logRuleNames(o.logger(), named.Clusters)
	return &Result{Options: o, Tables: in, Segments: seg, Buyers: buyers, Matrix: m, Clustering: c, Profiles: &named,
		Previous: prev, history: hist, Stability: st, CLV: lv, customers: cm}, nil
}
