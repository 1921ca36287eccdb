package cluster

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"

	"gonum.org/v1/gonum/stat/sampleuv"
)

// silhouetteStream is the PCG stream of the generator that draws the
// silhouette sample: rand.NewPCG(seed, silhouetteStream). It differs from
// the streams 0, 1, … of the k-means restarts.
const silhouetteStream = 0x5111_0e77e

// silhouetteChunk is the number of sample rows per unit of parallel work in
// Silhouette; each row costs O(sample·d), so chunks are small.
const silhouetteChunk = 64

// Silhouette returns the mean silhouette coefficient (Rousseeuw 1987) of
// the clustering labels of the n×d matrix x, computed exactly on a uniform
// sample, without replacement, of sample rows drawn from
// rand.NewPCG(seed, silhouetteStream); sample <= 0 or sample >= n uses
// every row.
// As in scikit-learn's silhouette_score(sample_size=…), distances are
// Euclidean and only the sampled rows take part:
//
//	a(i) = mean distance from i to the other sampled rows of its cluster,
//	b(i) = min over other clusters C of the mean distance from i to C,
//	s(i) = (b(i) − a(i)) / max(a(i), b(i)), and 0 if i is alone in its
//	       cluster within the sample.
//
// The result is NaN when the sample holds fewer than 2 or more than
// sample−1 distinct clusters, where the silhouette is undefined. Labels
// must lie in [0, k); Silhouette panics otherwise or on a shape mismatch.
// The cost is O(sample²·d), spread over runtime.GOMAXPROCS(0) goroutines;
// the result does not depend on their number.
func Silhouette(x []float64, n, d int, labels []int, k, sample int, seed uint64) float64 {
	return silhouette(x, n, d, labels, k, sample, seed, runtime.GOMAXPROCS(0))
}

// sampleRows returns the sorted indices of a uniform sample without
// replacement of size rows out of n, or all rows if size <= 0 or >= n.
func sampleRows(n, size int, seed uint64) []int {
	if size <= 0 || size >= n {
		return allRows(n)
	}
	idx := make([]int, size)
	sampleuv.WithoutReplacement(idx, n, rand.NewPCG(seed, silhouetteStream))
	slices.Sort(idx)
	return idx
}

// allRows returns 0, 1, …, n−1.
func allRows(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// CalinskiHarabasz returns the Calinski–Harabasz index (variance ratio
// criterion, Caliński & Harabasz 1974) of the clustering labels of x:
//
//	CH = [B / (q − 1)] / [W / (n − q)],
//	B = Σ_c n_c ‖μ_c − μ‖²,  W = Σ_i ‖x_i − μ_{label(i)}‖²,
//
// where q is the number of non-empty clusters. Higher is better. As in
// scikit-learn, it is 1 when W = 0; it is NaN when q < 2 or q > n − 1.
// Rows are unweighted. It panics on a shape mismatch or a label outside
// [0, k).
func CalinskiHarabasz(x []float64, n, d int, labels []int, k int) float64 {
	checkLabels(x, n, d, labels, k)
	cent, sizes := clusterMeans(x, n, d, labels, k)
	q := nonEmpty(sizes)
	if q < 2 || q > n-1 {
		return math.NaN()
	}
	var within float64
	for i, l := range labels {
		within += sqdist(x[i*d:(i+1)*d], cent[l*d:(l+1)*d])
	}
	return calinskiHarabasz(cent, sizes, columnMeans(x, n, d), within, n, d)
}

// calinskiHarabasz is the index from the clusters' means and sizes, the
// rows' mean and W, for n rows of which q ∈ [2, n−1] in non-empty
// clusters.
func calinskiHarabasz(cent []float64, sizes []int, mean []float64, within float64, n, d int) float64 {
	q := nonEmpty(sizes)
	var between float64
	for c := range sizes {
		between += float64(sizes[c]) * sqdist(cent[c*d:(c+1)*d], mean)
	}
	if within == 0 {
		return 1
	}
	return between * float64(n-q) / (within * float64(q-1))
}

// DaviesBouldin returns the Davies–Bouldin index (Davies & Bouldin 1979) of
// the clustering labels of x, over the q non-empty clusters:
//
//	DB = (1/q) Σ_c max_{c' ≠ c} (S_c + S_c') / ‖μ_c − μ_c'‖,
//
// where S_c is the mean Euclidean distance of the rows of cluster c to its
// centroid μ_c. Lower is better. As in scikit-learn, it is 0 when every S_c
// is 0 or every centroid coincides, and a pair of coinciding centroids is
// skipped; it is NaN when q < 2. It panics on a shape mismatch or a label
// outside [0, k).
func DaviesBouldin(x []float64, n, d int, labels []int, k int) float64 {
	checkLabels(x, n, d, labels, k)
	cent, sizes := clusterMeans(x, n, d, labels, k)
	scatter := make([]float64, k)
	for i, l := range labels {
		scatter[l] += math.Sqrt(sqdist(x[i*d:(i+1)*d], cent[l*d:(l+1)*d]))
	}
	return daviesBouldin(cent, sizes, scatter, d)
}

// daviesBouldin is the index from the clusters' means and sizes and the
// sums of their rows' distances to them (scatter, divided here).
func daviesBouldin(cent []float64, sizes []int, scatter []float64, d int) float64 {
	var present []int
	for c, s := range sizes {
		if s > 0 {
			present = append(present, c)
		}
	}
	if len(present) < 2 {
		return math.NaN()
	}
	allZero, allSame := true, true
	for _, c := range present {
		scatter[c] /= float64(sizes[c])
		allZero = allZero && scatter[c] == 0
	}
	var total float64
	for _, a := range present {
		worst := 0.0
		for _, b := range present {
			if a == b {
				continue
			}
			m := math.Sqrt(sqdist(cent[a*d:(a+1)*d], cent[b*d:(b+1)*d]))
			if m == 0 {
				continue
			}
			allSame = false
			worst = max(worst, (scatter[a]+scatter[b])/m)
		}
		total += worst
	}
	if allZero || allSame {
		return 0
	}
	return total / float64(len(present))
}

// AdjustedRand returns the adjusted Rand index (Hubert & Arabie 1985,
// "Comparing partitions") between two labelings of the same items:
//
//	ARI = (Σ_ij C(n_ij, 2) − E) / (½[Σ_i C(a_i, 2) + Σ_j C(b_j, 2)] − E),
//	E = Σ_i C(a_i, 2) · Σ_j C(b_j, 2) / C(n, 2),
//
// where n_ij counts the items in cluster i of a and cluster j of b, and a_i,
// b_j are the cluster sizes. It is 1 for identical partitions whatever the
// label values, about 0 for independent ones, and can be negative. Two
// partitions that agree on every pair score 1 even when the denominator
// vanishes (as in scikit-learn). Label values are arbitrary integers.
// It panics if len(a) != len(b).
func AdjustedRand(a, b []int) float64 {
	if len(a) != len(b) {
		panic(fmt.Sprintf("cluster: AdjustedRand: len(a) = %d != len(b) = %d", len(a), len(b)))
	}
	ia, na := dense(a)
	ib, nb := dense(b)
	cont := make(map[[2]int]int, max(na, nb))
	rows := make([]int, na)
	cols := make([]int, nb)
	for i := range a {
		cont[[2]int{ia[i], ib[i]}]++
		rows[ia[i]]++
		cols[ib[i]]++
	}
	cells := make([]int, 0, len(cont))
	for _, v := range cont {
		cells = append(cells, v)
	}
	return AdjustedRandCounts(cells, rows, cols)
}

// AdjustedRandCounts is AdjustedRand of two labelings given by their
// contingency table: cells are the counts of its cells (those not zero,
// in any order), rows and cols its margins, the customers of each label
// of the first and of the second labeling. The pairs are counted in
// integers, so the order of the counts does not change a bit.
func AdjustedRandCounts(cells, rows, cols []int) float64 {
	pairs := func(m int) int64 { return int64(m) * int64(m-1) / 2 }
	var index, sumA, sumB int64
	n := 0
	for _, v := range cells {
		index += pairs(v)
	}
	for _, v := range rows {
		sumA += pairs(v)
		n += v
	}
	for _, v := range cols {
		sumB += pairs(v)
	}
	if index == sumA && index == sumB {
		return 1 // every pair together in a is together in b and vice versa
	}
	fi, fa, fb := float64(index), float64(sumA), float64(sumB)
	expected := fa * fb / float64(pairs(n))
	return (fi - expected) / ((fa+fb)/2 - expected)
}

// dense maps arbitrary label values to 0, 1, … in order of first
// appearance and returns the mapped labels and the number of values.
func dense(l []int) ([]int, int) {
	ids := make(map[int]int)
	out := make([]int, len(l))
	for i, v := range l {
		id, ok := ids[v]
		if !ok {
			id = len(ids)
			ids[v] = id
		}
		out[i] = id
	}
	return out, len(ids)
}

// clusterMeans returns the unweighted k×d centroids of the clusters and
// their sizes; an empty cluster's centroid is zero.
func clusterMeans(x []float64, n, d int, labels []int, k int) ([]float64, []int) {
	cent := make([]float64, k*d)
	sizes := make([]int, k)
	for i, l := range labels {
		sizes[l]++
		for j, v := range x[i*d : (i+1)*d] {
			cent[l*d+j] += v
		}
	}
	for c, s := range sizes {
		for j := range d {
			if s > 0 {
				cent[c*d+j] /= float64(s)
			}
		}
	}
	return cent, sizes
}

func nonEmpty(sizes []int) int {
	q := 0
	for _, s := range sizes {
		if s > 0 {
			q++
		}
	}
	return q
}

// checkLabels panics on a shape mismatch or a label outside [0, k).
func checkLabels(x []float64, n, d int, labels []int, k int) {
	checkShape(x, n, d, nil)
	if len(labels) != n {
		panic(fmt.Sprintf("cluster: len(labels) = %d, want n = %d", len(labels), n))
	}
	for i, l := range labels {
		if l < 0 || l >= k {
			panic(fmt.Sprintf("cluster: labels[%d] = %d outside [0, %d)", i, l, k))
		}
	}
}
