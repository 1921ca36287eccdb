package cluster

import (
	"context"
	"slices"
)

// FitMinSize fits k-means as Fit does and, while the fit has a cluster of
// fewer than minSize rows, fits again with one cluster fewer, down to one
// cluster: the fit returned has no cluster under minSize (the result's K
// says how many clusters that left). Every fit uses km with its K
// replaced. minSize ≤ 1 makes it Fit. Admissibility is not monotone in k,
// so k goes down one at a time rather than by bisection; each step costs a
// full fit. It returns the errors of Fit.
func (km KMeans) FitMinSize(ctx context.Context, x []float64, n, d int, w []float64, minSize int) (*Result, error) {
	for {
		fit, err := km.Fit(ctx, x, n, d, w)
		if err != nil {
			return nil, err
		}
		if km.K <= 1 || slices.Min(fit.Sizes) >= minSize {
			return fit, nil
		}
		km.K--
	}
}
