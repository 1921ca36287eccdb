package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeConfig is the example config of the README.
const readmeConfig = `as_of: 2017-12-31
orders:
  path: transactions.csv
  columns: {customer_id: household_id, order_id: basket_id, time: transaction_timestamp,
            amount: sales_value, discount: [retail_disc, coupon_disc]}
  time_format: "2006-01-02 15:04:05"
  timezone: America/New_York
  cancellation: {order_id_prefix: "C"}
  duplicates: keep
products:
  path: products.csv
  columns: {product_id: product_id, category: department}
customers:
  path: customers.parquet
events:
  path: events.parquet
features: {window_days: 0, top_categories: 8, peak_season: ["11-15", "12-31"],
           sale_days: [2024-11-29, 2024-12-02], trend_days: 30}
thresholds: {vip_share: 0.05, lapsed_days: 365}
rfm: {freeze_from: ../last-run/model.json, recency_days: [30, 90, 180, 365]}
groups:
  - {name: local_fast_shipping, when: 'city == "Bucharest" && frequency >= 2'}
clustering: {k: auto, k_min: 2, k_max: 12, restarts: 10, seed: 1,
             use: [recency_days, frequency, monetary, aov, discount_ratio, category_mix]}
output: {dir: out}
`

// FuzzLoad feeds arbitrary bytes to the config loader. It may fail, only
// with an error naming the file; a config it accepts has its relative
// paths made absolute, its groups compiled, and survives the JSON round
// trip of model.json (segment assign reads it back) and validation again.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		readmeConfig,
		"",
		"orders: {path: o.csv}\n",
		"orders:\n  path: /o.csv\n  columns: {amount: total}\nrfm: {recency_days: [7, 30, 90, 365]}\n",
		"clustering: {k: 3, k_min: 5, k_max: 2}\n",
		"clustering: {k: auto, restarts: -1, use: [nope]}\n",
		"groups:\n  - {name: a, when: 'frequency >'}\n  - {name: a, when: 'true'}\n",
		"groups:\n  - {name: big, when: \"monetary > 1e308 * 10\"}\n",
		"as_of: 9999-12-31\nthresholds: {vip_share: 1e308, top_cities: -3}\n",
		"orders: {path: a}\n---\norders: {path: b}\n",
		"a: &a [1, 2]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n",
		"orders: {path: [1, 2]}\n\t- broken\n",
		"\ufefforders:\n  path: o.csv\n",
		"rfm: {freeze_from: '', recency_days: [365, 30]}\nfeatures: {peak_season: [\"13-45\"]}\n",
		strings.Repeat("[", 200),
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "segment.yaml")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		paths := []string{c.Orders.Path, c.Output.Dir, c.RFM.FreezeFrom}
		for _, tab := range []*Table{c.Customers, c.Products, c.Events} {
			if tab != nil {
				paths = append(paths, tab.Path)
			}
		}
		for _, p := range paths {
			if p != "" && !filepath.IsAbs(p) {
				t.Errorf("path %q is not made absolute", p)
			}
		}
		if g := c.CustomGroups(); g == nil || g.Len() != len(c.Groups) {
			t.Errorf("%d groups, compiled %v", len(c.Groups), g)
		}
		js, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("accepted config does not marshal: %v", err)
		}
		var back File
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatalf("model.json config %s does not read back: %v", js, err)
		}
		if err := back.Validate(); err != nil {
			t.Errorf("model.json config %s no longer validates: %v", js, err)
		}
	})
}
