package data

import (
	"strings"
	"unicode/utf8"
)

// HasNUL reports whether s holds a NUL byte (0x00). An id with one is
// refused as one that is not valid UTF-8 is: C strings end at it, and
// PostgreSQL's COPY, among the readers of the outputs, refuses it.
func HasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// TrimID returns id without white space at either end: "C1 " (a CHAR
// column's padding, a stray space in an export) is the customer "C1", in
// the order lines and in every table joined to them (IDStrings), as an id
// of white space only is a missing one.
func TrimID(id string) string {
	if id == "" || id[0] > ' ' && id[0] < utf8.RuneSelf && id[len(id)-1] > ' ' && id[len(id)-1] < utf8.RuneSelf {
		return id // no white space at either end, ASCII or not
	}
	return strings.TrimSpace(id) // a no-break space (Excel's) too
}

// CleanID returns id trimmed (TrimID), or "" (a missing id) for the words
// databases and dataframes write for a missing value: NULL, \N (MySQL and
// PostgreSQL dumps), NaN, None, nil, N/A, #N/A, <NA> (any case). No store
// gives a customer such an id; read as ids they would make one customer of
// every line whose id was lost.
func CleanID(id string) string {
	id = TrimID(id)
	if len(id) > 4 || len(id) < 2 {
		return id
	}
	for _, w := range nullWords {
		if strings.EqualFold(id, w) {
			return ""
		}
	}
	return id
}

// nullWords are the ids CleanID reads as missing.
var nullWords = [...]string{"null", `\N`, "nan", "none", "nil", "n/a", "#n/a", "<na>"}
