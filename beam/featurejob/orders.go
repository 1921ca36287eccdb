package featurejob

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// The lines are grouped twice: by (customer, order) first, each order's
// lines becoming one element (orderLines), then those by customer. So the
// per-customer steps see one element per order, not per line, and take a
// customer's orders a chunk of whole orders at a time (eachChunk): the
// feature row is folded by a features.Aggregator, which keeps a state per
// order, not the lines (rowsFn); the category gross and the purchase nets
// are sums over whole orders (features.CategoryGross and PurchaseNets of
// each chunk, added exactly). A customer with huge order counts thus needs
// memory for the state of its orders, not for its lines; one order's lines
// are held at a time. The reader already gathers the adjacent lines of an
// order (a run, at most maxRunLines) into one element (readPart), so that
// the first grouping shuffles about an element per order, not per line,
// and the customer and order ids once per run (encodeOrder).

// orderLines are lines of one order of one customer: a run of them as
// read, or all of them once grouped (orderFn).
type orderLines struct{ Lines []data.OrderLine }

// chunkLines is about how many lines of whole orders the per-customer
// steps take at a time.
const chunkLines = 8192

// maxRunLines is the most lines of an order the reader puts in one
// element: an order of more lines is sent as several.
const maxRunLines = 4096

// orderKey returns the key that groups a line with its order's lines: the
// customer id (length-prefixed, so that no two pairs of ids give one key)
// and the order id.
func orderKey(l *data.OrderLine) string {
	return strconv.Itoa(len(l.CustomerID)) + ":" + l.CustomerID + l.OrderID
}

// eachRun calls fn with each run of batch: the most adjacent lines, up to
// maxRunLines, of one customer's order. The runs are views of batch.
func eachRun(batch []data.OrderLine, fn func(run []data.OrderLine)) {
	for i := 0; i < len(batch); {
		j := i + 1
		for j < len(batch) && j-i < maxRunLines && batch[j].OrderID == batch[i].OrderID && batch[j].CustomerID == batch[i].CustomerID {
			j++
		}
		fn(batch[i:j])
		i = j
	}
}

// orderFn turns the runs of one order's lines into one element, keyed by
// customer.
func orderFn(_ string, runs func(*orderLines) bool, emit func(string, orderLines)) {
	var o, run orderLines
	for runs(&run) {
		if o.Lines == nil {
			o.Lines = run.Lines // decoded afresh for each run: not shared
		} else {
			o.Lines = append(o.Lines, run.Lines...)
		}
		run = orderLines{}
	}
	if len(o.Lines) > 0 {
		emit(o.Lines[0].CustomerID, o)
	}
}

// eachChunk calls fn with a customer's lines, whole orders at a time, about
// chunkLines lines a call, reusing buf; it returns buf and the lines seen.
func eachChunk(buf []data.OrderLine, orders func(*orderLines) bool, fn func([]data.OrderLine) error) ([]data.OrderLine, int64, error) {
	buf = buf[:0]
	var n int64
	var o orderLines
	for orders(&o) {
		buf = append(buf, o.Lines...)
		n += int64(len(o.Lines))
		if len(buf) >= chunkLines {
			if err := fn(buf); err != nil {
				return buf, n, err
			}
			buf = buf[:0]
		}
		o = orderLines{}
	}
	if len(buf) > 0 {
		if err := fn(buf); err != nil {
			return buf, n, err
		}
	}
	return buf, n, nil
}

// customerTable folds a customer's orders into its feature table, as
// features.CustomerRows does with every line at once: a
// features.Aggregator with the store's as_of and mix categories, given the
// lines a chunk at a time.
func customerTable(o features.Options, s features.StoreValues, buf []data.OrderLine, orders func(*orderLines) bool) (*features.Table, []data.OrderLine, error) {
	o.AsOf, o.Workers, o.Categories = s.AsOf, 1, s.Categories
	if o.Categories == nil {
		o.Categories = []string{}
	}
	a := features.NewAggregator(o)
	defer a.Close()
	buf, n, _ := eachChunk(buf, orders, func(chunk []data.OrderLine) error { a.Add(chunk); return nil })
	t, err := a.Table()
	if errors.Is(err, features.ErrNoCustomers) {
		// No line before as_of (an invalid line's error comes first): the
		// empty table CustomerRows gives, every line after as_of.
		if t, err = features.CustomerRows(o, s, nil); err == nil {
			t.LinesAfterAsOf = n
		}
	}
	return t, buf, err
}

// categoryGross sums features.CategoryGross over a customer's chunks of
// whole orders: exact int64 sums, checked for overflow.
func categoryGross(o features.Options, asOf time.Time, buf []data.OrderLine, orders func(*orderLines) bool) (catTotals, []data.OrderLine, error) {
	sums := map[string]int64{}
	var ovf bool
	buf, _, err := eachChunk(buf, orders, func(chunk []data.OrderLine) error {
		g, err := features.CategoryGross(o, asOf, chunk)
		for name, v := range g {
			var bad bool
			sums[name], bad = addInt64(sums[name], v)
			ovf = ovf || bad
		}
		return err
	})
	names := slices.Sorted(maps.Keys(sums))
	c := catTotals{Names: names, Gross: make([]int64, len(names)), Overflow: ovf}
	for i, n := range names {
		c.Gross[i] = sums[n]
	}
	return c, buf, err
}

// The forms of an order's encoding (encodeOrder).
const (
	orderEachIDs   = 0 // every line with its customer and order ids
	orderSharedIDs = 1 // the ids once: every line has them
)

// encodeOrder is the Beam coder of an order's lines: their count, then
// (when there is a line) the form: the customer and order ids once when
// every line has the same (as the lines of an order do), then each line
// (appendLine) length-prefixed.
func encodeOrder(o orderLines) []byte {
	b := binary.AppendUvarint(nil, uint64(len(o.Lines)))
	if len(o.Lines) == 0 {
		return b
	}
	first := &o.Lines[0]
	shared := true
	for i := range o.Lines {
		shared = shared && o.Lines[i].CustomerID == first.CustomerID && o.Lines[i].OrderID == first.OrderID
	}
	if shared {
		b = append(b, orderSharedIDs)
		for _, s := range [...]string{first.CustomerID, first.OrderID} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
	} else {
		b = append(b, orderEachIDs)
	}
	var e []byte
	for i := range o.Lines {
		e = appendLine(e[:0], &o.Lines[i], !shared)
		b = binary.AppendUvarint(b, uint64(len(e)))
		b = append(b, e...)
	}
	return b
}

// decodeOrder decodes what encodeOrder encoded.
func decodeOrder(b []byte) (orderLines, error) {
	bad := fmt.Errorf("featurejob: a damaged order (%d bytes)", len(b))
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return orderLines{}, bad
	}
	b = b[k:]
	if n == 0 {
		if len(b) != 0 {
			return orderLines{}, bad
		}
		return orderLines{}, nil
	}
	if len(b) == 0 || b[0] > orderSharedIDs {
		return orderLines{}, bad
	}
	shared := b[0] == orderSharedIDs
	b = b[1:]
	var ids [2]string
	if shared {
		for i := range ids {
			m, k := binary.Uvarint(b)
			if k <= 0 || m > uint64(len(b)-k) {
				return orderLines{}, bad
			}
			ids[i], b = string(b[k:k+int(m)]), b[k+int(m):]
		}
	}
	o := orderLines{Lines: make([]data.OrderLine, n)}
	for i := range o.Lines {
		m, k := binary.Uvarint(b)
		if k <= 0 || m > uint64(len(b)-k) {
			return orderLines{}, bad
		}
		l := &o.Lines[i]
		l.CustomerID, l.OrderID = ids[0], ids[1]
		if err := readLine(b[k:k+int(m)], l, !shared); err != nil {
			return orderLines{}, fmt.Errorf("%w (%d bytes)", err, m)
		}
		b = b[k+int(m):]
	}
	if len(b) != 0 {
		return orderLines{}, bad
	}
	return o, nil
}
