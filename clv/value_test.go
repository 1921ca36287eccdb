package clv

import (
	"errors"
	"math"
	"testing"
)

func TestValuePredict(t *testing.T) {
	bg := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426} // CDNOW, weeks
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	s := Stats{X: 2, Tx: 30.4285714285714, T: 38.8571428571429}
	sp := Spend{X: 2, Mean: 30}
	// E[M] by eq. 5 written out: (pγ + p·x·m)/(p·x + q − 1).
	aov := (6.25*15.44 + 6.25*2*30) / (6.25*2 + 3.74 - 1)
	for _, c := range []struct {
		name string
		v    Value
		want func() float64
	}{
		{"no discount telescopes to E[M]·E[Y(H)]", Value{HorizonDays: 365, Period: Week}, func() float64 {
			_, e := integralOracle(bg, s, 365.0/7)
			return aov * e
		}},
		{"discounted, 12 months and 5 days", Value{HorizonDays: 365, Discount: 0.1, Period: Week}, func() float64 {
			// lifetimes' loop with the monthly rate (1.1)^(30/365) − 1 and
			// steps from the integral oracle; the last step is 5 days long.
			dm := math.Pow(1.1, 30.0/365) - 1
			var sum, prev float64
			for i := 1; i <= 13; i++ {
				days := math.Min(float64(30*i), 365)
				_, e := integralOracle(bg, s, days/7)
				sum += aov * (e - prev) / math.Pow(1+dm, days/30)
				prev = e
			}
			return sum
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.v.Predict(bg, gg, s, sp)
			if err != nil {
				t.Fatal(err)
			}
			want := c.want()
			if math.Abs(got.CLV-want) > 1e-6*want {
				t.Errorf("CLV = %.10g, want %.10g", got.CLV, want)
			}
			if math.Abs(got.ExpectedAOV-aov) > 1e-12*aov {
				t.Errorf("E[M] = %.12g, want %.12g", got.ExpectedAOV, aov)
			}
			if math.Abs(got.PAlive-0.7265897218) > 1e-9 {
				t.Errorf("P(alive) = %.10g, want 0.7265897218 (integral, predict_test.go)", got.PAlive)
			}
		})
	}
}

func TestExpectedAOVNoRepeat(t *testing.T) {
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	want := 6.25 * 15.44 / 2.74 // the population mean pγ/(q−1)
	for _, sp := range []Spend{{X: 0}, {X: 3, Mean: 0}} {
		if got := gg.ExpectedAOV(sp); math.Abs(got-want) > 1e-12 {
			t.Errorf("ExpectedAOV(%+v) = %g, want the population mean %g", sp, got, want)
		}
	}
}

func TestValuePredictNonFinite(t *testing.T) {
	// An absurd Gamma-Gamma (q = 1) gives an infinite population mean.
	_, err := Value{}.Predict(BGNBD{R: 1, Alpha: 1, A: 1, B: 1}, GammaGamma{P: 1, Q: 1, Gamma: 1}, Stats{T: 10}, Spend{})
	if !errors.Is(err, ErrNonFinite) {
		t.Errorf("err = %v, want ErrNonFinite", err)
	}
}

func TestValueValidate(t *testing.T) {
	for _, c := range []struct {
		v  Value
		ok bool
	}{
		{Value{}, true},
		{Value{HorizonDays: 365, Discount: 0.1}, true},
		{Value{Discount: -0.1}, false},
		{Value{Discount: 1}, false},
		{Value{HorizonDays: math.NaN()}, false},
		{Value{StepDays: -1}, false},
	} {
		if err := c.v.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v.Validate() = %v, want ok=%v", c.v, err, c.ok)
		}
	}
}
