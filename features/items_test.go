package features

import (
	"testing"

	"github.com/segment-tool/segment/data"
)

// TestItemsPerOrderPurchasesOnly: items_per_order counts the items of the
// purchases it divides by: a free order's and a fully refunded order's
// items are not added to the one purchase's.
func TestItemsPerOrderPurchasesOnly(t *testing.T) {
	day := at(2024, 2, 1, 10, 0, 0)
	lines := []data.OrderLine{
		{CustomerID: "c", OrderID: "paid", Time: day, Quantity: 1, UnitPrice: 10, Amount: 10},
		{CustomerID: "c", OrderID: "free", Time: day, Quantity: 5, UnitPrice: 0, Amount: 0},
		{CustomerID: "c", OrderID: "refunded", Time: day, Quantity: 3, UnitPrice: 10, Amount: 30, Refunded: 30},
	}
	tab := aggregate(t, Options{AsOf: knownAsOf}, lines)
	if got := tab.Col(ItemsPerOrder)[0]; got != 1 {
		t.Errorf("items_per_order %v, want 1 (the one purchase's item)", got)
	}
	if got := tab.Col(Frequency)[0]; got != 1 {
		t.Errorf("frequency %v, want 1", got)
	}
}
