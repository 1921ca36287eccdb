// Package exactsum sums float64 values exactly, rounding once when the sum
// is read, so that a sum does not depend on the order of its values: the
// same bits from one pass, from partial sums merged in any order (the
// scale-out runner's workers), or from values grouped another way (the
// report's figures computed in passes over a store too large for memory).
//
// Sums never fail: NaN and infinities give what IEEE 754 arithmetic gives.
// AddTimes panics on a negative count, a programmer's error.
package exactsum
