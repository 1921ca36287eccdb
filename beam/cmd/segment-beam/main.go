// Command segment-beam runs segment's order-history stages on Apache Beam:
// job 1 turns order lines into per-customer feature table shards,
// bit-identical to the rows of a local run's features, with the global
// values the fit needs and a sample of the buyers; then, on this machine,
// the model is fitted on the sample and written to OUT/model.json; then
// job 2 labels every customer with it into OUT/assignments/ (shards with
// the rows of a local run's assignments.parquet, and assign.json, the
// counts), and model.json's cluster sizes are set from those counts;
// last, on this machine, the rest of a local run's outputs are rendered
// by its own code from the feature shards, the fit and the model
// (assignments.parquet, .csv and .arrow, run.json, the report, plots,
// exports, rejects.csv): see featurejob.Finish.
//
// Usage:
//
//	segment-beam -orders 'orders/*.parquet' -out out [flags] [beam flags]
//	segment-beam -features features.parquet -out out [flags] [beam flags]
//	segment-beam -orders 'gs://B/orders/*.parquet' -out out -work gs://B/segment-work -runner dataflow [dataflow flags]
//
// OUT is claimed as segment run claims its output folder
// (pipeline.OpenOutput): a folder holding files segment did not write is
// refused, and everything above is written into a staging folder beside
// OUT that is swapped in once every step has succeeded. segment run
// -runner, which claims OUT itself, passes its staging folder with
// -staged, written into as it is.
//
// With -work gs://B/segment-work (or s3://…), the workers write their
// files (shards, summaries, rejected lines) under
// WORK/segment-<run>/ through Beam's filesystem registry instead of
// -out, which Dataflow's workers do not share; each job's files are
// committed by a MANIFEST.json there, which this machine reads to
// download them into OUT/features/ and OUT/assignments/, and the run's
// folder is removed at the end, whether the run succeeded or not
// (featurejob/manifest.go).
//
// With -features, job 1 reads a per-customer feature table instead of
// order lines (as segment run -features): its rows are sharded as they
// are, and the fit's values are computed over its columns.
//
// The runner is Beam's -runner flag: prism (the default: in this process,
// for tests and small data), flink or spark (with -endpoint, a job server),
// dataflow (with -project, -region, -temp_location, -staging_location).
// Every other Beam flag passes through. -log-level and -log-format set
// Beam's and Prism's own logs on stderr (segment run -runner passes its
// logger's: -quiet gives error). Exit codes: 0 ok, 1 the job failed,
// 2 a usage error.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/segment-tool/segment/beam/featurejob"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

func main() {
	os.Exit(run())
}

// usageError is a bad command line: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

func run() int {
	var cfg featurejob.Config
	var categories string
	flag.StringVar(&cfg.Orders, "orders", "", "order lines: a .parquet or .csv file, a glob or a directory (required unless -features), or an object store's file or glob (gs://…, s3://…); a path must be seen by every worker")
	flag.StringVar(&cfg.Features, "features", "", "a per-customer feature table (.parquet or .csv; its customer_id column, else its first, and every numeric column) instead of -orders, as segment run -features; a path or a gs://, s3:// URL (a path must be seen by every worker)")
	flag.StringVar(&cfg.Out, "out", "", "output directory, claimed as segment run claims it: everything is written into a staging folder beside it and swapped in when the run succeeds (required)")
	flag.StringVar(&cfg.Work, "work", "", "the jobs' working location, a gs://, s3:// (or memfs://) URL: the workers write their files under WORK/segment-<run>/, which is removed at the end; default: folders of -out, which every worker must then see")
	flag.IntVar(&cfg.Shards, "shards", featurejob.DefaultShards, "number of feature table shards")
	flag.IntVar(&cfg.LineShards, "line-shards", featurejob.DefaultLineShards, "number of groups the order lines are shuffled into by customer (each folded by one worker, memory for its orders)")
	cacheSize := flag.String("cache-size", "4GiB", "how much a worker keeps of the remote input files it downloaded, for its later bundles (a size: 4GiB, 500MB); its disk holds its current bundles' files and at most this much more")
	flag.StringVar(&cfg.AsOf, "as-of", "", "analysis date YYYY-MM-DD in the store's time zone (default: the day after the newest line)")
	flag.StringVar(&cfg.Location, "timezone", "", "the store's IANA time zone (default UTC)")
	flag.IntVar(&cfg.TopCategories, "top", 0, "number of top categories with a mix column (default 8)")
	flag.IntVar(&cfg.WindowDays, "window-days", 0, "limit frequency, monetary and the ratios to the last N days (0: all history)")
	flag.StringVar(&categories, "categories", "", "fixed comma-separated mix categories, in column order, instead of the top ones")
	flag.StringVar(&cfg.TimeFormat, "time-format", "", "layout of times stored as strings (Go layout or strftime)")
	flag.StringVar(&cfg.CancelPrefix, "cancel-prefix", "", "order ids starting with this prefix are cancellations")
	var use string
	flag.StringVar(&use, "use", "", "comma-separated features to cluster on (default: the local run's clustering.use)")
	flag.StringVar(&cfg.Scale, "scale", "auto", "auto (log1p, z-scores, winsorising) or none")
	flag.Float64Var(&cfg.MinShare, "min-share", pipeline.DefaultMinShare, "smallest cluster, as a share of the clustered customers; also the winsorising share (half of it)")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "random seed of the sample and of k-means")
	flag.IntVar(&cfg.SampleSize, "sample-size", featurejob.DefaultSampleSize, "most buyers the model is fitted on (a uniform sample, fixed by -seed)")
	var fit fitFlags
	flag.IntVar(&fit.k, "k", 0, "number of clusters (0: chosen by the elbow sweep from -k-min to -k-max)")
	flag.IntVar(&fit.kMin, "k-min", 2, "smallest k of the elbow sweep")
	flag.IntVar(&fit.kMax, "k-max", 12, "largest k of the elbow sweep")
	flag.IntVar(&fit.restarts, "restarts", 10, "k-means restarts")
	flag.IntVar(&fit.workers, "workers", 0, "goroutines of the fit (0: all cores)")
	flag.StringVar(&fit.currency, "currency", "", "printed with the report's amounts (output.currency)")
	flag.BoolVar(&fit.excel, "excel", false, "start every CSV output with a UTF-8 byte order mark (output.excel)")
	flag.StringVar(&fit.reports, "reports", "md,html", "reports to write, comma-separated: md, html")
	flag.BoolVar(&fit.demo, "demo", false, "the inputs are the built-in demo store's (segment run writes them): outputs name them as a local demo run does")
	logLevel := flag.String("log-level", "info", "level of Beam's and Prism's logs on stderr: debug, info, warn or error")
	logFormat := flag.String("log-format", "text", "format of Beam's and Prism's logs: text or json")
	configPath := flag.String("config", "", "segment's YAML config `file`: its custom groups (groups), thresholds, rfm (recency_days, freeze_from), clv (lifetime value) and clustering.names are applied, and it is saved in model.json; its other settings are not read (give them as flags)")
	flag.IntVar(&fit.holdout, "holdout-days", 0, "lifetime value: fit on the orders before as_of − N `days`, test on the last N (overrides the config's clv.holdout_days; needs its clv section)")
	flag.BoolVar(&fit.staged, "staged", false, "-out is a staging folder its caller commits (segment run -runner passes it): write into it as it is")
	previous := flag.String("previous", "", "a previous run's output `dir`ectory whose cluster keys to keep, as segment run -previous (segment run passes it, -out by default); default: none")
	var returnStatus string
	flag.StringVar(&returnStatus, "return-status", "", "comma-separated status values that mean returned or cancelled")
	exclude := flag.String("exclude", "", `the order lines to leave out, as JSON: {"status": [...], "product_id": [...]} (orders.exclude)`)
	source := addSourceFlags(flag.CommandLine, &cfg)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: segment-beam -orders GLOB|-features FILE -out DIR [flags] [beam flags such as -runner]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	beam.Init()                   // right after the flags: a worker started by the runner takes over here
	setSoftMemoryLimit(os.Getenv) // Prism runs in this process
	// beam.Init has set slog's default logger (Beam's and Prism's logs) to
	// stderr at level info: set the level and format asked for.
	if err := setupLogging(*logLevel, *logFormat); err != nil {
		fmt.Fprintf(os.Stderr, "segment-beam: %v\n", err)
		return 2
	}
	if err := source.apply(&cfg); err != nil {
		fmt.Fprintf(os.Stderr, "segment-beam: %v\n", err)
		return 2
	}
	var err error
	if cfg.CacheBytes, err = config.ParseSize(*cacheSize); err != nil {
		fmt.Fprintf(os.Stderr, "segment-beam: -cache-size: %v\n", err)
		return 2
	}
	if categories != "" {
		cfg.Categories = strings.Split(categories, ",")
	}
	if returnStatus != "" {
		cfg.ReturnStatus = strings.Split(returnStatus, ",")
	}
	if *exclude != "" {
		var x config.Exclude
		d := json.NewDecoder(strings.NewReader(*exclude))
		d.DisallowUnknownFields()
		if err := d.Decode(&x); err != nil {
			fmt.Fprintf(os.Stderr, "segment-beam: -exclude: %v\n", err)
			return 2
		}
		cfg.ExcludeStatus, cfg.ExcludeProducts = x.Status, x.ProductID
	}
	if use != "" {
		cfg.Use = strings.Split(use, ",")
	}
	fit.config, fit.previous = *configPath, *previous
	tmp, err := ownTempDir()
	if err != nil {
		fmt.Fprintf(os.Stderr, "segment-beam: %v\n", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	err = runJob(context.Background(), cfg, fit, flag.Args())
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(os.Stderr, "segment-beam: %v\n", err)
		return 2
	default:
		fmt.Fprintf(os.Stderr, "segment-beam: job failed: %v\n", err)
		return 1
	}
}

// fitFlags are the clustering settings of the fit and the outputs'
// settings of the finishing step.
type fitFlags struct {
	k, kMin, kMax, restarts, workers int
	currency, reports                string
	excel                            bool
	demo                             bool   // -demo
	config                           string // -config
	previous                         string // -previous
	staged                           bool   // -staged
	holdout                          int    // -holdout-days
}

// applyConfig sets cfg's custom groups, thresholds, rfm section, clv
// section and cluster names from the config file at path, which it returns.
func applyConfig(cfg *featurejob.Config, path string) (*config.File, error) {
	c, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	for _, g := range c.Groups {
		cfg.Groups = append(cfg.Groups, features.CustomGroup{Name: g.Name, When: g.When})
	}
	cfg.Thresholds, cfg.RecencyDays, cfg.Names = c.Thresholds.Features(), c.RFM.RecencyDays, c.Clustering.Names
	cfg.RFMFreezeFrom, cfg.CLV = c.RFM.FreezeFrom, c.CLV
	return c, nil
}

// runJob builds and runs job 1, fits the model on its sample, runs job 2,
// then writes the rest of a local run's outputs (featurejob.Finish).
func runJob(ctx context.Context, cfg featurejob.Config, fit fitFlags, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("unexpected arguments %q", args)}
	}
	var file *config.File
	if fit.config != "" {
		var err error
		if file, err = applyConfig(&cfg, fit.config); err != nil {
			return err // a bad config file, as segment run fails on it
		}
	}
	if fit.holdout != 0 {
		switch {
		case fit.holdout < 0:
			return usageError{fmt.Errorf("-holdout-days: want a positive number of days, got %d", fit.holdout)}
		case cfg.CLV == nil:
			return usageError{errors.New("-holdout-days: needs a clv section in the config file (-config)")}
		}
		lv := *cfg.CLV
		lv.HoldoutDays = fit.holdout
		cfg.CLV = &lv
	}
	if cfg.Orders != "" && cfg.Features != "" {
		return usageError{errors.New("-orders and -features: give one")}
	}
	if err := cfg.Check(); err != nil {
		return usageError{err}
	}
	o, err := cfg.Options()
	if err != nil {
		return usageError{err}
	}
	o.K, o.KMin, o.KMax, o.Restarts, o.Workers = fit.k, fit.kMin, fit.kMax, fit.restarts, fit.workers
	if file != nil {
		o.Config, o.ConfigPath = file, fit.config
	}
	o.Previous = fit.previous
	o.Currency, o.Excel, o.Demo = fit.currency, fit.excel, fit.demo
	if fit.reports != "" {
		o.Reports = strings.Split(fit.reports, ",")
		for _, r := range o.Reports {
			if r != pipeline.ReportMarkdown && r != pipeline.ReportHTML {
				return usageError{fmt.Errorf("-reports: %q: want md or html", r)}
			}
		}
	}
	if fit.k < 0 || fit.kMin < 2 || fit.kMax < fit.kMin || fit.restarts < 1 || fit.workers < 0 {
		return usageError{fmt.Errorf("k %d, k-min %d, k-max %d, restarts %d, workers %d: want k ≥ 0, 2 ≤ k-min ≤ k-max, restarts ≥ 1, workers ≥ 0",
			fit.k, fit.kMin, fit.kMax, fit.restarts, fit.workers)}
	}
	if err := checkPrevious(fit.previous); err != nil {
		return err // before any work, as a local run loads it first
	}
	commit := func() error { return nil }
	if !fit.staged {
		// As segment run: the jobs and the finishing step write into a
		// staging folder beside -out, swapped in at the end, so a failed
		// step leaves the previous outputs as they were.
		o.Out = cfg.Out
		staging, err := pipeline.OpenOutput(ctx, &o)
		if errors.Is(err, pipeline.ErrOutputRefused) {
			return usageError{err}
		}
		if err != nil {
			return err
		}
		defer staging.Close() // removes the staging folder unless committed
		cfg.Out, commit = staging.Dir, staging.Commit
	}
	// The staging folders are named here, so that a failed job's can be
	// removed: it holds only what the job wrote.
	if cfg.Staging == "" {
		cfg.Staging = time.Now().UTC().Format("20060102T150405.000000000")
		if cfg.Work != "" { // runs sharing a working location must not share a folder there
			var token [4]byte
			rand.Read(token[:])
			cfg.Staging += "-" + hex.EncodeToString(token[:])
		}
	}
	if cfg.Work != "" {
		// Every object the jobs wrote (committed or not) is under the
		// run's folder, removed whether the run succeeds or fails.
		defer func() {
			if err := featurejob.RemoveWork(context.Background(), &cfg); err != nil {
				slog.Warn("segment-beam: removing the working files", "dir", cfg.WorkDir(), "error", err)
			}
		}()
	}
	// The copies of remote inputs that workers in this process (Prism, a
	// loopback environment) and the finishing step fetched.
	defer featurejob.ReleaseInputCopies()
	var timings []pipeline.Timing
	stage := func(name string, f func() error) error {
		start := time.Now()
		err := f()
		timings = append(timings, pipeline.Timing{Stage: name, Duration: time.Since(start)})
		return err
	}
	p, s := beam.NewPipelineWithRoot()
	if err := featurejob.Build(s, cfg); err != nil {
		return usageError{err}
	}
	var committed *featurejob.Manifest
	err = stage("beam-features", func() error {
		err := beamx.Run(ctx, p)
		featurejob.ReleaseInputCopies() // a job's copies are not needed after it
		if err != nil {
			if cfg.Work == "" {
				os.RemoveAll(cfg.StagingDir())
			}
			return err
		}
		if afterFeatures != nil {
			if err := afterFeatures(ctx, &cfg); err != nil {
				return err
			}
		}
		if cfg.Work != "" { // job 1's committed files into OUT/features
			var err error
			committed, err = featurejob.FetchFeatures(ctx, &cfg)
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if cfg.Features != "" {
		sum, err := featurejob.ReadSummary(cfg.Out)
		if err != nil {
			return err
		}
		if err := pipeline.CheckGroupColumns(cfg.Features, sum.Columns, o.Custom); err != nil {
			return err
		}
		if cfg.Use == nil { // clustering.use defaults to the table's columns, as a local run's
			o.Use = sum.Columns
		}
	}
	var fitted *pipeline.Result
	if err := stage("fit", func() (err error) { fitted, err = featurejob.FitResult(ctx, cfg.Out, &o); return err }); err != nil {
		return err
	}
	ac, err := featurejob.NewAssignConfig(cfg)
	if err != nil {
		return err
	}
	ac.Staging, ac.Previous = cfg.Staging, fitted.Previous != nil
	if ac.Previous {
		ac.PreviousSegCount = fitted.Previous.SegCount
		b, err := json.Marshal(fitted.Previous.Model)
		if err != nil {
			return err
		}
		ac.PreviousModel = string(b)
	}
	if cfg.Work != "" {
		if ac.Files, err = featurejob.AssignFiles(ctx, &cfg, committed, ac.Previous); err != nil {
			return err
		}
	}
	p, s = beam.NewPipelineWithRoot()
	if err := featurejob.BuildAssign(s, ac); err != nil {
		return err
	}
	err = stage("beam-assign", func() error {
		err := beamx.Run(ctx, p)
		featurejob.ReleaseInputCopies() // a job's copies are not needed after it
		if err != nil {
			if cfg.Work == "" {
				os.RemoveAll(ac.StagingDir())
			}
			return err
		}
		if cfg.Work != "" { // job 2's committed files into OUT/assignments
			return featurejob.FetchAssignments(ctx, &ac)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err = featurejob.SetModelSizes(cfg.Out); err != nil {
		return err
	}
	if _, err = featurejob.Finish(ctx, cfg.Out, &o, fitted, runnerName(), timings); err != nil {
		return err
	}
	return commit()
}

// afterFeatures, set by the tests only, is called once job 1 has run,
// before its files are fetched: it stands for what may happen at the
// working location meanwhile (a retried bundle's file, a lost manifest).
var afterFeatures func(ctx context.Context, cfg *featurejob.Config) error

// runnerName is Beam's -runner flag, prism when unset (Beam's default).
func runnerName() string {
	if f := flag.Lookup("runner"); f != nil && f.Value.String() != "" {
		return f.Value.String()
	}
	return "prism"
}
