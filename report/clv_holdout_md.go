package report

import (
	"fmt"
	"strings"
	"time"
)

// CLVHoldout is the calibration/holdout part of the lifetime-value section
// (clv.holdout_days): the models fitted on the calibration period against
// what the calibration customers did in the holdout.
type CLVHoldout struct {
	Days           int
	CalibrationEnd time.Time // the last calibration day
	Customers      int       // customers with a purchase in calibration
	// CalibrationRepeat is their repeat purchases in calibration; Actual
	// those in the holdout, Predicted the model's expectation of Actual
	// (valid when Computed: the BG/NBD model was fitted).
	CalibrationRepeat int64
	Actual            int64
	Predicted         float64
	Computed          bool
	Buckets           []CLVBucket
	Plot              *Plot // the cumulative tracking plot, or nil
}

// CLVBucket is the calibration customers with one calibration frequency.
type CLVBucket struct {
	Label     string // repeat purchases in calibration: "0" … "6", "7+"
	Customers int
	Predicted float64 // mean expected holdout purchases
	Actual    float64 // mean holdout purchases
}

func writeCLVHoldout(b *strings.Builder, h *CLVHoldout) {
	if h == nil {
		return
	}
	end := h.CalibrationEnd.Format(time.DateOnly)
	b.WriteString("### Calibration and holdout\n\n")
	fmt.Fprintf(b, "The models were fitted on the purchases up to %s (the calibration period) and tested on the %s days after it "+
		"(the holdout, to the day before the analysis date): for each of the %s customers who bought in calibration, "+
		"the number of repeat purchases the model expects in the holdout, given their calibration history, "+
		"against the purchase days they made (several orders on one day count once). "+
		"The assignments' lifetime-value columns and the churn groups still score every customer on all their purchases up to the analysis date, with these calibration fits.\n\n",
		end, FormatInt(int64(h.Days)), FormatInt(int64(h.Customers)))
	fmt.Fprintf(b, "- Repeat purchases in calibration: %s\n", FormatInt(h.CalibrationRepeat))
	if !h.Computed {
		fmt.Fprintf(b, "- Repeat purchases in the holdout: %s; predicted: not computed (no BG/NBD model)\n\n", FormatInt(h.Actual))
	} else {
		fmt.Fprintf(b, "- Repeat purchases in the holdout: predicted %s, actual %s (%s)\n\n", formatNumber(h.Predicted), FormatInt(h.Actual),
			formatSignedPercent(fraction(h.Predicted-float64(h.Actual), float64(h.Actual))))
	}
	if len(h.Buckets) > 0 {
		b.WriteString("| repeat purchases in calibration | customers | mean predicted in holdout | mean actual in holdout |\n|---|---:|---:|---:|\n")
		for _, r := range h.Buckets {
			pred := "–"
			if h.Computed && r.Customers > 0 {
				pred = formatFixed(r.Predicted, 2)
			}
			act := "–"
			if r.Customers > 0 {
				act = formatFixed(r.Actual, 2)
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", mdText(r.Label), FormatInt(int64(r.Customers)), pred, act)
		}
		b.WriteString("\nRead each row as a group of customers who bought equally often in calibration: where the predicted mean " +
			"is close to the actual, the model's expected orders (and CLV) can be trusted for such customers; " +
			"where it is below, the model underestimates them (the BG/NBD often does for light repeat buyers).\n\n")
	}
	if p := h.Plot; p != nil {
		if link, err := plotLink(p.Path); err == nil {
			fmt.Fprintf(b, "![%s](%s)\n\n%s\n\n", mdText(p.Title), link, mdText(p.Caption))
		}
	}
}
