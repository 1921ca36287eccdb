package cluster

import (
	"math"
	"testing"
)

// naiveSilhouette is the silhouette of every row of x (no sample), pair by
// pair in row order, as the definition reads.
func naiveSilhouette(x []float64, n, d int, labels []int, k int) float64 {
	sizes := make([]int, k)
	for _, l := range labels {
		sizes[l]++
	}
	if ne := nonEmpty(sizes); ne < 2 || ne > n-1 {
		return math.NaN()
	}
	var total float64
	for a := range n {
		sum := make([]float64, k)
		for b := range n {
			sum[labels[b]] += math.Sqrt(sqdist(x[a*d:(a+1)*d], x[b*d:(b+1)*d]))
		}
		total += silhouetteOf(sum, sizes, labels[a])
	}
	return total / float64(n)
}

// TestSilhouettesOfEveryFit: the silhouettes of several clusterings
// computed in one pass over the pairs of rows have the bits each has
// computed alone, whatever the number of workers, including clusterings
// where it is undefined (NaN) and rows alone in their cluster.
func TestSilhouettesOfEveryFit(t *testing.T) {
	x, n, d, truth := blobs(5, eightBlobs, []int{40, 30, 25, 20, 20, 15, 10, 1}, 1.5)
	two := make([]int, n) // rows split in half by index
	one := make([]int, n) // a single cluster: undefined
	mod := make([]int, n) // 5 clusters, one of them of a single row
	for i := range n {
		two[i] = i * 2 / n
		mod[i] = i % 4
	}
	mod[n-1] = 4
	labels := [][]int{truth, two, one, mod}
	ks := []int{8, 2, 1, 5}
	for _, workers := range []int{1, 2, 5} {
		got := silhouettes(x, n, d, labels, ks, allRows(n), workers)
		for j := range labels {
			want := naiveSilhouette(x, n, d, labels[j], ks[j])
			if math.Float64bits(got[j]) != math.Float64bits(want) {
				t.Errorf("workers=%d, clustering %d: %v in one pass, %v alone", workers, j, got[j], want)
			}
		}
	}
	if got := silhouettes(x, n, d, nil, nil, allRows(n), 2); len(got) != 0 {
		t.Errorf("no clusterings: %v", got)
	}
}
