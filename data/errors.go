package data

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Sentinel errors wrapped by ColumnError and by the readers, for use with
// errors.Is.
var (
	// ErrMissingColumn: a mapped or required column is not in the file.
	ErrMissingColumn = errors.New("no such column")
	// ErrColumnType: a column's type cannot hold the logical column (a
	// boolean where an amount is needed, a bare INT64 where a time is needed).
	ErrColumnType = errors.New("unsupported column type")
	// ErrValue: a value cannot be used (unparseable, NaN or infinite).
	ErrValue = errors.New("bad value")
	// ErrNotParquet: the file is not Parquet, or it is damaged or truncated.
	ErrNotParquet = errors.New("not a readable Parquet file")
)

// ColumnError reports a problem with one column of an input file, and with
// one row of it when Row > 0. Row counts data rows from 1: the header of a
// CSV file is not a row. Its message reads like
//
//	orders.parquet: column "time", row 12: cannot parse "x" as time
type ColumnError struct {
	File   string
	Column string
	Row    int64 // 1-based data row; 0 when the problem is not in one row
	Err    error
}

// Error implements error.
func (e *ColumnError) Error() string {
	s := e.File + ": column " + strconv.Quote(e.Column)
	if e.Row > 0 {
		s += ", row " + strconv.FormatInt(e.Row, 10)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *ColumnError) Unwrap() error { return e.Err }

// valueError is the Err of a ColumnError for a value that cannot be used.
// It wraps ErrValue.
type valueError struct {
	raw  string
	want string // "time", "number"
	why  string // optional detail
}

func (e *valueError) Error() string {
	s := "cannot parse " + QuoteCell(e.raw) + " as " + e.want
	if e.why != "" {
		s += ": " + e.why
	}
	return s
}

func (e *valueError) Unwrap() error { return ErrValue }

// maxQuotedCell bounds the bytes of a cell an error message quotes.
const maxQuotedCell = 200

// QuoteCell quotes a cell for an error message, cut after maxQuotedCell
// bytes (at a rune's start) with its length said, so that a 2 MB field
// makes a line a person can read.
func QuoteCell(s string) string {
	if len(s) <= maxQuotedCell {
		return strconv.Quote(s)
	}
	cut := maxQuotedCell
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf("… (%d bytes)", len(s))
}

// typeError is the Err of a ColumnError for a column whose Parquet type
// cannot hold the logical column. It wraps ErrColumnType.
type typeError struct {
	have string // the file's type, e.g. "BOOLEAN"
	want string // "time", "number", ...
	hint string // what to set, if anything
}

func (e *typeError) Error() string {
	s := "column of type " + e.have + " cannot be read as " + e.want
	if e.hint != "" {
		s += "; " + e.hint
	}
	return s
}

func (e *typeError) Unwrap() error { return ErrColumnType }

// recoverParquet turns a panic inside parquet-go into an error naming the
// file. parquet-go panics on some damaged inputs instead of returning an
// error; a damaged input must not crash a scheduled run. Use it as
//
//	defer recoverParquet(path, &err)
func recoverParquet(file string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("data: %s: %w (parquet-go: %v)", file, ErrNotParquet, r)
	}
}
