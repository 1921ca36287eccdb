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
	if n < 2 || d < 1 {
		return nil, nil, fmt.Errorf("%w: PCA needs at least 2 rows and 1 column, have %d×%d", ErrNoRows, n, d)
	}
	if dims < 1 || dims > min(n, d) {
		return nil, nil, fmt.Errorf("%w: PCA dims = %d, want 1..%d", ErrSettings, dims, min(n, d))
	}
	if err := checkFinite(x, d); err != nil {
		return nil, nil, err
	}

	mean := columnMeans(x, n, d)
	m := min(n, pcaFitRows)
	fit := mat.NewDense(m, d, nil)
	for r := range m {
		i := int(int64(r) * int64(n) / int64(m))
		for j, v := range x[i*d : (i+1)*d] {
			fit.Set(r, j, v-mean[j])
		}
	}
	var pc stat.PC
	if !pc.PrincipalComponents(fit, nil) {
		return nil, nil, errors.New("cluster: PCA: singular value decomposition failed")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	vars := pc.VarsTo(nil)

	var total float64
	for _, v := range vars {
		total += v
	}
	explained = make([]float64, dims)
	if total > 0 {
		for c := range dims {
			explained[c] = vars[c] / total
		}
	}

	load := make([]float64, dims*d) // component c is load[c*d : (c+1)*d]
	for c := range dims {
		comp := load[c*d : (c+1)*d]
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
	proj = make([]float64, n*dims)
	row := make([]float64, d)
	for i := range n {
		for j, v := range x[i*d : (i+1)*d] {
			row[j] = v - mean[j]
		}
		for c := range dims {
			proj[i*dims+c] = dot(row, load[c*d:(c+1)*d])
		}
	}
	if total == 0 {
		clear(proj)
	}
	return proj, explained, nil
}
