package clv

import (
	"errors"
	"fmt"
)

// Sentinel reasons for a model that could not be computed; a
// *NotComputedError matches one of them with errors.Is.
var (
	// ErrTooFewRepeat: too few customers, or too few with a repeat purchase,
	// to identify the model's parameters.
	ErrTooFewRepeat = errors.New("too few repeat customers")
	// ErrShortHistory: the longest customer age is shorter than the minimum
	// history, so dropout cannot be told from a long gap between purchases.
	ErrShortHistory = errors.New("history too short")
	// ErrNoConvergence: the optimiser stopped without converging, or a
	// parameter ran to the boundary of its range.
	ErrNoConvergence = errors.New("fit did not converge")
	// ErrNonFinite: the log-likelihood or a prediction was NaN or infinite.
	ErrNonFinite = errors.New("non-finite result")
	// ErrPoorFit: the fitted model contradicts the data it was fitted on
	// (the Gamma-Gamma mean order value against the observed mean).
	ErrPoorFit = errors.New("the model does not fit the data")
)

// NotComputedError says that a model or a prediction was not computed and
// why. Its message reads "clv: <model> not computed: <reason>: <detail>".
type NotComputedError struct {
	Model  string // "BG/NBD", "Gamma-Gamma", "CLV"
	Reason error  // one of the sentinel errors of this package
	Detail string // figures that explain the reason, may be empty
}

func (e *NotComputedError) Error() string {
	msg := "clv: " + e.Model + " not computed: " + e.Reason.Error()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns the sentinel reason, so errors.Is(err, ErrTooFewRepeat)
// works through wrapping.
func (e *NotComputedError) Unwrap() error { return e.Reason }

func notComputed(model string, reason error, format string, args ...any) error {
	return &NotComputedError{Model: model, Reason: reason, Detail: fmt.Sprintf(format, args...)}
}
