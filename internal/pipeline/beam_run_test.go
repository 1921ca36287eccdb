package pipeline

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/clv"
	"github.com/segment-tool/segment/internal/config"
)

// TestBeamArgs checks segment-beam's command line for options: the config
// file passed through when its custom groups, thresholds, recency days and
// cluster names are the run's, refused when they were changed apart from
// it (segment-beam could not see them) and for rfm.freeze_from; the log
// level of the run's logger; the customers and events tables and their
// mappings passed; the clv section passed in the config file, refused
// when changed apart from it, and its holdout days passed as a flag
// (-holdout-days overrides the config's); a feature table passed
// with -features, without -use unless clustering.use was set (segment-beam
// defaults it to the table's columns) and without -as-of, refused beside
// order lines and with an events table (a customers table passed).
func TestBeamArgs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "segment.yaml")
	yaml := "groups:\n  - {name: big, when: 'monetary > 100'}\nthresholds: {top_share: 0.3}\nrfm: {recency_days: [30, 90, 180, 365]}\nclustering: {names: {a-key: A}}\n"
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	clvPath := filepath.Join(t.TempDir(), "clv.yaml")
	if err := os.WriteFile(clvPath, []byte("clv: {horizon_days: 180, churn_threshold: 0.4}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	load := func(path string) Options {
		c, err := config.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		o := DefaultOptions()
		o.ConfigPath = path
		if err := o.ApplyConfig(c); err != nil {
			t.Fatal(err)
		}
		o.Orders = "orders.parquet"
		return o
	}
	withConfig := func() Options { return load(path) }
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	tests := []struct {
		name        string
		opts        func() Options
		want        []string // in the arguments, in this order
		unsupported bool
	}{
		{"no config", func() Options { o := DefaultOptions(); o.Orders = "o.parquet"; return o }, []string{"-log-level", "error"}, false},
		{"config", withConfig, []string{"-config", path}, false},
		{"quiet", func() Options { o := withConfig(); o.Log = quiet; return o }, []string{"-log-level", "error"}, false},
		{"verbose", func() Options {
			o := withConfig()
			o.Log = slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
			return o
		}, []string{"-log-level", "debug", "-log-format", "json"}, false},
		{"exclude", func() Options {
			o := DefaultOptions()
			o.Orders, o.ExcludeStatus, o.ExcludeProducts = "o.parquet", []string{"Failed, declined"}, []string{"POST"}
			return o
		}, []string{"-exclude", `{"status":["Failed, declined"],"product_id":["POST"]}`}, false},
		{"amount scale", func() Options { o := DefaultOptions(); o.Orders, o.AmountScale = "o.parquet", 0.01; return o }, []string{"-amount-scale", "0.01"}, false},
		{"amount before discount", func() Options { o := DefaultOptions(); o.Orders, o.AmountBeforeDiscount = "o.parquet", true; return o }, []string{"-amount-before-discount"}, false},
		{"names apart from the config", func() Options { o := withConfig(); o.Names = map[string]string{"b": "B"}; return o }, nil, true},
		{"thresholds apart from the config", func() Options { o := withConfig(); o.Thresholds.TopShare = 0.4; return o }, nil, true},
		{"recency days without a config", func() Options { o := DefaultOptions(); o.Orders = "o"; o.RecencyDays = []int{1, 2, 3, 4}; return o }, nil, true},
		{"customers table", func() Options {
			o := DefaultOptions()
			o.Orders, o.CustomersPath, o.CustomerColumns = "o.parquet", "c.csv", map[string]string{"email": "Mail", "b2b": "Firma"}
			return o
		}, []string{"-customers", "c.csv", "-customer-column", "b2b=Firma", "-customer-column", "email=Mail"}, false},
		{"feature table beside the orders", func() Options { o := DefaultOptions(); o.Orders, o.Features = "o.parquet", "f.csv"; return o }, nil, false},
		{"feature table", func() Options {
			o := DefaultOptions()
			o.Features, o.AsOf = "f.csv", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			return o
		}, []string{"-features", "f.csv"}, false},
		{"feature table, no as_of", func() Options {
			o := DefaultOptions()
			o.Features, o.AsOf = "f.csv", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			return o
		}, []string{"-features", "f.csv"}, false},
		{"feature table, clustering.use set", func() Options {
			o := DefaultOptions()
			o.Features, o.Use, o.UseSet = "f.csv", []string{"a", "b"}, true
			return o
		}, []string{"-use", "a,b"}, false},
		{"feature table with a customers table", func() Options {
			o := DefaultOptions()
			o.Features, o.CustomersPath = "f.csv", "c.csv"
			return o
		}, []string{"-features", "f.csv"}, false},
		{"feature table with an events table", func() Options {
			o := DefaultOptions()
			o.Features, o.Events = "f.csv", &config.Table{Path: "e.csv"}
			return o
		}, nil, true},
		{"demo store, written", func() Options { o := DefaultOptions(); o.Demo = true; return withDemoInputs(o, "d") }, []string{"-demo", "-products", filepath.Join("d", "products.parquet")}, false},
		{"events table", func() Options {
			o := DefaultOptions()
			o.Orders, o.Events = "o.parquet", &config.Table{Path: "e.csv", Columns: map[string]string{"type": "Art", "customer_id": "Kunde"}}
			return o
		}, []string{"-events", "e.csv", "-event-column", "customer_id=Kunde", "-event-column", "type=Art"}, false},
		{"lifetime value from the config", func() Options { return load(clvPath) }, []string{"-config", clvPath}, false},
		{"lifetime value apart from the config", func() Options {
			o := DefaultOptions()
			o.Orders, o.CLV = "o.parquet", &clv.Value{}
			return o
		}, nil, true},
		{"churn threshold apart from the config", func() Options { o := load(clvPath); o.ChurnThreshold = 0.3; return o }, nil, true},
		{"lifetime-value holdout", func() Options { o := load(clvPath); o.HoldoutDays = 30; return o }, []string{"-holdout-days", "30"}, false},
		{"freeze_from apart from the config", func() Options { o := withConfig(); o.RFMFreezeFrom = "old/model.json"; return o }, nil, true},
	}
	// Cases that fail without ErrBeamUnsupported, and arguments a case must
	// not have.
	fails := map[string]bool{"feature table beside the orders": true}
	absent := map[string]string{"feature table": "-use", "feature table, no as_of": "-as-of"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts()
			o.Log = o.logger()
			args, err := beamArgs(&o, BeamRun{Runner: "prism"})
			if fails[tc.name] {
				if err == nil || errors.Is(err, ErrBeamUnsupported) {
					t.Fatalf("err %v: want an error, not unsupported", err)
				}
				return
			}
			if got := errors.Is(err, ErrBeamUnsupported); got != tc.unsupported {
				t.Fatalf("err %v: want unsupported %v", err, tc.unsupported)
			}
			if tc.unsupported {
				return
			}
			if i := slices.Index(args, tc.want[0]); i < 0 || !slices.Equal(args[i:min(i+len(tc.want), len(args))], tc.want) {
				t.Errorf("args %s: want %s in them", strings.Join(args, " "), strings.Join(tc.want, " "))
			}
			if a := absent[tc.name]; a != "" && slices.Contains(args, a) {
				t.Errorf("args %s: want no %s", strings.Join(args, " "), a)
			}
		})
	}
}
