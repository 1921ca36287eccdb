package data

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"strconv"
)

// The generator's records: one order line, event or customer profile in a
// few bytes each, with numbers where the tables have strings (ids are
// formatted only when a row group is written). Times are Unix
// microseconds, the unit the tables store.

// lineRec is one row of orders.parquet.
type lineRec struct {
	t        int64  // time
	order    uint32 // order_id's number
	cust     uint32 // customer index: customer_id C<cust+1>
	price    int32  // unit_price in cents
	discount int32  // discount in cents
	product  uint16 // catalogue index of product_id (and of category)
	qty      int8   // quantity
	flags    uint8  // lineReturn, and the coupon: SAVE<5·(flags&lineCoupon)>, none for 0
	lineNo   uint8  // the line's place in its order
}

const (
	lineCoupon = 0x07
	lineReturn = 0x80 // order_id "R…" (a return) rather than "O…"
)

// cmpLines orders lines as orders.parquet does: by time, then order_id
// (as strings), then place in the order, which is the order they were
// generated in.
func cmpLines(a, b lineRec) int {
	if a.t != b.t {
		return cmp.Compare(a.t, b.t)
	}
	if a.order != b.order || a.flags&lineReturn != b.flags&lineReturn {
		if a.order < 1e8 && b.order < 1e8 { // ids of the same length
			return cmp.Or(cmp.Compare(a.flags&lineReturn, b.flags&lineReturn), cmp.Compare(a.order, b.order))
		}
		var x, y [16]byte
		return bytes.Compare(a.appendOrderID(x[:0]), b.appendOrderID(y[:0]))
	}
	return cmp.Compare(a.lineNo, b.lineNo)
}

// appendOrderID appends l's order_id: O or R and the order number with at
// least 8 digits.
func (l *lineRec) appendOrderID(dst []byte) []byte {
	prefix := "O"
	if l.flags&lineReturn != 0 {
		prefix = "R"
	}
	return appendPadded(dst, prefix, uint64(l.order), 8)
}

// coupons[c] is the coupon of lineRec.flags&lineCoupon == c.
var coupons = [][]byte{{}, []byte("SAVE5"), []byte("SAVE10"), []byte("SAVE15"), []byte("SAVE20")}

// eventRec is one row of events.parquet.
type eventRec struct {
	t       int64
	cust    uint32 // customer index
	seq     uint32 // generation order within its block
	product uint16 // catalogue index, or noProduct
	typ     uint8  // index in eventTypes
}

// Event types, numbered in the order of their names.
const (
	evAddToCart uint8 = iota
	evCheckout
	evView
)

var eventTypes = [][]byte{[]byte("add_to_cart"), []byte("checkout"), []byte("view")}

// noProduct is the product of a checkout event: an empty product_id.
const noProduct = 0xffff

// cmpEvents orders events as events.parquet does: by time, customer_id
// and type, and then in the order they were generated. Customer ids have
// a fixed width, so they sort as the indexes do.
func cmpEvents(a, b eventRec) int {
	if a.t != b.t {
		return cmp.Compare(a.t, b.t)
	}
	return cmp.Or(cmp.Compare(a.cust, b.cust), cmp.Compare(a.typ, b.typ), cmp.Compare(a.seq, b.seq))
}

// lineCodec encodes lines for the run files.
var lineCodec = &recordCodec[lineRec]{
	cmp:  cmpLines,
	time: func(r *lineRec) int64 { return r.t },
	keys: lineKeys,
	put: func(dst []byte, r, prev *lineRec) []byte {
		dst = binary.AppendVarint(dst, r.t-prev.t)
		dst = binary.AppendUvarint(dst, uint64(r.order))
		dst = binary.AppendUvarint(dst, uint64(r.cust))
		dst = binary.AppendUvarint(dst, uint64(r.product))
		dst = append(dst, byte(r.qty), r.flags, r.lineNo)
		dst = binary.AppendVarint(dst, int64(r.price))
		return binary.AppendVarint(dst, int64(r.discount))
	},
	get: func(src []byte, r, prev *lineRec) int {
		d := varintReader{b: src}
		r.t = prev.t + d.varint()
		r.order, r.cust, r.product = uint32(d.uvarint()), uint32(d.uvarint()), uint16(d.uvarint())
		r.qty, r.flags, r.lineNo = int8(d.byte()), d.byte(), d.byte()
		r.price, r.discount = int32(d.varint()), int32(d.varint())
		return d.read()
	},
}

// eventCodec encodes events for the run files. It leaves seq out: it only
// orders events of one customer, which are all in the same run.
var eventCodec = &recordCodec[eventRec]{
	cmp:  cmpEvents,
	time: func(r *eventRec) int64 { return r.t },
	keys: eventKeys,
	put: func(dst []byte, r, prev *eventRec) []byte {
		dst = binary.AppendVarint(dst, r.t-prev.t)
		dst = binary.AppendUvarint(dst, uint64(r.cust))
		dst = binary.AppendUvarint(dst, uint64(r.product))
		return append(dst, r.typ)
	},
	get: func(src []byte, r, prev *eventRec) int {
		d := varintReader{b: src}
		r.t = prev.t + d.varint()
		r.cust, r.product, r.typ = uint32(d.uvarint()), uint16(d.uvarint()), d.byte()
		return d.read()
	},
}

// varintReader decodes a record's fields from b.
type varintReader struct {
	b   []byte
	n   int
	bad bool
}

func (d *varintReader) varint() int64 {
	v, k := binary.Varint(d.b[d.n:])
	d.n, d.bad = d.n+max(k, 0), d.bad || k <= 0
	return v
}

func (d *varintReader) uvarint() uint64 {
	v, k := binary.Uvarint(d.b[d.n:])
	d.n, d.bad = d.n+max(k, 0), d.bad || k <= 0
	return v
}

func (d *varintReader) byte() byte {
	if d.n >= len(d.b) {
		d.bad = true
		return 0
	}
	d.n++
	return d.b[d.n-1]
}

// read returns the number of bytes decoded, 0 if b was too short.
func (d *varintReader) read() int {
	if d.bad {
		return 0
	}
	return d.n
}

// profileRec is a customer's row of customers.parquet and truth.parquet.
type profileRec struct {
	signup     int64
	city       uint8 // index in cities
	age        uint8 // index in ageBands
	persona    uint8 // index in personas; len(personas) for a prospect
	traits     uint8 // bit k: traitNames[k]
	newsletter bool
	b2b        bool
}

// appendPadded appends prefix and v in decimal with at least width digits,
// zero-padded, as fmt's "%0*d" formats it.
func appendPadded(dst []byte, prefix string, v uint64, width int) []byte {
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], v, 10)
	dst = append(dst, prefix...)
	for range width - len(d) {
		dst = append(dst, '0')
	}
	return append(dst, d...)
}

// byteStrings returns ss as byte slices, for parquet values.
func byteStrings(ss []string) [][]byte {
	b := make([][]byte, len(ss))
	for i, s := range ss {
		b[i] = []byte(s)
	}
	return b
}
