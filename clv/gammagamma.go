package clv

import (
	"context"
	"math"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat"
)

// Spend is what the Gamma-Gamma model sees of one customer: X repeat
// transactions (as Stats.X) and Mean, their mean value. Fader & Hardie
// (2013) use the repeat transactions only; the first purchase is excluded.
type Spend struct {
	X    int
	Mean float64
}

// GammaGamma holds the parameters of the Gamma-Gamma spend model (Fader,
// Hardie & Lee 2005b; Fader & Hardie 2013): a transaction's value is
// Gamma(p, ν), ν ~ Gamma(q, γ) across customers, independent of the
// purchase process.
type GammaGamma struct {
	P, Q, Gamma float64
}

// GammaGammaFit is a fitted Gamma-Gamma model with the figures of its fit.
type GammaGammaFit struct {
	GammaGamma
	LogLik     float64 // maximised log-likelihood
	Customers  int     // customers fitted: X ≥ 1 and Mean > 0
	Excluded   int     // customers with X ≥ 1 but Mean ≤ 0 (refunds), left out
	Iterations int     // optimiser major iterations
	// Correlation is the Pearson correlation of X and Mean over the fitted
	// customers. The model assumes they are independent; Fader & Hardie
	// (2013) report 0.11 for CDNOW and call that small enough.
	Correlation float64
}

// LogLik returns one customer's log-likelihood (Fader & Hardie 2013, eq. 4):
//
//	ℓ = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m
//	    + px ln x − (px+q) ln(γ + m x).
func (g GammaGamma) LogLik(s Spend) float64 {
	return g.logLik([]Spend{s}, nil)
}

// logLik returns Σ ℓ and, when grad is not nil, the gradient with respect
// to (ln p, ln q, ln γ) in grad.
func (g GammaGamma) logLik(data []Spend, grad []float64) float64 {
	p, q, gm := g.P, g.Q, g.Gamma
	lgQ, _ := math.Lgamma(q)
	psiQ, lnG := mathext.Digamma(q), math.Log(gm)
	var ll, gp, gq, gg float64
	for _, s := range data {
		x, m := float64(s.X), s.Mean
		px := p * x
		lgPXQ, _ := math.Lgamma(px + q)
		lgPX, _ := math.Lgamma(px)
		lm, lx, lgm := math.Log(m), math.Log(x), math.Log(gm+m*x)
		ll += lgPXQ - lgPX - lgQ + q*lnG + (px-1)*lm + px*lx - (px+q)*lgm
		if grad != nil {
			psiPXQ := mathext.Digamma(px + q)
			gp += x * (psiPXQ - mathext.Digamma(px) + lm + lx - lgm)
			gq += psiPXQ - psiQ + lnG - lgm
			gg += q/gm - (px+q)/(gm+m*x)
		}
	}
	if grad != nil {
		grad[0], grad[1], grad[2] = gp*p, gq*q, gg*gm
	}
	return ll
}

// FitGammaGamma fits the Gamma-Gamma model by maximum likelihood on the
// customers with X ≥ 1 and Mean > 0 (BFGS on the parameters' logarithms,
// analytic gradient). It returns a *NotComputedError when fewer than
// MinRepeat customers qualify, when the optimiser does not converge or a
// parameter runs to the boundary, when q ≤ 1 (the mean spend is then
// infinite and ExpectedAOV undefined), when the implied mean order value
// pγ/(q−1) is more than twice or less than half the observed mean of the
// customers' means (ErrPoorFit), and when the result is not finite.
func FitGammaGamma(ctx context.Context, data []Spend, set *FitSettings) (GammaGammaFit, error) {
	const model = "Gamma-Gamma"
	st := set.withDefaults()
	var use []Spend
	excluded := 0
	var sumM float64
	for _, s := range data {
		switch {
		case s.X < 1:
		case !(s.Mean > 0) || math.IsInf(s.Mean, 0):
			excluded++
		default:
			use = append(use, s)
			sumM += s.Mean
		}
	}
	if len(use) < st.MinRepeat {
		return GammaGammaFit{}, notComputed(model, ErrTooFewRepeat, "%d customers with a repeat purchase of positive value, want at least %d", len(use), st.MinRepeat)
	}
	n := float64(len(use))
	// Start from p = 1, q = 2, γ = mean spend (so pγ/(q−1) = mean spend).
	x0 := []float64{0, math.Log(2), math.Log(sumM / n)}
	res, err := minimize(ctx, func(x, grad []float64) float64 {
		return ggParams(x).logLik(use, grad)
	}, n, x0, st.MaxIterations)
	if err != nil {
		return GammaGammaFit{}, err
	}
	if res.err != nil {
		return GammaGammaFit{}, notComputed(model, ErrNoConvergence, "%v after %d iterations", res.err, res.iter)
	}
	if err := checkBoundary(model, res.x, "p", "q", "gamma"); err != nil {
		return GammaGammaFit{}, err
	}
	g := ggParams(res.x)
	if g.Q <= 1 {
		return GammaGammaFit{}, notComputed(model, ErrNonFinite, "q = %.3g ≤ 1, the mean order value is infinite", g.Q)
	}
	// Under the model E[m_x] = pγ/(q−1) whatever x, so the mean of the
	// customers' means estimates it without bias. A fit whose implied mean
	// is off by more than a factor 2 describes some other data: typically
	// spend that barely varies within a customer (p → ∞) or correlates
	// with frequency, against the model's assumptions.
	if implied, observed := g.P*g.Gamma/(g.Q-1), sumM/n; implied > 2*observed || implied < observed/2 {
		return GammaGammaFit{}, notComputed(model, ErrPoorFit, "implied mean order value %.4g against %.4g observed (p=%.3g q=%.3g gamma=%.3g)", implied, observed, g.P, g.Q, g.Gamma)
	}
	ll := g.logLik(use, nil)
	xs, ms := make([]float64, len(use)), make([]float64, len(use))
	for i, s := range use {
		xs[i], ms[i] = float64(s.X), s.Mean
	}
	corr := stat.Correlation(xs, ms, nil)
	if math.IsNaN(corr) {
		corr = 0 // every X or every Mean equal: no linear association
	}
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return GammaGammaFit{}, notComputed(model, ErrNonFinite, "log-likelihood %v at p=%g q=%g gamma=%g", ll, g.P, g.Q, g.Gamma)
	}
	return GammaGammaFit{GammaGamma: g, LogLik: ll, Customers: len(use), Excluded: excluded, Iterations: res.iter, Correlation: corr}, nil
}

func ggParams(x []float64) GammaGamma {
	return GammaGamma{P: math.Exp(x[0]), Q: math.Exp(x[1]), Gamma: math.Exp(x[2])}
}

// ExpectedAOV returns the expected mean transaction value of a customer
// (Fader & Hardie 2013, eq. 5), a weighted mean of the population mean
// pγ/(q−1) and the customer's own mean:
//
//	E[M | p, q, γ, m_x, x] = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · m_x.
//
// For X = 0 (or Mean ≤ 0, when the customer's mean tells nothing) it is the
// population mean. The model must have q > 1, as a fit guarantees.
func (g GammaGamma) ExpectedAOV(s Spend) float64 {
	pop := g.P * g.Gamma / (g.Q - 1)
	if s.X < 1 || !(s.Mean > 0) {
		return pop
	}
	px := g.P * float64(s.X)
	den := px + g.Q - 1
	return (g.Q-1)/den*pop + px/den*s.Mean
}
