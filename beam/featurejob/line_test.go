package featurejob

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestLineCoder checks that a line survives the coder of an order's lines
// bit for bit, with its ids written once (the lines of one order) or with
// each line (lines of different orders), and that a damaged encoding is an
// error.
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
	check := func(name string, o orderLines) {
		t.Helper()
		b := encodeOrder(o)
		got, err := decodeOrder(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got.Lines) != len(o.Lines) {
			t.Fatalf("%s: %d lines, want %d", name, len(got.Lines), len(o.Lines))
		}
		for i, l := range o.Lines {
			g := got.Lines[i]
			if !g.Time.Equal(l.Time) {
				t.Fatalf("%s line %d: time %v, want %v", name, i, g.Time, l.Time)
			}
			g.Time = l.Time
			for _, f := range [][2]float64{{g.Quantity, l.Quantity}, {g.UnitPrice, l.UnitPrice}, {g.Amount, l.Amount}, {g.Discount, l.Discount}, {g.Refunded, l.Refunded}} {
				if math.Float64bits(f[0]) != math.Float64bits(f[1]) {
					t.Fatalf("%s line %d: %v, want %v (bits)", name, i, f[0], f[1])
				}
			}
			if g != l {
				t.Fatalf("%s line %d:\n got %+v\nwant %+v", name, i, g, l)
			}
		}
		for _, cut := range []int{0, 1, len(b) / 2, len(b) - 1} {
			if _, err := decodeOrder(b[:cut]); err == nil {
				t.Fatalf("%s cut to %d bytes: no error", name, cut)
			}
		}
	}
	for i, l := range lines { // each line as an order of its own: its ids once
		check(fmt.Sprintf("line %d", i), orderLines{Lines: []data.OrderLine{l}})
	}
	check("every line", orderLines{Lines: lines}) // different ids: each line's own
}
