package features

import "github.com/segment-tool/segment/internal/exactsum"

// ExactSum is the exact sum of float64 values, rounded once when read
// (exactsum.Sum): the result does not depend on the order the values are
// added or partial sums merged in, so a sum split over workers (the Beam
// runner) equals the sum of one pass bit for bit.
type ExactSum = exactsum.Sum
