package cluster

import "math"

// silhouette is Silhouette with the given number of workers.
func silhouette(x []float64, n, d int, labels []int, k, sample int, seed uint64, workers int) float64 {
	return silhouettes(x, n, d, [][]int{labels}, []int{k}, sampleRows(n, sample, seed), workers)[0]
}

// silhouettes returns the silhouette of every clustering labels[j] (with
// ks[j] clusters) of x on the same sample of rows, idx (increasing), each
// as silhouette gives it alone: the distance between two sampled rows,
// the cost of the loop, is computed once for all of them. Each clustering's sums run over
// the rows in the same order as alone, so its result has the same bits.
func silhouettes(x []float64, n, d int, labels [][]int, ks []int, idx []int, workers int) []float64 {
	for j := range labels {
		checkLabels(x, n, d, labels[j], ks[j])
	}
	m, q := len(idx), len(labels)
	out := make([]float64, q)
	// off[j] is where clustering j's k sums start in a row's sums; sizes
	// are the sampled rows per cluster, at the same offsets.
	off := make([]int, q+1)
	for j, k := range ks {
		off[j+1] = off[j] + k
	}
	sizes := make([]int, off[q])
	// The sampled rows and their labels, gathered: the O(m²) loop then
	// reads contiguous memory instead of rows scattered over x. ls[b*q+j]
	// is the sums slot of row b in clustering j.
	xs, ls := make([]float64, 0, m*d), make([]int32, m*q)
	for a, i := range idx {
		xs = append(xs, x[i*d:(i+1)*d]...)
		for j := range q {
			c := off[j] + labels[j][i]
			ls[a*q+j] = int32(c)
			sizes[c]++
		}
	}
	var live []int // the clusterings whose silhouette is defined
	for j := range q {
		if ne := nonEmpty(sizes[off[j]:off[j+1]]); ne < 2 || ne > m-1 {
			out[j] = math.NaN()
		} else {
			live = append(live, j)
		}
	}
	if len(live) == 0 {
		return out
	}
	s := make([]float64, m*q)
	forChunks(m, silhouetteChunk, workers, func(_, lo, hi int) {
		sum := make([]float64, off[q])
		for a := lo; a < hi; a++ {
			clear(sum)
			xi := xs[a*d : (a+1)*d]
			// Four rows at a time (sqdist4 sums each exactly as sqdist
			// would), added in row order: the same bits, less latency.
			b := 0
			for ; b+4 <= m; b += 4 {
				d0, d1, d2, d3 := sqdist4(xi, xs[b*d:(b+1)*d], xs[(b+1)*d:(b+2)*d], xs[(b+2)*d:(b+3)*d], xs[(b+3)*d:(b+4)*d])
				r0, r1, r2, r3 := math.Sqrt(d0), math.Sqrt(d1), math.Sqrt(d2), math.Sqrt(d3)
				l := ls[b*q : (b+4)*q]
				for j := range q {
					sum[l[j]] += r0
					sum[l[q+j]] += r1
					sum[l[2*q+j]] += r2
					sum[l[3*q+j]] += r3
				}
			}
			for ; b < m; b++ {
				r := math.Sqrt(sqdist(xi, xs[b*d:(b+1)*d]))
				for _, c := range ls[b*q : (b+1)*q] {
					sum[c] += r
				}
			}
			for _, j := range live {
				s[a*q+j] = silhouetteOf(sum[off[j]:off[j+1]], sizes[off[j]:off[j+1]], int(ls[a*q+j])-off[j])
			}
		}
	})
	for _, j := range live {
		var total float64
		for a := range m {
			total += s[a*q+j]
		}
		out[j] = total / float64(m)
	}
	return out
}

// silhouetteOf returns a row's silhouette from its summed distances to
// each cluster's sampled rows, the clusters' sizes in the sample and its
// own cluster: 0 when it is alone there.
func silhouetteOf(sum []float64, sizes []int, own int) float64 {
	if sizes[own] == 1 {
		return 0
	}
	ai := sum[own] / float64(sizes[own]-1)
	bi := math.Inf(1)
	for c, v := range sum {
		if c != own && sizes[c] > 0 {
			bi = min(bi, v/float64(sizes[c]))
		}
	}
	if den := max(ai, bi); den > 0 {
		return (bi - ai) / den
	}
	return 0
}
