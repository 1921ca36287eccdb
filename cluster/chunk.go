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

// numChunks returns the number of chunks of size rows needed to cover n rows.
func numChunks(n, size int) int {
	return (n + size - 1) / size
}

// forChunks calls fn(c, lo, hi) once for every chunk c of size rows, where
// [lo, hi) are the chunk's rows out of n, using at most workers goroutines.
// Chunks may run in any order and concurrently; fn must write only to state
// owned by chunk c. forChunks returns when every chunk is done.
func forChunks(n, size, workers int, fn func(c, lo, hi int)) {
	nc := numChunks(n, size)
	bounds := func(c int) (int, int) {
		lo := c * size
		return lo, min(lo+size, n)
	}
	workers = min(workers, nc)
	if workers <= 1 {
		for c := range nc {
			lo, hi := bounds(c)
			fn(c, lo, hi)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	wg.Add(workers)
	for range workers {
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1) - 1)
				if c >= nc {
					return
				}
				lo, hi := bounds(c)
				fn(c, lo, hi)
			}
		}()
	}
	wg.Wait()
}
