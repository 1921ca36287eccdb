package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/segment-tool/segment/features"
)

// TestLoadRejectsBadCounts: k, its range, restarts, top_categories and
// window_days are checked when the file is loaded, before any data is
// read, and the error names the file and the key.
func TestLoadRejectsBadCounts(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		want       []string
	}{
		{"k zero", "clustering:\n  k: 0\n", []string{"clustering.k", "positive"}},
		{"k negative", "clustering:\n  k: -3\n", []string{"clustering.k", `"-3"`}},
		{"k_min above k_max", "clustering:\n  k_min: 8\n  k_max: 4\n", []string{"clustering.k_min 8", "clustering.k_max 4"}},
		{"k_min negative", "clustering:\n  k_min: -1\n", []string{"clustering.k_min", "-1 is negative"}},
		{"k_max negative", "clustering:\n  k_max: -2\n", []string{"clustering.k_max", "negative"}},
		{"restarts negative", "clustering:\n  restarts: -5\n", []string{"clustering.restarts", "-5 is negative"}},
		{"top_categories negative", "features:\n  top_categories: -1\n", []string{"features.top_categories", "negative"}},
		{"window_days negative", "features:\n  window_days: -30\n", []string{"features.window_days", "negative"}},
		{"restarts not a number", "clustering:\n  restarts: many\n", []string{"line 2", "many"}},
	} {
		t.Run(c.name, func(t *testing.T) { loadErr(t, c.yaml, c.want...) })
	}
}

// TestLoadRejectsSecondDocument: settings after a "---" would be
// ignored; the file is refused, naming the line of the second document.
func TestLoadRejectsSecondDocument(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		want       []string
	}{
		{"two documents", "clustering:\n  k: 3\n---\nclustering:\n  k: 5\n", []string{"second YAML document", "line 3"}},
		{"a third document", "clustering:\n  k: 3\n---\n---\nk: 5\n", []string{"second YAML document", "line 4"}},
		{"a second document that is not YAML", "clustering:\n  k: 3\n---\n: : [\n", []string{"line"}},
	} {
		t.Run(c.name, func(t *testing.T) { loadErr(t, c.yaml, c.want...) })
	}
	// One document, with or without a leading "---" or an empty trailing
	// one, loads.
	for _, y := range []string{"clustering:\n  k: 3\n", "---\nclustering:\n  k: 3\n", "", "clustering: {k_min: 3}\n---\n", "clustering: {k: 3}\n---\n# end\n"} {
		path := writeFile(t, t.TempDir(), "one.yaml", y)
		if _, err := Load(path); err != nil {
			t.Errorf("Load(%q): %v", y, err)
		}
	}
}

// TestValidateCurrency: the config's currency is a code or sign the report
// can print beside every amount; Markdown, HTML or direction characters
// are refused.
func TestValidateCurrency(t *testing.T) {
	for _, ok := range []string{"USD", "€", "US$", "S/.", "Fr."} {
		c := File{Currency: ok}
		if err := c.Validate(); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"E|R", "**", "<I>", "US D", "\u202eUSD", "DOLLARSXX"} {
		c := File{Currency: bad}
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "currency: currency") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestValidateUseAndDays: an empty clustering.use (it meant the defaults
// without a word) and recent_days above idle_days are refused at load.
func TestValidateUseAndDays(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"clustering:\n  use: []\n", "clustering.use: an empty list"},
		{"thresholds:\n  recent_days: 120\n", "recent_days 120 must be at most idle_days 90"},
	} {
		path := writeFile(t, t.TempDir(), "c.yaml", c.yaml)
		if _, err := Load(path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.yaml, err, c.want)
		}
	}
	if _, err := Load(writeFile(t, t.TempDir(), "c.yaml", "clustering:\n  use: [recency_days, monetary]\n")); err != nil {
		t.Errorf("a use list: %v", err)
	}
}

// TestLoadRejectsDaysBeyondMax: every setting counted in days is refused
// above features.MaxDays, naming its key, before any data is read: a
// typo of the largest integer would wrap around a date (a horizon of
// −9.2e18 days, a holdout before year 1); the bound itself is accepted.
func TestLoadRejectsDaysBeyondMax(t *testing.T) {
	over := fmt.Sprint(features.MaxDays + 1)
	for _, c := range []struct{ yaml, key string }{
		{"features: {window_days: %s}\n", "features.window_days"},
		{"features: {trend_days: %s}\n", "features.trend_days"},
		{"clv: {horizon_days: %s}\n", "clv.horizon_days"},
		{"clv: {holdout_days: %s}\n", "clv.holdout_days"},
		{"clv: {horizon_days: 9223372036854775807}\n", "clv.horizon_days"},
		{"thresholds: {lapsed_days: %s}\n", "lapsed_days"},
		{"rfm: {recency_days: [30, 90, 180, %s]}\n", "rfm.recency_days"},
	} {
		yaml := c.yaml
		if strings.Contains(yaml, "%s") {
			yaml = fmt.Sprintf(yaml, over)
		}
		loadErr(t, yaml, c.key, "36525")
		at := strings.ReplaceAll(yaml, over, fmt.Sprint(features.MaxDays))
		if at == yaml {
			continue
		}
		if _, err := Load(writeFile(t, t.TempDir(), "c.yaml", at)); err != nil {
			t.Errorf("%q: %v; want the bound itself accepted", at, err)
		}
	}
}

// TestLoadRejectsZeroAmountScale: orders.amount_scale written as 0 is
// refused, naming its line, as a negative factor is (it was read as 1,
// the value of an absent key); absent or null, it is 1.
func TestLoadRejectsZeroAmountScale(t *testing.T) {
	for _, yaml := range []string{"orders:\n  amount_scale: 0\n", "orders: {amount_scale: 0.0}\n"} {
		loadErr(t, yaml, "orders.amount_scale: want a positive factor", "got 0")
	}
	for _, yaml := range []string{"orders: {path: o.csv}\n", "orders: {amount_scale: }\n", "orders: {amount_scale: 0.01}\n"} {
		if _, err := Load(writeFile(t, t.TempDir(), "c.yaml", yaml)); err != nil {
			t.Errorf("%q: %v", yaml, err)
		}
	}
}
