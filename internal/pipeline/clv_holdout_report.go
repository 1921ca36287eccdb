package pipeline

import (
	"io"
	"time"

	"github.com/segment-tool/segment/report"
)

// HoldoutSummary is run.json's clv.holdout: the calibration fit against
// the holdout (see CLVHoldout). Predicted values are null when the BG/NBD
// model was not computed.
type HoldoutSummary struct {
	Days int `json:"days"`
	// CalibrationEnd is the last calibration day, YYYY-MM-DD: the models
	// are fitted on the purchases up to it; the holdout runs from the next
	// day to the day before as_of.
	CalibrationEnd       string `json:"calibration_end"`
	CalibrationCustomers int    `json:"calibration_customers"`
	// CalibrationRepeat is Σ x, the repeat purchase days in calibration.
	CalibrationRepeat int64 `json:"calibration_repeat_transactions"`
	// Predicted and Actual are the calibration customers' holdout repeat
	// purchase days, expected (Σ E[Y(N) | x, t_x, T]) and made.
	Predicted *float64              `json:"predicted"`
	Actual    int64                 `json:"actual"`
	Buckets   []HoldoutBucketResult `json:"buckets"`
}

// HoldoutBucketResult is one calibration-frequency bucket of run.json's
// clv.holdout: x = "0" … "6" or "7+" repeat purchases in calibration.
type HoldoutBucketResult struct {
	Frequency     string   `json:"calibration_frequency"`
	Customers     int      `json:"customers"`
	PredictedMean *float64 `json:"predicted_mean"` // null without customers or model
	ActualMean    *float64 `json:"actual_mean"`    // null without customers
}

// summary returns run.json's clv.holdout, nil without a holdout.
func (h *CLVHoldout) summary() *HoldoutSummary {
	if h == nil {
		return nil
	}
	s := &HoldoutSummary{Days: h.Days, CalibrationEnd: h.CalibrationEnd.Format(time.DateOnly), CalibrationCustomers: h.Customers,
		CalibrationRepeat: h.CalibrationRepeat, Actual: h.Actual, Buckets: []HoldoutBucketResult{}}
	if h.Computed {
		s.Predicted = &h.Predicted
	}
	for k, b := range h.Buckets {
		row := HoldoutBucketResult{Frequency: BucketLabel(k), Customers: b.Customers}
		if b.Customers > 0 {
			act := float64(b.Actual) / float64(b.Customers)
			row.ActualMean = &act
			if h.Computed {
				pred := b.Predicted / float64(b.Customers)
				row.PredictedMean = &pred
			}
		}
		s.Buckets = append(s.Buckets, row)
	}
	return s
}

// section returns the report's calibration/holdout part, nil without a
// holdout; its Plot is set by writeReport.
func (h *CLVHoldout) section() *report.CLVHoldout {
	if h == nil {
		return nil
	}
	sec := &report.CLVHoldout{Days: h.Days, CalibrationEnd: h.CalibrationEnd, Customers: h.Customers,
		CalibrationRepeat: h.CalibrationRepeat, Actual: h.Actual, Predicted: h.Predicted, Computed: h.Computed}
	for k, b := range h.Buckets {
		row := report.CLVBucket{Label: BucketLabel(k), Customers: b.Customers}
		if b.Customers > 0 {
			row.Predicted, row.Actual = b.Predicted/float64(b.Customers), float64(b.Actual)/float64(b.Customers)
		}
		sec.Buckets = append(sec.Buckets, row)
	}
	return sec
}

// clvPlots is the cumulative tracking plot of a holdout run, when the
// BG/NBD model was fitted.
func (r *Result) clvPlots() []plotJob {
	if r.CLV == nil || r.CLV.Holdout == nil || r.CLV.Holdout.Tracking == nil {
		return nil
	}
	tr, per := r.CLV.Holdout.Tracking, r.CLV.Settings.Period
	return []plotJob{{"clv_tracking", "Cumulative repeat purchases: actual and BG/NBD",
		"The customers who bought in calibration: their repeat purchases added up day by day (solid) and the number the BG/NBD model " +
			"fitted on calibration expects (dashed: each customer's expected repeat purchases since their first purchase, summed). " +
			"Left of the vertical line the model was fitted; right of it is the holdout, the test. Lines that stay together right of it mean the model forecasts the store's repeat purchases well.",
		func(w io.Writer, f report.Format) error {
			return report.TrackingPlot(w, f, tr.Start, per.Days(), tr.Actual, tr.Expected, tr.CalibrationEnd)
		}, sectionCLV, true}}
}
