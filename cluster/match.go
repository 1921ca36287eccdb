package cluster

import (
	"fmt"
	"math"
)

// Match solves the assignment problem for an r×c cost matrix: it pairs
// rows with columns, each used at most once, min(r, c) pairs in all, so
// that the total cost of the pairs is minimal. assign[i] is the column of
// row i, or −1 for a row left unpaired (when r > c). +Inf marks a
// forbidden pair; if every complete pairing needs one, the total is +Inf
// and such pairs may appear in assign.
//
// It is the Hungarian method (Kuhn 1955, Munkres 1957) in its O(n²m)
// shortest-augmenting-path form with row and column potentials (Jonker &
// Volgenant 1987). Rows are added in order and ties resolved by the lowest
// column index, so the result is deterministic. Match panics on a ragged
// matrix or a NaN cost; cost is not modified.
func Match(cost [][]float64) (assign []int, total float64) {
	r := len(cost)
	if r == 0 {
		return nil, 0
	}
	c := len(cost[0])
	for i, row := range cost {
		if len(row) != c {
			panic(fmt.Sprintf("cluster: Match: row %d has %d costs, row 0 has %d", i, len(row), c))
		}
		for _, v := range row {
			if math.IsNaN(v) {
				panic("cluster: Match: NaN cost")
			}
		}
	}
	assign = make([]int, r)
	for i := range assign {
		assign[i] = -1
	}
	if c == 0 {
		return assign, 0
	}
	// The algorithm pairs every row of an n×m matrix with n ≤ m: transpose
	// when there are more rows than columns.
	at := func(i, j int) float64 { return cost[i][j] }
	n, m := r, c
	if r > c {
		at = func(i, j int) float64 { return cost[j][i] }
		n, m = c, r
	}
	rowOf := hungarian(n, m, at) // rowOf[j] = the row paired with column j, or −1
	for j, i := range rowOf {
		if i < 0 {
			continue
		}
		if r > c {
			assign[j] = i // transposed: column j of the n×m problem is row j of cost
		} else {
			assign[i] = j
		}
	}
	for i, j := range assign {
		if j >= 0 {
			total += cost[i][j]
		}
	}
	return assign, total
}

// hungarian pairs each of n rows with one of m ≥ n columns at minimal
// total cost at(i, j) and returns, for each column, its row or −1.
// Forbidden (+Inf) pairs are replaced by a cost larger than any finite
// path, so that they are used only when unavoidable.
func hungarian(n, m int, at func(i, j int) float64) []int {
	big := 1.0
	for i := range n {
		for j := range m {
			if v := at(i, j); !math.IsInf(v, 0) {
				big += math.Abs(v)
			}
		}
	}
	big *= float64(n + 1)
	a := func(i, j int) float64 {
		v := at(i, j)
		if math.IsInf(v, 1) {
			return big
		}
		return v
	}
	// 1-based arrays as in the classic formulation; index 0 is a virtual
	// column holding the row being inserted.
	u, v := make([]float64, n+1), make([]float64, m+1)
	p, way := make([]int, m+1), make([]int, m+1)
	minv, used := make([]float64, m+1), make([]bool, m+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j], used[j] = math.Inf(1), false
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], math.Inf(1), 0
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				if cur := a(i0-1, j-1) - u[i0] - v[j]; cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	rowOf := make([]int, m)
	for j := 1; j <= m; j++ {
		rowOf[j-1] = p[j] - 1
	}
	return rowOf
}

// MatchCentroids pairs the centroids of a new fit with those of a previous
// one (both row-major, d columns, in the same scaled space) by minimal
// total squared Euclidean distance, using Match. prevOf[c] is the previous
// centroid paired with new centroid c, or −1 when c is left unpaired (more
// new than previous centroids) or when the pair's squared distance exceeds
// maxDist2 (pass +Inf to accept every pair): such a cluster is new. The
// cost of a pair is capped at maxDist2, so that a cluster too far from
// every previous one (one that will be unpaired anyway) cannot pull the
// others away from their closest match. dist2[c] is the squared distance
// to the paired centroid (+Inf when unpaired). It panics if the lengths do
// not match kPrev, kCur and d.
func MatchCentroids(prev, cur []float64, kPrev, kCur, d int, maxDist2 float64) (prevOf []int, dist2 []float64) {
	if len(prev) != kPrev*d || len(cur) != kCur*d {
		panic("cluster: MatchCentroids: centroid lengths do not match k and d")
	}
	cost := make([][]float64, kCur)
	for c := range cost {
		cost[c] = make([]float64, kPrev)
		for p := range kPrev {
			cost[c][p] = sqdist(cur[c*d:(c+1)*d], prev[p*d:(p+1)*d])
		}
	}
	capped := make([][]float64, kCur)
	for c, row := range cost {
		capped[c] = make([]float64, kPrev)
		for p, v := range row {
			capped[c][p] = min(v, maxDist2)
		}
	}
	prevOf, _ = Match(capped)
	dist2 = make([]float64, kCur)
	for c, p := range prevOf {
		dist2[c] = math.Inf(1)
		if p < 0 {
			continue
		}
		dist2[c] = cost[c][p]
		if dist2[c] > maxDist2 {
			prevOf[c] = -1
		}
	}
	return prevOf, dist2
}
