package data

import (
	"cmp"
	"math/bits"
	"slices"
)

// keyedIndex is a record's sort key and its index in its block.
type keyedIndex struct {
	key uint64
	idx uint32
}

// sortedOrder returns the indexes of recs in c.cmp's order, in ks (reused,
// with tmp, between calls). When c.keys can give each record a key whose
// order is c.cmp's but for ties, and ties are in generation order, the keys
// are radix sorted, stably; otherwise the records are compared.
func sortedOrder[T any](recs []T, c *recordCodec[T], ks, tmp []keyedIndex) (sorted, ksBuf, tmpBuf []keyedIndex) {
	ks, tmp = slices.Grow(ks[:0], len(recs))[:len(recs)], slices.Grow(tmp[:0], len(recs))[:len(recs)]
	for i := range ks {
		ks[i].idx = uint32(i)
	}
	if width, ok := c.keys(recs, ks); ok {
		return radixSort(ks, tmp, width), ks, tmp
	}
	slices.SortFunc(ks, func(a, b keyedIndex) int {
		return cmp.Or(c.cmp(recs[a.idx], recs[b.idx]), cmp.Compare(a.idx, b.idx))
	})
	return ks, ks, tmp
}

// radixSort sorts a by the low width bits of its keys, stably (least
// significant digit first), using tmp, and returns the sorted slice: a or
// tmp.
func radixSort(a, tmp []keyedIndex, width int) []keyedIndex {
	const digit = 11
	const mask = 1<<digit - 1
	if len(a) == 0 {
		return a
	}
	for shift := 0; shift < width; shift += digit {
		var count [1 << digit]int
		for i := range a {
			count[a[i].key>>shift&mask]++
		}
		if count[a[0].key>>shift&mask] == len(a) {
			continue // one digit value: nothing moves
		}
		for d, sum := 0, 0; d < len(count); d++ {
			count[d], sum = sum, sum+count[d]
		}
		for _, x := range a {
			d := x.key >> shift & mask
			tmp[count[d]] = x
			count[d]++
		}
		a, tmp = tmp, a
	}
	return a
}

// lineKeys sets the key of each line to (second − first second, return,
// order number − smallest), which orders them as cmpLines does while order
// ids have 8 digits; lines of one order tie and are in generation order. It
// reports false when a time is not a whole second, an order id is longer or
// the key is wider than 64 bits.
func lineKeys(recs []lineRec, ks []keyedIndex) (width int, ok bool) {
	if len(recs) == 0 {
		return 0, true
	}
	tmin, tmax, omin, omax := recs[0].t, recs[0].t, recs[0].order, recs[0].order
	for i := range recs {
		r := &recs[i]
		if r.t%1e6 != 0 {
			return 0, false
		}
		tmin, tmax, omin, omax = min(tmin, r.t), max(tmax, r.t), min(omin, r.order), max(omax, r.order)
	}
	obits := bits.Len32(omax - omin)
	width = bits.Len64(uint64(tmax-tmin)/1e6) + 1 + obits
	if omax >= 1e8 || width > 64 {
		return 0, false
	}
	for i := range recs {
		r := &recs[i]
		ks[i].key = uint64(r.t-tmin)/1e6<<(obits+1) | uint64(r.flags>>7)<<obits | uint64(r.order-omin)
	}
	return width, true
}

// eventKeys sets the key of each event to (second − first second,
// customer − first customer, type), which orders them as cmpEvents does;
// ties are in generation order. It reports false when a time is not a
// whole second or the key is wider than 64 bits.
func eventKeys(recs []eventRec, ks []keyedIndex) (width int, ok bool) {
	if len(recs) == 0 {
		return 0, true
	}
	tmin, tmax, cmin, cmax := recs[0].t, recs[0].t, recs[0].cust, recs[0].cust
	for i := range recs {
		r := &recs[i]
		if r.t%1e6 != 0 {
			return 0, false
		}
		tmin, tmax, cmin, cmax = min(tmin, r.t), max(tmax, r.t), min(cmin, r.cust), max(cmax, r.cust)
	}
	cbits := bits.Len32(cmax - cmin)
	width = bits.Len64(uint64(tmax-tmin)/1e6) + cbits + 2
	if width > 64 {
		return 0, false
	}
	for i := range recs {
		r := &recs[i]
		ks[i].key = uint64(r.t-tmin)/1e6<<(cbits+2) | uint64(r.cust-cmin)<<2 | uint64(r.typ)
	}
	return width, true
}
