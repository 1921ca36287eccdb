package pipeline

import (
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// rowBuffers are the columns assignmentTable.Rows makes for the outputs
// alone (the cluster's key and name, the distance, the scores as
// integers, the history, the customers table's columns), kept from one
// range to the next by a reusing assignmentTable (a fresh rowBuffers for
// each range otherwise). Without them each reader of the assignments made its
// own for every range: at 1M customers some 450 MB of garbage a run, which
// the collector, at its low target after the features, paid for in the
// outputs stage.
type rowBuffers struct {
	intCols   [][]int64
	strCols   [][]string
	floatCols [][]float64
	boolCols  [][]bool
	next      [4]int        // the next of intCols, strCols, floatCols and boolCols to hand out
	customers []data.Column // the customers table's columns (features.CustomerTable.ColumnsAtInto)
}

// customerColumns returns c's columns at rows (features.CustomerTable.ColumnsAt),
// in b's buffers.
func (b *rowBuffers) customerColumns(c *features.CustomerTable, rows []int32) []data.Column {
	b.customers = c.ColumnsAtInto(b.customers, rows)
	return b.customers
}

// reset starts a new range: the buffers are handed out again from the first.
func (b *rowBuffers) reset() { b.next = [4]int{} }

// ints, strings, float64s and bools return the next of b's slices of
// their kind, as n zero values.
func (b *rowBuffers) ints(n int) []int64 { return take(&b.intCols, &b.next[0], n) }

func (b *rowBuffers) strings(n int) []string { return take(&b.strCols, &b.next[1], n) }

func (b *rowBuffers) float64s(n int) []float64 { return take(&b.floatCols, &b.next[2], n) }

func (b *rowBuffers) bools(n int) []bool { return take(&b.boolCols, &b.next[3], n) }

// take returns the next of bufs (made when there is none yet), as n zero
// values.
func take[T any](bufs *[][]T, next *int, n int) []T {
	if *next == len(*bufs) {
		*bufs = append(*bufs, nil)
	}
	buf := &(*bufs)[*next]
	*next++
	if *buf == nil || cap(*buf) < n { // never nil: a column's nil Nulls would say it has no nulls
		*buf = make([]T, n)
		return *buf
	}
	*buf = (*buf)[:n]
	clear(*buf)
	return *buf
}

// reusing returns a's assignments as Chunks whose Rows reuse one set of
// buffers (rowBuffers): a table it returns holds until the next call of
// Rows. It is for readers that are done with a range before they ask for
// the next (the CSV and Arrow writers, the exports, the customers'
// tally); the Parquet writer encodes several ranges at once and needs
// tables of their own.
func (a *assignmentTable) reusing() *assignmentTable {
	b := *a
	b.bufs = &rowBuffers{}
	return &b
}
