package clv

import (
	"context"
	"math"
	"testing"
)

// cdnowSpend returns each CDNOW customer's repeat transactions in the
// calibration period and their mean value. A transaction is a purchase
// day: the dollars of one day are summed (as the cbs merges the day), and
// the first day is excluded as in Fader & Hardie (2013).
func cdnowSpend(t testing.TB) []Spend {
	t.Helper()
	calEnd := dayOf(t, "1997-09-30")
	var out []Spend
	for _, ps := range loadLog(t) {
		byDay := map[int]float64{}
		first := math.MaxInt
		for _, p := range ps {
			if p.day <= calEnd {
				byDay[p.day] += p.dollars
				first = min(first, p.day)
			}
		}
		var s Spend
		for d, v := range byDay {
			if d != first {
				s.X++
				s.Mean += v
			}
		}
		if s.X > 0 {
			s.Mean /= float64(s.X)
		}
		out = append(out, s)
	}
	return out
}

// TestFitGammaGammaCDNOW reproduces the published Gamma-Gamma fit on the
// 946 CDNOW customers with a repeat purchase in calibration (Fader &
// Hardie 2013): p = 6.25, q = 3.74, γ = 15.44 (lifetimes: 6.25, 3.74,
// 15.45).
func TestFitGammaGammaCDNOW(t *testing.T) {
	data := cdnowSpend(t)
	fit, err := FitGammaGamma(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("p=%.6f q=%.6f gamma=%.6f LL=%.4f corr=%.4f n=%d iter=%d", fit.P, fit.Q, fit.Gamma, fit.LogLik, fit.Correlation, fit.Customers, fit.Iterations)
	for _, c := range []struct {
		name            string
		got, want, unit float64 // unit: the last published digit
	}{
		{"p", fit.P, 6.25, 0.01}, {"q", fit.Q, 3.74, 0.01}, {"gamma", fit.Gamma, 15.44, 0.01},
	} {
		if !sig3(c.got, c.want) {
			t.Errorf("%s = %.6g, want %g to 3 significant digits", c.name, c.got, c.want)
		}
		if math.Abs(c.got-c.want) > c.unit/2 {
			t.Errorf("%s = %.6g, want %g to all published digits", c.name, c.got, c.want)
		}
	}
	// Fader & Hardie (2013) report a correlation of 0.11 between the
	// number of repeat transactions and their mean value.
	if math.Round(fit.Correlation*100) != 11 {
		t.Errorf("correlation %.4f, want 0.11", fit.Correlation)
	}
	if fit.Customers != 946 || fit.Excluded != 0 {
		t.Errorf("fitted %d customers (%d excluded), want 946 (0)", fit.Customers, fit.Excluded)
	}
}
