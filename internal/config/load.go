package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"gopkg.in/yaml.v3"
)

// Load reads, strictly decodes and validates a config file. Relative input
// paths in it (orders, customers, products and events paths, output.dir,
// rfm.freeze_from) are taken relative to the file's directory.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var c File
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config %s: %w", path, yamlError(err))
	}
	if err := noSecondDocument(dec); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err == nil {
		if err := wholeNumbers(&doc, reflect.TypeFor[File](), ""); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
		// 0 is how the file says "absent" to the decoder; written out, it
		// is a factor that would zero every amount: refused as negative
		// factors are, not read as 1.
		if n := mappingValue(&doc, "orders", "amount_scale"); n != nil && n.ShortTag() != "!!null" && c.Orders.AmountScale == 0 {
			return nil, fmt.Errorf("config %s: line %d: orders.amount_scale: want a positive factor such as 0.01 (amounts in cents), got %s", path, n.Line, n.Value)
		}
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	c.Orders.Path = relTo(dir, c.Orders.Path)
	for _, t := range []*Table{c.Customers, c.Products, c.Events} {
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

// mappingValue returns the node of the value at keys in a YAML document,
// or nil when a key is absent.
func mappingValue(doc *yaml.Node, keys ...string) *yaml.Node {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, k := range keys {
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// noSecondDocument reports an error when dec holds another YAML document
// with settings (after a "---"): it would be ignored, and a scheduled run
// must not silently drop half of its settings. Empty documents (a
// trailing "---") are harmless.
func noSecondDocument(dec *yaml.Decoder) error {
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}
		if len(next.Content) > 0 && next.Content[0].ShortTag() != "!!null" {
			return fmt.Errorf("line %d: a second YAML document (after \"---\"): put every setting in one document", next.Line)
		}
	}
}

// relTo returns p relative to dir: p itself when empty, absolute or a
// URL (gs://bucket/orders/*.parquet, read by the scale-out runner).
func relTo(dir, p string) string {
	if p == "" || filepath.IsAbs(p) || IsURL(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// IsURL reports whether p starts with a URL scheme and "://".
func IsURL(p string) bool {
	i := strings.Index(p, "://")
	if i <= 0 {
		return false
	}
	for j, r := range p[:i] {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (j == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return true
}

// Validate rejects settings this version cannot honour, rather than
// ignoring them, and compiles Groups for CustomGroups. Its errors name the
// key at fault.
func (c *File) Validate() error {
	if c.Currency != "" {
		if err := data.CheckCurrencyLabel(strings.TrimSpace(c.Currency)); err != nil {
			return fmt.Errorf("currency: %w", err)
		}
	}
	for _, t := range []struct {
		name    string
		c       *Table
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
		if _, err := t.c.Times(); err != nil {
			return fmt.Errorf("%s.%w", t.name, err)
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
	if err := c.Thresholds.Features().Check(); err != nil {
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
	for _, v := range []struct {
		key string
		n   int
	}{{"features.trend_days", c.Features.TrendDays}, {"features.window_days", c.Features.WindowDays}} {
		if v.n > features.MaxDays {
			return fmt.Errorf("%s: %d is above %d days (100 years)", v.key, v.n, features.MaxDays)
		}
	}
	if err := c.validateDialect(); err != nil {
		return err
	}
	x := c.Orders.Exclude
	if x == nil {
		x = &Exclude{}
	}
	for _, x := range []struct {
		key  string
		list []string
	}{{"orders.exclude.status", x.Status}, {"orders.exclude.product_id", x.ProductID}} {
		for i, v := range x.list {
			if strings.TrimSpace(v) == "" {
				return fmt.Errorf("%s: entry %d is empty", x.key, i+1)
			}
		}
	}
	for _, v := range x.Status {
		if slices.ContainsFunc(c.Orders.Cancellation.Status, func(s string) bool { return strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(v)) }) {
			return fmt.Errorf("orders.exclude.status and orders.cancellation.status both list %q: a line is either left out or returned", v)
		}
	}
	if s := c.Orders.AmountScale; s != 0 && !(s > 0 && s <= 1e6) {
		return fmt.Errorf("orders.amount_scale: want a positive factor such as 0.01 (amounts in cents), got %v", s)
	}
	if d := c.Orders.Duplicates; d != "" && d != data.KeepDuplicates && d != data.DropDuplicates {
		return fmt.Errorf("orders.duplicates: want keep or drop, got %q", d)
	}
	if err := c.validateCounts(); err != nil {
		return err
	}
	if c.Output.Report != nil {
		f, err := ParseReportFormats(c.Output.Report)
		if err != nil {
			return fmt.Errorf("output.report: %w", err)
		}
		c.Output.Report = f
	}
	if s := c.Clustering.Scale; s != "" && s != "auto" && s != "none" {
		return fmt.Errorf("clustering.scale: want auto or none, got %q", s)
	}
	if m := c.Clustering.MinShare; m != nil && !(*m >= 0 && *m < 0.5) {
		return fmt.Errorf("clustering.min_share: want a share in [0, 0.5), got %v", *m)
	}
	for i, f := range c.Clustering.Use {
		switch {
		case strings.TrimSpace(f) == "":
			return fmt.Errorf("clustering.use: entry %d is empty", i+1)
		case slices.Contains(c.Clustering.Use[:i], f):
			return fmt.Errorf("clustering.use: %q is listed twice", f)
		}
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
	if err := c.CLV.Validate(); err != nil {
		return err
	}
	if len(c.Features.PeakSeason) != 0 && len(c.Features.PeakSeason) != 2 {
		return fmt.Errorf("features.peak_season: want two MM-DD dates, got %d values", len(c.Features.PeakSeason))
	}
	for _, d := range c.Features.PeakSeason {
		if !isMonthDay(d) {
			return fmt.Errorf("features.peak_season: %q is not an MM-DD day", d)
		}
	}
	return nil
}

// ParseK parses a number of clusters: "auto" (0, the elbow chooses) or a
// positive whole number, also when written as a decimal (YAML's 8.0).
func ParseK(s string) (int, error) {
	if s == "auto" {
		return 0, nil
	}
	k, err := strconv.Atoi(s)
	if err != nil {
		// A whole number written with a decimal point: 8.0, 8.00.
		if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && f == math.Trunc(f) && f >= 1 && f <= math.MaxInt32 {
			k, err = int(f), nil
		}
	}
	if err != nil || k < 1 {
		return 0, fmt.Errorf("want auto or a positive number, got %q", s)
	}
	return k, nil
}

// MaxRestarts is the most k-means restarts (clustering.restarts) a config
// may ask for; the default is 10.
const MaxRestarts = 1000

// validateCounts checks the settings that are counts: k and its range,
// restarts, top_categories and window_days. Zero (or absent) means the
// default; negative values and an empty range are errors.
func (c *File) validateCounts() error {
	cl := c.Clustering
	if cl.Use != nil && len(cl.Use) == 0 {
		return fmt.Errorf("clustering.use: an empty list: list the features to cluster, or leave the key out for the defaults")
	}
	if cl.K != "" {
		if _, err := ParseK(cl.K); err != nil {
			return fmt.Errorf("clustering.k: %w", err)
		}
	}
	for _, v := range []struct {
		key string
		n   int
	}{{"clustering.k_min", cl.KMin}, {"clustering.k_max", cl.KMax}, {"clustering.restarts", cl.Restarts},
		{"features.top_categories", c.Features.TopCategories}, {"features.window_days", c.Features.WindowDays}} {
		if v.n < 0 {
			return fmt.Errorf("%s: %d is negative (absent or 0 means the default)", v.key, v.n)
		}
	}
	if cl.Restarts > MaxRestarts {
		// Each restart is a k-means fit, and the fits' state is held at
		// once: a typo of a billion would not end, or not fit in memory.
		return fmt.Errorf("clustering.restarts: %d is above %d", cl.Restarts, MaxRestarts)
	}
	if cl.KMin != 0 && cl.KMax != 0 && cl.KMin > cl.KMax {
		return fmt.Errorf("clustering.k_min %d is above clustering.k_max %d", cl.KMin, cl.KMax)
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
	// The days of each month in a leap year: "02-29" is a day, "02-30" and
	// "04-31" are not.
	days := [...]int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	return err1 == nil && err2 == nil && mi >= 1 && mi <= 12 && di >= 1 && di <= days[mi-1]
}
