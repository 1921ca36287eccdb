package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

const runDoc = `usage: segment run [-config FILE] [-orders PATH] [-features PATH] [-out DIR] [flags]

Reads an order history (Parquet, CSV or CSV.gz; a file, a glob or a directory
of parts), engineers one row of features per customer, clusters the customers
with k-means choosing k by the elbow (Kneedle), and writes into -out:
assignments.parquet and .csv, model.json, run.json, rejects.csv, plots/,
report.md and report.html (the same report as one self-contained page to open
in a browser, mail or print; -report md or -report html writes only one).
With no -orders, -features or config it runs on a built-in demo store, so
"segment run" alone shows a full report; a config file that names no order
lines (orders.path) is an error.

Flags override the config file; the config file overrides the defaults.
-customers, -events and -products name the optional tables, replacing the
config file's customers.path, events.path and products.path only: the
sections' columns, time_format and timezone still apply.
Outputs are built in a temporary directory beside -out and swapped into place,
so a failed or interrupted run leaves the previous outputs as they were.
-out is replaced as a whole, so it must be absent, empty or a folder segment
wrote (it holds a .segment-output file), and may not be, hold or lie inside an
input or the config file; anything else is refused before any work (exit
status 2). One run at a time per -out: while one holds the lock file beside
the folder (.out.lock for out), a second fails at once, or with -wait waits.
The same inputs and -seed give byte-identical outputs whatever -workers is
(run.json's "timings_ms" and "peak_rss_bytes" fields excepted).

-holdout-days N (config: clv.holdout_days) tests the lifetime value models of
the config's clv section: they are fitted on the orders before as_of − N days
and their predicted repeat purchases for the last N days are compared with the
actual ones (report and run.json's clv.holdout). Customers are still scored
from as_of on all their orders, with the calibration fits.

-runner prism|flink|spark|dataflow runs the order-history stages on Apache
Beam through the segment-beam binary (-beam-binary, or on PATH), with Beam's
own flags in -beam-flags; see "Running on Apache Beam" in the README for
what it writes and supports. It reads order lines (any orders section:
column mapping, CSV dialect, time format, duplicates) with the features
section, the products, customers and events tables, the config's
groups, thresholds, rfm and cluster names, the clv section (its holdout
too), and a previous run (-previous), or the demo store (written on this machine: for
a runner here, such as prism), or a feature table (-features, with the
customers table, without the events or products table or the clv
section). Its inputs may be object-store URLs (gs://bucket/orders/*.parquet, s3://…),
which only such a runner reads (exit status 2 with -runner local). The
default, -runner local, runs here.

EXIT STATUS
  0 success; 1 the run failed (bad data, bad config file, I/O, -out in use by
  another run); 2 usage error (a refused -out included); 130 interrupted
  (SIGINT or SIGTERM).
`

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlagSet("run", runDoc, stderr)
	var (
		configPath = fs.String("config", "", "YAML config `file`")
		orders     = fs.String("orders", "", "order lines: .parquet, .csv or .csv.gz file, glob or directory")
		customers  = fs.String("customers", "", "customers table (Parquet or CSV): customer_id, email, newsletter, city, country, signup_time, b2b, age_band")
		events     = fs.String("events", "", "events table (Parquet or CSV): customer_id, time, type (view, add_to_cart, checkout)")
		products   = fs.String("products", "", "products table (Parquet or CSV) joined on product_id: product_id, and category, price_tier or launch_time")
		featPath   = fs.String("features", "", "per-customer feature table (Parquet or CSV) instead of orders")
		scale      = fs.String("scale", "auto", "feature transform: auto (log1p + z-score) or none (cluster values as given)")
		out        = fs.String("out", "out", "output `dir`ectory")
		previous   = fs.String("previous", "", "previous run's output `dir` whose cluster keys to keep (default: -out when it holds a run; none: start afresh)")
		asOf       = fs.String("as-of", "", "analysis date YYYY-MM-DD, midnight in orders.timezone (default: the day after the newest order)")
		k          = fs.String("k", "auto", "number of clusters: auto (elbow) or N")
		kMin       = fs.Int("k-min", 2, "smallest k of the elbow sweep")
		kMax       = fs.Int("k-max", 12, "largest k of the elbow sweep")
		seed       = fs.Uint64("seed", 1, "random seed: the only source of randomness")
		workers    = fs.Int("workers", 0, "parallel workers (0: all cores); never changes results")
		excel      = fs.Bool("excel", false, "start every CSV output with a UTF-8 byte order mark, so Excel reads non-ASCII text (output.excel)")
		quiet      = fs.Bool("quiet", false, "log errors only")
		verbose    = fs.Bool("v", false, "log debug detail")
		logFormat  = fs.String("log-format", "text", "log format on stderr: text or json")
		memLimit   = fs.String("memory-limit", "80%", memoryLimitDoc)
		spill      = fs.String("spill", "auto", "keep the order lines on disk and aggregate a part of the customers at a time: auto (when they would not fit in a third of -memory-limit), always or never")
		spillDir   = fs.String("spill-dir", "", "where the spill files go (default: $TMPDIR or /tmp); removed at the end of the run")
		wait       = fs.Bool("wait", false, "when another run is writing into -out, wait for it instead of failing")
		cpuProfile = fs.String("cpuprofile", "", "write a CPU profile of the run to `file` (go tool pprof)")
		reports    = fs.String("report", "md,html", "reports to write, comma-separated: md (report.md), html (report.html)")
		holdout    = fs.Int("holdout-days", 0, "lifetime value: fit on the orders before as_of − N `days`, test on the last N (clv.holdout_days; needs a clv section)")
		beam       = beamFlags(fs)
	)
	if err := fs.parse(args, false); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	log, err := newLogger(stderr, *logFormat, *quiet, *verbose)
	if err != nil {
		return err
	}
	if *scale != "auto" && *scale != "none" {
		return usageError{msg: fmt.Sprintf("run: -scale: want auto or none, got %q", *scale)}
	}
	if *workers < 0 {
		return usageError{msg: "run: -workers must be >= 0"}
	}
	o := pipeline.DefaultOptions()
	o.Workers, o.Log, o.ConfigPath = *workers, log, *configPath
	o.Progress = newProgress(stderr, *quiet, *logFormat)
	if *configPath != "" {
		c, err := config.Load(*configPath)
		if err != nil {
			return err
		}
		if err := o.ApplyConfig(c); err != nil {
			return err
		}
	}
	// Flags override the config file.
	for _, name := range []string{"orders", "features", "customers", "events", "products"} {
		if set[name] && fs.Lookup(name).Value.String() == "" {
			// An empty $ORDERS in a cron line is a mistake, never the demo.
			return usageError{msg: fmt.Sprintf("run: -%s is empty: name a file, a glob or a folder", name)}
		}
	}
	if set["orders"] {
		o.Orders = *orders
	}
	if set["customers"] {
		o.CustomersPath = *customers
	}
	if set["events"] {
		o.Events = o.Events.WithPath(*events)
	}
	if set["products"] {
		o.Products = o.Products.WithPath(*products)
	}
	if set["features"] {
		o.Features = *featPath
	}
	o.Previous = *previous
	if set["scale"] {
		o.Scale = *scale
	}
	if set["out"] {
		o.Out = *out
	}
	if set["excel"] {
		o.Excel = *excel
	}
	if set["as-of"] {
		if o.AsOf, err = pipeline.ParseDate(*asOf, o.Location); err != nil {
			return usageError{msg: "run: -as-of: " + err.Error()}
		}
	}
	if set["k"] {
		if o.K, err = config.ParseK(*k); err != nil {
			return usageError{msg: "run: -k: " + err.Error()}
		}
	}
	if set["k-min"] {
		o.KMin = *kMin
	}
	if set["k-max"] {
		o.KMax = *kMax
	}
	if set["seed"] {
		o.Seed = *seed
	}
	if set["report"] {
		if o.Reports, err = config.ParseReportFormats([]string{*reports}); err != nil {
			return usageError{msg: "run: -report: " + err.Error()}
		}
	}
	if set["holdout-days"] {
		switch {
		case *holdout <= 0 || *holdout > pipeline.MaxDays:
			return usageError{msg: fmt.Sprintf("run: -holdout-days: want a positive number of days, at most %d (100 years), got %d", pipeline.MaxDays, *holdout)}
		case o.CLV == nil:
			return usageError{msg: "run: -holdout-days: needs a clv section in the config file (clv: {} takes the defaults)"}
		}
		o.HoldoutDays = *holdout
	}
	if o.HoldoutDays > 0 && o.Features != "" {
		return usageError{msg: "run: a holdout (-holdout-days or clv.holdout_days) needs order lines, not -features"}
	}
	if o.Orders != "" && o.Features != "" {
		return usageError{msg: "run: give -orders or -features, not both"}
	}
	if err := pipeline.CheckFeatureTable(&o); err != nil { // -features is a flag only
		return usageError{msg: "run: " + err.Error()}
	}
	if o.KMin < 1 || o.KMax < o.KMin {
		// Blame the flags only when one was given: a config file's range
		// is a bad config file (exit 1), not a usage error.
		if set["k-min"] || set["k-max"] || *configPath == "" {
			return usageError{msg: fmt.Sprintf("run: want 1 <= k-min <= k-max, got %d and %d", o.KMin, o.KMax)}
		}
		return fmt.Errorf("config %s: clustering.k_min %d and clustering.k_max %d: want 1 <= k_min <= k_max (absent: %d and %d)",
			*configPath, o.KMin, o.KMax, pipeline.DefaultOptions().KMin, pipeline.DefaultOptions().KMax)
	}
	o.Demo = o.Orders == "" && o.Features == ""
	if o.Demo && *configPath != "" {
		// A config file that names no order lines (empty, commented
		// out, a path left blank) is a broken config, not a wish for the
		// demo store: a scheduled run must not write demo segments.
		return fmt.Errorf("config %s: orders.path is missing: name the order lines there or with -orders PATH (the built-in demo store runs only without a config file)", *configPath)
	}
	o.GCPercentAfterFeatures = unlessGOGC(gcPercentAfterFeatures)
	o.GCPercentWhileSpilling = unlessGOGC(gcPercentWhileSpilling)
	if o.MemoryLimit, err = parseMemoryLimit(*memLimit); err != nil {
		return usageError{msg: "run: -memory-limit: " + err.Error()}
	}
	if err := pipeline.CheckSpill(*spill); err != nil {
		return usageError{msg: "run: -" + err.Error()}
	}
	if *spillDir != "" {
		if err := pipeline.CheckSpillDir(*spillDir); err != nil {
			return usageError{msg: "run: " + err.Error()}
		}
	}
	o.Spill, o.SpillDir = *spill, *spillDir
	o.WaitForOut = *wait
	if *cpuProfile != "" {
		// Started once the options are known: the output folder may be the
		// config's (output.dir), which a run replaces as a whole.
		if err := pipeline.CheckOutside("-cpuprofile", *cpuProfile, o.Out); err != nil {
			return usageError{msg: err.Error()}
		}
		stop, perr := startCPUProfile(*cpuProfile)
		if perr != nil {
			return perr
		}
		defer func() { // err is runRun's result
			if cerr := stop(); err == nil {
				err = cerr
			}
		}()
	}
	if beam.runner() {
		return runOnBeam(ctx, o, beam, stdout, stderr)
	}
	if err := pipeline.CheckLocalInputs(&o); err != nil {
		return usageError{msg: "run: " + err.Error()}
	}
	_, err = pipeline.Run(ctx, o)
	if errors.Is(err, data.ErrMissingColumn) && *configPath == "" && o.Orders != "" {
		// A newcomer's first run on an export whose columns are named
		// otherwise ("Customer ID"): say how to map them.
		err = fmt.Errorf("%w; to map the file's columns, run: segment inspect -write segment.yaml %s, check what it guessed, then: segment run -config segment.yaml", err, o.Orders)
	}
	return err
}

func newLogger(w io.Writer, format string, quiet, verbose bool) (*slog.Logger, error) {
	level := slog.LevelInfo
	switch {
	case quiet && verbose:
		return nil, usageError{msg: "run: -quiet and -v contradict each other"}
	case quiet:
		level = slog.LevelError
	case verbose:
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError{msg: fmt.Sprintf("run: -log-format: want text or json, got %q", format)}
}
