package cluster

import (
	"sync"
	"sync/atomic"
)

// chunkRows is the number of rows in one unit of parallel work. It is a
// constant, not derived from the number of workers: partial sums are formed
// per chunk and added in chunk order, so floating-point results do not depend
// on how many goroutines ran the chunks.
const chunkRows = 4096

// SumInertia returns the sum of the rows' squared distances dist2 as
// KMeans sums its inertia: per chunk of rows in row order, then the
// chunks' sums in chunk order. A caller that assigns the rows itself
// (Predict) gets the bits of KMeans' Result.Inertia for the same
// assignment.
func SumInertia(dist2 []float64) float64 {
	var s InertiaSum
	s.Add(dist2)
	return s.Sum()
}

// InertiaSum is SumInertia of rows given a part at a time, in row order:
// the same bits as SumInertia of them all, in memory that does not grow
// with the rows.
type InertiaSum struct {
	total, chunk float64 // the full chunks' sum, the current chunk's
	rows         int     // rows in the current chunk
}

// Add adds the next rows' squared distances.
func (s *InertiaSum) Add(dist2 []float64) {
	for _, v := range dist2 {
		s.chunk += v
		if s.rows++; s.rows == chunkRows {
			s.total += s.chunk
			s.chunk, s.rows = 0, 0
		}
	}
}

// Sum returns the sum of the rows added.
func (s *InertiaSum) Sum() float64 {
	if s.rows == 0 {
		return s.total
	}
	return s.total + s.chunk
}

// numChunks returns the number of chunks of size rows needed to cover n rows.
func numChunks(n, size int) int {
	return (n + size - 1) / size
}

// forChunks calls fn(c, lo, hi) once for every chunk c of size rows, where
// [lo, hi) are the chunk's rows out of n, using at most workers goroutines.
// Chunks may run in any order and concurrently; fn must write only to state
// owned by chunk c. forChunks returns when every chunk is done. Work that
// repeats a pass many times uses a pool instead, which starts its
// goroutines once.
func forChunks(n, size, workers int, fn func(c, lo, hi int)) {
	p := newPool(min(workers, numChunks(n, size)))
	defer p.close()
	p.run(n, size, fn)
}

// pool runs the chunks of a pass on workers goroutines: the caller's and
// workers − 1 started once, so that a pass allocates nothing.
type pool struct {
	start []chan struct{}
	wg    sync.WaitGroup
	next  atomic.Int64
	n     int
	size  int
	fn    func(c, lo, hi int)
}

func newPool(workers int) *pool {
	p := &pool{}
	for range workers - 1 {
		ch := make(chan struct{})
		p.start = append(p.start, ch)
		go func() {
			for range ch {
				p.work()
				p.wg.Done()
			}
		}()
	}
	return p
}

// run calls fn(c, lo, hi) once for every chunk c of size rows out of n, as
// forChunks does, and returns when every chunk is done. Calls to run must
// not overlap.
func (p *pool) run(n, size int, fn func(c, lo, hi int)) {
	p.n, p.size, p.fn = n, size, fn
	p.next.Store(0)
	if numChunks(n, size) > 1 {
		p.wg.Add(len(p.start))
		for _, ch := range p.start {
			ch <- struct{}{}
		}
		p.work()
		p.wg.Wait()
	} else {
		p.work()
	}
	p.fn = nil
}

func (p *pool) work() {
	nc := numChunks(p.n, p.size)
	for {
		c := int(p.next.Add(1) - 1)
		if c >= nc {
			return
		}
		lo := c * p.size
		p.fn(c, lo, min(lo+p.size, p.n))
	}
}

// close stops the pool's goroutines.
func (p *pool) close() {
	for _, ch := range p.start {
		close(ch)
	}
	p.start = nil
}
