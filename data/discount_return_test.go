package data

import "testing"

// TestReturnLineDiscount: a returned line's discount comes off what it
// gives back: returning one unit bought at 10 with 2 off refunds 8, with
// the amount computed from quantity and price or given before the
// discount; a purchase's discount still comes off its price.
func TestReturnLineDiscount(t *testing.T) {
	dir := t.TempDir()
	computed := writeFile(t, dir, "q.csv", "customer_id,order_id,time,quantity,unit_price,discount\nC1,O1,2024-01-02,1,10,2\nC1,C9,2024-01-03,-1,10,2\n")
	lines, _, _, err := readAll(t, OrderSource{Path: computed})
	if err != nil || len(lines) != 2 || lines[0].Amount != 8 || lines[1].Amount != -8 {
		t.Errorf("computed amounts: %+v, %v; want 8 and -8", lines, err)
	}
	before := writeFile(t, dir, "a.csv", "customer_id,order_id,time,amount,discount\nC1,O1,2024-01-02,10,2\nC1,C9,2024-01-03,-10,-2\n")
	lines, _, _, err = readAll(t, OrderSource{Path: before, AmountBeforeDiscount: true})
	if err != nil || len(lines) != 2 || lines[0].Amount != 8 || lines[1].Amount != -8 {
		t.Errorf("amounts before discount: %+v, %v; want 8 and -8", lines, err)
	}
}
