package features

import (
	"encoding/binary"
	"unsafe"
)

// idArena stores ids as bytes in large slabs. A Go string per id would
// cost an allocation and a pointer the garbage collector scans at every
// cycle; an idRef is two integers, so records holding one hold no
// pointer. Each id is stored as its length (a uvarint) and its bytes. Stored ids are never changed or freed (the arena lives as long
// as its Aggregator).
type idArena struct {
	slabs [][]byte
	cur   int // the slab being filled; -1 when none
}

// idSlab is the size of the largest slabs; an id longer than a quarter of
// it gets a slab of its own. The first slab is idSlabFirst bytes.
const (
	idSlab      = 1 << 20
	idSlabFirst = 4 << 10
)

// idRef locates an id in an idArena: 8 bytes.
type idRef struct {
	slab, off uint32
}

// put copies s into the arena.
func (a *idArena) put(s string) idRef {
	n := len(s)
	if len(a.slabs) == 0 {
		a.cur = -1
	}
	size := n + binary.MaxVarintLen64
	if size > idSlab/4 {
		slab := binary.AppendUvarint(make([]byte, 0, size), uint64(n))
		a.slabs = append(a.slabs, append(slab, s...))
		return idRef{slab: uint32(len(a.slabs) - 1)}
	}
	if a.cur < 0 || len(a.slabs[a.cur])+size > cap(a.slabs[a.cur]) {
		// Slabs grow from idSlabFirst to idSlab: a small arena (a
		// spilled file's customers) does not hold a megabyte.
		next := idSlabFirst
		if a.cur >= 0 {
			next = min(2*cap(a.slabs[a.cur]), idSlab)
		}
		next = max(next, size)
		a.slabs = append(a.slabs, make([]byte, 0, next))
		a.cur = len(a.slabs) - 1
	}
	off := len(a.slabs[a.cur])
	a.slabs[a.cur] = append(binary.AppendUvarint(a.slabs[a.cur], uint64(n)), s...)
	return idRef{slab: uint32(a.cur), off: uint32(off)}
}

// get returns the id at r. The string shares the arena's memory.
func (a *idArena) get(r idRef) string {
	b := a.slabs[r.slab][r.off:]
	n, k := binary.Uvarint(b)
	if n == 0 {
		return ""
	}
	return unsafe.String(&b[k], int(n))
}
