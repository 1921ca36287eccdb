package features

import (
	"errors"
	"fmt"
)

// totalOverflow is the error of totals whose sums overflow: it names the
// customer of least id among those whose totals do.
type totalOverflow struct{ id string }

func (e *totalOverflow) Error() string {
	return fmt.Sprintf("%v: the totals of customer %q", errOverflow, e.id)
}

func (e *totalOverflow) Unwrap() error { return errOverflow }

// firstOverflow returns, of errs, the totalOverflow of least id, or nil
// when none is one: the customers' parts (and spill files) depend on the
// number of workers, the error named does not.
func firstOverflow(errs []error) error {
	var first *totalOverflow
	for _, err := range errs {
		var o *totalOverflow
		if errors.As(err, &o) && (first == nil || o.id < first.id) {
			first = o
		}
	}
	if first == nil {
		return nil
	}
	return first
}
