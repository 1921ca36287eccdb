package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"gopkg.in/yaml.v3"
)

// File is the YAML config file (DESIGN.md "Config"). Unknown keys are
// errors: a typo must not silently change a scheduled run. The zero File
// is a valid config: every setting then takes its default.
//
// The field order and the json tags are the layout of model.json's
// "config", which segment assign reads back.
type File struct {
	AsOf       string     `yaml:"as_of" json:"as_of,omitempty"`
	Currency   string     `yaml:"currency" json:"currency,omitempty"` // printed with every amount of the report
	Orders     Orders     `yaml:"orders" json:"orders,omitempty"`
	Customers  *Table     `yaml:"customers" json:"customers,omitempty"`
	Products   *Table     `yaml:"products" json:"products,omitempty"`
	Events     *Table     `yaml:"events" json:"events,omitempty"`
	Features   Features   `yaml:"features" json:"features,omitempty"`
	Clustering Clustering `yaml:"clustering" json:"clustering,omitempty"`
	Groups     []Group    `yaml:"groups" json:"groups,omitempty"`
	Thresholds Thresholds `yaml:"thresholds" json:"thresholds,omitempty"`
	RFM        RFM        `yaml:"rfm" json:"rfm,omitempty"`
	Output     Output     `yaml:"output" json:"output,omitempty"`
	CLV        *CLV       `yaml:"clv" json:"clv,omitempty"` // lifetime value; nil: not computed

	custom *features.CompiledGroups // Groups, compiled by Validate
}

// CustomGroups returns Groups compiled by Validate (or Load, which calls
// it), or nil before Validate has run.
func (c *File) CustomGroups() *features.CompiledGroups { return c.custom }

// Thresholds are the seed groups' thresholds; 0 or absent means the
// default (features.DefaultThresholds, listed in the report's appendix).
type Thresholds struct {
	RepeatMinOrders     int     `yaml:"repeat_min_orders" json:"repeat_min_orders,omitempty"`
	TopShare            float64 `yaml:"top_share" json:"top_share,omitempty"`
	VIPShare            float64 `yaml:"vip_share" json:"vip_share,omitempty"`
	EliteShare          float64 `yaml:"elite_share" json:"elite_share,omitempty"`
	BigOrderShare       float64 `yaml:"big_order_share" json:"big_order_share,omitempty"`
	PremiumShare        float64 `yaml:"premium_share" json:"premium_share,omitempty"`
	RecentDays          int     `yaml:"recent_days" json:"recent_days,omitempty"`
	IdleDays            int     `yaml:"idle_days" json:"idle_days,omitempty"`
	LapsedDays          int     `yaml:"lapsed_days" json:"lapsed_days,omitempty"`
	DiscountHunterRatio float64 `yaml:"discount_hunter_ratio" json:"discount_hunter_ratio,omitempty"`
	SaleDayShare        float64 `yaml:"sale_day_share" json:"sale_day_share,omitempty"`
	TrendShare          float64 `yaml:"trend_share" json:"trend_share,omitempty"`
	BrowserMinViews     int     `yaml:"browser_min_views" json:"browser_min_views,omitempty"`
	TopCities           int     `yaml:"top_cities" json:"top_cities,omitempty"`

	// BigOrderFactor is the key of big_order's rule before
	// big_order_share; kept only to reject it with a message saying what
	// replaced it.
	BigOrderFactor float64 `yaml:"big_order_factor" json:"big_order_factor,omitempty"`
}

// Features returns the thresholds as features takes them; zeros stay
// zeros, which features.Thresholds reads as its defaults.
func (t Thresholds) Features() features.Thresholds {
	return features.Thresholds{
		RepeatMinOrders: t.RepeatMinOrders, TopShare: t.TopShare, VIPShare: t.VIPShare, EliteShare: t.EliteShare,
		BigOrderShare: t.BigOrderShare, PremiumShare: t.PremiumShare, RecentDays: t.RecentDays,
		IdleDays: t.IdleDays, LapsedDays: t.LapsedDays, DiscountHunterRatio: t.DiscountHunterRatio,
		SaleDayShare: t.SaleDayShare, TrendShare: t.TrendShare, BrowserMinViews: t.BrowserMinViews, TopCities: t.TopCities,
	}
}

// RFM is the rfm section. FreezeFrom names a previous run's model.json
// whose RFM cut points are reused instead of fitting new ones, so that
// scores stay comparable between runs. RecencyDays, when set, are four fixed cut
// points in days for R (features.RFMCuts.WithRecencyDays), replacing R's
// fitted or frozen quintile cuts; F and M keep theirs.
type RFM struct {
	FreezeFrom  string      `yaml:"freeze_from" json:"freeze_from,omitempty"`
	RecencyDays RecencyDays `yaml:"recency_days" json:"recency_days,omitempty"`
}

// RecencyDays is rfm.recency_days: a YAML list of whole numbers of days.
// Its decoder names the key, which yaml's own type errors do not.
type RecencyDays []int

// UnmarshalYAML reads a list of integers, naming the key and the line of
// anything else.
func (d *RecencyDays) UnmarshalYAML(n *yaml.Node) error {
	bad := fmt.Errorf("line %d: rfm.recency_days: want a list of 4 increasing whole numbers of days, such as [30, 90, 180, 365]", n.Line)
	if n.Kind != yaml.SequenceNode {
		return bad
	}
	v := []int{} // an explicit [] is set, and fails validation
	for _, e := range n.Content {
		var x int
		// yaml decodes 30.5 into an int as 30: accept integers only.
		if e.Kind != yaml.ScalarNode || e.ShortTag() != "!!int" || e.Decode(&x) != nil {
			return fmt.Errorf("line %d: rfm.recency_days: %q is not a whole number of days", e.Line, e.Value)
		}
		v = append(v, x)
	}
	*d = v
	return nil
}

// Orders is the orders section: the order lines and how to read them.
type Orders struct {
	Path         string       `yaml:"path" json:"path,omitempty"`
	Columns      OrderColumns `yaml:"columns" json:"columns,omitempty"`
	TimeFormat   string       `yaml:"time_format" json:"time_format,omitempty"`
	Timezone     string       `yaml:"timezone" json:"timezone,omitempty"`
	Cancellation Cancellation `yaml:"cancellation" json:"cancellation,omitempty"`
	Exclude      *Exclude     `yaml:"exclude" json:"exclude,omitempty"`       // nil: none
	Duplicates   string       `yaml:"duplicates" json:"duplicates,omitempty"` // keep (default) or drop exact duplicate lines
	// AmountScale multiplies the amount, unit price and discounts as read:
	// 0.01 for money in cents (amount_cents); 0 or absent: 1.
	AmountScale float64 `yaml:"amount_scale" json:"amount_scale,omitempty"`
	// AmountBeforeDiscount says the amount column is a line's total before
	// its discount (Amazon's item-price beside item-promotion-discount):
	// the net is amount − discount.
	AmountBeforeDiscount bool `yaml:"amount_before_discount" json:"amount_before_discount,omitempty"`
	// Delimiter and Decimal are the CSV dialect (data.CSVDialect): ",",
	// ";", "|" or "tab", and "." or ","; absent: detected.
	Delimiter string `yaml:"delimiter" json:"delimiter,omitempty"`
	Decimal   string `yaml:"decimal" json:"decimal,omitempty"`
	// Encoding is the CSV files' text encoding (data.ParseEncoding):
	// "utf-8" or "windows-1252" (also "latin-1"); absent: detected.
	Encoding string `yaml:"encoding" json:"encoding,omitempty"`
}

// OrderColumns maps logical columns to file columns. An absent or
// null entry means the logical name itself, which may be missing from the
// file for optional columns (amount is then quantity × unit_price − discount).
type OrderColumns struct {
	CustomerID string     `yaml:"customer_id" json:"customer_id,omitempty"`
	OrderID    string     `yaml:"order_id" json:"order_id,omitempty"`
	Time       string     `yaml:"time" json:"time,omitempty"`
	Amount     string     `yaml:"amount" json:"amount,omitempty"`
	Quantity   string     `yaml:"quantity" json:"quantity,omitempty"`
	UnitPrice  string     `yaml:"unit_price" json:"unit_price,omitempty"`
	Discount   StringList `yaml:"discount" json:"discount,omitempty"`
	Coupon     string     `yaml:"coupon" json:"coupon,omitempty"`
	Category   string     `yaml:"category" json:"category,omitempty"`
	ProductID  string     `yaml:"product_id" json:"product_id,omitempty"`
	Status     string     `yaml:"status" json:"status,omitempty"`
	City       string     `yaml:"city" json:"city,omitempty"`
	Country    string     `yaml:"country" json:"country,omitempty"`
	Channel    string     `yaml:"channel" json:"channel,omitempty"`
	Currency   string     `yaml:"currency" json:"currency,omitempty"`
	Refunded   string     `yaml:"refunded" json:"refunded,omitempty"`
}

// Data applies the mapping over the default logical names.
func (m OrderColumns) Data() data.OrderColumns {
	c := data.DefaultOrderColumns()
	for _, f := range []struct {
		dst *string
		v   string
	}{
		{&c.CustomerID, m.CustomerID}, {&c.OrderID, m.OrderID}, {&c.Time, m.Time},
		{&c.Amount, m.Amount}, {&c.Quantity, m.Quantity}, {&c.UnitPrice, m.UnitPrice},
		{&c.Coupon, m.Coupon}, {&c.Category, m.Category}, {&c.ProductID, m.ProductID},
		{&c.Status, m.Status}, {&c.City, m.City}, {&c.Country, m.Country}, {&c.Channel, m.Channel}, {&c.Currency, m.Currency}, {&c.Refunded, m.Refunded},
	} {
		if f.v != "" {
			*f.dst = f.v
		}
	}
	if m.Discount.Set && len(m.Discount.Values) > 0 {
		c.Discount = m.Discount.Values
	}
	return c
}

// StringList accepts a single string, a list of strings or null.
type StringList struct {
	Set    bool
	Values []string
}

// UnmarshalYAML reads a column name, a list of column names or null;
// any of them sets Set.
func (l *StringList) UnmarshalYAML(n *yaml.Node) error {
	l.Set = true
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" || n.Value == "" {
			l.Values = nil
			return nil
		}
		l.Values = []string{n.Value}
		return nil
	case yaml.SequenceNode:
		return n.Decode(&l.Values)
	}
	return fmt.Errorf("line %d: want a column name or a list of column names", n.Line)
}

// MarshalJSON writes the list (model.json keeps the effective config).
func (l StringList) MarshalJSON() ([]byte, error) {
	if !l.Set {
		return []byte("null"), nil
	}
	return json.Marshal(l.Values)
}

// UnmarshalJSON reads a list or null.
func (l *StringList) UnmarshalJSON(b []byte) error {
	l.Set = string(b) != "null"
	return json.Unmarshal(b, &l.Values)
}

// Cancellation says which order lines are cancellations: those whose
// order id starts with OrderIDPrefix, or whose status is one of Status
// (compared case-insensitively).
type Cancellation struct {
	OrderIDPrefix string   `yaml:"order_id_prefix" json:"order_id_prefix,omitempty"`
	Status        []string `yaml:"status" json:"status,omitempty"`
}

// Exclude says which order lines are left out (rejected, with their
// reason): those whose status is one of Status (compared
// case-insensitively: payments that failed or were never made) or whose
// product id is one of ProductID (postage, fees, manual adjustments).
type Exclude struct {
	Status    []string `yaml:"status" json:"status,omitempty"`
	ProductID []string `yaml:"product_id" json:"product_id,omitempty"`
}

// Table is an optional table (customers, products, events): its path, a
// mapping of its logical columns to file columns (absent: the logical
// name itself), and how its times are read (Times): the time_format of
// text or numbers (as orders.time_format) and the timezone of times
// without an offset.
type Table struct {
	Path       string            `yaml:"path" json:"path,omitempty"`
	Columns    map[string]string `yaml:"columns" json:"columns,omitempty"`
	TimeFormat string            `yaml:"time_format" json:"time_format,omitempty"`
	Timezone   string            `yaml:"timezone" json:"timezone,omitempty"`
}

// WithPath returns a copy of t (of an empty section when t is nil) that
// reads path: a table named by flag (-customers, -events, -products)
// replaces its section's path and keeps its columns and time settings, as
// -orders keeps the orders section's.
func (t *Table) WithPath(path string) *Table {
	c := Table{}
	if t != nil {
		c = *t
		c.Columns = maps.Clone(t.Columns)
	}
	c.Path = path
	return &c
}

// Times returns how the table's times are read (data.TimeFormat): its
// time_format, in its timezone; without a timezone the TimeFormat has no
// zone of its own, and the reader's default applies (the events table:
// orders.timezone; the customers' signup and the products' launch: UTC).
// A nil Table reads the default layouts.
func (t *Table) Times() (data.TimeFormat, error) {
	if t == nil {
		return data.TimeFormat{}, nil
	}
	var loc *time.Location
	if t.Timezone != "" {
		var err error
		if loc, err = data.LoadZone(t.Timezone); err != nil {
			return data.TimeFormat{}, fmt.Errorf("timezone: %w", err)
		}
	}
	f, err := data.NewTimeFormat(t.TimeFormat, loc)
	if err != nil {
		return data.TimeFormat{}, fmt.Errorf("time_format: %w", err)
	}
	return f, nil
}

// Features is the features section: how the per-customer features are
// computed.
type Features struct {
	WindowDays    int      `yaml:"window_days" json:"window_days,omitempty"`
	TopCategories int      `yaml:"top_categories" json:"top_categories,omitempty"`
	PeakSeason    []string `yaml:"peak_season" json:"peak_season,omitempty"`
	SaleDays      []string `yaml:"sale_days" json:"sale_days,omitempty"`   // YYYY-MM-DD; absent: Black Friday and Cyber Monday
	TrendDays     int      `yaml:"trend_days" json:"trend_days,omitempty"` // a product is new this many days after launch (30)
}

// Clustering is the clustering section. K is "auto" or a number; absent
// values take the run's defaults.
type Clustering struct {
	K        string   `yaml:"k" json:"k,omitempty"`
	KMin     int      `yaml:"k_min" json:"k_min,omitempty"`
	KMax     int      `yaml:"k_max" json:"k_max,omitempty"`
	Restarts int      `yaml:"restarts" json:"restarts,omitempty"`
	Seed     *uint64  `yaml:"seed" json:"seed,omitempty"`
	Use      []string `yaml:"use" json:"use,omitempty"`
	Scale    string   `yaml:"scale" json:"scale,omitempty"`
	// MinShare is the smallest share of the clustered customers a cluster
	// may hold (default 1 %): outliers never own a segment.
	MinShare *float64 `yaml:"min_share" json:"min_share,omitempty"`
	// Names renames clusters by key; the name follows the key across runs.
	Names map[string]string `yaml:"names" json:"names,omitempty"`
}

// Group is a custom group: a name and an expression over a customer's
// features (features.CompileGroups).
type Group struct {
	Name string `yaml:"name" json:"name,omitempty"`
	When string `yaml:"when" json:"when,omitempty"`
}

// Output is the output section. Report lists the reports to write,
// among ReportFormats (nil: all of them).
type Output struct {
	Dir string `yaml:"dir" json:"dir,omitempty"`
	// Excel starts every CSV output with a UTF-8 byte order mark, which
	// Excel needs to read non-ASCII text (Köln) correctly.
	Excel bool `yaml:"excel" json:"excel,omitempty"`
	// Report lists the report formats to write (ReportFormats); empty means
	// all of them.
	Report []string `yaml:"report" json:"report,omitempty"`
}

// ReportFormats are the report formats output.report and segment run's
// -report accept: report.md and report.html.
var ReportFormats = []string{"md", "html"}

// ParseReportFormats checks a list of report formats, each one of
// ReportFormats, and returns it trimmed, without repeats, in the order of
// ReportFormats. An entry may hold several formats separated by commas
// ("md,html"). The list must name at least one format.
func ParseReportFormats(list []string) ([]string, error) {
	want := map[string]bool{}
	for _, e := range list {
		for _, f := range strings.Split(e, ",") {
			f = strings.ToLower(strings.TrimSpace(f))
			if !slices.Contains(ReportFormats, f) {
				return nil, fmt.Errorf("unknown report format %q (want %s)", f, strings.Join(ReportFormats, ", "))
			}
			want[f] = true
		}
	}
	var out []string
	for _, f := range ReportFormats {
		if want[f] {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no report format (want %s)", strings.Join(ReportFormats, ", "))
	}
	return out, nil
}
