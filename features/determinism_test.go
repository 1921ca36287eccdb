package features

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/segment-tool/segment/data"
)

// synthLines returns a deterministic store of about customers×6 lines with
// amounts in cents (0.1 and 0.7 are not exact in binary, so a float64 sum
// would depend on the order of the lines), returns, coupons, several
// categories and lines of one order spread in time.
func synthLines(customers int, seed uint64) []data.OrderLine {
	rng := rand.New(rand.NewPCG(seed, 0))
	cats := []string{"Books", "Toys", "Home & Garden", "Food", "Sport", ""}
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	var lines []data.OrderLine
	for c := range customers {
		cust := fmt.Sprintf("cust%06d", c)
		orders := 1 + rng.IntN(4)
		if c%50 == 0 { // a frequent buyer: many orders
			orders = 20
		}
		for o := range orders {
			oid := fmt.Sprintf("o%d", o)
			t := start.Add(time.Duration(rng.Int64N(int64(700 * 24 * time.Hour))))
			coupon := ""
			if rng.IntN(4) == 0 {
				coupon = "SAVE10"
			}
			for range 1 + rng.IntN(3) {
				qty := float64(1 + rng.IntN(3))
				price := float64(50+rng.IntN(5000)) / 10 // x.y0
				disc := float64(rng.IntN(3)) * 0.7
				lines = append(lines, data.OrderLine{
					CustomerID: cust, OrderID: oid, Time: t.Add(time.Duration(rng.IntN(600)) * time.Second),
					Category: cats[rng.IntN(len(cats))], Coupon: coupon,
					Quantity: qty, UnitPrice: price, Discount: disc, Amount: qty*price - disc,
				})
			}
			if rng.IntN(6) == 0 { // a return of the order's last line, three days later
				l := lines[len(lines)-1]
				l.OrderID, l.Returned = "R"+oid, true
				l.Time = l.Time.Add(72 * time.Hour)
				l.Quantity, l.Amount, l.Discount = -l.Quantity, -l.Amount, 0
				lines = append(lines, l)
			}
		}
	}
	return lines
}

// addInBatches adds lines in batches of the given sizes, cycling through
// them, copying each batch into one reused buffer as a reader would.
func addInBatches(a *Aggregator, lines []data.OrderLine, sizes []int) {
	var buf []data.OrderLine
	for i, k := 0, 0; i < len(lines); k++ {
		n := min(sizes[k%len(sizes)], len(lines)-i)
		buf = append(buf[:0], lines[i:i+n]...)
		a.Add(buf)
		clear(buf)
		i += n
	}
}

func TestDeterminism(t *testing.T) {
	lines := synthLines(300, 1)
	for _, opts := range []Options{
		{},
		{AsOf: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), WindowDays: 120, TopCategories: 3},
	} {
		ref := aggregate(t, opts, lines)
		if ref.N() < 250 { // of 300; a few have no line before the explicit as_of
			t.Fatalf("reference table has only %d customers", ref.N())
		}
		shuffled := slices.Clone(lines)
		rand.New(rand.NewPCG(2, 0)).Shuffle(len(shuffled), func(i, j int) {
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		})
		reversed := slices.Clone(lines)
		slices.Reverse(reversed)
		cases := []struct {
			name  string
			lines []data.OrderLine
			sizes []int
		}{
			{"one line per batch", lines, []int{1}},
			{"uneven batches", lines, []int{7, 1, 300, 2}},
			{"reversed lines", reversed, []int{1000}},
			{"shuffled lines, uneven batches", shuffled, []int{13, 501, 3}},
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("window %d/%s", opts.WindowDays, c.name), func(t *testing.T) {
				a := NewAggregator(opts)
				addInBatches(a, c.lines, c.sizes)
				got, err := a.Table()
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, ref) {
					diffTables(t, got, ref)
				}
			})
		}
	}
}

// diffTables reports the first differences between two tables.
func diffTables(t *testing.T, got, want *Table) {
	t.Helper()
	if !slices.Equal(got.IDs, want.IDs) || !slices.Equal(got.Names, want.Names) {
		t.Fatalf("ids or names differ: %d×%v vs %d×%v", got.N(), got.Names, want.N(), want.Names)
	}
	n := 0
	for j := range got.Cols {
		for i := range got.Cols[j] {
			if got.Cols[j][i] != want.Cols[j][i] && n < 5 {
				t.Errorf("%s[%s] = %v, want %v", got.Names[j], got.IDs[i], got.Cols[j][i], want.Cols[j][i])
				n++
			}
		}
	}
	t.Errorf("tables differ: got %+v\nwant %+v", summary(got), summary(want))
}

func summary(t *Table) string {
	return fmt.Sprintf("as_of %v categories %q orders %d purchases %d lines %d after %d revenue %v",
		t.AsOf, t.Categories, t.Orders, t.Purchases, t.Lines, t.LinesAfterAsOf, t.Revenue)
}

// TestAddCopies feeds lines whose strings alias a byte buffer (as a
// zero-copy reader's would) and then overwrites both the buffer and the
// batch: the table must be that of the original lines.
func TestAddCopies(t *testing.T) {
	lines := knownLines()
	want := aggregate(t, Options{AsOf: knownAsOf}, lines)

	a := NewAggregator(Options{AsOf: knownAsOf})
	for i := range lines {
		batch := []data.OrderLine{lines[i]}
		buf := []byte(batch[0].CustomerID + batch[0].OrderID + batch[0].Category + batch[0].Coupon)
		alias := func(off, n int) string {
			if n == 0 {
				return ""
			}
			return unsafe.String(&buf[off], n)
		}
		l := &batch[0]
		nc, no, nk := len(l.CustomerID), len(l.OrderID), len(l.Category)
		l.CustomerID, l.OrderID = alias(0, nc), alias(nc, no)
		l.Category, l.Coupon = alias(nc+no, nk), alias(nc+no+nk, len(l.Coupon))
		a.Add(batch)
		for k := range buf {
			buf[k] = 'Z'
		}
		batch[0] = data.OrderLine{CustomerID: "mutated", OrderID: "mutated", Amount: 1e6, Time: knownAsOf.Add(-time.Hour)}
	}
	got, err := a.Table()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		diffTables(t, got, want)
	}
}

// TestTableRepeatable checks that Table leaves the aggregator as it was:
// calling it twice, or adding more lines after it, gives what one pass gives.
func TestTableRepeatable(t *testing.T) {
	lines := synthLines(50, 3)
	for _, opts := range []Options{{}, {WindowDays: 90}} {
		want := aggregate(t, opts, lines)
		a := NewAggregator(opts)
		a.Add(lines[:len(lines)/2])
		if _, err := a.Table(); err != nil {
			t.Fatal(err)
		}
		a.Add(lines[len(lines)/2:])
		first, err := a.Table()
		if err != nil {
			t.Fatal(err)
		}
		second, err := a.Table()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(first, want) || !reflect.DeepEqual(second, want) {
			t.Errorf("window %d: Table after an earlier Table differs from one pass", opts.WindowDays)
		}
	}
}
