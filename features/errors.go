package features

import "errors"

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
