package pipeline_test

import (
	"fmt"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

// SelectBuyers keeps the customers with a purchase and a positive net
// spend for clustering, and says why the others are left out.
func ExampleSelectBuyers() {
	t, err := features.FromColumns(
		[]string{"ann", "bob", "cem", "dee"},
		[]string{features.Frequency, features.Monetary},
		[][]float64{{3, 0, 0, 1}, {120, 0, -40, 35}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := pipeline.SelectBuyers(t, pipeline.DefaultOptions().Log)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("clustered:", b.Table.IDs)
	for i, id := range t.IDs {
		if why := b.Reason(i); why != "" {
			fmt.Printf("%s: %s\n", id, why)
		}
	}
	// Output:
	// clustered: [ann dee]
	// bob: zero_value_orders_only
	// cem: returns_only
}
