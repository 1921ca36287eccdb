package featurejob

import (
	"encoding/binary"
	"errors"
	"math"
	"time"

	"github.com/segment-tool/segment/data"
)

// appendLine appends the encoding of line l to b, for the coder of an
// order's lines between the workers (encodeOrder): its strings
// length-prefixed, its time in unix nanoseconds (the reader has checked it
// fits), its numbers as appendNumber writes them, so that a line arrives
// bit for bit as it was read. With ids false the customer and order ids are left out
// (the order's encoding holds them once). The time's zone is not kept: the
// features measure days in the store's zone (features.Options.Location),
// whatever the zone of a line's time.
func appendLine(b []byte, l *data.OrderLine, ids bool) []byte {
	strs := [...]string{l.CustomerID, l.OrderID, l.ProductID, l.Category, l.Coupon, l.Status, l.City, l.Country, l.Channel}
	from := 0
	if !ids {
		from = 2
	}
	for _, s := range strs[from:] {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendVarint(b, l.Time.UnixNano())
	for _, v := range [...]float64{l.Quantity, l.UnitPrice, l.Amount, l.Discount, l.Refunded} {
		b = appendNumber(b, v)
	}
	switch {
	case l.Returned && l.ReturnedInPlace:
		return append(b, 2)
	case l.Returned:
		return append(b, 1)
	}
	return append(b, 0)
}

// errDamagedLine is what readLine returns for bytes appendLine did not
// write.
var errDamagedLine = errors.New("featurejob: a damaged order line")

// readLine decodes into l a line that appendLine encoded as the whole of
// b; with ids false it leaves l's customer and order ids as they are.
func readLine(b []byte, l *data.OrderLine, ids bool) error {
	strs := [...]*string{&l.CustomerID, &l.OrderID, &l.ProductID, &l.Category, &l.Coupon, &l.Status, &l.City, &l.Country, &l.Channel}
	from := 0
	if !ids {
		from = 2
	}
	for _, p := range strs[from:] {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return errDamagedLine
		}
		*p = string(b[k : k+int(n)])
		b = b[k+int(n):]
	}
	ns, k := binary.Varint(b)
	if k <= 0 {
		return errDamagedLine
	}
	l.Time = time.Unix(0, ns).UTC()
	b = b[k:]
	for _, p := range [...]*float64{&l.Quantity, &l.UnitPrice, &l.Amount, &l.Discount, &l.Refunded} {
		if *p, k = readNumber(b); k <= 0 {
			return errDamagedLine
		}
		b = b[k:]
	}
	if len(b) != 1 {
		return errDamagedLine
	}
	l.Returned, l.ReturnedInPlace = false, false
	switch b[0] {
	case 0:
	case 1:
		l.Returned = true
	case 2:
		l.Returned, l.ReturnedInPlace = true, true
	default:
		return errDamagedLine
	}
	return nil
}

// maxCents is the largest magnitude of a number's hundredths that
// appendNumber writes as an integer: every integer up to it is a float64.
const maxCents = 1 << 53

// appendNumber appends v to b: a number that is a whole number of
// hundredths x (float64(x)/100 gives v's bits back: quantities, prices and
// amounts in cents, most of the lines' numbers) as the uvarint of x
// zigzagged and shifted left by one (two or three bytes for most), any
// other (-0, 0.30000000000000004, a NaN) as the uvarint 1 and its eight
// IEEE 754 bytes, so that every number arrives bit for bit.
func appendNumber(b []byte, v float64) []byte {
	if x := math.Round(v * 100); math.Abs(x) <= maxCents {
		if c := int64(x); math.Float64bits(float64(c)/100) == math.Float64bits(v) {
			z := uint64(c<<1) ^ uint64(c>>63)
			return binary.AppendUvarint(b, z<<1)
		}
	}
	b = binary.AppendUvarint(b, 1)
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

// readNumber decodes a number appendNumber wrote at the start of b and
// returns it and its length in bytes; the length is 0 for bytes
// appendNumber did not write.
func readNumber(b []byte) (float64, int) {
	u, k := binary.Uvarint(b)
	switch {
	case k <= 0:
		return 0, 0
	case u == 1:
		if len(b)-k < 8 {
			return 0, 0
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b[k:])), k + 8
	case u&1 == 1:
		return 0, 0
	}
	z := u >> 1
	c := int64(z>>1) ^ -int64(z&1)
	return float64(c) / 100, k
}
