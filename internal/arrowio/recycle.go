package arrowio

import (
	"slices"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// recycler is a memory.Allocator that keeps the buffers the IPC writer
// frees and hands them out again: the writer compresses every buffer of a
// record batch into a buffer of its own and frees it once the batch is
// written, and a file's batches ask for the same sizes again and again.
// With memory.GoAllocator each batch's buffers were garbage (at 1M
// customers some 300 MB a file). Buffers come zeroed, as GoAllocator's;
// it is used by one writer, on one goroutine.
type recycler struct {
	alloc memory.GoAllocator
	free  [][]byte // whole (len = cap), by capacity
}

// maxFree bounds the buffers a recycler keeps: more than a batch of the
// widest table frees.
const maxFree = 512

func (r *recycler) Allocate(size int) []byte {
	// The smallest free buffer that holds size bytes.
	i, _ := slices.BinarySearchFunc(r.free, size, func(b []byte, size int) int { return cap(b) - size })
	if i == len(r.free) {
		return r.alloc.Allocate(size)
	}
	b := r.free[i][:size]
	r.free = slices.Delete(r.free, i, i+1)
	clear(b)
	return b
}

func (r *recycler) Reallocate(size int, b []byte) []byte {
	if cap(b) >= size {
		return b[:size]
	}
	nb := r.Allocate(size)
	copy(nb, b)
	r.Free(b)
	return nb
}

func (r *recycler) Free(b []byte) {
	if cap(b) == 0 || len(r.free) >= maxFree {
		return
	}
	b = b[:cap(b)]
	i, _ := slices.BinarySearchFunc(r.free, cap(b), func(f []byte, c int) int { return cap(f) - c })
	r.free = slices.Insert(r.free, i, b)
}

var _ memory.Allocator = (*recycler)(nil)
