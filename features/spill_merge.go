package features

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
)

// errCategoryOverflow is the error of a category's store-wide gross that
// overflows.
var errCategoryOverflow = fmt.Errorf("%w: a category total", errOverflow)

// mergePieces merges the pieces' tables, each sorted by id and no id in
// two, into the store's table, and combines their sums. The pieces' columns
// are released as they are copied.
func (a *Aggregator) mergePieces(ctx context.Context, sw storeWide, pieces []spillPiece) (*Table, error) {
	sp := a.spill
	var tables []*Table
	var sums tableSums
	var nets []fixed
	ovf := false
	t := &Table{
		AsOf:           sw.asOf,
		Names:          append(append(a.columns(), MixColumns(sw.cats)...), MixOther),
		Categories:     sw.cats,
		Lines:          sp.span.lines,
		LinesAfterAsOf: sp.afterAsOf,
		FirstLine:      sp.span.oldest.In(a.loc),
		LastLine:       sp.span.newest.In(a.loc),
	}
	for i := range pieces {
		pc := &pieces[i]
		if pc.t == nil {
			continue
		}
		tables = append(tables, pc.t)
		t.Orders += pc.t.Orders
		t.Purchases += pc.t.Purchases
		sums.revenue = sums.revenue.add(pc.sums.revenue, &ovf)
		sums.hold = sums.hold.merge(pc.sums.hold)
		nets = append(nets, pc.nets...)
		pc.nets = nil
	}
	if ovf {
		return nil, fmt.Errorf("%w: revenue or a category share", errOverflow)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	from := mergeOrder(tables)
	t.IDs = mergeColumn(tables, from, func(t *Table) *[]string { return &t.IDs })
	t.TopCategory = mergeColumn(tables, from, func(t *Table) *[]string { return &t.TopCategory })
	t.City = mergeColumn(tables, from, func(t *Table) *[]string { return &t.City })
	t.Country = mergeColumn(tables, from, func(t *Table) *[]string { return &t.Country })
	t.Channel = mergeColumn(tables, from, func(t *Table) *[]string { return &t.Channel })
	t.Cols = make([][]float64, len(t.Names))
	for j := range t.Cols {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t.Cols[j] = mergeColumn(tables, from, func(t *Table) *[]float64 { return &t.Cols[j] })
	}
	t.Revenue, t.MedianOrder, t.Holdout = sums.revenue.float(), median(nets), sums.hold.result(a.loc)
	return t, nil
}

// mergeOrder returns, for each row of the merged table in id order, the
// index of the table it comes from (each table's rows come in their own
// order).
func mergeOrder(tables []*Table) []int32 {
	n := 0
	h := &idHeap{tables: tables}
	for k, t := range tables {
		n += t.N()
		if t.N() > 0 {
			h.heads = append(h.heads, idHead{table: int32(k)})
		}
	}
	heap.Init(h)
	from := make([]int32, 0, n)
	for h.Len() > 0 {
		top := &h.heads[0]
		from = append(from, top.table)
		top.row++
		if int(top.row) == tables[top.table].N() {
			heap.Pop(h)
		} else {
			heap.Fix(h, 0)
		}
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
	out := make([]T, len(from))
	pos := make([]int, len(tables))
	for i, k := range from {
		if c := *col(tables[k]); c != nil {
			out[i] = c[pos[k]]
		}
		pos[k]++
	}
	for _, t := range tables {
		*col(t) = nil
	}
	return out
}

// idHead is a table's next row in the merge.
type idHead struct {
	table, row int32
}

// idHeap orders the tables' next rows by id.
type idHeap struct {
	tables []*Table
	heads  []idHead
}

func (h *idHeap) Len() int { return len(h.heads) }
func (h *idHeap) Less(i, j int) bool {
	x, y := h.heads[i], h.heads[j]
	return h.tables[x.table].IDs[x.row] < h.tables[y.table].IDs[y.row]
}
func (h *idHeap) Swap(i, j int) { h.heads[i], h.heads[j] = h.heads[j], h.heads[i] }
func (h *idHeap) Push(x any)    { h.heads = append(h.heads, x.(idHead)) }
func (h *idHeap) Pop() any {
	x := h.heads[len(h.heads)-1]
	h.heads = h.heads[:len(h.heads)-1]
	return x
}
