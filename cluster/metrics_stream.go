package cluster

import (
	"fmt"
	"math"
	"runtime"
)

// RowPasses runs over the rows of an n×d matrix once per call, in the
// same order each time, calling yield with consecutive runs of rows: x
// row-major, and their labels. It returns yield's first error, or its own.
type RowPasses func(yield func(x []float64, labels []int) error) error

// Metrics are the quality figures of a clustering.
type Metrics struct {
	Silhouette, CalinskiHarabasz, DaviesBouldin float64
}

// StreamMetrics returns Silhouette (on the sample of sample rows drawn
// from seed), CalinskiHarabasz and DaviesBouldin of the clustering of the
// rows pass gives, k clusters of rows of d columns, in two passes that
// hold the sampled rows and O(k·d) sums instead of the matrix: the
// clusters' sums, then the rows' distances to the clusters' means, with
// the sample gathered. The sums run over the rows in the same order as
// over the whole matrix, so the figures are the functions' bit for bit.
// A label outside [0, k) or a run of rows not d wide is an error.
func StreamMetrics(d, k, sample int, seed uint64, pass RowPasses) (Metrics, error) {
	cent := make([]float64, k*d)
	sizes := make([]int, k)
	mean := make([]float64, d)
	n := 0
	check := func(x []float64, labels []int) error {
		if len(x) != len(labels)*d {
			return fmt.Errorf("cluster: metrics: %d values for %d rows of %d", len(x), len(labels), d)
		}
		for _, l := range labels {
			if l < 0 || l >= k {
				return fmt.Errorf("cluster: metrics: label %d out of [0, %d)", l, k)
			}
		}
		return nil
	}
	err := pass(func(x []float64, labels []int) error {
		if err := check(x, labels); err != nil {
			return err
		}
		for i, l := range labels { // as clusterMeans and columnMeans sum
			sizes[l]++
			for j, v := range x[i*d : (i+1)*d] {
				cent[l*d+j] += v
			}
		}
		for i := range labels {
			for j, v := range x[i*d : (i+1)*d] {
				mean[j] += v
			}
		}
		n += len(labels)
		return nil
	})
	if err != nil {
		return Metrics{}, err
	}
	for c, s := range sizes {
		for j := range d {
			if s > 0 {
				cent[c*d+j] /= float64(s)
			}
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	idx := sampleRows(n, sample, seed)
	xs, ls := make([]float64, 0, len(idx)*d), make([]int, 0, len(idx))
	var within float64
	scatter := make([]float64, k)
	row, next := 0, 0 // the pass's row, and the next sampled one in idx
	err = pass(func(x []float64, labels []int) error {
		if err := check(x, labels); err != nil {
			return err
		}
		for i, l := range labels {
			dist := sqdist(x[i*d:(i+1)*d], cent[l*d:(l+1)*d])
			within += dist
			scatter[l] += math.Sqrt(dist)
			if next < len(idx) && idx[next] == row {
				xs, ls = append(xs, x[i*d:(i+1)*d]...), append(ls, l)
				next++
			}
			row++
		}
		return nil
	})
	if err != nil {
		return Metrics{}, err
	}
	if row != n {
		return Metrics{}, fmt.Errorf("cluster: metrics: %d rows in the second pass, %d in the first", row, n)
	}
	m := Metrics{CalinskiHarabasz: math.NaN()}
	if q := nonEmpty(sizes); q >= 2 && q <= n-1 {
		m.CalinskiHarabasz = calinskiHarabasz(cent, sizes, mean, within, n, d)
	}
	m.DaviesBouldin = daviesBouldin(cent, sizes, scatter, d)
	// The sample's rows in the sample's order: every row of them is the sample.
	m.Silhouette = silhouette(xs, len(ls), d, ls, k, 0, seed, runtime.GOMAXPROCS(0))
	return m, nil
}
