package pipeline

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
)

// ApplyConfig sets o from a config file's settings, as config.Load leaves
// them (paths relative to the working directory); o.ConfigPath names the
// file in messages. Settings the file leaves out keep o's values.
func (o *Options) ApplyConfig(c *config.File) error {
	o.Config = c
	o.Orders = c.Orders.Path
	o.OrderColumns = c.Orders.Columns.Data()
	o.TimeFormat, o.Duplicates, o.AmountScale = c.Orders.TimeFormat, c.Orders.Duplicates, c.Orders.AmountScale
	o.AmountBeforeDiscount = c.Orders.AmountBeforeDiscount
	o.CSV, o.Excel = c.Orders.CSVDialect(), c.Output.Excel
	o.CancelPrefix, o.ReturnStatus = c.Orders.Cancellation.OrderIDPrefix, c.Orders.Cancellation.Status
	if x := c.Orders.Exclude; x != nil {
		o.ExcludeStatus, o.ExcludeProducts = trimAll(x.Status), trimAll(x.ProductID)
	}
	m := c.Orders.Columns
	o.AttributesMapped = [3]bool{m.City != "", m.Country != "", m.Channel != ""}
	if c.Customers != nil {
		o.CustomersPath, o.CustomerColumns = c.Customers.Path, c.Customers.Columns
		o.CustomerTimeFormat, o.CustomerTimezone = c.Customers.TimeFormat, c.Customers.Timezone
	}
	o.Events = c.Events
	o.Products = c.Products
	o.Thresholds = c.Thresholds.Features()
	o.Custom = c.CustomGroups()
	o.RFMFreezeFrom = c.RFM.FreezeFrom
	o.RecencyDays = c.RFM.RecencyDays
	o.Currency = strings.TrimSpace(c.Currency)
	o.CLV = CLVValue(c.CLV)
	if c.CLV != nil {
		o.HoldoutDays, o.ChurnThreshold = c.CLV.HoldoutDays, c.CLV.ChurnThreshold
	}
	o.Location = time.UTC
	if tz := c.Orders.Timezone; tz != "" {
		loc, err := data.LoadZone(tz)
		if err != nil {
			return fmt.Errorf("config %s: orders.timezone: %w", o.ConfigPath, err)
		}
		o.Location = loc
	}
	if c.AsOf != "" {
		t, err := ParseDate(c.AsOf, o.Location)
		if err != nil {
			return fmt.Errorf("config %s: as_of: %w", o.ConfigPath, err)
		}
		o.AsOf = t
	}
	if c.Output.Dir != "" {
		o.Out = c.Output.Dir
	}
	if c.Output.Report != nil {
		o.Reports = c.Output.Report
	}
	cl := c.Clustering
	if cl.K != "" {
		k, err := config.ParseK(cl.K)
		if err != nil {
			return fmt.Errorf("config %s: clustering.k: %w", o.ConfigPath, err)
		}
		o.K = k
	}
	if cl.KMin != 0 {
		o.KMin = cl.KMin
	}
	if cl.KMax != 0 {
		o.KMax = cl.KMax
	}
	if cl.Restarts != 0 {
		o.Restarts = cl.Restarts
	}
	if cl.Seed != nil {
		o.Seed = *cl.Seed
	}
	if len(cl.Use) > 0 {
		o.Use, o.UseSet = cl.Use, true
	}
	if cl.Scale != "" {
		o.Scale = cl.Scale
	}
	if cl.MinShare != nil {
		o.MinShare = *cl.MinShare
	}
	o.Names = cl.Names
	f := c.Features
	o.SaleDays, o.TrendDays = f.SaleDays, f.TrendDays
	o.WindowDays = f.WindowDays
	o.TopN = f.TopCategories
	if len(f.PeakSeason) == 2 {
		o.PeakSeason = [2]string{f.PeakSeason[0], f.PeakSeason[1]}
	}
	return nil
}

// CheckUse checks, before any data is read, that every feature of
// clustering.use is one that order lines give (features.BaseColumns, the
// products table's premium_share and new_product_share, the events
// table's columns, category_mix or a mix_ column). A feature table
// (-features) or a saved model brings its own columns: those are checked
// against it once read.
func (o *Options) CheckUse() error {
	if o.Features != "" || o.Model != nil || !o.UseSet {
		return nil
	}
	known := append(features.BaseColumns(), features.PremiumShare, features.NewProductShare, features.CategoryMix)
	known = append(known, features.EventColumns()...)
	for _, name := range o.Use {
		if !slices.Contains(known, name) && !strings.HasPrefix(name, features.MixPrefix) {
			return fmt.Errorf("config %s: clustering.use: unknown feature %q (orders give %s, and mix_<category>)",
				o.ConfigPath, name, strings.Join(known, ", "))
		}
	}
	return nil
}

// ParseDate parses an analysis date, YYYY-MM-DD, as midnight at the start
// of that day in loc, the store's time zone.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("want YYYY-MM-DD, got %q", s)
	}
	t = data.StartOfDay(t.Year(), t.Month(), t.Day(), loc)
	if t.Year() < 1678 || t.Year() > 2261 { // times are nanoseconds since 1970 in an int64
		return time.Time{}, fmt.Errorf("%s is outside the years 1678–2261 that segment's times cover", s)
	}
	return t, nil
}

// ScoringOptions returns the options that score new data with a saved
// model (segment assign): the model's inputs, column mapping, tables,
// feature options, transform, RFM cut points, thresholds and custom groups,
// from the configuration saved in the model, or from cfg instead when it
// is not nil (configPath names it). Days are counted on the model's store
// clock, and the model's own options (k, seed, clustered features, top
// categories, window, peak season) win over a config's: they shape the
// features it was fitted on. Scoring fits nothing, so the k range,
// restarts and minimum cluster size are 0 unless cfg sets the latter.
func ScoringOptions(m *Model, modelPath string, cfg *config.File, configPath string) (Options, error) {
	o := DefaultOptions()
	o.KMin, o.KMax, o.Restarts, o.MinShare = 0, 0, 0, 0
	o.K, o.Seed, o.Use, o.UseSet = m.K, m.Seed, m.Use, true
	o.TopN, o.WindowDays, o.PeakSeason = m.Features.TopCategories, m.Features.WindowDays, m.Features.PeakSeason
	o.Model, o.ModelPath, o.ConfigPath = m, modelPath, modelPath
	if cfg != nil {
		o.ConfigPath = configPath
	} else if cfg = m.Config; cfg != nil {
		// A model written before big_order_share kept the old factor; its
		// big_order is recomputed with the new rule.
		cfg.Thresholds.BigOrderFactor = 0
		if err := cfg.Validate(); err != nil { // compiles the custom groups
			return Options{}, err
		}
	}
	if tz := m.Features.Timezone; tz != "" { // days are counted on the model's store clock
		c := config.File{}
		if cfg != nil {
			c = *cfg // the caller's file is left as it is
		}
		c.Orders.Timezone = tz
		cfg = &c
	}
	if cfg == nil {
		return o, nil
	}
	if err := o.ApplyConfig(cfg); err != nil {
		return Options{}, err
	}
	o.K, o.Seed, o.Use = m.K, m.Seed, m.Use
	o.TopN, o.WindowDays, o.PeakSeason = m.Features.TopCategories, m.Features.WindowDays, m.Features.PeakSeason
	// Scoring fits nothing, and model.json does not save the lifetime-value
	// models: segment assign writes no CLV columns.
	o.CLV, o.HoldoutDays = nil, 0
	if configPath == "" && m.FromDemo() {
		// Its inputs are labels, not files: the demo store is written
		// again (the same seed, the same store) unless the caller gives
		// inputs of its own (WithoutDemo).
		o.Demo, o.Orders, o.CustomersPath, o.Products, o.Events = true, "", "", nil, nil
	}
	return o, nil
}

// ScoringOverrides returns the keys of cfg that ScoringOptions sets from
// the model m instead, because they shape the features m was fitted on,
// where cfg gives another value: clustering.k, clustering.seed,
// clustering.use, features.top_categories, features.window_days,
// features.peak_season and orders.timezone (when m saved one; an older
// model takes the config's). nil when cfg is nil or agrees; k: auto is
// not a value to replace.
func ScoringOverrides(m *Model, cfg *config.File) []string {
	if cfg == nil {
		return nil
	}
	var keys []string
	differ := func(key string, set, same bool) {
		if set && !same {
			keys = append(keys, key)
		}
	}
	k := cfg.Clustering.K
	differ("clustering.k", k != "" && k != "auto", k == strconv.Itoa(m.K))
	differ("clustering.seed", cfg.Clustering.Seed != nil, cfg.Clustering.Seed != nil && *cfg.Clustering.Seed == m.Seed)
	differ("clustering.use", cfg.Clustering.Use != nil, slices.Equal(cfg.Clustering.Use, m.Use))
	differ("features.top_categories", cfg.Features.TopCategories != 0, cfg.Features.TopCategories == m.Features.TopCategories)
	differ("features.window_days", cfg.Features.WindowDays != 0, cfg.Features.WindowDays == m.Features.WindowDays)
	differ("features.peak_season", cfg.Features.PeakSeason != nil, slices.Equal(cfg.Features.PeakSeason, m.Features.PeakSeason[:]))
	// A model written before its time zone was saved takes the config's.
	differ("orders.timezone", cfg.Orders.Timezone != "" && m.Features.Timezone != "", cfg.Orders.Timezone == m.Features.Timezone)
	return keys
}

// FromDemo reports whether m was fitted on the built-in demo store: its
// config names the demo store's labels, not files.
func (m *Model) FromDemo() bool {
	return m.Config != nil && m.Config.Orders.Path == demoLabel("orders.parquet")
}

// trimAll returns the values of list without surrounding spaces, as the
// readers compare ids and status values; nil for none.
func trimAll(list []string) []string {
	var out []string
	for _, v := range list {
		out = append(out, strings.TrimSpace(v))
	}
	return out
}
