package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
)

// writeFile writes a config file into dir and returns its path.
func writeFile(t *testing.T, dir, name, yaml string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// loadErr writes yaml to a file and loads it; it fails the test unless
// Load returns an error naming the file and every string of want.
func loadErr(t *testing.T, yaml string, want ...string) error {
	t.Helper()
	path := writeFile(t, t.TempDir(), "segment.yaml", yaml)
	_, err := Load(path)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range append([]string{path}, want...) {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
	return err
}

// TestLoadUnknownKey: a misspelt key is an error naming the key and its
// line, at the top level and inside a section.
func TestLoadUnknownKey(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		want       []string
	}{
		{"top level", "orders:\n  path: orders.csv\nclustring:\n  k: 3\n", []string{"clustring", "line 3"}},
		{"in a section", "orders:\n  path: orders.csv\n  colums: {time: ts}\n", []string{"colums", "line 3"}},
		{"in the thresholds", "thresholds:\n  vip_shares: 0.1\n", []string{"vip_shares", "line 2"}},
		// One line, the section's keys named, no Go type names.
		{"the keys it takes", "orders:\n  path: orders.csv\n  colums: {time: ts}\n",
			[]string{`line 3: unknown key "colums" (here: amount_before_discount, amount_scale, cancellation, columns, decimal, delimiter, duplicates, encoding, exclude, path, time_format, timezone)`}},
		{"a word for a number", "clustering: {k_max: twelve}\n", []string{`line 1: "twelve" where a whole number is wanted`}},
		{"a list for a section", "orders: [1, 2]\n", []string{"line 1: a list where a section of keys (amount_before_discount, amount_scale, cancellation, columns"}},
		{"two errors", "clustering: {k_max: twelve}\ngroups: [{name: a, whenn: x}]\n",
			[]string{`line 1: "twelve" where a whole number is wanted; line 2: unknown key "whenn" (here: name, when)`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := loadErr(t, c.yaml, c.want...)
			if msg := err.Error(); strings.Contains(msg, "\n") || strings.Contains(msg, "config.") || strings.Contains(msg, "unmarshal") {
				t.Errorf("error %q: want one line without Go's words", msg)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.yaml")
	_, err := Load(path)
	if err == nil || !strings.HasPrefix(err.Error(), "config: ") || !strings.Contains(err.Error(), "none.yaml") {
		t.Errorf("Load of a missing file: %v", err)
	}
}

// TestLoadRelativePaths: relative input paths are taken relative to the
// config file's directory, not the working directory; absolute paths,
// URLs (an object store's, for the scale-out runner) and absent ones are
// kept as they are.
func TestLoadRelativePaths(t *testing.T) {
	dir := t.TempDir()
	abs := filepath.Join(dir, "elsewhere", "events.csv")
	path := writeFile(t, dir, "segment.yaml", `orders: {path: data/orders.csv}
customers: {path: "gs://bucket/crm/customers.parquet"}
products: {path: ../shared/products.csv}
events: {path: `+abs+`}
output: {dir: out}
rfm: {freeze_from: last/model.json}
`)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ key, got, want string }{
		{"orders.path", c.Orders.Path, filepath.Join(dir, "data", "orders.csv")},
		{"customers.path", c.Customers.Path, "gs://bucket/crm/customers.parquet"},
		{"products.path", c.Products.Path, filepath.Join(filepath.Dir(dir), "shared", "products.csv")},
		{"events.path", c.Events.Path, abs},
		{"output.dir", c.Output.Dir, filepath.Join(dir, "out")},
		{"rfm.freeze_from", c.RFM.FreezeFrom, filepath.Join(dir, "last", "model.json")},
	} {
		if p.got != p.want {
			t.Errorf("%s = %q, want %q", p.key, p.got, p.want)
		}
	}

	c, err = Load(writeFile(t, dir, "empty.yaml", ""))
	if err != nil {
		t.Fatal(err)
	}
	if c.Orders.Path != "" || c.Output.Dir != "" || c.RFM.FreezeFrom != "" || c.Customers != nil {
		t.Errorf("an empty file gives paths %+v", c)
	}
}

// TestClusteringConfigErrors: bad clustering settings fail with the file
// and the key.
func TestClusteringConfigErrors(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		want       []string
	}{
		{"min_share negative", "clustering:\n  min_share: -0.1\n", []string{"clustering.min_share", "[0, 0.5)"}},
		{"min_share half", "clustering:\n  min_share: 0.5\n", []string{"clustering.min_share"}},
		{"empty name", "clustering:\n  names: {a-key: \" \"}\n", []string{"clustering.names", "a-key", "empty"}},
		{"same name twice", "clustering:\n  names: {a: VIP, b: VIP}\n", []string{"clustering.names", "a and b", `"VIP"`}},
		{"unknown key", "clustering:\n  min_shares: 0.1\n", []string{"min_shares"}},
		{"fractional k", "clustering:\n  k: 2.5\n", []string{"clustering.k", `"2.5"`}},
		{"k zero as a decimal", "clustering:\n  k: 0.0\n", []string{"clustering.k"}},
		{"a feature twice", "clustering:\n  use: [monetary, frequency, monetary]\n", []string{"clustering.use", `"monetary" is listed twice`}},
		{"fractional k_max", "clustering:\n  k_max: 5.7\n", []string{"line 2", "clustering.k_max", "want a whole number, got 5.7"}},
		{"fractional days", "thresholds: {lapsed_days: 90.5}\n", []string{"thresholds.lapsed_days", "90.5"}},
	} {
		t.Run(c.name, func(t *testing.T) { loadErr(t, c.yaml, c.want...) })
	}
}

// TestParseK: k is auto or a positive whole number, also written with a
// decimal point (YAML's k: 8.0), as in the config file.
func TestParseK(t *testing.T) {
	for s, want := range map[string]int{"auto": 0, "8": 8, "8.0": 8, "2.00": 2, "1e1": 10} {
		if k, err := ParseK(s); err != nil || k != want {
			t.Errorf("ParseK(%q) = %d, %v; want %d", s, k, err, want)
		}
	}
	for _, s := range []string{"", "0", "-3", "2.5", "0.0", "NaN", "Inf", "1e300", "many"} {
		if k, err := ParseK(s); err == nil {
			t.Errorf("ParseK(%q) = %d, want an error", s, k)
		}
	}
	path := writeFile(t, t.TempDir(), "segment.yaml", "clustering:\n  k: 8.0\n")
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := ParseK(f.Clustering.K); err != nil || k != 8 {
		t.Errorf("k: 8.0 in YAML gives %d, %v; want 8", k, err)
	}
}

// TestRFMAndBigOrderConfigErrors: bad rfm.recency_days and the retired
// big_order_factor fail with the file, the key and what to do; a
// recency_days that is not a list of integers names the key and the line.
func TestRFMAndBigOrderConfigErrors(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		want       []string
	}{
		{"three days", "rfm:\n  recency_days: [30, 90, 180]\n", []string{"rfm.recency_days", "want 4 cut points"}},
		{"empty list", "rfm:\n  recency_days: []\n", []string{"rfm.recency_days", "got 0"}},
		{"not increasing", "rfm:\n  recency_days: [30, 90, 90, 365]\n", []string{"rfm.recency_days", "must increase"}},
		{"zero", "rfm:\n  recency_days: [0, 90, 180, 365]\n", []string{"rfm.recency_days", "positive"}},
		{"fraction", "rfm:\n  recency_days: [30.5, 90, 180, 365]\n", []string{"line 2", "rfm.recency_days", `"30.5" is not a whole number`}},
		{"fraction on a later line", "as_of: 2024-12-31\nrfm:\n  recency_days:\n    - 30\n    - 90.0\n", []string{"line 5", "rfm.recency_days", `"90.0" is not a whole number`}},
		{"text", "rfm:\n  recency_days: [thirty, 90, 180, 365]\n", []string{"line 2", "rfm.recency_days", "thirty"}},
		{"scalar", "rfm:\n  recency_days: 30\n", []string{"line 2", "rfm.recency_days", "want a list of 4"}},
		{"big_order_factor", "thresholds:\n  big_order_factor: 3\n", []string{"thresholds.big_order_factor", "big_order_share"}},
		{"big_order_share above 1", "thresholds:\n  big_order_share: 1.5\n", []string{"thresholds", "big_order_share"}},
	} {
		t.Run(c.name, func(t *testing.T) { loadErr(t, c.yaml, c.want...) })
	}
	path := writeFile(t, t.TempDir(), "good.yaml", "rfm:\n  recency_days: [7, 30, 90, 365]\nthresholds: {big_order_share: 0.01}\n")
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := c.RFM.RecencyDays; len(d) != 4 || d[0] != 7 || d[3] != 365 || c.Thresholds.Features().BigOrderShare != 0.01 {
		t.Errorf("recency_days %v, big_order_share %v", d, c.Thresholds.BigOrderShare)
	}
}

func TestValidate(t *testing.T) {
	share := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		name string
		file File
		want string // "" for valid
	}{
		{"zero file", File{}, ""},
		{"min_share just under half", File{Clustering: Clustering{MinShare: share(0.49)}}, ""},
		{"min_share half", File{Clustering: Clustering{MinShare: share(0.5)}}, "clustering.min_share: want a share in [0, 0.5), got 0.5"},
		{"k", File{Clustering: Clustering{K: "lots"}}, `clustering.k: want auto or a positive number, got "lots"`},
		{"scale", File{Clustering: Clustering{Scale: "log"}}, `clustering.scale: want auto or none, got "log"`},
		{"duplicates", File{Orders: Orders{Duplicates: "sometimes"}}, `orders.duplicates: want keep or drop, got "sometimes"`},
		{"amount scale", File{Orders: Orders{AmountScale: -0.01}}, `orders.amount_scale: want a positive factor such as 0.01 (amounts in cents), got -0.01`},
		{"exclude empty", File{Orders: Orders{Exclude: &Exclude{ProductID: []string{"POST", " "}}}}, `orders.exclude.product_id: entry 2 is empty`},
		{"exclude and cancel", File{Orders: Orders{Exclude: &Exclude{Status: []string{"Failed"}}, Cancellation: Cancellation{Status: []string{"failed"}}}},
			`orders.exclude.status and orders.cancellation.status both list "Failed": a line is either left out or returned`},
		{"table without a path", File{Events: &Table{}}, "events.path is required"},
		{"table time format", File{Customers: &Table{Path: "c.csv", TimeFormat: "%m/%d/%Y", Timezone: "Europe/Berlin"}, Events: &Table{Path: "e.csv", TimeFormat: "unix_ms"}}, ""},
		{"bad table time format", File{Customers: &Table{Path: "c.csv", TimeFormat: "%d/%q/%Y"}}, `customers.time_format: data: time_format "%d/%q/%Y": unknown directive %q`},
		{"bad table timezone", File{Events: &Table{Path: "e.csv", Timezone: "Mars/Olympus"}}, "events.timezone: unknown time zone Mars/Olympus"},
		{"machine's timezone", File{Events: &Table{Path: "e.csv", Timezone: "Local"}}, `events.timezone: "Local" is the time zone of the machine`},
		{"unknown table column", File{Products: &Table{Path: "p.csv", Columns: map[string]string{"colour": "c"}}}, "products.columns.colour: unknown logical column"},
		{"sale day", File{Features: Features{SaleDays: []string{"2024-11-31"}}}, `features.sale_days: "2024-11-31" is not YYYY-MM-DD`},
		{"trend days", File{Features: Features{TrendDays: -1}}, "features.trend_days: -1 is negative"},
		{"one peak date", File{Features: Features{PeakSeason: []string{"11-15"}}}, "features.peak_season: want two MM-DD dates, got 1 values"},
		{"peak date", File{Features: Features{PeakSeason: []string{"11-15", "13-01"}}}, `features.peak_season: "13-01" is not an MM-DD day`},
		{"peak day of no month", File{Features: Features{PeakSeason: []string{"02-30", "03-01"}}}, `features.peak_season: "02-30" is not an MM-DD day`},
		{"peak day 31 of April", File{Features: Features{PeakSeason: []string{"04-31", "05-01"}}}, `features.peak_season: "04-31" is not an MM-DD day`},
		{"peak leap day", File{Features: Features{PeakSeason: []string{"02-29", "03-01"}}}, ""},
		{"huge restarts", File{Clustering: Clustering{Restarts: 1000000000}}, "clustering.restarts: 1000000000 is above 1000"},
		{"most restarts", File{Clustering: Clustering{Restarts: 1000}}, ""},
		{"group", File{Groups: []Group{{Name: "x", When: "city =="}}}, "groups: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.file.Validate()
			switch {
			case c.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// TestCustomGroups: Validate compiles the groups that CustomGroups returns.
func TestCustomGroups(t *testing.T) {
	c := File{Groups: []Group{{Name: "de_web", When: `country == "DE" && channel == "web"`}}}
	if c.CustomGroups() != nil {
		t.Error("groups compiled before Validate")
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if g := c.CustomGroups(); g == nil || g.Len() != 1 {
		t.Errorf("CustomGroups() = %v, want one group", g)
	}
}

// TestOrderColumns: the discount mapping takes a column, a list or null,
// and absent entries keep the logical names.
func TestOrderColumns(t *testing.T) {
	def := data.DefaultOrderColumns()
	for _, c := range []struct {
		name, yaml string
		discount   []string
	}{
		{"absent", "orders:\n  columns: {time: ts}\n", def.Discount},
		{"null", "orders:\n  columns: {time: ts, discount: null}\n", def.Discount},
		{"one", "orders:\n  columns: {time: ts, discount: rebate}\n", []string{"rebate"}},
		{"list", "orders:\n  columns: {time: ts, discount: [a, b]}\n", []string{"a", "b"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Load(writeFile(t, t.TempDir(), "segment.yaml", c.yaml))
			if err != nil {
				t.Fatal(err)
			}
			got := f.Orders.Columns.Data()
			if got.Time != "ts" || got.CustomerID != def.CustomerID || !slices.Equal(got.Discount, c.discount) {
				t.Errorf("columns %+v, want time ts, customer_id %s, discount %q", got, def.CustomerID, c.discount)
			}
		})
	}
}

// TestJSONRoundTrip: model.json keeps the effective config in this
// layout (field order and keys), and segment assign reads it back.
func TestJSONRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name, yaml, want string
	}{
		{"no discount", "orders:\n  path: /o.csv\n  columns: {amount: total}\nrfm: {recency_days: [7, 30, 90, 365]}\n",
			`{"orders":{"path":"/o.csv","columns":{"amount":"total","discount":null},"cancellation":{}},"features":{},"clustering":{},"thresholds":{},"rfm":{"recency_days":[7,30,90,365]},"output":{}}`},
		{"discounts", "as_of: 2024-12-31\norders:\n  path: /o.csv\n  columns: {discount: [a, b]}\nclustering: {k: auto, use: [frequency]}\n",
			`{"as_of":"2024-12-31","orders":{"path":"/o.csv","columns":{"discount":["a","b"]},"cancellation":{}},"features":{},"clustering":{"k":"auto","use":["frequency"]},"thresholds":{},"rfm":{},"output":{}}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Load(writeFile(t, t.TempDir(), "segment.yaml", c.yaml))
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != c.want {
				t.Errorf("json\n%s\nwant\n%s", b, c.want)
			}
			var g File
			if err := json.Unmarshal(b, &g); err != nil {
				t.Fatal(err)
			}
			if got := g.Orders.Columns.Data(); !slices.Equal(got.Discount, f.Orders.Columns.Data().Discount) || !slices.Equal(g.RFM.RecencyDays, f.RFM.RecencyDays) {
				t.Errorf("read back %+v, want %+v", g, *f)
			}
		})
	}
}

func TestIsURL(t *testing.T) {
	for _, tc := range []struct {
		p    string
		want bool
	}{
		{"gs://bucket/o.parquet", true},
		{"s3://b/o.csv", true},
		{"memfs://x", true},
		{"data/orders.csv", false},
		{"://x", false},
		{"1s://x", false},
		{"my dir://x", false},
		{"dir with :// inside/x.csv", false},
		{`C:\data\orders.parquet`, false},
		{"orders/*.parquet", false},
	} {
		if got := IsURL(tc.p); got != tc.want {
			t.Errorf("IsURL(%q) = %v, want %v", tc.p, got, tc.want)
		}
	}
}
