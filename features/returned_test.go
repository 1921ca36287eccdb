package features

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestReturnedInPlace checks that a purchase line its status marks
// returned (data.OrderLine.ReturnedInPlace) counts as that purchase and
// its return written as two lines: customer "inplace" and customer "split"
// must have the same features, in memory and spilled, with any workers.
// The returned order adds nothing to net spend, so it is no purchase, while
// its gross, discount and category count as bought (return_rate 30/130).
func TestReturnedInPlace(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 10, 0, 0, 0, time.UTC) }
	var lines []data.OrderLine
	for _, id := range []string{"inplace", "split"} {
		lines = append(lines, data.OrderLine{CustomerID: id, OrderID: "O1", Time: day(2), Category: "Books", Quantity: 1, UnitPrice: 100, Amount: 100})
		returned := data.OrderLine{CustomerID: id, OrderID: "O2", Time: day(5), Category: "Toys", Quantity: 1, UnitPrice: 30, Discount: 2, Amount: 28}
		if id == "inplace" {
			returned.Returned, returned.ReturnedInPlace = true, true
			lines = append(lines, returned)
			continue
		}
		back := returned
		back.Quantity, back.Amount, back.Discount, back.Returned = -1, -28, 0, true
		lines = append(lines, returned, back)
	}
	want := aggregate(t, Options{}, lines)
	a, _ := row(t, want, "inplace")
	b, _ := row(t, want, "split")
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("returned in place:\n%v\nas two lines:\n%v", a, b)
	}
	if a[Frequency] != 1 || a[Monetary] != 100 || a[ReturnRate] != 28.0/130 || a[DiscountRatio] != 2.0/130 {
		t.Errorf("frequency %v monetary %v return_rate %v discount_ratio %v, want 1, 100, 28/130, 2/130",
			a[Frequency], a[Monetary], a[ReturnRate], a[DiscountRatio])
	}
	for _, workers := range []int{1, 2} {
		t.Run(fmt.Sprintf("spilled/workers %d", workers), func(t *testing.T) {
			agg := NewAggregator(Options{Workers: workers, Spill: &Spill{Dir: t.TempDir(), Parts: 3}})
			defer agg.Close()
			agg.Add(lines)
			got, err := agg.Table()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				diffTables(t, got, want)
			}
		})
	}
}
