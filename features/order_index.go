package features

import (
	"math/bits"
	"sync"
)

// orderIndex finds a part's orders by (customer, order id): one
// open-addressing table for the whole part, instead of a list of orders
// and a map per customer. A slot holds an order's index plus one (0 is
// empty) and a 32-bit hash of its key, compared before the ids are.
type orderIndex struct {
	slots []orderSlot
	n     int // orders indexed

	// The orders of each customer, in order of appearance, made when
	// asked for (ordersOf) and made again when orders were added since:
	// customer ci's are list[start[ci]:start[ci+1]].
	mu    sync.Mutex
	start []int32
	list  []int32
}

type orderSlot struct {
	oi1  int32 // order index + 1; 0: empty
	hash uint32
}

// orderKeyHash mixes a customer's index into its order id's hash.
func orderKeyHash(ci int32, idHash uint64) uint32 {
	h := idHash ^ uint64(uint32(ci))*0x9e3779b97f4a7c15
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 32
	return uint32(h)
}

// find returns the index of the order of customer ci whose id is id (h
// its orderKeyHash), or -1, and the slot where it would go.
func (p *part) findOrder(ci int32, id string, h uint32) (oi int32, slot int) {
	x := &p.orderIdx
	if len(x.slots) == 0 {
		return -1, -1
	}
	mask := len(x.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s.oi1 == 0 {
			return -1, i
		}
		if s.hash == h {
			if o := p.orders.at(s.oi1 - 1); o.cust == ci && p.orderIDs.get(o.id) == id {
				return s.oi1 - 1, i
			}
		}
	}
}

// indexOrder records order oi (key hash h) at slot, a slot findOrder
// returned for it (-1 when the table is empty), growing the table past
// half full.
func (p *part) indexOrder(oi int32, h uint32, slot int) {
	x := &p.orderIdx
	if slot < 0 || 2*(x.n+1) > len(x.slots) {
		x.grow()
		mask := len(x.slots) - 1
		slot = int(h) & mask
		for x.slots[slot].oi1 != 0 {
			slot = (slot + 1) & mask
		}
	}
	x.slots[slot] = orderSlot{oi1: oi + 1, hash: h}
	x.n++
}

// reserve makes an empty table room for n orders.
func (x *orderIndex) reserve(n int) {
	if x.n == 0 {
		x.slots = make([]orderSlot, max(1024, 1<<bits.Len(uint(2*n))))
	}
}

// grow doubles the table (1024 slots at first) and puts every slot back.
func (x *orderIndex) grow() {
	old := x.slots
	x.slots = make([]orderSlot, max(1024, 2*len(old)))
	mask := len(x.slots) - 1
	for _, s := range old {
		if s.oi1 == 0 {
			continue
		}
		i := int(s.hash) & mask
		for x.slots[i].oi1 != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = s
	}
}

// ordersOf returns the indexes of customer ci's orders, in order of
// appearance. The lists of all customers are made at the first call after
// an order was added; callers may be concurrent once no line is added.
func (p *part) ordersOf(ci int32) []int32 {
	x := &p.orderIdx
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.list) != p.orders.len() || len(x.start) != p.customers.len()+1 {
		nc := p.customers.len()
		x.start = make([]int32, nc+1)
		for oi := range int32(p.orders.len()) {
			x.start[p.orders.at(oi).cust+1]++
		}
		for c := range nc {
			x.start[c+1] += x.start[c]
		}
		x.list = make([]int32, p.orders.len())
		next := make([]int32, nc)
		copy(next, x.start[:nc])
		for oi := range int32(p.orders.len()) {
			c := p.orders.at(oi).cust
			x.list[next[c]] = oi
			next[c]++
		}
	}
	return x.list[x.start[ci]:x.start[ci+1]]
}
