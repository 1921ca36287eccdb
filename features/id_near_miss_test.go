package features

import (
	"slices"
	"testing"
)

// TestNearMissIDs: table ids that are a buyer's id but for a zero width
// space, case, leading zeros or ".0" (either side written the odd way)
// are counted once each; ids that join, and prospects with no such buyer,
// are not.
func TestNearMissIDs(t *testing.T) {
	orders := []string{"0042", "C1", "C2", "c5", "joined", "x9"}
	table := []string{"42", "C1\u200b", "c2", "C5", "joined", "nobody", "x9.0"}
	slices.Sort(orders)
	slices.Sort(table)
	n, first := NearMissIDs(orders, table)
	// C1​/C1, c2/C2, C5/c5 and 42/0042; x9.0 is no number's ".0", and
	// x9 joins nothing else.
	if n != 4 {
		t.Errorf("%d near misses (first %q), want 4", n, first)
	}
	if n, _ := NearMissIDs([]string{"a", "b"}, []string{"a", "c"}); n != 0 {
		t.Errorf("%d near misses among unrelated ids", n)
	}
}
