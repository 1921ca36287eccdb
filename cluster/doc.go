// Package cluster partitions the rows of a numeric matrix with k-means and
// helps choose the number of clusters.
//
// The package knows nothing about customers or files. Every function takes an
// n×d matrix as a flat row-major []float64 together with n and d, where row i
// is x[i*d : (i+1)*d], and optional per-row weights (nil means every row has
// weight 1, as in gonum's stat.Mean). Inputs are never modified.
//
// What it provides:
//
//   - KMeans.Fit: exact k-means (Lloyd's algorithm) with greedy k-means++
//     seeding (Arthur & Vassilvitskii 2007), several restarts keeping the
//     lowest inertia, sample weights, empty-cluster re-seeding, and a
//     convergence tolerance relative to the data's variance, as in
//     scikit-learn. Lloyd passes skip rows by Hamerly (2010) bounds and
//     search the others with AVX kernels on amd64 that round exactly as the
//     Go code does, so results are the same with or without them (build
//     with -tags purego to leave them out). With KMeans.BatchSize it runs
//     mini-batch k-means (Sculley 2010) instead.
//   - Elbow.Sweep: fits k = KMin..KMax and picks k at the knee of the inertia
//     curve found by Kneedle (Satopää et al. 2011), reporting the silhouette
//     and Calinski–Harabasz index of every k, and falling back to the best
//     silhouette, stated in Sweep.Reason, when there is no knee. Large
//     inputs are fitted on a sample, then refined on all rows (by
//     mini-batch k-means above Elbow.MiniBatchRows).
//   - Quality metrics: Silhouette (on a sample), CalinskiHarabasz,
//     DaviesBouldin and AdjustedRand.
//   - Project: principal-component projection for plots, via gonum's stat.PC.
//
// # Determinism
//
// Randomness comes only from an explicit seed: restart i of a fit draws from
// its own rand.New(rand.NewPCG(seed, i)); nothing reads the clock and no
// *rand.Rand is shared between goroutines. Parallel work splits the rows into
// chunks of a fixed size (4096 rows, independent of the number of workers),
// each chunk computes partial sums, and the partials are added in chunk order.
// So a result is bit-for-bit the same whatever KMeans.Workers is.
//
// # Error policy
//
// Programmer errors panic with a message that starts with "cluster: ": a
// slice whose length does not match the stated shape (len(x) != n*d,
// len(w) != n, len(labels) != n), a negative dimension, a label outside
// [0, k), or mismatched lengths passed to Kneedle or AdjustedRand.
//
// Problems with the data or the settings are returned as errors prefixed with
// "cluster: ": no rows, NaN or ±Inf in x (ErrNonFinite), negative or
// non-finite weights or a zero total weight (ErrWeights), an impossible number
// of clusters such as K > n (ErrK), or a negative setting (ErrSettings).
// Errors wrap their cause with %w, so errors.Is works with the sentinels above
// and with context.Canceled and context.DeadlineExceeded when a fit is
// interrupted through its context.
//
// Outcomes that are not failures are reported in the result instead: a fit
// that reaches MaxIter is returned with Result.Converged false; an elbow sweep
// without a knee says so in Sweep.KneeFound and Sweep.Reason; Kneedle reports
// ok=false; metrics that are undefined for the given labels (for example the
// silhouette of a single cluster) return NaN.
package cluster
