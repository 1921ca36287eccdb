package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"gopkg.in/yaml.v3"
)

// config is the YAML config file (DESIGN.md "Config"). Unknown keys are
// errors: a typo must not silently change a scheduled run.
type config struct {
	AsOf       string           `yaml:"as_of" json:"as_of,omitempty"`
	Currency   string           `yaml:"currency" json:"currency,omitempty"` // printed with every amount of the report
	Orders     ordersConfig     `yaml:"orders" json:"orders,omitempty"`
	Customers  *tableConfig     `yaml:"customers" json:"customers,omitempty"`
	Products   *tableConfig     `yaml:"products" json:"products,omitempty"`
	Events     *tableConfig     `yaml:"events" json:"events,omitempty"`
	Features   featuresConfig   `yaml:"features" json:"features,omitempty"`
	Clustering clusteringConfig `yaml:"clustering" json:"clustering,omitempty"`
	Groups     []groupConfig    `yaml:"groups" json:"groups,omitempty"`
	Thresholds thresholdsConfig `yaml:"thresholds" json:"thresholds,omitempty"`
	RFM        rfmConfig        `yaml:"rfm" json:"rfm,omitempty"`
	Output     outputConfig     `yaml:"output" json:"output,omitempty"`

	custom *features.CompiledGroups // Groups, compiled by validate
}

// thresholdsConfig are the seed groups' thresholds; 0 or absent means the
// default (features.DefaultThresholds, listed in the report's appendix).
type thresholdsConfig struct {
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

func (t thresholdsConfig) thresholds() features.Thresholds {
	return features.Thresholds{
		RepeatMinOrders: t.RepeatMinOrders, TopShare: t.TopShare, VIPShare: t.VIPShare, EliteShare: t.EliteShare,
		BigOrderShare: t.BigOrderShare, PremiumShare: t.PremiumShare, RecentDays: t.RecentDays,
		IdleDays: t.IdleDays, LapsedDays: t.LapsedDays, DiscountHunterRatio: t.DiscountHunterRatio,
		SaleDayShare: t.SaleDayShare, TrendShare: t.TrendShare, BrowserMinViews: t.BrowserMinViews, TopCities: t.TopCities,
	}
}

// rfmConfig: FreezeFrom names a previous run's model.json whose RFM cut
// points are reused instead of fitting new ones, so that scores stay
// comparable between runs. RecencyDays, when set, are four fixed cut
// points in days for R (features.RFMCuts.WithRecencyDays), replacing R's
// fitted or frozen quintile cuts; F and M keep theirs.
type rfmConfig struct {
	FreezeFrom  string      `yaml:"freeze_from" json:"freeze_from,omitempty"`
	RecencyDays recencyDays `yaml:"recency_days" json:"recency_days,omitempty"`
}

// recencyDays is rfm.recency_days: a YAML list of whole numbers of days.
// Its decoder names the key, which yaml's own type errors do not.
type recencyDays []int

func (d *recencyDays) UnmarshalYAML(n *yaml.Node) error {
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

type ordersConfig struct {
	Path         string             `yaml:"path" json:"path,omitempty"`
	Columns      orderColumnsConfig `yaml:"columns" json:"columns,omitempty"`
	TimeFormat   string             `yaml:"time_format" json:"time_format,omitempty"`
	Timezone     string             `yaml:"timezone" json:"timezone,omitempty"`
	Cancellation cancellationConfig `yaml:"cancellation" json:"cancellation,omitempty"`
	Duplicates   string             `yaml:"duplicates" json:"duplicates,omitempty"` // keep (default) or drop exact duplicate lines
}

// orderColumnsConfig maps logical columns to file columns. An absent or
// null entry means the logical name itself, which may be missing from the
// file for optional columns (amount is then quantity × unit_price − discount).
type orderColumnsConfig struct {
	CustomerID string     `yaml:"customer_id" json:"customer_id,omitempty"`
	OrderID    string     `yaml:"order_id" json:"order_id,omitempty"`
	Time       string     `yaml:"time" json:"time,omitempty"`
	Amount     string     `yaml:"amount" json:"amount,omitempty"`
	Quantity   string     `yaml:"quantity" json:"quantity,omitempty"`
	UnitPrice  string     `yaml:"unit_price" json:"unit_price,omitempty"`
	Discount   stringList `yaml:"discount" json:"discount,omitempty"`
	Coupon     string     `yaml:"coupon" json:"coupon,omitempty"`
	Category   string     `yaml:"category" json:"category,omitempty"`
	ProductID  string     `yaml:"product_id" json:"product_id,omitempty"`
	Status     string     `yaml:"status" json:"status,omitempty"`
	City       string     `yaml:"city" json:"city,omitempty"`
	Country    string     `yaml:"country" json:"country,omitempty"`
	Channel    string     `yaml:"channel" json:"channel,omitempty"`
}

// orderColumns applies the mapping over the default logical names.
func (m orderColumnsConfig) orderColumns() data.OrderColumns {
	c := data.DefaultOrderColumns()
	for _, f := range []struct {
		dst *string
		v   string
	}{
		{&c.CustomerID, m.CustomerID}, {&c.OrderID, m.OrderID}, {&c.Time, m.Time},
		{&c.Amount, m.Amount}, {&c.Quantity, m.Quantity}, {&c.UnitPrice, m.UnitPrice},
		{&c.Coupon, m.Coupon}, {&c.Category, m.Category}, {&c.ProductID, m.ProductID},
		{&c.Status, m.Status}, {&c.City, m.City}, {&c.Country, m.Country}, {&c.Channel, m.Channel},
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

// stringList accepts a single string, a list of strings or null.
type stringList struct {
	Set    bool
	Values []string
}

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
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
func (l stringList) MarshalJSON() ([]byte, error) {
	if !l.Set {
		return []byte("null"), nil
	}
	return json.Marshal(l.Values)
}

// UnmarshalJSON reads a list or null.
func (l *stringList) UnmarshalJSON(b []byte) error {
	l.Set = string(b) != "null"
	return json.Unmarshal(b, &l.Values)
}

type cancellationConfig struct {
	OrderIDPrefix string   `yaml:"order_id_prefix" json:"order_id_prefix,omitempty"`
	Status        []string `yaml:"status" json:"status,omitempty"`
}

type tableConfig struct {
	Path    string            `yaml:"path" json:"path,omitempty"`
	Columns map[string]string `yaml:"columns" json:"columns,omitempty"`
}

type featuresConfig struct {
	WindowDays    int      `yaml:"window_days" json:"window_days,omitempty"`
	TopCategories int      `yaml:"top_categories" json:"top_categories,omitempty"`
	PeakSeason    []string `yaml:"peak_season" json:"peak_season,omitempty"`
	SaleDays      []string `yaml:"sale_days" json:"sale_days,omitempty"`   // YYYY-MM-DD; absent: Black Friday and Cyber Monday
	TrendDays     int      `yaml:"trend_days" json:"trend_days,omitempty"` // a product is new this many days after launch (30)
}

type clusteringConfig struct {
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

type groupConfig struct {
	Name string `yaml:"name" json:"name,omitempty"`
	When string `yaml:"when" json:"when,omitempty"`
}

type outputConfig struct {
	Dir string `yaml:"dir" json:"dir,omitempty"`
}

// loadConfig reads and strictly decodes a config file. Relative input paths
// in it are taken relative to the file's directory.
func loadConfig(path string) (*config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var c config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	c.Orders.Path = relTo(dir, c.Orders.Path)
	for _, t := range []*tableConfig{c.Customers, c.Products, c.Events} {
		if t != nil {
			t.Path = relTo(dir, t.Path)
		}
	}
	if c.Output.Dir != "" {
		c.Output.Dir = relTo(dir, c.Output.Dir)
	}
	c.RFM.FreezeFrom = relTo(dir, c.RFM.FreezeFrom)
	return &c, nil
}

func relTo(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// validate rejects settings this version cannot honour, rather than
// ignoring them.
func (c *config) validate() error {
	for _, t := range []struct {
		name    string
		c       *tableConfig
		columns []string
	}{{"customers", c.Customers, data.CustomerColumns}, {"products", c.Products, data.ProductColumns}, {"events", c.Events, data.EventColumns}} {
		if t.c == nil {
			continue
		}
		if t.c.Path == "" {
			return fmt.Errorf("%s.path is required", t.name)
		}
		for k := range t.c.Columns {
			if !slices.Contains(t.columns, k) {
				return fmt.Errorf("%s.columns.%s: unknown logical column (want one of %s)", t.name, k, strings.Join(t.columns, ", "))
			}
		}
	}
	var groups []features.CustomGroup
	for _, g := range c.Groups {
		groups = append(groups, features.CustomGroup{Name: g.Name, When: g.When})
	}
	custom, err := features.CompileGroups(groups)
	if err != nil {
		return fmt.Errorf("groups: %w", err)
	}
	c.custom = custom
	if d := c.RFM.RecencyDays; d != nil {
		if err := features.CheckRecencyDays(d); err != nil {
			return fmt.Errorf("rfm.recency_days %v: %w", []int(d), err)
		}
	}
	if c.Thresholds.BigOrderFactor != 0 {
		return errors.New("thresholds.big_order_factor: no longer used: big_order is now the top thresholds.big_order_share " +
			"of buyers by largest order (default 0.05), which means the same on any store; remove the key or set big_order_share")
	}
	if err := c.Thresholds.thresholds().Check(); err != nil {
		return fmt.Errorf("thresholds: %w", err)
	}
	for _, d := range c.Features.SaleDays {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return fmt.Errorf("features.sale_days: %q is not YYYY-MM-DD", d)
		}
	}
	if c.Features.TrendDays < 0 {
		return fmt.Errorf("features.trend_days: %d is negative", c.Features.TrendDays)
	}
	if d := c.Orders.Duplicates; d != "" && d != data.KeepDuplicates && d != data.DropDuplicates {
		return fmt.Errorf("orders.duplicates: want keep or drop, got %q", d)
	}
	if c.Clustering.K != "" && c.Clustering.K != "auto" {
		if _, err := strconv.Atoi(c.Clustering.K); err != nil {
			return fmt.Errorf("clustering.k: want auto or a number, got %q", c.Clustering.K)
		}
	}
	if s := c.Clustering.Scale; s != "" && s != "auto" && s != "none" {
		return fmt.Errorf("clustering.scale: want auto or none, got %q", s)
	}
	if m := c.Clustering.MinShare; m != nil && !(*m >= 0 && *m < 0.5) {
		return fmt.Errorf("clustering.min_share: want a share in [0, 0.5), got %v", *m)
	}
	named := map[string]string{}
	for _, key := range slices.Sorted(maps.Keys(c.Clustering.Names)) {
		name := strings.TrimSpace(c.Clustering.Names[key])
		switch {
		case name == "":
			return fmt.Errorf("clustering.names: %s: the name is empty", key)
		case named[name] != "":
			return fmt.Errorf("clustering.names: %s and %s have the same name %q", named[name], key, name)
		}
		named[name] = key
	}
	if len(c.Features.PeakSeason) != 0 && len(c.Features.PeakSeason) != 2 {
		return fmt.Errorf("features.peak_season: want two MM-DD dates, got %d values", len(c.Features.PeakSeason))
	}
	for _, d := range c.Features.PeakSeason {
		if !isMonthDay(d) {
			return fmt.Errorf("features.peak_season: %q is not MM-DD", d)
		}
	}
	return nil
}

func isMonthDay(s string) bool {
	m, d, ok := strings.Cut(s, "-")
	if !ok || len(m) != 2 || len(d) != 2 {
		return false
	}
	mi, err1 := strconv.Atoi(m)
	di, err2 := strconv.Atoi(d)
	return err1 == nil && err2 == nil && mi >= 1 && mi <= 12 && di >= 1 && di <= 31
}
