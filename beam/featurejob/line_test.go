package featurejob

import (
	"math"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestLineCoder checks that a line survives the coder bit for bit, and
// that a damaged encoding is an error.
func TestLineCoder(t *testing.T) {
	lines := []data.OrderLine{
		{Time: time.Unix(0, 0).UTC()}, // the reader gives times in [data.MinTime, data.MaxTime] only
		{CustomerID: "c1", OrderID: "o1", Time: time.Date(2024, 3, 1, 10, 0, 0, 123456789, time.UTC),
			ProductID: "p", Category: "Home & Garden", Coupon: "SAVE", Status: "returned", City: "Köln",
			Country: "DE", Channel: "app", Quantity: -2, UnitPrice: 0.1, Amount: -0.30000000000000004, Discount: math.Copysign(0, -1), Returned: true},
		{CustomerID: "東京", OrderID: string(make([]byte, 300)), Time: data.MinTime, Amount: 1e12},
		{CustomerID: "x", Time: data.MaxTime, Amount: math.SmallestNonzeroFloat64},
		{CustomerID: "z", OrderID: "o2", Time: data.MaxTime, Quantity: 1, Amount: 50, Refunded: 12.5}, // a partial refund
		{CustomerID: "y", Time: data.MaxTime, Status: "refunded", Quantity: 1, Amount: 5, Returned: true, ReturnedInPlace: true},
	}
	for i, l := range lines {
		b := encodeLine(l)
		got, err := decodeLine(b)
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if !got.Time.Equal(l.Time) {
			t.Fatalf("line %d: time %v, want %v", i, got.Time, l.Time)
		}
		got.Time = l.Time
		for _, f := range [][2]float64{{got.Quantity, l.Quantity}, {got.UnitPrice, l.UnitPrice}, {got.Amount, l.Amount}, {got.Discount, l.Discount}, {got.Refunded, l.Refunded}} {
			if math.Float64bits(f[0]) != math.Float64bits(f[1]) {
				t.Fatalf("line %d: %v, want %v (bits)", i, f[0], f[1])
			}
		}
		if got != l {
			t.Fatalf("line %d:\n got %+v\nwant %+v", i, got, l)
		}
		for _, cut := range []int{0, 1, len(b) / 2, len(b) - 1} {
			if _, err := decodeLine(b[:cut]); err == nil {
				t.Fatalf("line %d cut to %d bytes: no error", i, cut)
			}
		}
	}
}
