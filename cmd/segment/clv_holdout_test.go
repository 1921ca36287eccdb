package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCDNOWHoldout runs the CDNOW example through the papers' calibration
// and holdout: as_of 1998-07-01 and -holdout-days 273 (39 weeks), so the
// models are fitted on the purchases up to 1997-09-30 and tested on
// 1997-10-01 – 1998-06-30. The counts are those of ../shared/data/README.md:
// 2,457 repeat transactions in calibration and 1,882 in the holdout. The 8
// customers whose only purchase is of $0 are not buyers here; none of them
// made a repeat purchase in either period (BTYD's x and x.star are 0 for
// them), so the counts are the published ones, while the calibration
// customers number 2,349 (1,403 with x = 0 instead of 1,411). The
// predicted holdout total is 1,653.38, as from the published statistics in
// package clv (1,653.4, TestHoldoutCDNOW): the fit differs by under 1 %,
// which makes up for the small E[Y(39)] of the 8 left out.
// clv.churn_threshold 0.3 reaches the churn_risk group's definition, and
// the flag overrides the config's clv.holdout_days 100.
func TestCDNOWHoldout(t *testing.T) {
	sharedData(t, "cdnow/cdnow_sample.csv")
	example, err := os.ReadFile("testdata/examples/cdnow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(filepath.Join("..", "..", "..", "shared"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.ReplaceAll(string(example), "../../../../../shared", abs) +
		"as_of: 1998-07-01\nclv: {horizon_days: 273, discount: 0, period: week, churn_threshold: 0.3, holdout_days: 100}\n"
	dir := t.TempDir()
	path := filepath.Join(dir, "cdnow.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	mustSegment(t, "run", "-quiet", "-config", path, "-out", out, "-holdout-days", "273", "-workers", "1")
	// The same outputs, byte for byte, with several workers.
	out3 := filepath.Join(dir, "out3")
	mustSegment(t, "run", "-quiet", "-config", path, "-out", out3, "-holdout-days", "273", "-workers", "3")
	assertSameTree(t, out, out3)
	var m struct {
		CLV struct {
			BGNBD struct {
				Customers int
			} `json:"bgnbd"`
			Holdout *struct {
				Days           int
				CalibrationEnd string   `json:"calibration_end"`
				Customers      int      `json:"calibration_customers"`
				Repeat         int64    `json:"calibration_repeat_transactions"`
				Predicted      *float64 `json:"predicted"`
				Actual         int64
				Buckets        []struct {
					Frequency string   `json:"calibration_frequency"`
					Customers int      `json:"customers"`
					Predicted *float64 `json:"predicted_mean"`
					Actual    *float64 `json:"actual_mean"`
				}
			} `json:"holdout"`
		} `json:"clv"`
	}
	readJSON(t, filepath.Join(out, "run.json"), &m)
	h := m.CLV.Holdout
	if h == nil {
		t.Fatal("run.json has no clv.holdout")
	}
	if h.Days != 273 || h.CalibrationEnd != "1997-09-30" || h.Customers != 2349 || m.CLV.BGNBD.Customers != 2349 {
		t.Errorf("days %d, calibration end %s, %d calibration customers (%d fitted); want 273, 1997-09-30, 2,349",
			h.Days, h.CalibrationEnd, h.Customers, m.CLV.BGNBD.Customers)
	}
	if h.Repeat != 2457 || h.Actual != 1882 {
		t.Errorf("repeat transactions: %d in calibration, %d in the holdout; want 2,457 and 1,882", h.Repeat, h.Actual)
	}
	if h.Predicted == nil || math.Abs(*h.Predicted-1653.4) > 0.005*1653.4 {
		t.Errorf("predicted %v holdout transactions, want 1,653.4 within 0.5 %%", h.Predicted)
	}
	if len(h.Buckets) != 8 || h.Buckets[0].Frequency != "0" || h.Buckets[7].Frequency != "7+" {
		t.Fatalf("buckets %+v, want x = 0 … 6 and 7+", h.Buckets)
	}
	// Fader, Hardie & Lee's pattern (see clv's TestHoldoutCDNOW): x = 0
	// predicted 0.225 (actual 0.237), x = 1 0.523 (0.697), x ≥ 7 6.16 (6.36).
	customers, sum := 0, 0.0
	for k, want := range map[int][2]float64{0: {0.225, 0.237}, 1: {0.523, 0.697}, 7: {6.16, 6.36}} {
		b := h.Buckets[k]
		if b.Predicted == nil || math.Abs(*b.Predicted-want[0]) > 0.02*want[0] || math.Abs(*b.Actual-want[1]) > 0.02*want[1] {
			t.Errorf("x = %s: predicted %v, actual %v; want about %v", b.Frequency, b.Predicted, b.Actual, want)
		}
	}
	for _, b := range h.Buckets {
		customers += b.Customers
		if b.Actual != nil {
			sum += *b.Actual * float64(b.Customers)
		}
	}
	if h.Buckets[0].Customers != 1403 || customers != 2349 || math.Abs(sum-1882) > 1e-6 {
		t.Errorf("buckets: %d customers with x = 0, %d in all, %.1f holdout transactions; want 1,403, 2,349, 1,882",
			h.Buckets[0].Customers, customers, sum)
	}
	rep := readReport(t, out)
	for _, want := range []string{"### Calibration and holdout", "1997-09-30", "| 7+ |", "](plots/clv_tracking.png)", "P(alive) below 0.3 (BG/NBD model)"} {
		if !strings.Contains(rep, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "plots", "clv_tracking.png")); err != nil {
		t.Error(err)
	}
}
