package main

import (
	"context"
	"flag"
	"io"
	"strings"

	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

const assignDoc = `usage: segment assign -model DIR/model.json [-orders PATH] [-config FILE] [-out DIR] [flags]

Scores customers with a model saved by "segment run" instead of fitting a new
one: the same column mapping, tables, feature options, transform, RFM cut
points, thresholds and custom groups (all read from the model's "config" and
fields), and each customer goes to the cluster of the nearest saved centroid,
keeping that cluster's key, name and action. Scoring the data the model was
fitted on reproduces segment run's assignments exactly (but a refit's
history columns: assign compares with no previous run).

-orders (and -customers, -events, -products) replace the model's inputs, for
new data (a table given by flag is read under its logical column names);
paths the model saved are relative to the folder segment run was started
in. A model fitted on a feature table (segment run -features) scores a
feature table, given by -features (default: the model's), never order
lines: the table's columns are the warehouse's definitions, not segment's.
-config replaces the model's configuration, but for what shapes the features
the model was fitted on (clustering.k, seed and use, features.top_categories,
window_days and peak_season, orders.timezone): those stay the model's, with
a warning when the file gives others. A model of the
built-in demo store (segment run without inputs) scores the demo store
again, written anew, unless inputs are given. Orders that lack a column a
clustered feature is made of (the discount of discount_ratio, the category
of the mix) are refused: every customer would score 0 there. Writes into -out:
assignments.parquet, .csv and .arrow, run.json, rejects.csv, report.md,
report.html and plots/ (no model.json, so an -out holding a run's
model.json, which the next run there needs, is refused). Outputs are
swapped into place atomically, as with run, and -out is checked and locked
as with run (see segment run -h).

EXIT STATUS
  0 success; 1 the run failed (bad data, bad model or config file, I/O, -out
  in use by another run); 2 usage error (a refused -out included);
  130 interrupted (SIGINT or SIGTERM).
`

func runAssign(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("assign", assignDoc, stderr)
	var (
		modelPath  = fs.String("model", "", "model.json written by segment run (required)")
		configPath = fs.String("config", "", "YAML config `file` replacing the model's configuration")
		orders     = fs.String("orders", "", "order lines to score (default: the model's)")
		featTable  = fs.String("features", "", "feature table to score, for a model fitted on one (default: the model's)")
		customers  = fs.String("customers", "", "customers table (default: the model's)")
		events     = fs.String("events", "", "events table (default: the model's)")
		products   = fs.String("products", "", "products table (default: the model's)")
		out        = fs.String("out", "out", "output `dir`ectory")
		asOf       = fs.String("as-of", "", "analysis date YYYY-MM-DD, midnight in orders.timezone (default: the day after the newest order)")
		workers    = fs.Int("workers", 0, "parallel workers (0: all cores); never changes results")
		excel      = fs.Bool("excel", false, "start every CSV output with a UTF-8 byte order mark, so Excel reads non-ASCII text (output.excel)")
		quiet      = fs.Bool("quiet", false, "log errors only")
		verbose    = fs.Bool("v", false, "log debug detail")
		logFormat  = fs.String("log-format", "text", "log format on stderr: text or json")
		memLimit   = fs.String("memory-limit", "80%", memoryLimitDoc)
		wait       = fs.Bool("wait", false, "when another run is writing into -out, wait for it instead of failing")
	)
	if err := fs.parse(args, false); err != nil {
		return err
	}
	if *modelPath == "" {
		return usageError{msg: "assign: -model is required"}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	log, err := newLogger(stderr, *logFormat, *quiet, *verbose)
	if err != nil {
		return err
	}
	m, err := pipeline.LoadModel(*modelPath)
	if err != nil {
		return err
	}
	var cfg *config.File
	if *configPath != "" {
		if cfg, err = config.Load(*configPath); err != nil {
			return err
		}
	}
	o, err := pipeline.ScoringOptions(m, *modelPath, cfg, *configPath)
	if err != nil {
		return err
	}
	if keys := pipeline.ScoringOverrides(m, cfg); keys != nil {
		log.Warn("assign: the model's own values replace these keys of -config, which shape the features it was fitted on (fit a new model with segment run to change them)",
			"config", *configPath, "keys", strings.Join(keys, ", "))
	}
	o.Workers, o.Log, o.Progress = *workers, log, newProgress(stderr, *quiet, *logFormat)
	if o.Demo && (set["orders"] || set["customers"] || set["events"] || set["products"]) {
		// A model of the demo store scores the inputs given, only them:
		// the demo store's tables are not files.
		o.Demo = false
	}
	switch {
	case m.FeatureTable && set["orders"]:
		return usageError{msg: "assign: -orders: the model was fitted on a feature table (segment run -features), whose columns are the warehouse's definitions: score a feature table with -features, or fit a model on the orders with segment run"}
	case !m.FeatureTable && set["features"]:
		return usageError{msg: "assign: -features: the model was fitted on order lines: score order lines (-orders), or fit a model on the feature table with segment run -features"}
	case m.FeatureTable:
		o.Orders = ""
		if o.Features = m.SavedFeatureTable(); set["features"] {
			o.Features = *featTable
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
	if set["out"] {
		o.Out = *out
	}
	if set["excel"] {
		o.Excel = *excel
	}
	if set["as-of"] {
		if o.AsOf, err = pipeline.ParseDate(*asOf, o.Location); err != nil {
			return usageError{msg: "assign: -as-of: " + err.Error()}
		}
	}
	from := "the model's"
	if cfg != nil {
		from = "-config's"
	}
	if err := o.CheckSavedPaths(set, from); err != nil {
		return err
	}
	if o.Orders == "" && o.Features == "" && !o.Demo {
		return usageError{msg: "assign: no orders: give -orders (the model names none)"}
	}
	o.GCPercentAfterFeatures = unlessGOGC(gcPercentAfterFeatures)
	o.GCPercentWhileSpilling = unlessGOGC(gcPercentWhileSpilling)
	if o.MemoryLimit, err = parseMemoryLimit(*memLimit); err != nil {
		return usageError{msg: "assign: -memory-limit: " + err.Error()}
	}
	o.WaitForOut = *wait
	_, err = pipeline.Run(ctx, o)
	return err
}
