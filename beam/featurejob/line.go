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
// fits), its numbers as IEEE 754 bits, so that a line arrives bit for bit
// as it was read. With ids false the customer and order ids are left out
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
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
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
	if k <= 0 || len(b)-k != 5*8+1 {
		return errDamagedLine
	}
	l.Time = time.Unix(0, ns).UTC()
	b = b[k:]
	for _, p := range [...]*float64{&l.Quantity, &l.UnitPrice, &l.Amount, &l.Discount, &l.Refunded} {
		*p = math.Float64frombits(binary.LittleEndian.Uint64(b))
		b = b[8:]
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
