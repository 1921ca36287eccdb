package features

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// spilledTable aggregates lines with o, spilling to parts files, and
// returns the table, the bytes spilled and Table's error.
func spilledTable(t *testing.T, o Options, lines []data.OrderLine, parts int) (*Table, int64, error) {
	t.Helper()
	o.Spill = &Spill{Dir: t.TempDir(), Parts: parts}
	a := NewAggregator(o)
	defer a.Close()
	addInBatches(a, lines, []int{3, 50})
	tab, err := a.Table()
	var size int64
	for k := range a.spill.files {
		fi, err := os.Stat(a.spill.path(k))
		if err != nil {
			t.Fatal(err)
		}
		size += fi.Size()
	}
	return tab, size, err
}

// TestSpillRuns checks runs of adjacent lines of an order where they are
// delicate: a run splits where a sum's terms change sign, so an order
// total that overflows only on the way (lines folded one by one) still
// fails as it does in memory; a returned line, a negative discount, a
// zero-gross line that still names its category, a coupon or a premium
// product on a later line, cities that are blank or padded.
func TestSpillRuns(t *testing.T) {
	at := time.Date(2023, 3, 1, 10, 0, 0, 0, time.UTC)
	line := func(c, o string, amount float64) data.OrderLine {
		return data.OrderLine{CustomerID: c, OrderID: o, Time: at, Quantity: 1, Amount: amount, Category: "toys", ProductID: "p0"}
	}
	with := func(l data.OrderLine, f func(*data.OrderLine)) data.OrderLine { f(&l); return l }
	var nine []data.OrderLine // 9×10¹²: 9×10¹⁸ fixed units, just below the limit
	for range 9 {
		nine = append(nine, line("big", "o1", 1e12))
	}
	cases := map[string][]data.OrderLine{
		// Folded one by one, 9e18 + 1e18 overflows; summed as one run,
		// +1e18 −1e18 −1e18 would not.
		"overflow on the way": append(append(nine, line("other", "x", 1)),
			line("big", "o1", 1e12), line("big", "o1", -1e12), line("big", "o1", -1e12)),
		"mixed signs, no overflow": {line("c", "o", 10), line("c", "o", -4), line("c", "o", 7),
			with(line("c", "o", 3), func(l *data.OrderLine) { l.Discount = -1 }),
			with(line("c", "o", 5), func(l *data.OrderLine) { l.Returned = true; l.Quantity = -1 })},
		"zero gross names its category": {line("c", "o", 10),
			with(line("c", "o", 0), func(l *data.OrderLine) { l.Category = "books" })},
		"coupon and premium on a later line": {line("c", "o", 10),
			with(line("c", "o", 20), func(l *data.OrderLine) { l.Coupon = "X"; l.ProductID = "p1"; l.Time = at.Add(-time.Hour) }),
			with(line("c", "o", 30), func(l *data.OrderLine) { l.ProductID = "p2"; l.Time = at.Add(time.Hour) })},
		"blank and padded cities": {
			with(line("c", "o", 1), func(l *data.OrderLine) { l.City = "  " }),
			with(line("c", "o", 1), func(l *data.OrderLine) { l.City = " Oslo" }),
			with(line("c", "o", 1), func(l *data.OrderLine) { l.City = "Bergen " }),
			with(line("d", "o", 1), func(l *data.OrderLine) { l.City = " " }),
			with(line("e", "o", 1), func(l *data.OrderLine) { l.Channel = "\t" })},
	}
	products := map[string]Product{"p1": {Tier: PremiumTier}, "p2": {Launch: at.Add(-24 * time.Hour)}}
	for name, lines := range cases {
		for _, o := range []Options{{Products: products}, {WindowDays: 30, AsOf: at.Add(24 * time.Hour)}} {
			t.Run(fmt.Sprintf("%s/window %d", name, o.WindowDays), func(t *testing.T) {
				mem := NewAggregator(o)
				mem.Add(lines)
				want, wantErr := mem.Table()
				for _, parts := range []int{1, 3} {
					got, _, err := spilledTable(t, o, lines, parts)
					switch {
					case wantErr != nil:
						if err == nil || err.Error() != wantErr.Error() || !errors.Is(err, ErrInvalidLine) {
							t.Errorf("parts %d: error %v, want %v", parts, err, wantErr)
						}
					case err != nil:
						t.Fatalf("parts %d: %v", parts, err)
					case !reflect.DeepEqual(got, want):
						diffTables(t, got, want)
					}
				}
				if name == "overflow on the way" && wantErr == nil {
					t.Fatal("in memory: no overflow")
				}
			})
		}
	}
}

// TestSpillRunsCompact checks that the lines of an order spill as one
// record: 2,000 orders of ten adjacent lines take a fraction of the bytes
// of the same lines interleaved (no two adjacent lines of one order).
func TestSpillRunsCompact(t *testing.T) {
	at := time.Date(2023, 3, 1, 10, 0, 0, 0, time.UTC)
	var adjacent, interleaved []data.OrderLine
	for o := range 2000 {
		for i := range 10 {
			adjacent = append(adjacent, data.OrderLine{CustomerID: fmt.Sprintf("c%d", o/4), OrderID: fmt.Sprintf("o%d", o),
				Time: at.Add(time.Duration(i) * time.Minute), Quantity: 1, Amount: float64(10 + i), Category: []string{"toys", "books"}[i%2]})
		}
	}
	for i := range 10 {
		for o := range 2000 {
			interleaved = append(interleaved, adjacent[o*10+i])
		}
	}
	want := aggregate(t, Options{}, adjacent)
	got, runs, err := spilledTable(t, Options{}, adjacent, 4)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		diffTables(t, got, want)
	}
	_, lines, _ := spilledTable(t, Options{}, interleaved, 4)
	t.Logf("spilled: %d bytes as runs, %d line by line", runs, lines)
	if runs*4 > lines {
		t.Errorf("orders of adjacent lines spilled %d bytes, interleaved lines %d: not one record per order", runs, lines)
	}
}
