package clv

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// TestFitBGNBDSimulated fits 20,000 customers simulated from known
// parameters (sim_test.go) and checks the estimates are near them; the
// bounds are several standard errors wide at this n.
func TestFitBGNBDSimulated(t *testing.T) {
	truth := BGNBD{R: 0.6, Alpha: 8, A: 0.9, B: 3}
	data := simulate(truth, 20000, 20, 52, 0, 1)
	fit, err := FitBGNBD(context.Background(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fit %+v", fit.BGNBD)
	for _, c := range []struct {
		name       string
		got, want  float64
		relMaxDiff float64
	}{
		{"r", fit.R, truth.R, 0.1}, {"alpha", fit.Alpha, truth.Alpha, 0.15},
		{"a", fit.A, truth.A, 0.3}, {"b", fit.B, truth.B, 0.3},
	} {
		if math.Abs(c.got-c.want) > c.relMaxDiff*c.want {
			t.Errorf("%s = %.4g, simulated with %g", c.name, c.got, c.want)
		}
	}
}

// TestFitDegenerate checks every way a fit can refuse, and that the
// refusal is a typed "not computed" error, never NaN parameters.
func TestFitDegenerate(t *testing.T) {
	repeat := func(n int, s Stats) []Stats {
		out := make([]Stats, n)
		for i := range out {
			out[i] = s
		}
		return out
	}
	sim := simulate(BGNBD{R: 0.6, Alpha: 8, A: 0.9, B: 3}, 500, 20, 52, 0, 2)
	for _, c := range []struct {
		name string
		data []Stats
		set  *FitSettings
		want error
	}{
		{"no customers", nil, nil, ErrTooFewRepeat},
		{"no repeat customers", repeat(1000, Stats{T: 30}), nil, ErrTooFewRepeat},
		{"few repeat customers", append(repeat(1000, Stats{T: 30}), repeat(19, Stats{X: 1, Tx: 3, T: 30})...), nil, ErrTooFewRepeat},
		{"store two days old", append(repeat(100, Stats{T: 2}), repeat(50, Stats{X: 1, Tx: 1, T: 2})...), nil, ErrShortHistory},
		{"iteration limit", sim, &FitSettings{MaxIterations: 1}, ErrNoConvergence},
		// Everyone bought on the last day: no sign of dropout, so the
		// dropout parameters run off to the boundary.
		{"nobody drops out", repeat(200, Stats{X: 4, Tx: 30, T: 30}), nil, ErrNoConvergence},
	} {
		t.Run(c.name, func(t *testing.T) {
			fit, err := FitBGNBD(context.Background(), c.data, c.set)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v (fit %+v), want %v", err, fit, c.want)
			}
			var nc *NotComputedError
			if !errors.As(err, &nc) || !strings.Contains(err.Error(), "BG/NBD not computed: ") {
				t.Errorf("err = %q, want a *NotComputedError reading \"clv: BG/NBD not computed: …\"", err)
			}
		})
	}
}

func TestFitGammaGammaDegenerate(t *testing.T) {
	few := []Spend{{X: 0}, {X: 1, Mean: 10}, {X: 2, Mean: -5}}
	same := make([]Spend, 200) // every customer spends exactly 25: ν has no spread
	for i := range same {
		same[i] = Spend{X: 1 + i%5, Mean: 25}
	}
	for _, c := range []struct {
		name string
		data []Spend
		want error
	}{
		{"too few repeat customers", few, ErrTooFewRepeat},
		{"no spread in spend", same, ErrNoConvergence},
	} {
		t.Run(c.name, func(t *testing.T) {
			fit, err := FitGammaGamma(context.Background(), c.data, nil)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v (fit %+v), want %v", err, fit, c.want)
			}
			if !strings.Contains(err.Error(), "Gamma-Gamma not computed: ") {
				t.Errorf("err = %q", err)
			}
		})
	}
}

func TestFitCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := simulate(BGNBD{R: 0.6, Alpha: 8, A: 0.9, B: 3}, 500, 20, 52, 0, 3)
	if _, err := FitBGNBD(ctx, data, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("FitBGNBD after cancel: err = %v, want context.Canceled", err)
	}
}

// TestFitGammaGammaPoorFit: mean spends spread like a log-normal with σ =
// 1.5 across customers: the fit puts q near 1 and implies a mean order
// value far above the observed one, which the fit refuses.
func TestFitGammaGammaPoorFit(t *testing.T) {
	var data []Spend
	for i := range 2000 {
		// Normal quantiles, deterministic: Φ⁻¹((i+0.5)/2000).
		z := math.Sqrt2 * math.Erfinv(2*(float64(i)+0.5)/2000-1)
		data = append(data, Spend{X: 1 + i%5, Mean: 30 * math.Exp(1.5*z)})
	}
	fit, err := FitGammaGamma(context.Background(), data, nil)
	if !errors.Is(err, ErrPoorFit) {
		t.Errorf("err = %v (fit %+v), want ErrPoorFit", err, fit)
	}
	t.Log(err)
}
