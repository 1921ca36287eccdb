package pipeline

import (
	"log/slog"
	"slices"
	"time"

	"github.com/segment-tool/segment/clv"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
)

// Version is the tool's version, written into run.json, model.json and
// the report.
const Version = "0.1.0"

// DefaultMinShare is clustering.min_share's default: no cluster holds
// fewer than 1 % of the clustered customers.
const DefaultMinShare = 0.01

// Options are the resolved settings of one run: the command line turns
// its flags and the config file into them. The zero value is not useful;
// start from DefaultOptions.
type Options struct {
	ConfigPath string // the config file (or model) settings came from, for messages
	Orders     string // order lines: file, glob or directory
	Features   string // a per-customer feature table instead of orders
	Demo       bool   // run on the built-in demo store instead (Orders and the tables are set by Run)
	// How the order lines are read (the config file's orders section):
	// the column mapping, the time format, what to do with exact duplicate
	// lines, and how cancellations and returns are marked.
	OrderColumns           data.OrderColumns
	CSV                    data.CSVDialect // orders.delimiter and orders.decimal (zero: detect)
	TimeFormat, Duplicates string
	CancelPrefix           string
	ReturnStatus           []string
	AmountScale            float64  // orders.amount_scale (0: 1)
	AmountBeforeDiscount   bool     // orders.amount_before_discount
	ExcludeStatus          []string // orders.exclude.status
	ExcludeProducts        []string // orders.exclude.product_id
	AttributesMapped       [3]bool  // city, country, channel mapped explicitly: columns even when every line lacks them
	SaleDays               []string // features.sale_days, YYYY-MM-DD (nil: Black Friday and Cyber Monday)
	TrendDays              int      // features.trend_days (0: 30)
	// CustomersPath is the optional customers table; CustomerColumns maps
	// its logical columns (nil: logical names); CustomerTimeFormat and
	// CustomerTimezone are its time_format and timezone (CustomersTable).
	CustomersPath                        string
	CustomerColumns                      map[string]string
	CustomerTimeFormat, CustomerTimezone string
	Events                               *config.Table // the events table, or nil
	Products                             *config.Table // the products table, or nil
	Thresholds                           features.Thresholds
	Custom                               *features.CompiledGroups // custom groups, or nil
	RFMFreezeFrom                        string                   // model.json whose RFM cuts are reused
	RecencyDays                          []int                    // rfm.recency_days: fixed R cut points in days, or nil
	Previous                             string                   // a previous run's output directory, "none", or "" for Out
	Scale                                string                   // "auto" or "none"
	Out                                  string
	Excel                                bool           // a UTF-8 byte order mark before every CSV output (output.excel, -excel)
	AsOf                                 time.Time      // midnight in Location; zero: the day after the newest order
	Location                             *time.Location // the store's time zone (orders.timezone); never nil
	K                                    int            // 0: auto
	KMin, KMax                           int
	Restarts                             int
	Seed                                 uint64
	Workers                              int
	// MemoryLimit is the run's memory budget in bytes (0: none): the run
	// stops with a MemoryError, naming it, when its live heap passes 90 %
	// of it, and the Go runtime collects harder as the heap nears it.
	MemoryLimit int64
	// GCPercentAfterFeatures, when above 0, is the garbage collector's
	// target (debug.SetGCPercent) from the moment the feature table is
	// made until Run returns. Reading and aggregating the order lines
	// allocate many small objects with pointers, which each collection
	// scans; the later stages hold mostly columns of floats, which a
	// collection does not scan, so collecting more often there costs little
	// CPU and lowers the run's peak memory. 0 leaves the collector's target
	// as it is.
	GCPercentAfterFeatures int
	// GCPercentWhileSpilling, when above 0, is the garbage collector's
	// target while the order lines are read and spilled to disk (Spill):
	// what is live then is the spill files' buffers and a few batches of
	// lines, some 100 MB whatever the store's size, so collecting at the
	// usual target would spend a tenth of the reading's CPU on a small
	// heap. The target is set back before the spilled files are
	// aggregated, where the heap grows. 0 leaves it as it is.
	GCPercentWhileSpilling int
	// Spill says when the aggregation of the order lines keeps them on
	// disk, by a hash of the customer id, and aggregates one part of the
	// customers at a time: SpillAuto (""), SpillAlways or SpillNever.
	// An events table whose events are not in time order is spilled too
	// (8 bytes of disk per event), except with SpillNever. SpillDir is
	// where their folders are made ("": the system's temporary folder,
	// $TMPDIR).
	Spill, SpillDir string
	Use             []string
	UseSet          bool              // clustering.use came from the config file
	Currency        string            // printed with the report's amounts ("" for none)
	Reports         []string          // the reports to write: ReportMarkdown, ReportHTML; nil: both
	MinShare        float64           // smallest cluster, as a share of the clustered customers
	Names           map[string]string // cluster names by key (clustering.names)
	TopN            int
	WindowDays      int
	PeakSeason      [2]string
	CLV             *clv.Value // the clv section: lifetime value settings, or nil (not computed)
	// HoldoutDays, with CLV, fits the models on the orders before
	// AsOf − HoldoutDays days and compares them with the last HoldoutDays
	// days (clv.holdout_days, -holdout-days; 0: no holdout).
	HoldoutDays int
	// ChurnThreshold is churn_risk's bound on P(alive) (clv.churn_threshold;
	// 0: ChurnPAlive).
	ChurnThreshold float64
	Config         *config.File // the config file, or nil
	Model          *Model       // segment assign: the saved model to score with, or nil
	ModelPath      string
	Log            *slog.Logger // never nil after DefaultOptions
	Progress       Progress     // bars for long stages; nil draws nothing

	// WaitForOut makes a run wait for another run holding Out's lock
	// instead of failing at once.
	WaitForOut bool
}

// DefaultOptions returns the settings of a run with no config file and no
// flags: the built-in demo store into out/.
func DefaultOptions() Options {
	return Options{
		Scale: "auto", Out: "out", KMin: 2, KMax: 12, Restarts: 10, Seed: 1, MinShare: DefaultMinShare,
		Use:          []string{"recency_days", "frequency", "monetary", "aov", "discount_ratio", "category_mix"},
		PeakSeason:   [2]string{"11-15", "12-31"},
		OrderColumns: data.DefaultOrderColumns(),
		Location:     time.UTC,
		Log:          slog.New(slog.DiscardHandler),
	}
}

// The report formats of Options.Reports.
const (
	ReportMarkdown = "md"   // report.md
	ReportHTML     = "html" // report.html, the Markdown rendered self-contained
)

// wantsReport reports whether the run writes the report in format f.
func (o *Options) wantsReport(f string) bool {
	return o.Reports == nil || slices.Contains(o.Reports, f)
}

// Progress shows the progress of a long stage (reading orders, the elbow
// sweep). Run calls it from one goroutine.
type Progress interface {
	Start(max int64, description, unit string) // max −1: unknown, a counter
	Add(n int)
	Set(n int)
	Done()
}

// noProgress draws nothing.
type noProgress struct{}

func (noProgress) Start(int64, string, string) {}
func (noProgress) Add(int)                     {}
func (noProgress) Set(int)                     {}
func (noProgress) Done()                       {}

// logger returns o.Log, or one that discards.
func (o *Options) logger() *slog.Logger { return orDiscard(o.Log) }

// orDiscard returns log, or a logger that discards when it is nil.
func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}

// progress returns o.Progress, or one that draws nothing.
func (o *Options) progress() Progress {
	if o.Progress == nil {
		return noProgress{}
	}
	return o.Progress
}

// effectiveConfig returns the configuration the run applied, flags
// included, for model.json: segment assign reads it back to score new data
// the same way.
func (o *Options) effectiveConfig() *config.File {
	var c config.File
	if o.Config != nil {
		c = *o.Config
	}
	c.AsOf, c.Output, c.Clustering = "", config.Output{}, config.Clustering{}
	if !o.AsOf.IsZero() { // an explicit as_of (flag or file); else the default rule
		c.AsOf = o.AsOf.Format(time.DateOnly)
	}
	c.Orders.Path = o.Orders
	c.Customers = o.CustomersTable()
	c.Events, c.Products = o.Events, o.Products
	c.Features.WindowDays, c.Features.TopCategories = o.WindowDays, o.TopN
	c.Features.PeakSeason = []string{o.PeakSeason[0], o.PeakSeason[1]}
	return &c
}

// dateGap returns the gap of more than a year before the newest lines of
// t (features.Table.DateGap) when the analysis date was not given, and so
// follows them; nil otherwise.
func (o *Options) dateGap(t *features.Table) *features.DateGap {
	if !o.AsOf.IsZero() {
		return nil
	}
	return t.DateGap()
}

// CustomersTable returns the customers table's config section, nil for
// none.
func (o *Options) CustomersTable() *config.Table {
	if o.CustomersPath == "" {
		return nil
	}
	return &config.Table{Path: o.CustomersPath, Columns: o.CustomerColumns, TimeFormat: o.CustomerTimeFormat, Timezone: o.CustomerTimezone}
}

// MaxDays is the most days a setting counted in days may hold
// (features.MaxDays): for the command line's flags.
const MaxDays = features.MaxDays
