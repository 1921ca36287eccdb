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

// MismatchSample is how many of each side's smallest ids FindIDMismatch
// looks at for the leading-zeros pattern.
const MismatchSample = 1000

// FindIDMismatch returns the mismatch of a joined table's ids against the
// ids of the customers with orders, both sorted, or nil when one id is in
// both or either side is empty. It looks for the leading-zeros pattern
// among the first MismatchSample ids of each side.
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
	// Neither func fails.
	m, _ := IDMismatchOf(orderIDs[:min(len(orderIDs), MismatchSample)], tableIDs[:min(len(tableIDs), MismatchSample)],
		sortedHas(orderIDs), sortedHas(tableIDs))
	return m
}

// IDMismatchOf is FindIDMismatch for two sides known to share no id and
// too many to hold: orderFirst and tableFirst are the smallest
// MismatchSample ids of each side (all of a smaller side; sorted, not
// empty), and ordersHave and tableHas report whether any of the ids given
// (sorted, at most MismatchSample) is an id of that side, by a pass over
// it. The result is FindIDMismatch's on the whole sides; each func is
// called at most once, and only with ids to look for.
func IDMismatchOf(orderFirst, tableFirst []string, ordersHave, tableHas func(ids []string) (bool, error)) (*IDMismatch, error) {
	m := &IDMismatch{OrderID: orderFirst[0], TableID: tableFirst[0]}
	// A side's ids without their leading zeros, looked for in the other.
	zeros := func(ids []string, other func([]string) (bool, error)) (bool, error) {
		var trimmed []string
		for _, id := range ids {
			if t := strings.TrimLeft(id, "0"); t != id && t != "" {
				trimmed = append(trimmed, t)
			}
		}
		if len(trimmed) == 0 {
			return false, nil
		}
		slices.Sort(trimmed)
		return other(slices.Compact(trimmed))
	}
	var err error
	if m.LeadingZeros, err = zeros(tableFirst, ordersHave); err != nil || m.LeadingZeros {
		return m, err
	}
	m.LeadingZeros, err = zeros(orderFirst, tableHas)
	return m, err
}

// sortedHas returns a func reporting whether any of the ids given is in
// sorted.
func sortedHas(sorted []string) func(ids []string) (bool, error) {
	return func(ids []string) (bool, error) {
		for _, id := range ids {
			if _, ok := slices.BinarySearch(sorted, id); ok {
				return true, nil
			}
		}
		return false, nil
	}
}
