// Package data reads and writes the tables segment works with: order lines
// from Parquet (parquet-go, by row group and page with a column projection)
// and CSV, per-customer tables, and the synthetic demo store.
//
// ReadOrders streams order lines from a file, a glob or a directory of parts
// to a callback in batches; the batch slice is reused between calls, or
// handed over with OrderSource.NextBatch. Parquet
// is read page by page, decoding only the mapped columns: dictionary pages
// of any type, optional columns (through their definition levels), DECIMAL,
// TIMESTAMP in any unit, DATE and INT96 are handled here rather than by
// parquet-go's row reader, which is several times slower and mishandles
// INT96. CSV and gzip-compressed CSV are read with encoding/csv, in the
// dialect CSVDialect detects or is given (";" and decimal commas), with
// time formats as Go layouts or strftime (TimeLayout) and day/month dates
// read only in an order the file settles.
//
// Table is a small in-memory columnar table. WriteParquet writes one with
// Snappy and bounded row groups, the same bytes for the same table, floats
// exact; WriteCSV writes floats rounded to 12 significant digits
// (FormatFloat), without arithmetic noise; ReadTable reads either back.
//
// WriteGeneratedStore writes the synthetic store with planted personas
// without holding it: customers are generated in id order, their order
// lines and events sorted in blocks spilled to temporary run files and
// merged, and every table streamed a row group at a time, with the bytes
// WriteParquet would write for the whole table.
//
// Error policy: every problem with an input is returned as an error that names
// the file, and the column and row where there is one (see ColumnError); the
// sentinel errors ErrMissingColumn, ErrColumnType, ErrValue and ErrNotParquet
// classify them for errors.Is. A damaged file never panics: panics inside
// parquet-go are recovered and returned as ErrNotParquet. Nor can a damaged
// or hostile Parquet file exhaust memory or time: before parquet-go reads a
// footer or decodes a column chunk, a guard checks every size, count, run
// length and checksum there against the bytes actually present and against
// caps (256 MiB and 2^25 values per page), and decompresses each page with
// a bounded decoder (parquet_guard.go says what parquet-go would otherwise
// do); a damaged page is an error naming the file, column, row group and
// page, never a warning on the standard error. Rows that cannot be
// used are not errors: they are handed to the caller as Rejects with a
// reason, and counted in ReadStats, so that nothing is dropped silently.
package data
