package cluster

import "math"

// Predict assigns each of the n rows of the row-major n×d matrix x to its
// nearest of the k centroids (row-major k×d) by the exact squared
// Euclidean distance Σ_j (x_ij − c_j)², ties to the lower index, the same
// computation that gives a fitted Result its Labels and Dist2: scoring the
// rows a model was fitted on reproduces them exactly. labels and dist2 are
// reused when long enough (nil allocates). x and centroids are not
// modified. It panics if the lengths do not match n, d and k.
func Predict(x []float64, n, d int, centroids []float64, k int, labels []int, dist2 []float64) ([]int, []float64) {
	if len(x) != n*d || len(centroids) != k*d || k < 1 {
		panic("cluster: Predict: len(x) != n*d, len(centroids) != k*d or k < 1")
	}
	if cap(labels) < n {
		labels = make([]int, n)
	}
	if cap(dist2) < n {
		dist2 = make([]float64, n)
	}
	labels, dist2 = labels[:n], dist2[:n]
	for i := range n {
		row := x[i*d : (i+1)*d]
		best, bestv := 0, math.Inf(1)
		for c := range k {
			if v := sqdist(row, centroids[c*d:(c+1)*d]); v < bestv {
				best, bestv = c, v
			}
		}
		labels[i], dist2[i] = best, bestv
	}
	return labels, dist2
}
