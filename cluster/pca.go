package cluster

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// pcaFitRows is the largest number of rows Project fits the principal
// components on; larger inputs are fitted on an evenly spaced subset.
const pcaFitRows = 50000

// Project returns the first dims principal-component scores of the rows of
// the n×d matrix x (n×dims, row-major) and the fraction of the total variance
// each of those components explains, in decreasing order. x is not modified.
//
// The components come from gonum's stat.PC on the centred data, unweighted
// and unscaled (standardise x first if its columns have different units).
// When n > 50000 the components are fitted on 50000 evenly spaced rows
// (rows ⌊i·n/50000⌋), which is deterministic and, for plotting, as good as
// all rows; every row is then projected. The sign of each component is
// fixed so that its largest loading (by absolute value, the first on a tie)
// is positive, so the output does not depend on the SVD's sign choice.
// If x has no variance the scores and fractions are all zero.
//
// Project panics on a shape mismatch and returns an error for fewer than 2
// rows, dims outside [1, min(n, d)], non-finite values, or a failed SVD.
func Project(x []float64, n, d, dims int) (proj []float64, explained []float64, err error) {
	checkShape(x, n, d, nil)
	labels := make([]int, n) // RowPasses carries labels; Project needs none
	p, err := FitProjector(n, d, dims, func(yield func([]float64, []int) error) error { return yield(x, labels) })
	if err != nil {
		return nil, nil, err
	}
	proj = make([]float64, n*dims)
	for i := range n {
		p.Project(proj[i*dims:(i+1)*dims], x[i*d:(i+1)*d])
	}
	return proj, p.Explained, nil
}

// Projector projects rows on the principal components Project computes,
// fitted by FitProjector.
type Projector struct {
	// Explained is the fraction of the total variance each component
	// explains, in decreasing order.
	Explained []float64
	d, dims   int
	mean      []float64
	load      []float64 // component c is load[c*d : (c+1)*d]
	zero      bool      // no variance: every score is 0
	row       []float64
}

// FitProjector fits Project's components on the n rows of d columns that
// pass gives, in one pass that holds their means and the rows Project fits
// on (at most 50,000), not the matrix: Project is FitProjector over one run
// of rows, then Projector.Project of each row. It returns Project's errors,
// and one when pass gives other than n rows.
func FitProjector(n, d, dims int, pass RowPasses) (*Projector, error) {
	if n < 2 || d < 1 {
		return nil, fmt.Errorf("%w: PCA needs at least 2 rows and 1 column, have %d×%d", ErrNoRows, n, d)
	}
	if dims < 1 || dims > min(n, d) {
		return nil, fmt.Errorf("%w: PCA dims = %d, want 1..%d", ErrSettings, dims, min(n, d))
	}
	m := min(n, pcaFitRows)
	raw := make([]float64, 0, m*d) // the fitted rows, rows ⌊r·n/m⌋, before centring
	mean := make([]float64, d)
	i, r := 0, 0
	err := pass(func(x []float64, _ []int) error {
		if len(x)%d != 0 {
			return fmt.Errorf("cluster: PCA: a run of %d values, rows of %d", len(x), d)
		}
		if err := checkFinite(x, d); err != nil {
			return err
		}
		for at := 0; at < len(x); at += d {
			for j, v := range x[at : at+d] { // as columnMeans sums
				mean[j] += v
			}
			if r < m && i == int(int64(r)*int64(n)/int64(m)) {
				raw = append(raw, x[at:at+d]...)
				r++
			}
			i++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if i != n {
		return nil, fmt.Errorf("cluster: PCA: %d rows, want %d", i, n)
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	return NewProjector(raw, m, d, dims, mean)
}

// NewProjector fits Project's components on the m rows of d columns in
// rows (row-major), a sample of rows whose mean (over all of them, not
// only the sample's) is mean: the components are those of the sample's
// covariance (stat.PC centres the rows on their own mean), and Project
// places a row about mean. The Projector keeps mean, not rows. It returns
// Project's errors for the shape, a non-finite value or a failed SVD.
func NewProjector(rows []float64, m, d, dims int, mean []float64) (*Projector, error) {
	if m < 2 || d < 1 || len(rows) != m*d || len(mean) != d {
		return nil, fmt.Errorf("%w: PCA needs at least 2 rows and 1 column, have %d×%d (%d values, a mean of %d)", ErrNoRows, m, d, len(rows), len(mean))
	}
	if dims < 1 || dims > min(m, d) {
		return nil, fmt.Errorf("%w: PCA dims = %d, want 1..%d", ErrSettings, dims, min(m, d))
	}
	if err := checkFinite(rows, d); err != nil {
		return nil, err
	}
	fit := mat.NewDense(m, d, nil)
	for r := range m {
		for j, v := range rows[r*d : (r+1)*d] {
			fit.Set(r, j, v-mean[j])
		}
	}
	var pc stat.PC
	if !pc.PrincipalComponents(fit, nil) {
		return nil, errors.New("cluster: PCA: singular value decomposition failed")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	vars := pc.VarsTo(nil)

	var total float64
	for _, v := range vars {
		total += v
	}
	p := &Projector{Explained: make([]float64, dims), d: d, dims: dims, mean: mean, load: make([]float64, dims*d), zero: total == 0, row: make([]float64, d)}
	if total > 0 {
		for c := range dims {
			p.Explained[c] = vars[c] / total
		}
	}
	for c := range dims {
		comp := p.load[c*d : (c+1)*d]
		big := 0
		for j := range d {
			comp[j] = vecs.At(j, c)
			if math.Abs(comp[j]) > math.Abs(comp[big]) {
				big = j
			}
		}
		if comp[big] < 0 {
			for j := range comp {
				comp[j] = -comp[j]
			}
		}
	}
	return p, nil
}

// Project writes the scores of row (d values) into dst (dims values). A
// Projector is not safe for concurrent use.
func (p *Projector) Project(dst, row []float64) {
	if p.zero {
		clear(dst[:p.dims])
		return
	}
	for j, v := range row[:p.d] {
		p.row[j] = v - p.mean[j]
	}
	for c := range p.dims {
		dst[c] = dot(p.row, p.load[c*p.d:(c+1)*p.d])
	}
}
