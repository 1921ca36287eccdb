package data

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// OrderSource says where order lines are and how to read them.
type OrderSource struct {
	// Path is a .parquet, .csv or .csv.gz file, a glob of such files, or a
	// directory of parts. A directory is searched recursively, including
	// hive-style key=value/ folders; names starting with "." or "_" (such
	// as _SUCCESS or .crc files) are skipped, and files are read in the
	// lexical order of their paths so that every run sees the same order.
	Path string

	// Columns maps the logical order columns to the file's columns; the
	// zero value means DefaultOrderColumns(). A column left at its default
	// logical name may be absent from a file; a column mapped to another
	// name must exist.
	Columns OrderColumns

	// TimeFormat is the Go layout ("2006-01-02 15:04") or strftime format
	// ("%Y-%m-%d %H:%M", see TimeLayout) of times stored as strings. Empty
	// means try time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05"
	// and "2006-01-02", in that order, and in a CSV file day/month dates
	// (see ReadStats.DateGuesses).
	TimeFormat string

	// CSV is the dialect of CSV files: field delimiter and decimal mark;
	// the zero value detects them (CSVDialect).
	CSV CSVDialect

	// Location is the zone of times that carry none: strings without an
	// offset, DATE values and TIMESTAMPs not adjusted to UTC. nil means UTC.
	Location *time.Location

	// CancelPrefix, when not empty, marks order ids that start with it as
	// cancellations: their lines have Returned set.
	CancelPrefix string

	// ReturnStatus lists status values (compared case-insensitively) that
	// mean returned or cancelled: their lines have Returned set.
	ReturnStatus []string

	// ExcludeStatus lists status values (compared case-insensitively) and
	// ExcludeProducts product ids (compared exactly) whose lines are left
	// out, each rejected with its reason (orders.exclude): payments that
	// failed or were never made, postage, fees and manual adjustments. A
	// file without the status (product id) column is an error when the
	// list is set.
	ExcludeStatus, ExcludeProducts []string

	// AmountScale, when not 0 or 1, multiplies every line's amount, unit
	// price, discounts and refund as read (orders.amount_scale: 0.01 for money
	// written in cents). A factor whose reciprocal is a whole number
	// divides by it instead, so that 1234 cents read 12.34 exactly.
	AmountScale float64

	// AmountBeforeDiscount, with an amount column, reads it as the line's
	// total before its discount: the line's net is amount − discount
	// (orders.amount_before_discount).
	AmountBeforeDiscount bool

	// Duplicates says what to do with a line whose values are all equal to
	// those of an earlier line: KeepDuplicates (the default: two identical
	// lines are two purchases of the same item) or DropDuplicates (reject
	// every copy after the first, for exports known to repeat rows). Dropping
	// keeps an 8-byte hash per line read, so its memory grows with lines.
	Duplicates string

	// BatchSize is the number of lines per call of the callback; 0 means
	// 8192.
	BatchSize int

	// NextBatch, when not nil, gives the reader the slice to fill after
	// each call of the callback that returned nil: the callback then owns
	// the batch it was given (it may hand it to another goroutine) instead
	// of the reader filling it again, and no line is copied. A slice of
	// less than BatchSize capacity is replaced by a new one.
	NextBatch func() []OrderLine

	// OnReject, when not nil, is called for every row that cannot be used.
	// Rejects are counted in ReadStats whether or not it is set.
	OnReject func(Reject)
}

// The values of OrderSource.Duplicates.
const (
	KeepDuplicates = "keep"
	DropDuplicates = "drop"
)

// defaultBatchSize is OrderSource.BatchSize when it is zero.
const defaultBatchSize = 8192

// Reject is an input row that was read but not used.
type Reject struct {
	File   string
	Row    int64  // 1-based data row within File
	Reason string // e.g. "missing customer_id"
	// Raw holds the row's values of the mapped columns, keyed by the
	// file's column name, as text; a null is "".
	Raw map[string]string
	// Excluded is what the row adds to ReadStats.RevenueExcluded: its net
	// amount when that could be read (and is within MaxLineValue), else 0.
	// Summed in the order the rows are read, it gives RevenueExcluded bit
	// for bit.
	Excluded float64
}

// FileStat describes one input file.
type FileStat struct {
	Path   string
	SHA256 string // hex digest of the file's bytes
	Rows   int64  // data rows in the file
	// InnerSHA256 is the hex digest of a compressed CSV file's data once
	// decompressed ("" for other files): a.csv.gz beside a.csv holds the
	// same lines (SameBytes).
	InnerSHA256 string `json:"-"`
}

// ReadStats counts what a read saw. RowsRead = RowsUsed + RowsRejected.
type ReadStats struct {
	Files           []FileStat
	RowsRead        int64
	RowsUsed        int64
	RowsRejected    int64
	RejectsByReason map[string]int64

	// Absent lists the optional logical order columns ("amount",
	// "discount", "coupon", "category", …) that no file had, in logical
	// column order: what the features computed from them cannot use.
	Absent []string
	// PartlyAbsent maps the optional logical order columns some files had
	// and others lacked to the files that lacked them (nil: none): those
	// files' lines have no value for them (a column added to an export
	// later, or a part written by another job).
	PartlyAbsent map[string][]string

	// DateGuesses lists the CSV files whose day/month dates (03/04/2021)
	// were read in the only order all of them fit, no time format being
	// set; a file whose dates fit both orders is an error instead.
	DateGuesses []DateGuess

	// RevenueExcluded is the Σ net amount (amount, or quantity × unit_price
	// − discount) of the rejected rows whose amount could be read.
	RevenueExcluded float64
	// PurchasesExcluded is the part of RevenueExcluded of rows of a
	// positive amount (Σ of the positive Reject.Excluded): the sales that
	// returns and credits among the rejects would hide in the net.
	PurchasesExcluded float64

	// NegativeDiscounts counts the lines used whose discount (the sum of
	// the discount columns) was negative, read as its magnitude: a
	// discount is an amount taken off, which some exports write negative.
	NegativeDiscounts int64

	// Currency is the value of the currency column (Shopify's Currency:
	// "USD"), or else the currency the CSV money cells of the read were
	// marked with (splitCurrency's name: "USD", "EUR", "$"…), "" when
	// neither was.
	Currency string

	// Repeated counts the lines used that repeat an earlier line exactly,
	// with duplicates kept (KeepDuplicates; 0 with DropDuplicates, which
	// rejects them as "duplicate line"): exact, or when RepeatedEstimated
	// estimated from a sample of the orders (Repeats, which a reader of
	// parts merges with MergeRepeats).
	Repeated          int64
	RepeatedEstimated bool
	Repeats           Repeats
}

// fileFormat is the format of one input file.
type fileFormat int

const (
	formatParquet fileFormat = iota + 1
	formatCSV
	formatCSVGzip
)

// formatByName returns the format a file name's extension announces, or 0.
func formatByName(name string) fileFormat {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".parquet"), strings.HasSuffix(lower, ".parq"), strings.HasSuffix(lower, ".pq"):
		return formatParquet
	case strings.HasSuffix(lower, ".csv.gz"), strings.HasSuffix(lower, ".csv.gzip"):
		return formatCSVGzip
	case strings.HasSuffix(lower, ".csv"):
		return formatCSV
	}
	return 0
}

// IsInputName reports whether a file name's extension is one of an input
// file's (.parquet, .parq, .pq, .csv, .csv.gz, .csv.gzip), in any case.
func IsInputName(name string) bool { return formatByName(name) != 0 }

// sniffFormat returns the format of a file with no telling extension from
// its first bytes: Parquet's "PAR1", gzip's magic, else CSV.
func sniffFormat(path string) (fileFormat, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var head [4]byte
	n, err := io.ReadFull(f, head[:])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return 0, err
	}
	switch {
	case n == 4 && bytes.Equal(head[:], []byte("PAR1")):
		return formatParquet, nil
	case n >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		return formatCSVGzip, nil
	}
	return formatCSV, nil
}

// inputFile is one file to read.
type inputFile struct {
	path   string
	format fileFormat
}

// expandPath lists the files a source path names: the file itself, the
// files a glob matches, or the data files under a directory, sorted by
// path. It fails when nothing is found.
func expandPath(path string) ([]inputFile, error) {
	if path == "" {
		return nil, fmt.Errorf("data: no input path")
	}
	var files []inputFile
	info, err := os.Stat(path)
	switch {
	case err == nil && info.IsDir():
		if files, err = walkDir(path); err != nil {
			return nil, err
		}
	case err == nil:
		// A pipe, a FIFO, a device is refused (formatOf): segment reads an
		// input more than once (its dialect, then its lines), which a
		// stream cannot give twice.
		f, err := formatOf(path)
		if err != nil {
			return nil, err
		}
		return []inputFile{{path, f}}, nil
	case strings.ContainsAny(path, `*?[`):
		matches, gerr := filepath.Glob(path)
		if gerr != nil {
			return nil, fmt.Errorf("data: %s: %w", path, gerr)
		}
		for _, m := range matches {
			mi, err := os.Stat(m)
			if err != nil {
				return nil, fmt.Errorf("data: %w", err)
			}
			if mi.IsDir() {
				sub, err := walkDir(m)
				if err != nil {
					return nil, err
				}
				files = append(files, sub...)
				continue
			}
			if f := formatByName(m); f != 0 && !skippedName(filepath.Base(m)) {
				if !mi.Mode().IsRegular() {
					return nil, fmt.Errorf("data: %w", notRegular(m, mi.Mode()))
				}
				files = append(files, inputFile{m, f})
			}
		}
	default:
		return nil, fmt.Errorf("data: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("data: %s: no .parquet, .csv or .csv.gz files found", path)
	}
	slices.SortFunc(files, func(a, b inputFile) int { return strings.Compare(a.path, b.path) })
	files = slices.CompactFunc(files, func(a, b inputFile) bool { return a.path == b.path })
	return files, nil
}

// formatOf returns the format of the table file at path: by its name
// (formatByName), else by its first bytes (sniffFormat). A path that is
// not a regular file (a pipe, /dev/stdin fed by one) is an error: segment
// reads a table more than once.
func formatOf(path string) (fileFormat, error) {
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() && !fi.Mode().IsRegular() {
		return 0, fmt.Errorf("data: %w", notRegular(path, fi.Mode()))
	}
	if f := formatByName(path); f != 0 {
		return f, nil
	}
	f, err := sniffFormat(path)
	if err != nil {
		return 0, fmt.Errorf("data: %w", err)
	}
	return f, nil
}

// notRegular is the error of an input that is not a regular file (without
// the package's prefix).
func notRegular(path string, m os.FileMode) error {
	return fmt.Errorf("%s is not a regular file (%s): segment reads its inputs more than once; save the stream to a file and name that", path, fileKind(m))
}

// fileKind names the kind of a file that is not a regular one.
func fileKind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// skippedName reports whether a file or directory name is bookkeeping
// rather than data: hidden files, _SUCCESS, _delta_log, .crc files.
func skippedName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// walkDir lists the data files under dir, recursively.
func walkDir(dir string) ([]inputFile, error) {
	var files []inputFile
	links := map[string]string{} // the links to files listed, to their targets
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && skippedName(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		f := formatByName(p)
		if f == 0 || d.IsDir() {
			return nil
		}
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 { // a link to a part is that part (links to folders are not followed)
			fi, err := os.Stat(p)
			if err != nil {
				return fmt.Errorf("%s: a link to no file: %w", p, err)
			}
			if fi.IsDir() {
				return nil
			}
			mode = fi.Mode()
			links[p] = resolved(p)
		}
		if !mode.IsRegular() {
			return notRegular(p, mode)
		}
		files = append(files, inputFile{p, f})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	if len(links) == 0 {
		return files, nil
	}
	// A link to a file the folder holds, or to one an earlier link named
	// ("latest.csv" beside the day's file), is not a second part.
	listed := map[string]bool{}
	for _, f := range files {
		if _, ok := links[f.path]; !ok {
			listed[resolved(f.path)] = true
		}
	}
	return slices.DeleteFunc(files, func(f inputFile) bool {
		target, ok := links[f.path]
		if !ok {
			return false
		}
		seen := listed[target]
		listed[target] = true
		return seen
	}), nil
}

// resolved returns the absolute path of the file p names, its links
// followed, or p when it cannot be found.
func resolved(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
