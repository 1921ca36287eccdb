package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/config"
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
		{[]string{"inspect", "a", "b"}, exitUsage, "PATH"},
		{[]string{"inspect", fake}, exitFailed, "fake.parquet"},
		{[]string{"inspect", filepath.Join(dir, "none.csv")}, exitFailed, "none.csv"},
	} {
		code, _, stderr := segment(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want exit %d mentioning %q", c.args, code, stderr, c.code, c.want)
		}
	}
}
