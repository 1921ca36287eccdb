package features

import (
	"errors"
	"fmt"
)

// Sentinel errors, matched with errors.Is. Returned errors wrap them with
// the details (customer, order, column or feature name).
var (
	// ErrNoCustomers is returned by Aggregator.Table when no line was
	// aggregated, and by FromColumns for an empty table.
	ErrNoCustomers = errors.New("features: no customers")

	// ErrInvalidLine is returned by Aggregator.Table when a line could not
	// be aggregated: an empty customer or order id, a number that is NaN,
	// infinite or out of range, or a time out of range.
	ErrInvalidLine = errors.New("features: invalid order line")

	// ErrUnknownFeature is returned by FitTransform and Transform.Apply
	// for a feature the table does not have.
	ErrUnknownFeature = errors.New("features: unknown feature")
)

// NoRowsError is the error of an optional table (customers, events,
// products) without a row: an export gone wrong, which would leave the
// groups it feeds empty as if computed.
func NoRowsError(table, path string) error {
	return fmt.Errorf("%s %s: the table has no rows (a header alone at most): export its %s, or leave the table out", table, path, table)
}
