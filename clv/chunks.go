package clv

import "sync"

// chunkSize is the number of distinct (x, t_x, T) entries the BG/NBD
// log-likelihood sums in one piece. The pieces are fixed by the data alone
// and added in order, so the fit is the same, bit for bit, whatever
// FitSettings.Workers is; data with at most chunkSize distinct entries is
// one piece.
const chunkSize = 8192

// splitGroups cuts the groups into pieces of at most size entries (a group
// may be split across pieces; the pieces share gs's slices).
func splitGroups(gs []group, size int) [][]group {
	var chunks [][]group
	var cur []group
	n := 0
	for _, g := range gs {
		for lo := 0; lo < len(g.w); {
			hi := min(len(g.w), lo+size-n)
			cur = append(cur, group{x: g.x, tx: g.tx[lo:hi], t: g.t[lo:hi], w: g.w[lo:hi]})
			n += hi - lo
			lo = hi
			if n == size {
				chunks, cur, n = append(chunks, cur), nil, 0
			}
		}
	}
	if len(cur) > 0 {
		chunks = append(chunks, cur)
	}
	return chunks
}

// chunkedLogLik returns Σ logLik over the pieces and, when grad is not nil,
// the summed gradient in grad: the pieces are evaluated by up to workers
// goroutines and added in their order.
func (m BGNBD) chunkedLogLik(chunks [][]group, grad []float64, workers int) float64 {
	if len(chunks) == 1 {
		return m.logLik(chunks[0], grad)
	}
	lls := make([]float64, len(chunks))
	var grads [][4]float64
	if grad != nil {
		grads = make([][4]float64, len(chunks))
	}
	eval := func(k int) {
		var g []float64
		if grad != nil {
			g = grads[k][:]
		}
		lls[k] = m.logLik(chunks[k], g)
	}
	workers = min(max(workers, 1), len(chunks))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < len(chunks); k += workers {
				eval(k)
			}
		}()
	}
	wg.Wait()
	var ll float64
	clear(grad)
	for k, v := range lls {
		ll += v
		for i := range grad { // no gradient when grad is nil
			grad[i] += grads[k][i]
		}
	}
	return ll
}
