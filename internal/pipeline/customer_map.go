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
	cm, err := customerMapOf(m.N, m.D, k, func(yield func([]float64, []int) error) error { return yield(m.X, labels) })
	if err != nil {
		return nil, nil, err
	}
	return &out, cm, nil
}

// customerMapOf returns the customer map of the n rows of d columns that
// pass gives, with their clusters among k, in three passes that hold no
// more than the rows the components are fitted on (at most 50,000) and
// the kept points: the components (cluster.FitProjector), then the kept points
// (report.ScatterSampler) and the means of the rows and of their scores,
// then the sums of products the loadings are made of. It returns nil with
// fewer than two columns or two rows. Each sum adds its terms in row
// order, so the bits do not depend on how pass splits the rows.
func customerMapOf(n, d, k int, pass cluster.RowPasses) (*customerMap, error) {
	if d < 2 || n < 2 {
		return nil, nil
	}
	p, err := cluster.FitProjector(n, d, 2, pass)
	if err != nil {
		return nil, err
	}
	sampler := report.NewScatterSampler(n, k)
	mx := make([]float64, d)
	var my [2]float64
	var y [2]float64
	err = pass(func(x []float64, labels []int) error {
		for i, l := range labels {
			row := x[i*d : i*d+d]
			p.Project(y[:], row)
			if err := sampler.Add(y[0], y[1], l); err != nil {
				return err
			}
			for j, v := range row {
				mx[j] += v
			}
			my[0] += y[0]
			my[1] += y[1]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	points, err := sampler.Points()
	if err != nil {
		return nil, err
	}
	for j := range mx {
		mx[j] /= float64(n)
	}
	my[0], my[1] = my[0]/float64(n), my[1]/float64(n)
	sxx := make([]float64, d)
	sxy := [2][]float64{make([]float64, d), make([]float64, d)}
	var syy [2]float64
	err = pass(func(x []float64, labels []int) error {
		for i := range labels {
			row := x[i*d : i*d+d]
			p.Project(y[:], row)
			dy0, dy1 := y[0]-my[0], y[1]-my[1]
			syy[0] += dy0 * dy0
			syy[1] += dy1 * dy1
			for j, v := range row {
				dx := v - mx[j]
				sxx[j] += dx * dx
				sxy[0][j] += dx * dy0
				sxy[1][j] += dx * dy1
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The correlation of each column with each axis: which features an
	// axis follows (0 for a constant column).
	var load [2][]float64
	for a := range load {
		load[a] = make([]float64, d)
		for j := range d {
			if sxx[j] > 0 && syy[a] > 0 {
				load[a][j] = sxy[a][j] / math.Sqrt(sxx[j]*syy[a])
			}
		}
	}
	return &customerMap{points: points, explained: p.Explained, load: load}, nil
}
