package cluster

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// localTrials returns the number of candidates greedy k-means++ draws per
// step, 2 + ⌊ln k⌋, as scikit-learn does (after Arthur & Vassilvitskii 2007,
// section 6).
func localTrials(k int) int {
	return 2 + int(math.Log(float64(k)))
}

// seed chooses ws.k initial centroids by greedy k-means++ (Arthur &
// Vassilvitskii 2007, "k-means++: The Advantages of Careful Seeding"):
//
//  1. The first centroid is a row drawn with probability w_i / Σw.
//  2. Each further centroid: draw 2 + ⌊ln k⌋ candidate rows, each with
//     probability w_i·D(x_i)² / Σ_j w_j·D(x_j)², where D(x) is the distance
//     from x to the nearest centroid chosen so far; keep the candidate that
//     minimises the resulting potential Σ_i w_i·min(D(x_i)², ‖x_i − cand‖²).
//
// A row of zero weight is never drawn, and a row that coincides with a
// chosen centroid is never drawn while any row does not. Potentials are
// summed per chunk and then in chunk order, so the choice does not depend
// on ws.workers.
func (ws *workspace) seed(ctx context.Context, rng *rand.Rand) error {
	return ws.seedFrom(ctx, rng, nil)
}

// seedFrom is seed, except that when warm holds m < k centroids (m×d) they
// are kept as the first m and only the others are chosen, by the same
// greedy steps: how the elbow sweep starts one restart of k from the
// solution for k − 1.
func (ws *workspace) seedFrom(ctx context.Context, rng *rand.Rand, warm []float64) error {
	p, k, d, n := ws.p, ws.k, ws.p.d, ws.p.n
	m := len(warm) / d
	if m == 0 {
		first := p.sampleRow(rng)
		copy(ws.centers[:d], p.row(first))
		m = 1
	} else {
		copy(ws.centers, warm)
	}
	if k == m {
		return nil
	}
	trials := ws.trials
	nc := numChunks(n, chunkRows)
	if len(ws.candIDs) != trials {
		ws.candIDs = make([]int, trials)
		ws.potParts = make([]float64, nc*trials)
	}
	c0 := ws.centers[:d]
	ws.pool.run(n, chunkRows, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			ws.closest[i] = sqdist(p.row(i), c0)
		}
	})
	// Each candidate's potential is summed without keeping its distances
	// (that would take trials × n floats); the winner's are recomputed.
	// Candidates go four at a time (the last group repeats the last one).
	groups := (trials + 3) / 4
	if len(ws.candCT) != groups*4*d {
		ws.candCT = make([]float64, groups*4*d)
		ws.candRows = make([][4][]float64, groups)
	}
	candPot := func(ch, lo, hi int) {
		for g := range groups {
			var pot [4]float64
			p.seedPots(lo, hi, &ws.candRows[g], ws.candCT[g*4*d:(g+1)*4*d], ws.closest, &pot)
			for t := g * 4; t < min(trials, g*4+4); t++ {
				ws.potParts[ch*trials+t] = pot[t-g*4]
			}
		}
	}
	// lower takes a new centroid into every row's closest distance.
	var winner [4][]float64
	winnerCT := make([]float64, 4*d)
	update := func(_, lo, hi int) {
		p.seedUpdate(lo, hi, winnerCT, winner[0], ws.closest)
	}
	lower := func(w []float64) {
		winner = [4][]float64{w, w, w, w}
		candT(winnerCT, d, &winner)
		ws.pool.run(n, chunkRows, update)
	}

	for c := 1; c < m; c++ {
		lower(ws.centers[c*d : (c+1)*d])
	}
	for c := m; c < k; c++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("cluster: k-means++ seeding interrupted: %w", err)
		}
		var acc float64
		for i, v := range ws.closest {
			acc += p.weight(i) * v
			ws.cum[i] = acc
		}
		for t := range ws.candIDs {
			ws.candIDs[t] = p.sampleByCum(rng, ws.cum)
		}
		for g := range groups {
			for t := range 4 {
				ws.candRows[g][t] = p.row(ws.candIDs[min(g*4+t, trials-1)])
			}
			candT(ws.candCT[g*4*d:], d, &ws.candRows[g])
		}
		ws.pool.run(n, chunkRows, candPot)
		best, bestPot := 0, math.Inf(1)
		for t := range trials {
			var pot float64
			for ch := range nc {
				pot += ws.potParts[ch*trials+t]
			}
			if pot < bestPot {
				best, bestPot = t, pot
			}
		}
		w := p.row(ws.candIDs[best])
		lower(w)
		copy(ws.centers[c*d:(c+1)*d], w)
	}
	return nil
}

// sampleByCum draws a row with probability proportional to its increment in
// the cumulative sums cum (the first i with cum[i] > u·cum[n−1]). When every
// increment is zero, every row coincides with a chosen centroid and the row
// is drawn by weight instead.
func (p *problem) sampleByCum(rng *rand.Rand, cum []float64) int {
	total := cum[len(cum)-1]
	if !(total > 0) {
		return p.sampleRow(rng)
	}
	r := rng.Float64() * total
	i := sort.Search(len(cum), func(i int) bool { return cum[i] > r })
	if i < len(cum) {
		return i
	}
	// u·total rounded up to total: take the last row with an increment.
	for i = len(cum) - 1; i > 0 && cum[i-1] == cum[i]; i-- {
	}
	return i
}

// sampleRow draws a row with probability w_i / Σw (uniformly if w is nil).
func (p *problem) sampleRow(rng *rand.Rand) int {
	if p.w == nil {
		return rng.IntN(p.n)
	}
	var total float64
	for _, v := range p.w {
		total += v
	}
	r := rng.Float64() * total
	var acc float64
	last := 0
	for i, v := range p.w {
		if v == 0 {
			continue
		}
		acc += v
		last = i
		if acc > r {
			return i
		}
	}
	return last
}
