//go:build race

package canceltest

// raceFactor stretches Bound under the race detector, which slows the
// stages' work (an expression evaluation, a row group) five to tenfold:
// the time a stage takes between two checks of its context grows with it.
const raceFactor = 3
