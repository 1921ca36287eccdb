package cluster

// problem is the read-only part of a fit, shared by all restarts.
type problem struct {
	x      []float64 // n×d, row-major
	n, d   int
	w      []float64 // nil means uniform
	xnorm  []float64 // ‖x_i‖²
	tol    float64   // absolute tolerance on Σ‖Δc‖²
	bounds bool      // use Hamerly bounds in Lloyd passes
}

func newProblem(x []float64, n, d int, w []float64, relTol float64) *problem {
	p := &problem{x: x, n: n, d: d, w: w, xnorm: make([]float64, n)}
	for i := range n {
		r := p.row(i)
		p.xnorm[i] = dot(r, r)
	}
	p.tol = relTol * meanVariance(x, n, d)
	return p
}

// columnMeans returns the unweighted mean of each of the d columns of x,
// summed over rows in order.
func columnMeans(x []float64, n, d int) []float64 {
	mean := make([]float64, d)
	for i := range n {
		for j, v := range x[i*d : (i+1)*d] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	return mean
}

// meanVariance returns the mean over columns of the population variance of
// each column, unweighted, as scikit-learn's KMeans tolerance uses.
func meanVariance(x []float64, n, d int) float64 {
	mean := columnMeans(x, n, d)
	var ss float64
	for i := range n {
		for j, v := range x[i*d : (i+1)*d] {
			t := v - mean[j]
			ss += t * t
		}
	}
	return ss / float64(n) / float64(d)
}

func (p *problem) row(i int) []float64 {
	return p.x[i*p.d : (i+1)*p.d : (i+1)*p.d]
}

func (p *problem) weight(i int) float64 {
	if p.w == nil {
		return 1
	}
	return p.w[i]
}
