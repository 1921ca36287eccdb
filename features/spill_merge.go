package features

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

// errCategoryOverflow is the error of a category's store-wide gross that
// overflows.
var errCategoryOverflow = fmt.Errorf("%w: a category total", errOverflow)

// releaseEvery is the number of columns mergePieces merges between two
// returns of the freed memory to the system (debug.FreeOSMemory, the
// first after the median order has released the purchases). The tables'
// columns are freed as they are merged, in pieces scattered over the
// heap, and each merged column is allocated whole: the runtime cannot
// place one in the pieces, and its background scavenger returns them too
// slowly. At 10M customers the merge's RSS reached twice its live heap.
const releaseEvery = 4

// mergePieces merges the pieces' tables, each sorted by id and no id in
// two, into the store's table, and combines their sums. The pieces' columns
// are released as they are copied.
func (a *Aggregator) mergePieces(ctx context.Context, sw storeWide, pieces []spillPiece) (*Table, error) {
	sp := a.spill
	var tables []*Table
	var sums tableSums
	var nets []netValues // every purchase's net value, for the median order (packed: about 3 bytes a purchase)
	ovf := false
	t := &Table{
		AsOf:           sw.asOf,
		Names:          append(append(a.columns(), MixColumns(sw.cats)...), MixOther),
		Categories:     sw.cats,
		Lines:          sp.span.lines,
		LinesAfterAsOf: sp.afterAsOf,
		FirstLine:      sp.span.oldest.In(a.loc),
		LastLine:       sp.span.newest.In(a.loc),
		Latest:         sp.span.latest,
	}
	for i := range pieces {
		pc := &pieces[i]
		if pc.t == nil {
			continue
		}
		tables = append(tables, pc.t)
		t.Orders += pc.t.Orders
		t.Purchases += pc.t.Purchases
		t.RefundOrders += pc.t.RefundOrders
		sums.revenue = sums.revenue.add(pc.sums.revenue, &ovf)
		sums.refunded = sums.refunded.add(pc.sums.refunded, &ovf)
		sums.hold = sums.hold.merge(pc.sums.hold)
		nets = append(nets, pc.nets)
		pc.nets = packedNets{}
	}
	if ovf {
		return nil, fmt.Errorf("%w: revenue or a category share", errOverflow)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The median first: the purchases are not used after it, so they are
	// released before the columns are merged. The order of the merged
	// rows is found meanwhile, on another core (with more than one worker).
	var from []int32
	if a.opts.Workers == 1 {
		t.MedianOrder, from = medianOfValues(nets), mergeOrder(tables)
	} else {
		ordered := make(chan struct{})
		go func() {
			defer close(ordered)
			from = mergeOrder(tables)
		}()
		t.MedianOrder = medianOfValues(nets)
		<-ordered
	}
	texts := []func(*Table) *[]string{
		func(t *Table) *[]string { return &t.IDs },
		func(t *Table) *[]string { return &t.TopCategory },
		func(t *Table) *[]string { return &t.City },
		func(t *Table) *[]string { return &t.Country },
		func(t *Table) *[]string { return &t.Channel },
	}
	forEach(len(texts), a.opts.Workers, func(j int) {
		*texts[j](t) = mergeColumn(tables, from, texts[j])
	})
	t.Cols = make([][]float64, len(t.Names))
	for j0 := 0; j0 < len(t.Cols); j0 += releaseEvery {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		debug.FreeOSMemory()
		batch := t.Cols[j0:min(j0+releaseEvery, len(t.Cols))]
		forEach(len(batch), a.opts.Workers, func(j int) {
			batch[j] = mergeColumn(tables, from, func(t *Table) *[]float64 { return &t.Cols[j0+j] })
		})
	}
	t.Revenue, t.Holdout = sums.revenue.float(), sums.hold.result(a.loc)
	t.Refunded = sums.refunded.float()
	// Last, once the pieces' columns are released: for a while the ids
	// are held twice.
	t.IDs = packStrings(t.IDs)
	return t, nil
}

// mergeOrder returns, for each row of the merged table in id order, the
// index of the table it comes from (each table's rows come in their own
// order). A binary heap of the tables' next ids, compared in place.
func mergeOrder(tables []*Table) []int32 {
	n := 0
	var heap []int32 // tables with rows left, as a min-heap of their next id
	for k, t := range tables {
		n += t.N()
		if t.N() > 0 {
			heap = append(heap, int32(k))
		}
	}
	pos := make([]int32, len(tables))
	next := func(k int32) string { return tables[k].IDs[pos[k]] }
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(heap) {
				return
			}
			if r := l + 1; r < len(heap) && next(heap[r]) < next(heap[l]) {
				l = r
			}
			if next(heap[i]) <= next(heap[l]) {
				return
			}
			heap[i], heap[l] = heap[l], heap[i]
			i = l
		}
	}
	for i := len(heap)/2 - 1; i >= 0; i-- {
		down(i)
	}
	from := make([]int32, 0, n)
	for len(heap) > 0 {
		k := heap[0]
		from = append(from, k)
		if pos[k]++; int(pos[k]) == tables[k].N() {
			heap[0] = heap[len(heap)-1]
			heap = heap[:len(heap)-1]
		}
		down(0)
	}
	return from
}

// mergeColumn gathers one column of the tables in the merged order, and
// releases the tables' own. A column nil in every table stays nil; a table
// without it gives zero values.
func mergeColumn[T any](tables []*Table, from []int32, col func(*Table) *[]T) []T {
	some := slices.ContainsFunc(tables, func(t *Table) bool { return *col(t) != nil })
	if !some {
		return nil
	}
	cols := make([][]T, len(tables))
	for k, t := range tables {
		cols[k] = *col(t)
	}
	out := make([]T, len(from))
	pos := make([]int, len(tables))
	for i, k := range from {
		if c := cols[k]; c != nil {
			out[i] = c[pos[k]]
		}
		pos[k]++
	}
	for _, t := range tables {
		*col(t) = nil
	}
	return out
}

// forEach calls f(i) for every i below n, on up to workers goroutines
// (at least one), and returns when every call has.
func forEach(n, workers int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(max(workers, 1), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// packStrings copies the bytes of ss, in order, into one allocation, and
// points ss's strings there. The merged ids point into the arenas of the
// files, whose customers are in hash order: every later pass over the ids
// in id order (the segments, the three assignment files) would miss the
// processor's caches at almost every id.
func packStrings(ss []string) []string {
	n := 0
	for _, s := range ss {
		n += len(s)
	}
	buf := make([]byte, 0, n)
	for i, s := range ss {
		if s == "" {
			continue
		}
		off := len(buf)
		buf = append(buf, s...)
		ss[i] = unsafe.String(&buf[off], len(s))
	}
	return ss
}
