package features

// chunkLen is the number of records in one chunk of a chunked store.
const chunkLen = 4096

// chunked is an append-only store of records addressed by an int32 index.
// It grows by whole chunks, so a record never moves and growing never
// copies what is already stored (a single slice would copy everything at
// each doubling).
type chunked[T any] struct {
	chunks [][]T
	n      int
}

// maxRecords bounds a chunked store: indexes are int32.
const maxRecords = 1<<31 - 1

// push appends v and returns its index, or -1 when the store is full.
func (c *chunked[T]) push(v T) int32 {
	if c.n == maxRecords {
		return -1
	}
	if c.n%chunkLen == 0 {
		c.chunks = append(c.chunks, make([]T, 0, chunkLen))
	}
	last := &c.chunks[len(c.chunks)-1]
	*last = append(*last, v)
	c.n++
	return int32(c.n - 1)
}

// at returns a pointer to record i.
func (c *chunked[T]) at(i int32) *T { return &c.chunks[i/chunkLen][i%chunkLen] }

// len returns the number of records.
func (c *chunked[T]) len() int { return c.n }
