package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/pipeline"
)

// clvConfig is a clv section (a 180-day horizon in weeks, discounted,
// churn_risk below P(alive) 0.6) and a custom group, which follows the
// lifetime-value groups (a custom group cannot name the columns the
// section adds: a local run refuses purchase_days).
const clvConfig = `clv: {horizon_days: 180, period: week, discount: 0.1, churn_threshold: 0.6}
groups:
  - {name: repeat3, when: 'frequency >= 3'}
`

// TestCLVOnPrism runs a store with a clv section through segment run
// -runner prism's driver and checks every output against a local run of
// the same options (compareRuns): the models fitted on every customer
// after job 1, each customer's predictions (p_alive, expected_orders_180d,
// expected_aov, clv_180d) and lifetime-value groups in the assignment
// shards of job 2 and the assignments, the report's section and
// run.json's clv. It checks that both models were fitted and the groups
// have members, so that the comparison covers them.
func TestCLVOnPrism(t *testing.T) {
	dir := generatedStore(t, 700, 5)
	path := filepath.Join(t.TempDir(), "segment.yaml")
	if err := os.WriteFile(path, []byte(clvConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	o := optionsOf(t, path)
	o.Orders, o.Restarts, o.Workers = withSpendSpread(t, filepath.Join(dir, "orders.parquet")), 3, 2
	run := onPrism(t, o, nil)
	lv := run.local.CLV
	if lv == nil || lv.BGNBD == nil || lv.GammaGamma == nil || lv.Scored == 0 {
		t.Fatalf("local run's clv %+v: want both models fitted", lv)
	}
	for _, g := range []string{pipeline.ChurnRiskGroup, pipeline.HighValueAtRiskGroup, "repeat3"} {
		if n := run.local.Groups[g]; n == nil || *n == 0 {
			t.Errorf("group %s: %v members, want some", g, n)
		}
	}
	tab, err := data.ReadTable(context.Background(), filepath.Join(run.out, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"p_alive", "expected_orders_180d", "expected_aov", "clv_180d"} {
		if tab.Column(name) == nil {
			t.Errorf("assignments: no %s column", name)
		}
	}
}

// withSpendSpread writes the lines of the order file orders into a
// Parquet file of row groups of 500 lines, each positive amount drawn
// from the Gamma-Gamma model (a Gamma(4) amount at a rate of the
// customer's, itself Gamma(4)-distributed), fixed by hashes of the ids,
// and returns its path: the generated store's customers spend too much
// alike, order after order, for the model to fit.
func withSpendSpread(t *testing.T, orders string) string {
	t.Helper()
	rows := readOrderRows(t, orders)
	// gamma4 returns a Gamma(4, 1) draw fixed by key: −Σ ln u over four
	// uniforms from hashes.
	gamma4 := func(key string) float64 {
		var g float64
		for k := range 4 {
			h := fnv.New64a()
			fmt.Fprintf(h, "%s/%d", key, k)
			g -= math.Log((float64(h.Sum64()>>11) + 0.5) / (1 << 53))
		}
		return g
	}
	for i, r := range rows {
		if r.Amount <= 0 {
			continue
		}
		amount := math.Round(gamma4(fmt.Sprint(i))/(gamma4(r.CustomerID)/40)*100) / 100
		rows[i].Amount, rows[i].Discount = amount, math.Round(r.Discount*amount/r.Amount*100)/100
	}
	path := filepath.Join(t.TempDir(), "orders.parquet")
	writeRowGroups(t, path, rows, 500)
	return path
}

// TestCLVHoldoutOnPrism runs the store of TestCLVOnPrism with a holdout:
// clv.holdout_days 30 in the config, overridden by the run's 60 (segment
// run -holdout-days, passed to segment-beam as a flag), and checks every
// output against a local run (compareRuns): job 1's calibration and
// holdout columns in the feature shards and assignments, the models fitted
// on the calibration period, the holdout table and tracking plot in the
// report and run.json's clv.holdout, whose store-wide daily counts job 1
// sums over the customers. It checks that the local run compared the
// models with a 60-day holdout, with calibration customers in several
// buckets and a tracking plot, so that the comparison covers them.
func TestCLVHoldoutOnPrism(t *testing.T) {
	dir := generatedStore(t, 700, 5)
	path := filepath.Join(t.TempDir(), "segment.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(clvConfig, "churn_threshold: 0.6}", "churn_threshold: 0.6, holdout_days: 30}", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	orders := withSpendSpread(t, filepath.Join(dir, "orders.parquet"))
	// In UTC, and in a zone whose days are 23 and 25 hours long twice a
	// year (the holdout's days are calendar days of the zone).
	for _, zone := range []string{"UTC", "Europe/Berlin"} {
		t.Run(zone, func(t *testing.T) {
			o := optionsOf(t, path)
			o.Orders, o.Restarts, o.Workers = orders, 3, 2
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			o.Location, o.HoldoutDays = loc, 60
			run := onPrism(t, o, nil)
			lv := run.local.CLV
			if lv == nil || lv.BGNBD == nil || lv.Holdout == nil || lv.Holdout.Days != 60 || lv.Holdout.Predicted == nil {
				t.Fatalf("local run's clv %+v: want the BG/NBD fitted and compared with a 60-day holdout", lv)
			}
			h := lv.Holdout
			if h.CalibrationCustomers == 0 || h.Actual == 0 || h.Buckets[0].Customers == 0 || h.Buckets[1].Customers == 0 {
				t.Fatalf("holdout %+v: want calibration customers in buckets 0 and 1 and holdout purchases", h)
			}
			md, err := os.ReadFile(filepath.Join(run.out, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"### Calibration and holdout", "](plots/clv_tracking.png)"} {
				if !strings.Contains(string(md), want) {
					t.Errorf("report.md: no %q", want)
				}
			}
		})
	}
}
