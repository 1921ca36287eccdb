package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/scratch"
)

// BeamRunners are the engines RunBeam drives segment-beam on.
var BeamRunners = []string{"prism", "flink", "spark", "dataflow"}

// BeamRun says how RunBeam runs the jobs.
type BeamRun struct {
	Runner string   // one of BeamRunners
	Binary string   // the segment-beam executable
	Args   []string // Beam's own flags (-endpoint, -project…), passed through
	Stdout io.Writer
	Stderr io.Writer
}

// RunBeam runs o on Apache Beam through segment-beam (a separate binary,
// so that this module imports none of Beam): job 1 (features and the fit's
// global values), the fit on a sample, job 2 (assignments), written into
// the staging folder of o.Out and swapped in when segment-beam succeeds,
// as Run swaps its outputs. A failed or interrupted job leaves the
// previous outputs as they were and its staging folder is removed (it
// holds only what this run wrote).
//
// It writes features/ (the feature shards, features.json, sample.parquet),
// model.json and assignments/ (the assignment shards and assign.json), and
// then, through segment-beam's finishing step on this machine (FinishBeam),
// Run's other outputs: assignments.parquet, .csv and .arrow, run.json (with
// "runner"), the report (with a runner line), plots, exports and
// rejects.csv. The inputs are the order lines, the products table, the
// customers table and the events table (folded per customer on the
// workers, its rejected rows in rejects.csv), or the built-in demo store
// (o.Demo: its files are written into a temporary folder of this machine,
// which a runner elsewhere cannot read, and named in the outputs as a
// local demo run names them), or a feature table (o.Features: its rows
// sharded as they are, the fit's values computed over its columns):
// options the scale-out runner does not support (the lifetime-value
// holdout; a feature table with an events or products table or a clv
// section) are refused before any work. With a clv section (from the config file), the lifetime-value
// models are fitted on every customer on this machine after job 1, and job
// 2 and the finishing step score each customer with them. The
// previous run
// (o.Previous, resolved as Run resolves it) is passed to segment-beam,
// whose fit matches the clusters with it.
func RunBeam(ctx context.Context, o Options, b BeamRun) error {
	o.Log = o.logger()
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Demo && o.Features == "" {
		// The demo store's files, as a local run writes them, in a folder of
		// this machine: segment-beam and a runner on it (Prism) read them.
		scr, err := scratch.Make("", "demo")
		if err != nil {
			return fmt.Errorf("demo store: %w", err)
		}
		defer scr.Remove()
		o.Log.Info("no input given: running on the built-in demo store", "customers", DemoCustomers)
		if err := WriteDemo(ctx, scr.Path); err != nil {
			return err
		}
		o = withDemoInputs(o, scr.Path)
	}
	warnNoModel(&o)
	args, err := beamArgs(&o, b)
	if err != nil {
		return err
	}
	staging, err := OpenOutput(ctx, &o)
	if err != nil {
		return err
	}
	defer staging.Close() // removes the staging folder unless committed
	// -staged: the folder is this run's staging folder, which it commits.
	cmd := exec.CommandContext(ctx, b.Binary, append(append(args, "-out", staging.Dir, "-staged"), b.Args...)...)
	cmd.Stdout, cmd.Stderr = b.Stdout, b.Stderr
	o.Log.Info("running on Apache Beam", "runner", b.Runner, "binary", b.Binary)
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("beam: %s: %w", b.Binary, err)
	}
	if err := staging.Commit(); err != nil {
		return err
	}
	// The counts a local run logs as it reads the lines, from run.json.
	if raw, err := os.ReadFile(filepath.Join(o.Out, "run.json")); err == nil {
		var m Manifest
		if json.Unmarshal(raw, &m) == nil {
			logOrderCounts(o.Log, m.Rows.NegativeDiscounts, m.Rows.Repeated, m.Rows.Read, m.Rows.RepeatedEstimated)
			if st := m.Stability; st != nil && st.Missing != nil && *st.Missing > 0 {
				warnMissing(o.Log, *st.Missing, *st.PreviousCustomers, "")
			}
			if o.Products != nil {
				warnUnmatchedProducts(o.Log, o.Products.Path, m.Rows.UnmatchedProducts, m.Rows.Used+m.Rows.AfterAsOf)
			}
		}
	}
	o.Log.Info("run complete", "out", o.Out, "runner", b.Runner)
	return nil
}

// ErrBeamUnsupported is wrapped by RunBeam's error for an option the
// scale-out runner does not support yet.
var ErrBeamUnsupported = errors.New("not supported with -runner yet")

// beamArgs returns segment-beam's flags for o, or why o cannot run there.
func beamArgs(o *Options, b BeamRun) ([]string, error) {
	unsupported := func(what string) ([]string, error) {
		return nil, fmt.Errorf("beam: %s: %w", what, ErrBeamUnsupported)
	}
	switch {
	case !strings.Contains(" "+strings.Join(BeamRunners, " ")+" ", " "+b.Runner+" "):
		return nil, fmt.Errorf("beam: runner %q: want one of %s", b.Runner, strings.Join(BeamRunners, ", "))
	case o.Orders != "" && o.Features != "":
		return nil, errors.New("beam: order lines and a feature table (-features): give one")
	case o.Features != "" && (o.Events != nil || o.Products != nil || o.CLV != nil):
		// Job 1 on a feature table shards its rows as they are: the events
		// features and the lifetime-value models need order lines' days.
		return unsupported("a feature table (-features) with an events or products table or a clv section")
	case o.Orders == "" && o.Features == "":
		return nil, errors.New("beam: no order lines: set Orders, Features (or Demo)")
	case !fromConfig(o):
		return unsupported("custom groups, thresholds, the rfm section, the clv section or clustering.names other than the config file's")
	}
	args := []string{"-orders", o.Orders}
	if o.Features != "" {
		args = []string{"-features", o.Features}
	}
	args = append(args, "-runner", b.Runner, "-timezone", o.Location.String(),
		"-top", strconv.Itoa(o.TopN), "-window-days", strconv.Itoa(o.WindowDays),
		"-scale", o.Scale, "-min-share", strconv.FormatFloat(o.MinShare, 'g', -1, 64),
		"-seed", strconv.FormatUint(o.Seed, 10), "-k", strconv.Itoa(o.K), "-k-min", strconv.Itoa(o.KMin),
		"-k-max", strconv.Itoa(o.KMax), "-restarts", strconv.Itoa(o.Restarts), "-workers", strconv.Itoa(o.Workers))
	if o.Features == "" || o.UseSet {
		// A feature table's columns are clustering.use's default, as a
		// local run defaults it: segment-beam reads them.
		args = append(args, "-use", strings.Join(o.Use, ","))
	}
	if !o.AsOf.IsZero() && o.Features == "" { // a feature table has no as_of
		args = append(args, "-as-of", o.AsOf.Format(time.DateOnly))
	}
	if o.TimeFormat != "" {
		args = append(args, "-time-format", o.TimeFormat)
	}
	if o.Demo {
		args = append(args, "-demo") // the outputs name the files as a local demo run does
	}
	if o.Config != nil && o.ConfigPath != "" {
		// segment-beam reads the custom groups, thresholds, recency days,
		// the clv section and cluster names from it, and saves it in model.json as a run does.
		args = append(args, "-config", o.ConfigPath)
	}
	if o.HoldoutDays > 0 {
		// -holdout-days wins over the config's clv.holdout_days, as in a
		// local run: segment-beam takes it the same way.
		args = append(args, "-holdout-days", strconv.Itoa(o.HoldoutDays))
	}
	args = append(args, beamSourceArgs(o)...)
	if dir := PreviousDir(o.Previous, o.Out); dir != "" {
		// Resolved here: segment-beam's -out is the staging folder. The fit
		// matches the clusters with that run's, job 2 and the finishing
		// step fill the history columns, the stability section and exports.
		args = append(args, "-previous", dir)
	}
	if o.CancelPrefix != "" {
		args = append(args, "-cancel-prefix", o.CancelPrefix)
	}
	if len(o.ReturnStatus) > 0 {
		args = append(args, "-return-status", strings.Join(o.ReturnStatus, ","))
	}
	if len(o.ExcludeStatus) > 0 || len(o.ExcludeProducts) > 0 {
		x, err := json.Marshal(config.Exclude{Status: o.ExcludeStatus, ProductID: o.ExcludeProducts})
		if err != nil {
			return nil, err
		}
		args = append(args, "-exclude", string(x))
	}
	// Beam's and Prism's own logs at the run's level (-quiet: errors only).
	args = append(args, "-log-level", beamLogLevel(o.Log))
	if _, ok := o.Log.Handler().(*slog.JSONHandler); ok {
		args = append(args, "-log-format", "json")
	}
	// The outputs' settings, for the finishing step (FinishBeam).
	if o.Currency != "" {
		args = append(args, "-currency", o.Currency)
	}
	if o.Excel {
		args = append(args, "-excel")
	}
	if o.Reports != nil {
		args = append(args, "-reports", strings.Join(o.Reports, ","))
	}
	return args, nil
}

// fromConfig reports whether o's custom groups, seed group thresholds,
// rfm section (recency_days, freeze_from), clv section and cluster names are those of
// its config file (or the defaults without one): segment-beam reads them
// from the file.
func fromConfig(o *Options) bool {
	c := o.Config
	if c == nil || o.ConfigPath == "" {
		return (o.Custom == nil || o.Custom.Len() == 0) && o.Thresholds == DefaultOptions().Thresholds &&
			o.RecencyDays == nil && o.RFMFreezeFrom == "" && len(o.Names) == 0 && o.CLV == nil
	}
	return o.Custom == c.CustomGroups() && o.Thresholds == c.Thresholds.Features() &&
		slices.Equal(o.RecencyDays, c.RFM.RecencyDays) && o.RFMFreezeFrom == c.RFM.FreezeFrom && maps.Equal(o.Names, c.Clustering.Names) &&
		sameCLV(o, c.CLV)
}

// sameCLV reports whether o's lifetime-value settings are those of the
// clv section c (nil: none).
func sameCLV(o *Options, c *config.CLV) bool {
	v := CLVValue(c)
	if v == nil || o.CLV == nil {
		return v == nil && o.CLV == nil
	}
	return *v == *o.CLV && o.ChurnThreshold == c.ChurnThreshold
}

// beamLogLevel returns segment-beam's -log-level for log: the lowest level
// log is enabled at (error when it logs nothing), so that segment run's
// -quiet and -v reach the logs of Beam and of Prism, which segment-beam
// writes to its standard error.
func beamLogLevel(log *slog.Logger) string {
	ctx := context.Background()
	for _, l := range []struct {
		level slog.Level
		name  string
	}{{slog.LevelDebug, "debug"}, {slog.LevelInfo, "info"}, {slog.LevelWarn, "warn"}} {
		if log.Enabled(ctx, l.level) {
			return l.name
		}
	}
	return "error"
}

// beamOutputs are the entries a scale-out run adds to an output folder
// (foreignOutput), with the endings of the files in them.
var beamOutputs = map[string][]string{"features": {".parquet", ".json", ".gob", ".bin"}, "assignments": {".parquet", ".json"}}

// The scale-out outputs are segment's: a later run may replace them.
func init() {
	for name, ends := range beamOutputs {
		outputNames = append(outputNames, name)
		outputSubdirs[name] = endingIn(ends)
	}
}
