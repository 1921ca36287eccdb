package clv

import (
	"context"
	"math"
	"testing"
)

// sig3 reports whether got equals want to 3 significant digits: rounded to
// 3 significant digits, both give the same number.
func sig3(got, want float64) bool {
	round := func(v float64) float64 {
		e := math.Pow(10, math.Floor(math.Log10(math.Abs(v)))-2)
		return math.Round(v/e) * e
	}
	return round(got) == round(want)
}

// TestFitBGNBDCDNOW reproduces the published BG/NBD fit on the CDNOW
// sample's cbs: Fader, Hardie & Lee (2005a), section 4: r = 0.243,
// α = 4.414, a = 0.793, b = 2.426, LL = −9582.4 (lifetimes: 0.242593,
// 4.413532, 0.792886, 2.425752).
func TestFitBGNBDCDNOW(t *testing.T) {
	rows := loadCBS(t)
	data := make([]Stats, len(rows))
	for i, r := range rows {
		data[i] = r.Stats
	}
	fit, err := FitBGNBD(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("r=%.6f alpha=%.6f a=%.6f b=%.6f LL=%.4f iter=%d", fit.R, fit.Alpha, fit.A, fit.B, fit.LogLik, fit.Iterations)
	for _, c := range []struct {
		name            string
		got, want, unit float64 // unit: the last published digit
	}{
		{"r", fit.R, 0.243, 1e-3}, {"alpha", fit.Alpha, 4.414, 1e-3}, {"a", fit.A, 0.793, 1e-3},
		{"b", fit.B, 2.426, 1e-3}, {"LL", fit.LogLik, -9582.4, 0.1},
	} {
		if !sig3(c.got, c.want) {
			t.Errorf("%s = %.6g, want %g to 3 significant digits", c.name, c.got, c.want)
		}
		// Every published digit, not only three: within half a unit of the last.
		if math.Abs(c.got-c.want) > c.unit/2 {
			t.Errorf("%s = %.6g, want %g to all published digits", c.name, c.got, c.want)
		}
	}
	if fit.Customers != cdnowCust || fit.Repeat != cdnowCust-1411 {
		t.Errorf("customers %d repeat %d, want %d and %d", fit.Customers, fit.Repeat, cdnowCust, cdnowCust-1411)
	}
}

// TestHoldoutCDNOW compares the fitted model's prediction of the 39-week
// holdout (1997-10-01 – 1998-06-30) with what the CDNOW customers did:
// Σ E[Y(39) | x, t_x, T] = 1,653.4 predicted repeat transactions against
// 1,882 actual (−12.1 %). The shortfall is the model's, not the code's
// (eq. 10 is checked against numerical integration in predict_test.go):
// per calibration frequency the predicted holdout means are x=0 0.225
// (actual 0.237), x=1 0.523 (0.697), x=2 1.04 (1.39), x≥7 6.16 (6.36), the
// pattern of Fader, Hardie & Lee's (2005a) fig. 5, which underpredicts the
// light repeat buyers. The unconditional cohort forecast,
// Σ E[X(T+39)] − E[X(T)], gives 1,666.6.
func TestHoldoutCDNOW(t *testing.T) {
	rows := loadCBS(t)
	data := make([]Stats, len(rows))
	for i, r := range rows {
		data[i] = r.Stats
	}
	fit, err := FitBGNBD(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var pred float64
	actual := 0
	for _, r := range rows {
		e, ok := fit.ConditionalExpected(r.Stats, 39)
		if !ok {
			t.Fatalf("E[Y(39)] not finite for %+v", r.Stats)
		}
		pred += e
		actual += r.XStar
	}
	t.Logf("predicted %.2f, actual %d", pred, actual)
	if actual != 1882 || math.Abs(pred-1653.4) > 0.05 {
		t.Errorf("predicted %.2f holdout repeat transactions (actual %d), want 1653.4 (1882)", pred, actual)
	}
}
