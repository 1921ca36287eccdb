package features

import (
	"slices"
	"strings"
)

// IDMismatch describes a joined table none of whose customer ids is the id
// of a customer with orders: almost always ids written two ways (leading
// zeros, a prefix, a number against text), which would make every row of
// the table a prospect and every buyer a customer without the table's
// columns (e-mail, city, …).
type IDMismatch struct {
	OrderID, TableID string // an example id of each side
	// LeadingZeros reports whether the ids match once leading zeros are
	// dropped ("00004" against "4").
	LeadingZeros bool
}

// FindIDMismatch returns the mismatch of a joined table's ids against the
// ids of the customers with orders, both sorted, or nil when one id is in
// both or either side is empty. It looks for the leading-zeros pattern
// among the first 1,000 ids of each side.
func FindIDMismatch(orderIDs, tableIDs []string) *IDMismatch {
	if len(orderIDs) == 0 || len(tableIDs) == 0 {
		return nil
	}
	for i, j := 0, 0; i < len(orderIDs) && j < len(tableIDs); {
		switch c := strings.Compare(orderIDs[i], tableIDs[j]); {
		case c == 0:
			return nil
		case c < 0:
			i++
		default:
			j++
		}
	}
	m := &IDMismatch{OrderID: orderIDs[0], TableID: tableIDs[0]}
	zeros := func(ids, other []string) bool {
		for _, id := range ids[:min(len(ids), 1000)] {
			if t := strings.TrimLeft(id, "0"); t != id && t != "" {
				if _, ok := slices.BinarySearch(other, t); ok {
					return true
				}
			}
		}
		return false
	}
	m.LeadingZeros = zeros(tableIDs, orderIDs) || zeros(orderIDs, tableIDs)
	return m
}
