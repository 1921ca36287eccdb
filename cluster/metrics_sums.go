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

// CalinskiHarabaszOf is CalinskiHarabasz from sums made elsewhere (over
// rows too many to hold, or split among workers): the k clusters' means
// cent (k×d, row-major) and sizes, the mean of all n rows, and W, the sum
// of every row's squared distance to its cluster's mean. It is NaN when
// fewer than 2 or more than n−1 clusters have rows.
func CalinskiHarabaszOf(cent []float64, sizes []int, mean []float64, within float64, n, d int) float64 {
	checkSums(cent, sizes, d)
	if q := nonEmpty(sizes); q < 2 || q > n-1 {
		return math.NaN()
	}
	return calinskiHarabasz(cent, sizes, mean, within, n, d)
}

// DaviesBouldinOf is DaviesBouldin from sums made elsewhere: the k
// clusters' means cent (k×d, row-major) and sizes, and scatter, each
// cluster's sum of its rows' Euclidean distances to its mean (not
// changed).
func DaviesBouldinOf(cent []float64, sizes []int, scatter []float64, d int) float64 {
	checkSums(cent, sizes, d)
	if len(scatter) != len(sizes) {
		panic(fmt.Sprintf("cluster: DaviesBouldinOf: %d scatters for %d clusters", len(scatter), len(sizes)))
	}
	return daviesBouldin(cent, sizes, append([]float64(nil), scatter...), d)
}

// SilhouetteOf is Silhouette of every one of the n rows of x (a sample
// drawn by the caller), their labels in [0, k).
func SilhouetteOf(x []float64, n, d int, labels []int, k int) float64 {
	return silhouettes(x, n, d, [][]int{labels}, []int{k}, allRows(n), runtime.GOMAXPROCS(0))[0]
}

func checkSums(cent []float64, sizes []int, d int) {
	if len(cent) != len(sizes)*d {
		panic(fmt.Sprintf("cluster: %d means for %d clusters of %d columns", len(cent), len(sizes), d))
	}
}
