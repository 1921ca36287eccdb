package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// TestInspectWritesUsableConfig: inspect describes a generated store's
// orders, and the starter config it writes runs as is.
func TestInspectWritesUsableConfig(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	mustSegment(t, "gen", "-customers", "300", "-seed", "8", "-out", store)
	cfg := filepath.Join(dir, "starter.yaml")
	code, stdout, stderr := segment(t, "inspect", "-write", cfg, filepath.Join(store, "orders.parquet"))
	if code != 0 {
		t.Fatalf("inspect: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"parquet", "row groups", "ZSTD", "customer_id", "unit_price", "guessed mapping"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := config.Load(cfg); err != nil {
		t.Fatalf("the starter config does not load: %v", err)
	}
	mustSegment(t, "run", "-quiet", "-config", cfg, "-k", "3", "-out", filepath.Join(dir, "out"))

	// It never overwrites a file.
	before, _ := os.ReadFile(cfg)
	if code, _, stderr := segment(t, "inspect", "-write", cfg, filepath.Join(store, "orders.parquet")); code != exitFailed || !strings.Contains(stderr, "exists") {
		t.Errorf("second -write: exit %d, %q", code, stderr)
	}
	if after, _ := os.ReadFile(cfg); string(after) != string(before) {
		t.Error("the config file was overwritten")
	}
}

func TestInspectCompleteJourneyConfig(t *testing.T) {
	path := sharedData(t, "completejourney/transactions_sample.csv")
	cfg := filepath.Join(t.TempDir(), "cj.yaml")
	mustSegment(t, "inspect", "-write", cfg, path)
	c, err := config.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	col := c.Orders.Columns
	if col.CustomerID != "household_id" || col.OrderID != "basket_id" || col.Time != "transaction_timestamp" ||
		col.Amount != "sales_value" || len(col.Discount.Values) != 3 || c.Orders.TimeFormat != "2006-01-02 15:04:05" {
		t.Errorf("starter config %+v, time format %q", col, c.Orders.TimeFormat)
	}
	// Discounts but no category: the starter clusters what the file supports.
	if want := []string{"recency_days", "frequency", "monetary", "aov", "discount_ratio"}; !slices.Equal(c.Clustering.Use, want) {
		t.Errorf("starter clustering.use = %q, want %q", c.Clustering.Use, want)
	}
	b, _ := os.ReadFile(cfg)
	for _, want := range []string{"# products: {path:", "# customers: {path:", "# events: {path:"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("starter config does not suggest %q", want)
		}
	}
}

// TestInspectCompleteJourneyTables: with its products and demographics
// files, Complete Journey's starter joins the products table with
// department as the category (so the category mix is clustered) and the
// demographics as the customers table.
func TestInspectCompleteJourneyTables(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "cj.yaml")
	mustSegment(t, "inspect", "-write", cfg, sharedData(t, "completejourney/transactions_sample.csv"),
		sharedData(t, "completejourney/products.csv"), sharedData(t, "completejourney/demographics.csv"))
	c, err := config.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.Products == nil || c.Products.Columns["category"] != "department" || c.Products.Columns["product_id"] != "product_id" {
		t.Errorf("products section %+v", c.Products)
	}
	if c.Customers == nil || c.Customers.Columns["customer_id"] != "household_id" || c.Customers.Columns["age_band"] != "age" {
		t.Errorf("customers section %+v", c.Customers)
	}
	if c.Events != nil || !slices.Contains(c.Clustering.Use, "category_mix") {
		t.Errorf("events %+v, clustering.use %q", c.Events, c.Clustering.Use)
	}
}

func TestInspectCDNOWUsesOnlyWhatTheFileHas(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "cdnow.yaml")
	mustSegment(t, "inspect", "-write", cfg, sharedData(t, "cdnow/cdnow_sample.csv"))
	c, err := config.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"recency_days", "frequency", "monetary", "aov"}; !slices.Equal(c.Clustering.Use, want) {
		t.Errorf("starter clustering.use = %q, want %q", c.Clustering.Use, want)
	}
}

func TestInspectErrors(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "fake.parquet")
	os.WriteFile(fake, []byte("nope"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"inspect"}, exitUsage, "PATH"},
		{[]string{"inspect", filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")}, exitFailed, "a.csv"},
		{[]string{"inspect", fake}, exitFailed, "fake.parquet"},
		{[]string{"inspect", filepath.Join(dir, "none.csv")}, exitFailed, "none.csv"},
		// -write takes the config file: an input's name there is the
		// order lines given to the wrong flag, said before any file is
		// read; an existing file is refused before the inputs are read.
		{[]string{"inspect", "-write", fake, filepath.Join(dir, "b.csv")}, exitUsage, "-write takes the config file to write"},
		{[]string{"inspect", "-write", filepath.Join(dir, "Orders.CSV.GZ"), fake}, exitUsage, "input file's name"},
		{[]string{"inspect", "-write", dir, filepath.Join(dir, "none.csv")}, exitFailed, "the file exists"},
		{[]string{"inspect", "-write", fake}, exitUsage, "-write takes the config file to write"}, // the PATH given to -write
	} {
		code, _, stderr := segment(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want exit %d mentioning %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// TestInspectWritesConfigWithTables: inspect tells a generated store's
// four tables apart and writes one config with a section for each, which
// runs as is and reads all four; -write without the order lines, or with
// two files of one table, is refused and writes nothing.
func TestInspectWritesConfigWithTables(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	mustSegment(t, "gen", "-customers", "300", "-seed", "8", "-out", store)
	file := func(table string) string { return filepath.Join(store, table+".parquet") }
	cfg := filepath.Join(dir, "all.yaml")
	code, stdout, stderr := segment(t, "inspect", "-write", cfg, file("events"), file("orders"), file("products"), file("customers"))
	if code != 0 {
		t.Fatalf("inspect: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"the events table", "guessed mapping (order lines)", "the products table", "the customers table"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, stdout)
		}
	}
	c, err := config.Load(cfg)
	if err != nil {
		t.Fatalf("the starter config does not load: %v", err)
	}
	for _, s := range []struct {
		table *config.Table
		name  string
		col   string
	}{{c.Customers, "customers", "age_band"}, {c.Products, "products", "launch_time"}, {c.Events, "events", "type"}} {
		if s.table == nil || !strings.HasSuffix(s.table.Path, s.name+".parquet") || s.table.Columns[s.col] != s.col {
			t.Errorf("%s section: %+v", s.name, s.table)
		}
	}
	if !slices.Contains(c.Clustering.Use, "category_mix") {
		t.Errorf("clustering.use %q lacks category_mix", c.Clustering.Use)
	}
	out := filepath.Join(dir, "out")
	mustSegment(t, "run", "-quiet", "-config", cfg, "-k", "3", "-out", out)
	var m pipeline.Manifest
	if b, err := os.ReadFile(filepath.Join(out, "run.json")); err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatalf("run.json: %v", err)
	}
	if len(m.Inputs) != 4 || m.Events == nil {
		t.Errorf("the run read %d inputs (want 4: orders and the three tables), events %v", len(m.Inputs), m.Events)
	}

	// A file that is none of the tables is taken for order lines that lack
	// columns when it is the only one, as inspect always did.
	unknown := filepath.Join(dir, "notes.csv")
	if err := os.WriteFile(unknown, []byte("note,author\nhello,ann\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lone := filepath.Join(dir, "lone.yaml")
	if code, stdout, stderr := segment(t, "inspect", "-write", lone, unknown); code != 0 || !strings.Contains(stdout, "does not look like") {
		t.Errorf("inspect -write of one unknown file: exit %d, %q, stdout %q", code, stderr, stdout)
	}
	if b, err := os.ReadFile(lone); err != nil || !strings.Contains(string(b), "# customer_id: (no column found)") {
		t.Errorf("starter of one unknown file: %v\n%s", err, b)
	}
	for _, c := range []struct {
		paths []string
		want  string
	}{
		{[]string{file("products"), file("customers")}, "needs the order lines"},
		{[]string{file("orders"), file("orders")}, "both look like the orders table"},
		{[]string{file("orders"), unknown}, "notes.csv does not look like the order lines or an optional table"},
		{[]string{unknown, unknown}, "neither"},
	} {
		bad := filepath.Join(dir, "bad.yaml")
		code, _, stderr := segment(t, append([]string{"inspect", "-write", bad}, c.paths...)...)
		if code != exitFailed || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want exit %d mentioning %q", c.paths, code, stderr, exitFailed, c.want)
		}
		if _, err := os.Stat(bad); !os.IsNotExist(err) {
			t.Errorf("%v: a config was written (%v)", c.paths, err)
		}
	}
}
