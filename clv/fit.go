package clv

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/optimize"
)

// FitSettings bounds what data a fit accepts and how long it may run. The
// zero value of each field selects the default given beside it.
type FitSettings struct {
	// MinRepeat is the fewest customers with a repeat purchase (x ≥ 1) a
	// fit accepts, for both models (default 20).
	MinRepeat int
	// MinHistory is the least largest age T, in periods, a BG/NBD fit
	// accepts (default 3 periods).
	MinHistory float64
	// MaxIterations bounds the optimiser's major iterations (default 500).
	MaxIterations int
	// Workers is how many goroutines evaluate the BG/NBD log-likelihood,
	// in fixed pieces of the data (chunks.go): the fit does not depend on
	// it. 0 means 1.
	Workers int
}

func (s *FitSettings) withDefaults() FitSettings {
	var f FitSettings
	if s != nil {
		f = *s
	}
	if f.MinRepeat <= 0 {
		f.MinRepeat = 20
	}
	if f.MinHistory <= 0 {
		f.MinHistory = 3
	}
	if f.MaxIterations <= 0 {
		f.MaxIterations = 500
	}
	return f
}

// maxLogParam bounds |ln θ| of a fitted parameter: beyond it the likelihood
// is flat in that direction and the estimate means nothing.
const maxLogParam = 15

// checkBoundary returns a *NotComputedError when a fitted log-parameter is
// NaN or beyond ±maxLogParam.
func checkBoundary(model string, x []float64, names ...string) error {
	for i, v := range x {
		if math.IsNaN(v) || math.Abs(v) > maxLogParam {
			return notComputed(model, ErrNoConvergence, "parameter %s ran to the boundary (%.3g)", names[i], math.Exp(v))
		}
	}
	return nil
}

type minimum struct {
	x    []float64
	iter int
	err  error // why the optimiser did not converge, nil if it did
}

// minimize maximises the log-likelihood ll (which stores its gradient in
// grad when grad is not nil) of n customers by BFGS on −ll/n from x0. The
// likelihood and its gradient share one pass over the data: gonum asks for
// the value and then the gradient at the same point, and the second call
// is served from the first. A cancelled ctx stops the optimiser at the next
// major iteration and is returned as the error; non-convergence is
// reported in the result's err.
func minimize(ctx context.Context, ll func(x, grad []float64) float64, n float64, x0 []float64, maxIter int) (minimum, error) {
	var at []float64
	var f float64
	g := make([]float64, len(x0))
	eval := func(x []float64) {
		if at != nil && slices.Equal(x, at) {
			return
		}
		f = -ll(x, g) / n
		for i := range g {
			g[i] /= -n
		}
		at = append(at[:0], x...)
	}
	prob := optimize.Problem{
		Func: func(x []float64) float64 { eval(x); return f },
		Grad: func(grad, x []float64) { eval(x); copy(grad, g) },
	}
	conv := &ctxConverger{ctx: ctx, inner: &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-12, Iterations: 20}}
	set := &optimize.Settings{GradientThreshold: 1e-7, MajorIterations: maxIter, Converger: conv}
	res, err := optimize.Minimize(prob, x0, set, &optimize.BFGS{})
	if cerr := ctx.Err(); cerr != nil {
		return minimum{}, fmt.Errorf("clv: fit: %w", cerr)
	}
	if res == nil {
		return minimum{x: x0, err: err}, nil
	}
	m := minimum{x: res.X, iter: res.MajorIterations}
	switch res.Status {
	case optimize.GradientThreshold, optimize.FunctionConvergence, optimize.Success:
	default:
		if err == nil {
			err = fmt.Errorf("optimiser status %v", res.Status)
		}
		m.err = err
	}
	// A line search that stalls at the optimum is a convergence too, if the
	// gradient there is small.
	if m.err != nil && res.Gradient != nil && maxAbs(res.Gradient) < 1e-5 {
		m.err = nil
	}
	return m, nil
}

func maxAbs(v []float64) float64 {
	var m float64
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// ctxConverger stops the optimiser with Failure once ctx is done.
type ctxConverger struct {
	ctx   context.Context
	inner optimize.Converger
}

func (c *ctxConverger) Init(dim int) { c.inner.Init(dim) }

func (c *ctxConverger) Converged(loc *optimize.Location) optimize.Status {
	if c.ctx.Err() != nil {
		return optimize.Failure
	}
	return c.inner.Converged(loc)
}
