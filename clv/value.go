package clv

import (
	"fmt"
	"math"
)

// Value sets how lifetime value is computed from a BG/NBD and a Gamma-Gamma
// model. The zero value of each field selects the default beside it.
type Value struct {
	// HorizonDays is the horizon of the value, in days (default 365).
	HorizonDays float64
	// Discount is the annual discount rate: revenue τ days ahead is worth
	// (1+Discount)^(−τ/365) today (default 0, no discounting).
	Discount float64
	// StepDays is the length of the discounting steps in days (default 30,
	// the month of lifetimes' customer_lifetime_value).
	StepDays float64
	// Period is the period the models were fitted in (default Day).
	Period Period
}

func (v Value) withDefaults() Value {
	if v.HorizonDays <= 0 {
		v.HorizonDays = 365
	}
	if v.StepDays <= 0 {
		v.StepDays = 30
	}
	return v
}

// Prediction is what the models say about one customer.
type Prediction struct {
	PAlive         float64 // P(alive) at the end of calibration
	ExpectedOrders float64 // expected repeat purchase days within the horizon
	ExpectedAOV    float64 // expected mean order value (Gamma-Gamma)
	CLV            float64 // discounted value within the horizon
}

// Predict returns one customer's P(alive), expected purchases within the
// horizon (eq. 10 of Fader, Hardie & Lee 2005a), expected order value
// (Fader & Hardie 2013, eq. 5) and lifetime value
//
//	CLV = Σ_{k=1..K} E[M] · (E[Y(τ_k)] − E[Y(τ_(k−1))]) · (1+d)^(−τ_k/365),
//
// with τ_k = min(k·StepDays, HorizonDays) in days (converted to periods),
// τ_0 = 0, K = ⌈HorizonDays/StepDays⌉ and E[Y(·)] conditional on s: the
// purchases expected in each step, valued at the expected order value and
// discounted from the step's end. With d = 0 it is E[M]·E[Y(horizon)]. This
// is lifetimes' customer_lifetime_value with a monthly discount rate of
// (1+d)^(30/365) − 1. s is in the models' period; sp is the customer's
// repeat-purchase spend. The error is a *NotComputedError (ErrNonFinite)
// if any figure is not finite.
func (v Value) Predict(bg BGNBD, gg GammaGamma, s Stats, sp Spend) (Prediction, error) {
	v = v.withDefaults()
	per := v.Period.Days()
	p := Prediction{PAlive: bg.PAlive(s), ExpectedAOV: gg.ExpectedAOV(sp)}
	k := int(math.Ceil(v.HorizonDays/v.StepDays - 1e-9))
	prev := 0.0
	for i := 1; i <= k; i++ {
		tau := math.Min(float64(i)*v.StepDays, v.HorizonDays)
		e, ok := bg.ConditionalExpected(s, tau/per)
		if !ok {
			return Prediction{}, notComputed("CLV", ErrNonFinite, "expected purchases in %g days for x=%d t_x=%g T=%g", tau, s.X, s.Tx, s.T)
		}
		p.CLV += p.ExpectedAOV * (e - prev) * math.Pow(1+v.Discount, -tau/365)
		prev = e
	}
	p.ExpectedOrders = prev
	for _, f := range []float64{p.PAlive, p.ExpectedOrders, p.ExpectedAOV, p.CLV} {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return Prediction{}, notComputed("CLV", ErrNonFinite, "%+v for x=%d t_x=%g T=%g", p, s.X, s.Tx, s.T)
		}
	}
	return p, nil
}

// Validate reports settings no computation can use.
func (v Value) Validate() error {
	switch {
	case v.HorizonDays < 0 || math.IsNaN(v.HorizonDays) || math.IsInf(v.HorizonDays, 0):
		return fmt.Errorf("clv: horizon %g days: want a positive number", v.HorizonDays)
	case v.Discount < 0 || v.Discount >= 1 || math.IsNaN(v.Discount):
		return fmt.Errorf("clv: discount %g: want an annual rate in [0, 1)", v.Discount)
	case v.StepDays < 0 || math.IsNaN(v.StepDays) || math.IsInf(v.StepDays, 0):
		return fmt.Errorf("clv: step %g days: want a positive number", v.StepDays)
	}
	return nil
}
