// Package report turns a finished run into what people read: plots
// (gonum.org/v1/plot) and a Markdown report, plus the human names of the
// clusters.
//
// Everything takes plain data (slices, strings and the Run struct) and
// writes to an io.Writer; the package does not import the other segment
// packages and never chooses a file path — the caller decides where the
// bytes go and passes the plots' relative paths to WriteMarkdown.
//
//   - ElbowPlot, SizesPlot, HeatmapPlot and ScatterPlot write one PNG
//     (DPI dots per inch, 8×5 inches unless the content needs more room)
//     or SVG each. Cluster i has the same colour in every plot.
//   - NameClusters names clusters from the features that set them apart
//     (|cluster mean / population mean − 1| ≥ 30 %), and RelativeTo
//     computes that relative difference.
//   - WriteMarkdown writes report.md: first what a marketing lead needs
//     (in short, the segments at a glance, the three to act on, the
//     summary), then the details (RFM, groups, segment profiles in raw
//     units with a description and a suggested action per segment, the
//     plots), and last the technical ones (how k was chosen, data quality,
//     thresholds, input hashes).
//   - WriteHTML renders that Markdown (goldmark, GFM tables) to report.html,
//     one self-contained page: images as data URIs, inline CSS with a
//     print layout, a table of contents, no script, nothing loaded.
//
// # Determinism
//
// Output bytes depend only on the input: map keys are sorted, no clock
// or host name is read, and gonum/plot draws with the Liberation fonts it
// bundles, so the same input gives identical PNG, SVG and Markdown bytes.
// SVG files name their font, with metric-compatible fallbacks (Arial,
// Helvetica), instead of embedding it (about 0.5 MB per file).
//
// # Errors
//
// Errors are prefixed "report: ". Data problems are errors: an empty
// table, a non-finite value where one is needed, a scatter label with no
// name, an unknown Format, an inconsistent Run (its slices must match
// Features and Elbow.Ks; plot paths must be relative and stay in the
// report's directory), and any error from the writer, wrapped with %w.
// A length mismatch between the slice arguments of a plot function,
// NameClusters or RelativeTo is a programmer error and panics, as in
// gonum. Inputs are never modified.
package report
