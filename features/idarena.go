package features

import "unsafe"

// idArena stores ids as bytes in large slabs. A Go string per id would
// cost an allocation and a pointer the garbage collector scans at every
// cycle; an idRef is three integers, so records holding one hold no
// pointer. Stored ids are never changed or freed (the arena lives as long
// as its Aggregator).
type idArena struct {
	slabs [][]byte
	cur   int // the slab being filled; -1 when none
}

// idSlab is the size of a slab; an id longer than a quarter of it gets a
// slab of its own.
const idSlab = 1 << 20

// idRef locates an id in an idArena.
type idRef struct {
	slab, off, n uint32
}

// put copies s into the arena.
func (a *idArena) put(s string) idRef {
	n := len(s)
	if len(a.slabs) == 0 {
		a.cur = -1
	}
	if n > idSlab/4 {
		a.slabs = append(a.slabs, []byte(s))
		return idRef{slab: uint32(len(a.slabs) - 1), n: uint32(n)}
	}
	if a.cur < 0 || len(a.slabs[a.cur])+n > cap(a.slabs[a.cur]) {
		a.slabs = append(a.slabs, make([]byte, 0, idSlab))
		a.cur = len(a.slabs) - 1
	}
	off := len(a.slabs[a.cur])
	a.slabs[a.cur] = append(a.slabs[a.cur], s...)
	return idRef{slab: uint32(a.cur), off: uint32(off), n: uint32(n)}
}

// get returns the id at r. The string shares the arena's memory.
func (a *idArena) get(r idRef) string {
	if r.n == 0 {
		return ""
	}
	return unsafe.String(&a.slabs[r.slab][r.off], r.n)
}
