package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestWriteCLVHoldout: the holdout part names the calibration end, the
// totals and a row per bucket; without a BG/NBD model the predictions are
// "not computed" and dashes, never NaN.
func TestWriteCLVHoldout(t *testing.T) {
	h := CLVHoldout{Days: 273, CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC), Customers: 3,
		CalibrationRepeat: 4, Actual: 5, Predicted: 4.5, Computed: true,
		Buckets: []CLVBucket{{Label: "0", Customers: 2, Predicted: 0.25, Actual: 0.5}, {Label: "7+"}},
		Plot:    &Plot{Title: "Tracking", Path: "plots/clv_tracking.png", Caption: "cumulative"}}
	for _, c := range []struct {
		name      string
		edit      func(*CLVHoldout)
		want, not []string
	}{
		{"computed", func(*CLVHoldout) {},
			[]string{"### Calibration and holdout", "up to 1997-09-30", "predicted 4.50, actual 5 (-10%)", "| 0 | 2 | 0.25 | 0.50 |", "| 7+ | 0 | – | – |",
				"![Tracking](plots/clv_tracking.png)"}, []string{"NaN"}},
		{"no BG/NBD", func(h *CLVHoldout) { h.Computed, h.Plot = false, nil },
			[]string{"predicted: not computed", "| 0 | 2 | – | 0.50 |"}, []string{"NaN", "clv_tracking"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sec := h
			c.edit(&sec)
			var b strings.Builder
			writeCLV(&b, &Run{CLV: &CLV{HorizonDays: 30, Period: "week", Holdout: &sec}})
			for _, w := range c.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("missing %q in\n%s", w, b.String())
				}
			}
			for _, w := range c.not {
				if strings.Contains(b.String(), w) {
					t.Errorf("unexpected %q in\n%s", w, b.String())
				}
			}
		})
	}
}

// TestTrackingPlot draws the plot in both formats and refuses series of
// different lengths and non-finite values.
func TestTrackingPlot(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	act, exp := []float64{0, 1, 3, 4}, []float64{0.5, 1.2, 2.8, 4.1}
	for _, f := range []Format{PNG, SVG} {
		var b bytes.Buffer
		if err := TrackingPlot(&b, f, start, 7, act, exp, 1); err != nil || b.Len() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	nan := []float64{0, 1, 3, 0}
	nan[3] = nan[3] / nan[0]
	for name, e := range map[string][]float64{"short": exp[:3], "empty": nil, "NaN": nan} {
		a := act
		if e == nil {
			a = nil
		}
		if err := TrackingPlot(&bytes.Buffer{}, PNG, start, 7, a, e, 1); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
