package pipeline

import (
	"math"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/report"
)

// customerMap is the map of the customers that the pca_scatter plot draws:
// the clustered customers on the matrix's first two principal components
// (those the plot draws, report.SampleScatter: at most
// report.MaxScatterPoints), with how much of the variance each component
// explains and which features each follows.
type customerMap struct {
	points    *report.ScatterPoints
	explained []float64
	load      [2][]float64 // the correlation of each matrix column with each axis
}

// forOutputs returns the customer map of m, whose rows are clustered in
// labels among k clusters (nil with fewer than two columns or two rows),
// and m without its rows. The outputs need only the map, a bounded number
// of points, while the rows are 8 bytes a customer and column and the
// run's largest allocation after the feature table: a run drops them once
// it has clustered.
func (m *Matrix) forOutputs(labels []int, k int) (*Matrix, *customerMap, error) {
	out := *m
	out.X = nil
	if m.D < 2 || m.N < 2 {
		return &out, nil, nil
	}
	proj, explained, err := cluster.Project(m.X, m.N, m.D, 2)
	if err != nil {
		return nil, nil, err
	}
	points, err := report.SampleScatter(proj, labels, k)
	if err != nil {
		return nil, nil, err
	}
	return &out, &customerMap{points: points, explained: explained, load: pcLoadings(m.X, m.N, m.D, proj)}, nil
}

// pcLoadings returns, for each of the two projected coordinates in proj
// (n×2 row-major), the correlation of each of the d columns of x (n×d)
// with it (0 for a constant column): which features an axis follows. It
// reads x twice, row by row (the means, then the sums of products); each
// sum adds its terms in row order, so the bits do not depend on the loop
// order.
func pcLoadings(x []float64, n, d int, proj []float64) [2][]float64 {
	mx := make([]float64, d)
	var my [2]float64
	for i := range n {
		row := x[i*d : i*d+d]
		for j, v := range row {
			mx[j] += v
		}
		my[0] += proj[2*i]
		my[1] += proj[2*i+1]
	}
	for j := range mx {
		mx[j] /= float64(n)
	}
	my[0], my[1] = my[0]/float64(n), my[1]/float64(n)
	sxx := make([]float64, d)
	sxy := [2][]float64{make([]float64, d), make([]float64, d)}
	var syy [2]float64
	for i := range n {
		dy0, dy1 := proj[2*i]-my[0], proj[2*i+1]-my[1]
		syy[0] += dy0 * dy0
		syy[1] += dy1 * dy1
		row := x[i*d : i*d+d]
		for j, v := range row {
			dx := v - mx[j]
			sxx[j] += dx * dx
			sxy[0][j] += dx * dy0
			sxy[1][j] += dx * dy1
		}
	}
	var out [2][]float64
	for a := range out {
		out[a] = make([]float64, d)
		for j := range d {
			if sxx[j] > 0 && syy[a] > 0 {
				out[a][j] = sxy[a][j] / math.Sqrt(sxx[j]*syy[a])
			}
		}
	}
	return out
}
