package features_test

import (
	"fmt"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

func ExampleAggregator() {
	day := func(d int) time.Time { return time.Date(2024, time.March, d, 12, 0, 0, 0, time.UTC) }
	a := features.NewAggregator(features.Options{}) // as_of: the day after the newest line
	a.Add([]data.OrderLine{
		{CustomerID: "ann", OrderID: "1", Time: day(1), Category: "Books", Quantity: 2, Amount: 18, Discount: 2},
		{CustomerID: "ann", OrderID: "2", Time: day(8), Category: "Toys", Quantity: 1, Amount: 30},
		{CustomerID: "bob", OrderID: "3", Time: day(9), Category: "Toys", Quantity: 1, Amount: 25, Coupon: "HELLO"},
	})
	t, err := a.Table()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("as_of", t.AsOf.Format("2006-01-02"), "categories", t.Categories)
	for _, name := range []string{"recency_days", "frequency", "monetary", "discount_ratio", "coupon_order_share", "mean_interorder_days", "mix_toys"} {
		fmt.Printf("%-20s %v\n", name, t.Col(name))
	}

	tr, err := features.FitTransform(t, features.Spec{Use: []string{"frequency", "monetary"}, Scale: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	x, err := tr.Apply(t, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("matrix %d×%d, log1p %v, row 0 %.3f\n", t.N(), len(tr.Columns), tr.Log1p, x[:2])
	// Output:
	// as_of 2024-03-10 categories [Toys Books]
	// recency_days         [1 0]
	// frequency            [2 1]
	// monetary             [48 25]
	// discount_ratio       [0.04 0]
	// coupon_order_share   [0 1]
	// mean_interorder_days [7 0]
	// mix_toys             [0.6 1]
	// matrix 2×2, log1p [true true], row 0 [1.000 1.000]
}
