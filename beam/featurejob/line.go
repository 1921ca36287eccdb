package featurejob

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/segment-tool/segment/data"
)

// encodeLine is the Beam coder of an order line between the workers: its
// strings length-prefixed, its time in unix nanoseconds (the reader has
// checked it fits), its numbers as IEEE 754 bits, so that a line arrives
// bit for bit as it was read. The time's zone is not kept: the features
// measure days in the store's zone (features.Options.Location), whatever
// the zone of a line's time.
func encodeLine(l data.OrderLine) []byte {
	b := make([]byte, 0, 64+len(l.CustomerID)+len(l.OrderID)+len(l.ProductID)+len(l.Category))
	for _, s := range [...]string{l.CustomerID, l.OrderID, l.ProductID, l.Category, l.Coupon, l.Status, l.City, l.Country, l.Channel} {
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

// decodeLine decodes what encodeLine encoded.
func decodeLine(b []byte) (data.OrderLine, error) {
	var l data.OrderLine
	bad := fmt.Errorf("featurejob: a damaged order line (%d bytes)", len(b))
	for _, p := range [...]*string{&l.CustomerID, &l.OrderID, &l.ProductID, &l.Category, &l.Coupon, &l.Status, &l.City, &l.Country, &l.Channel} {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return l, bad
		}
		*p = string(b[k : k+int(n)])
		b = b[k+int(n):]
	}
	ns, k := binary.Varint(b)
	if k <= 0 || len(b)-k != 5*8+1 {
		return l, bad
	}
	l.Time = time.Unix(0, ns).UTC()
	b = b[k:]
	for _, p := range [...]*float64{&l.Quantity, &l.UnitPrice, &l.Amount, &l.Discount, &l.Refunded} {
		*p = math.Float64frombits(binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	switch b[0] {
	case 0:
	case 1:
		l.Returned = true
	case 2:
		l.Returned, l.ReturnedInPlace = true, true
	default:
		return l, bad
	}
	return l, nil
}
