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
// are held at a time.

// orderLines are the lines of one order of one customer.
type orderLines struct{ Lines []data.OrderLine }

// chunkLines is about how many lines of whole orders the per-customer
// steps take at a time.
const chunkLines = 8192

// orderKey returns the key that groups a line with its order's lines: the
// customer id (length-prefixed, so that no two pairs of ids give one key)
// and the order id.
func orderKey(l *data.OrderLine) string {
	return strconv.Itoa(len(l.CustomerID)) + ":" + l.CustomerID + l.OrderID
}

// orderFn turns one order's lines into one element, keyed by customer.
func orderFn(_ string, lines func(*data.OrderLine) bool, emit func(string, orderLines)) {
	var o orderLines
	var l data.OrderLine
	for lines(&l) {
		o.Lines = append(o.Lines, l)
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

// encodeOrder is the Beam coder of an order's lines: their count, then
// each line (encodeLine) length-prefixed.
func encodeOrder(o orderLines) []byte {
	b := binary.AppendUvarint(nil, uint64(len(o.Lines)))
	for _, l := range o.Lines {
		e := encodeLine(l)
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
	o := orderLines{Lines: make([]data.OrderLine, n)}
	for i := range o.Lines {
		m, k := binary.Uvarint(b)
		if k <= 0 || m > uint64(len(b)-k) {
			return orderLines{}, bad
		}
		l, err := decodeLine(b[k : k+int(m)])
		if err != nil {
			return orderLines{}, err
		}
		o.Lines[i], b = l, b[k+int(m):]
	}
	if len(b) != 0 {
		return orderLines{}, bad
	}
	return o, nil
}
