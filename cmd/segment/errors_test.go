package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigErrorsBeforeData: every bad config value fails with exit 1,
// one message naming the file and the key, before any data is read (the
// orders path names no file, so reading would fail with another message).
// A k range made bad by a flag is a usage error (exit 2) naming the flags.
func TestConfigErrorsBeforeData(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const orders = "orders:\n  path: no-such-orders.csv\n"
	tests := []struct {
		name string
		yaml string
		args []string
		code int
		want []string
	}{
		{"k_min above k_max", orders + "clustering:\n  k_min: 8\n  k_max: 4\n", nil, exitFailed, []string{"clustering.k_min 8", "clustering.k_max 4"}},
		{"k_min above the default k_max", orders + "clustering:\n  k_min: 15\n", nil, exitFailed, []string{"clustering.k_min 15", "clustering.k_max 12"}},
		{"k_min flag above the config's k_max", orders + "clustering:\n  k_max: 4\n", []string{"-k-min", "6"}, exitUsage, []string{"k-min <= k-max"}},
		{"negative restarts", orders + "clustering:\n  restarts: -1\n", nil, exitFailed, []string{"clustering.restarts"}},
		{"unknown feature in use", orders + "clustering:\n  use: [frequency, loyalty_score]\n", nil, exitFailed, []string{"clustering.use", "loyalty_score"}},
		{"negative top_categories", orders + "features:\n  top_categories: -2\n", nil, exitFailed, []string{"features.top_categories"}},
		{"zero k", orders + "clustering:\n  k: 0\n", nil, exitFailed, []string{"clustering.k"}},
		{"second document", orders + "---\nclustering:\n  k: 3\n", nil, exitFailed, []string{"second YAML document", "line 3"}},
		{"negative holdout_days", orders + "clv: {holdout_days: -5}\n", nil, exitFailed, []string{"clv.holdout_days"}},
		{"churn_threshold of 1", orders + "clv: {churn_threshold: 1}\n", nil, exitFailed, []string{"clv.churn_threshold"}},
		{"holdout flag without a clv section", orders, []string{"-holdout-days", "30"}, exitUsage, []string{"-holdout-days", "clv section"}},
		{"zero holdout flag", orders + "clv: {}\n", []string{"-holdout-days", "0"}, exitUsage, []string{"-holdout-days", "positive"}},
		{"holdout flag beyond 100 years", orders + "clv: {}\n", []string{"-holdout-days", "200000"}, exitUsage, []string{"-holdout-days", "at most 36525", "200000"}},
		{"holdout with a feature table", "clv: {holdout_days: 30}\n", []string{"-features", "no-such-orders.csv"}, exitUsage, []string{"holdout", "-features"}},
		{"events table with a feature table", "events: {path: events.csv}\n", []string{"-features", "features.csv"}, exitUsage, []string{"an events table", "needs order lines"}},
		{"products flag with a feature table", "", []string{"-features", "features.csv", "-products", "p.csv"}, exitUsage, []string{"a products table", "product_id"}},
		{"as_of with a feature table", "as_of: 2024-01-01\n", []string{"-features", "features.csv"}, exitUsage, []string{"as_of", "leave it unset"}},
		// A config that names no order lines is broken, not the demo store.
		{"empty config", "", nil, exitFailed, []string{"orders.path is missing"}},
		{"orders path left blank", "orders:\n  path: \"\"\nclustering: {k: 3}\n", nil, exitFailed, []string{"orders.path is missing"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := write(strings.ReplaceAll(tt.name, " ", "_")+".yaml", tt.yaml)
			args := append([]string{"run", "-quiet", "-config", cfg, "-out", filepath.Join(dir, "out", string(rune('a'+i)))}, tt.args...)
			code, _, stderr := segment(t, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, stderr)
			}
			if strings.Count(stderr, "segment: ") != 1 || strings.Contains(stderr, "no-such-orders") {
				t.Errorf("want one error line about the config, not the data; got %q", stderr)
			}
			want := tt.want
			if tt.code == exitFailed {
				want = append(want, cfg)
			}
			for _, w := range want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not mention %q", stderr, w)
				}
			}
		})
	}
}

// TestNoLinesErrors: orders that give no customer fail with exit 1 and a
// message saying why: a file with only its header, and lines all on or
// after an as_of set before them (with what to do).
func TestNoLinesErrors(t *testing.T) {
	dir := t.TempDir()
	header := filepath.Join(dir, "header.csv")
	lines := filepath.Join(dir, "lines.csv")
	if err := os.WriteFile(header, []byte("customer_id,order_id,time,amount\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lines, []byte("customer_id,order_id,time,amount\nc1,o1,2024-01-01,10\nc2,o2,2024-01-02,20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-orders", header}, header + ": no order lines (the input has no rows)"},
		{[]string{"-orders", lines, "-as-of", "2023-06-01"}, lines + ": all 2 order lines read are on or after as_of 2023-06-01"},
	} {
		code, _, stderr := segment(t, append([]string{"run", "-quiet", "-out", filepath.Join(dir, "out")}, tt.args...)...)
		if code != exitFailed || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, "features: no customers") {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q, said once", tt.args, code, stderr, exitFailed, tt.want)
		}
	}
}
