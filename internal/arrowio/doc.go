// Package arrowio writes segment's tables as Arrow IPC files (Feather v2,
// ".arrow"), which pandas (read_feather) and polars (read_ipc) open directly.
// It is the only package that imports Apache Arrow, so a move from
// arrow/go/v17 to arrow-go v18 is an import change here.
//
// Error policy: write errors are returned wrapped with the "arrowio:" prefix;
// a column whose length differs from the table's row count is an error.
package arrowio
