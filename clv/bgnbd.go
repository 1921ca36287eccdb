package clv

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// BGNBD holds the parameters of the BG/NBD model (Fader, Hardie & Lee
// 2005a): while alive, a customer buys as a Poisson process with rate λ,
// λ ~ Gamma(shape R, rate Alpha); after each purchase the customer drops out
// with probability p, p ~ Beta(A, B). Times are in the periods the
// statistics were built with; Alpha is in periods too.
type BGNBD struct {
	R, Alpha, A, B float64
}

// BGNBDFit is a fitted BG/NBD model with the figures of its fit.
type BGNBDFit struct {
	BGNBD
	LogLik     float64 // maximised log-likelihood, Σ over customers of eq. 6
	Customers  int     // customers fitted
	Repeat     int     // of which with x ≥ 1
	Iterations int     // optimiser major iterations
}

// LogLik returns one customer's log-likelihood, eq. 6 of Fader, Hardie &
// Lee (2005a), in log space:
//
//	ℓ = lnΓ(r+x) − lnΓ(r) + r ln α + lnB(a, b+x) − lnB(a, b)
//	    + ln[ (α+T)^−(r+x) + 1{x>0} a/(b+x−1) (α+t_x)^−(r+x) ].
func (m BGNBD) LogLik(s Stats) float64 {
	s.check()
	return m.logLik([]group{{x: s.X, tx: []float64{s.Tx}, t: []float64{s.T}, w: []float64{1}}}, nil)
}

// logLik returns Σ w·ℓ over the groups and, when grad is not nil, stores
// the gradient with respect to (ln r, ln α, ln a, ln b) in grad.
func (m BGNBD) logLik(gs []group, grad []float64) float64 {
	r, al, a, b := m.R, m.Alpha, m.A, m.B
	lgR, _ := math.Lgamma(r)
	lgB, _ := math.Lgamma(b)
	lgAB, _ := math.Lgamma(a + b)
	psiR, psiB, psiAB := mathext.Digamma(r), mathext.Digamma(b), mathext.Digamma(a+b)
	lnAl, lnA := math.Log(al), math.Log(a)
	var ll, gr, gal, ga, gb float64
	for _, g := range gs {
		x := float64(g.x)
		rx := r + x
		lgRX, _ := math.Lgamma(rx)
		lgBX, _ := math.Lgamma(b + x)
		lgABX, _ := math.Lgamma(a + b + x)
		psiABX := mathext.Digamma(a + b + x)
		var la float64 // ln a − ln(b+x−1), the dead-after-t_x term's factor
		if g.x > 0 {
			la = lnA - math.Log(b+x-1)
		}
		var sw, sll, sLogT, sInvT, sWt float64 // sums over the group
		for i, w := range g.w {
			lt := math.Log(al + g.t[i])
			l3 := -rx * lt
			if g.x == 0 {
				sll += w * l3
				sLogT += w * lt
				sInvT += w / (al + g.t[i])
				continue
			}
			ltx := math.Log(al + g.tx[i])
			d := la - rx*ltx - l3 // l4 − l3
			var lse, wd float64   // ln(e^l3 + e^l4), share of the dead term
			if d > 0 {
				e := math.Exp(-d)
				lse, wd = l3+d+math.Log1p(e), 1/(1+e)
			} else {
				e := math.Exp(d)
				lse, wd = l3+math.Log1p(e), e/(1+e)
			}
			sll += w * lse
			sLogT += w * ((1-wd)*lt + wd*ltx)
			sInvT += w * ((1-wd)/(al+g.t[i]) + wd/(al+g.tx[i]))
			sWt += w * wd
			sw += w
		}
		if g.x == 0 {
			for _, w := range g.w {
				sw += w
			}
		}
		ll += sw*(lgRX-lgR+r*lnAl+lgBX-lgB+lgAB-lgABX) + sll
		if grad != nil {
			psiRX, psiBX := mathext.Digamma(rx), mathext.Digamma(b+x)
			gr += sw*(psiRX-psiR+lnAl) - sLogT
			gal += sw*r/al - rx*sInvT
			ga += sw*(psiAB-psiABX) + sWt/a
			gb += sw * (psiBX - psiB + psiAB - psiABX)
			if g.x > 0 {
				gb -= sWt / (b + x - 1)
			}
		}
	}
	if grad != nil {
		grad[0], grad[1], grad[2], grad[3] = gr*r, gal*al, ga*a, gb*b
	}
	return ll
}

// FitBGNBD fits the BG/NBD model to the customers' statistics by maximum
// likelihood: BFGS (gonum/optimize) on the mean negative log-likelihood in
// the parameters' logarithms, with the analytic gradient. Customers with
// equal statistics are merged into weights first, so the cost of one
// evaluation grows with the number of distinct (x, t_x, T).
//
// It returns a *NotComputedError when fewer than MinRepeat customers have a
// repeat purchase, when the largest T is below MinHistory, when the
// optimiser does not converge or a parameter runs beyond e^±15 (3.3·10⁶), and when the
// result is not finite; ctx cancels the fit between iterations.
func FitBGNBD(ctx context.Context, data []Stats, set *FitSettings) (BGNBDFit, error) {
	const model = "BG/NBD"
	st := set.withDefaults()
	var repeat int
	var maxT, sumX, sumT float64
	for _, s := range data {
		if s.X > 0 {
			repeat++
		}
		maxT = math.Max(maxT, s.T)
		sumX += float64(s.X)
		sumT += s.T
	}
	if repeat < st.MinRepeat {
		return BGNBDFit{}, notComputed(model, ErrTooFewRepeat, "%d of %d customers have a repeat purchase, want at least %d", repeat, len(data), st.MinRepeat)
	}
	if maxT < st.MinHistory {
		return BGNBDFit{}, notComputed(model, ErrShortHistory, "oldest customer is %.3g periods old, want at least %.3g", maxT, st.MinHistory)
	}
	chunks := splitGroups(groupStats(data), chunkSize)
	n := float64(len(data))
	// Start from r = 1, α = 1 / (mean purchase rate), a = b = 1.
	x0 := []float64{0, math.Log(math.Max(sumT/math.Max(sumX, 1), 1e-3)), 0, 0}
	res, err := minimize(ctx, func(p, grad []float64) float64 {
		return paramsOf(p).chunkedLogLik(chunks, grad, st.Workers)
	}, n, x0, st.MaxIterations)
	if err != nil {
		return BGNBDFit{}, err
	}
	if res.err != nil {
		return BGNBDFit{}, notComputed(model, ErrNoConvergence, "%v after %d iterations", res.err, res.iter)
	}
	if err := checkBoundary(model, res.x, "r", "alpha", "a", "b"); err != nil {
		return BGNBDFit{}, err
	}
	m := paramsOf(res.x)
	ll := m.chunkedLogLik(chunks, nil, st.Workers)
	if math.IsNaN(ll) || math.IsInf(ll, 0) {
		return BGNBDFit{}, notComputed(model, ErrNonFinite, "log-likelihood %v at r=%g alpha=%g a=%g b=%g", ll, m.R, m.Alpha, m.A, m.B)
	}
	return BGNBDFit{BGNBD: m, LogLik: ll, Customers: len(data), Repeat: repeat, Iterations: res.iter}, nil
}

func paramsOf(p []float64) BGNBD {
	return BGNBD{R: math.Exp(p[0]), Alpha: math.Exp(p[1]), A: math.Exp(p[2]), B: math.Exp(p[3])}
}

// PAlive returns the probability that a customer with statistics s is still
// alive at the end of calibration (Fader, Hardie & Lee 2005a, eq. 13 of the
// technical note "Computing P(alive) using the BG/NBD model"):
//
//	P(alive | x, t_x, T) = 1 / (1 + 1{x>0} a/(b+x−1) ((α+T)/(α+t_x))^(r+x)).
func (m BGNBD) PAlive(s Stats) float64 {
	s.check()
	if s.X == 0 {
		return 1
	}
	x := float64(s.X)
	// ln of the odds dead:alive, exponentiated only where it cannot overflow.
	lo := math.Log(m.A) - math.Log(m.B+x-1) + (m.R+x)*(math.Log(m.Alpha+s.T)-math.Log(m.Alpha+s.Tx))
	if lo > 700 {
		return 0
	}
	return 1 / (1 + math.Exp(lo))
}

// ConditionalExpected returns the expected number of purchases in the next
// t periods of a customer with statistics s (eq. 10 of Fader, Hardie & Lee
// 2005a):
//
//	E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1)
//	    · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
//	    · P(alive | x, t_x, T),
//
// evaluated as described in hypergeo.go; ok is false if the result is not
// finite (it is finite for every valid s and t ≥ 0 in practice).
func (m BGNBD) ConditionalExpected(s Stats, t float64) (e float64, ok bool) {
	s.check()
	if !(t >= 0) {
		panic(fmt.Sprintf("clv: negative horizon %g", t))
	}
	h, ok := expectH(m, s.X, t/(m.Alpha+s.T+t))
	if !ok {
		return 0, false
	}
	e = (m.A + m.B + float64(s.X) - 1) * h * m.PAlive(s)
	return e, !math.IsNaN(e) && !math.IsInf(e, 0)
}

// Expected returns the expected number of purchases of a new customer in
// the t periods after the first purchase, excluding it (eq. 9 of Fader,
// Hardie & Lee 2005a):
//
//	E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
func (m BGNBD) Expected(t float64) (e float64, ok bool) {
	return m.ConditionalExpected(Stats{}, t)
}
