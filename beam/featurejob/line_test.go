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

// TestNumberCoder checks that every number survives appendNumber bit for
// bit, that whole hundredths take at most three bytes up to 41,943.03
// (2¹⁹−1 hundredths: zigzag and the flag bit take two bits of the varint's
// 21), that other numbers take nine, and that damaged bytes are an error.
func TestNumberCoder(t *testing.T) {
	for _, v := range []float64{0, math.Copysign(0, -1), 1, -1, 2, 12.34, -12.34, 0.1, 0.3, 0.30000000000000004,
		5242.87, 19.99, 1e12, -1e12, float64(maxCents) / 100, float64(maxCents) * 2, 123456789.01,
		math.NaN(), math.Inf(1), math.Inf(-1), math.SmallestNonzeroFloat64, math.MaxFloat64, 1.0 / 3} {
		b := appendNumber([]byte{7}, v)[1:]
		got, n := readNumber(append(b, 9))
		if n != len(b) || math.Float64bits(got) != math.Float64bits(v) {
			t.Fatalf("%v (bits %x): read %v (bits %x) of %d bytes, want %d", v, math.Float64bits(v), got, math.Float64bits(got), n, len(b))
		}
		cents := math.Round(v*100) == v*100 && math.Abs(v) <= 5242.87 && math.Float64bits(v) != math.Float64bits(math.Copysign(0, -1))
		switch {
		case cents && len(b) > 3:
			t.Fatalf("%v: %d bytes, want at most 3", v, len(b))
		case !cents && v == 0.30000000000000004 && len(b) != 9:
			t.Fatalf("%v: %d bytes, want its 8 bits and a flag", v, len(b))
		}
	}
	for _, b := range [][]byte{nil, {0x80}, {3}, {1, 0, 0, 0, 0, 0, 0, 0}} {
		if _, n := readNumber(b); n != 0 {
			t.Fatalf("% x: read %d bytes, want an error", b, n)
		}
	}
}
