package features

import "testing"

// TestFindIDMismatch: a table sharing one id with the orders matches; one
// sharing none is a mismatch, with the leading-zeros pattern found either
// way round.
func TestFindIDMismatch(t *testing.T) {
	for _, c := range []struct {
		name          string
		orders, table []string
		mismatch      bool
		zeros         bool
	}{
		{"one shared", []string{"1", "2", "3"}, []string{"3", "9"}, false, false},
		{"empty table", []string{"1"}, nil, false, false},
		{"none shared", []string{"A1", "A2"}, []string{"B1", "B2"}, true, false},
		{"zeros in the table", []string{"17", "4"}, []string{"00004", "00017"}, true, true},
		{"zeros in the orders", []string{"00004", "00017"}, []string{"17", "4"}, true, true},
	} {
		m := FindIDMismatch(c.orders, c.table)
		switch {
		case (m != nil) != c.mismatch:
			t.Errorf("%s: mismatch %+v, want %v", c.name, m, c.mismatch)
		case m != nil && (m.LeadingZeros != c.zeros || m.OrderID != c.orders[0] || m.TableID != c.table[0]):
			t.Errorf("%s: %+v, want leading zeros %v and the first ids", c.name, m, c.zeros)
		}
	}
}
