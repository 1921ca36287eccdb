package data

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// completeJourney is the 84.51° Complete Journey sample shipped beside the
// repository (../shared/data, see its README).
var completeJourney = filepath.Join("..", "..", "shared", "data", "completejourney", "transactions_sample.csv")

// TestReadOrdersCompleteJourney reads real grocery transactions mapped
// from their own column names and checks the totals the data's README
// publishes.
func TestReadOrdersCompleteJourney(t *testing.T) {
	if _, err := os.Stat(completeJourney); err != nil {
		t.Skipf("real data not present (%v): needs ../shared beside the checkout", err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	src := OrderSource{
		Path: completeJourney,
		Columns: OrderColumns{
			CustomerID: "household_id", OrderID: "basket_id", Time: "transaction_timestamp",
			Amount: "sales_value", Quantity: "quantity", ProductID: "product_id",
			Discount: []string{"retail_disc", "coupon_disc", "coupon_match_disc"},
		},
		Location: ny,
	}
	var lines, households, baskets int
	var sales, discount float64
	seenH, seenB := map[string]bool{}, map[string]bool{}
	var first, last time.Time
	stats, err := ReadOrders(context.Background(), src, func(batch []OrderLine) error {
		for _, l := range batch {
			lines++
			sales += l.Amount
			discount += l.Discount
			if !seenH[l.CustomerID] {
				seenH[l.CustomerID] = true
				households++
			}
			if !seenB[l.OrderID] {
				seenB[l.OrderID] = true
				baskets++
			}
			if first.IsZero() || l.Time.Before(first) {
				first = l.Time
			}
			if l.Time.After(last) {
				last = l.Time
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The README's figures: 75,000 lines, 2,377 households, 47,243 baskets,
	// Σ discounts 40,180.91 + 1,356.71 + 242.10, 2017-01-01 07:30 to
	// 2017-12-31 22:47 New York time. Σ sales_value is 233,935.24 by an
	// exact decimal sum of the file (Python's decimal module); the README
	// says 233,935.22.
	if lines != 75000 || stats.RowsRejected != 0 || households != 2377 || baskets != 47243 {
		t.Errorf("%d lines, %d rejects, %d households, %d baskets", lines, stats.RowsRejected, households, baskets)
	}
	if math.Abs(sales-233935.24) > 0.005 || math.Abs(discount-(40180.91+1356.71+242.10)) > 0.005 {
		t.Errorf("Σ sales %.2f, Σ discount %.2f", sales, discount)
	}
	if f, l := first.In(ny).Format("2006-01-02 15:04"), last.In(ny).Format("2006-01-02 15:04"); f != "2017-01-01 07:30" || l != "2017-12-31 22:47" {
		t.Errorf("time range %s – %s", f, l)
	}
}
