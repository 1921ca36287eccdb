package data

import (
	"encoding/csv"
	"fmt"
	"strings"
	"unicode/utf8"
)

// minSwallowedRows is how many whole lines shaped like rows of the file a
// quoted field must hold to be taken for rows swallowed by a quote out of
// place (swallowedRows). One such line can be text (an address with its
// commas); two rarely are.
const minSwallowedRows = 2

// swallowedRows looks in rec, the record r just read, for rows swallowed
// by a quote out of place: a field starting with a stray '"' (`"toys`)
// runs to the next lone '"', however many lines later, and the rows in
// between become its text, valid CSV that would silently lose them. A
// field holding at least minSwallowedRows whole lines with as many
// delimiters as the record has (or more) is taken for one: it returns the
// field's index and an error saying where the field opens, how many lines
// it runs over and the first that looks like a row; -1 and nil otherwise.
// It costs a look at the last field unless the record spans lines.
func swallowedRows(r *csv.Reader, rec []string, comma rune) (int, error) {
	last := len(rec) - 1
	if last < 0 {
		return -1, nil
	}
	first, _ := r.FieldPos(0)
	if end, _ := r.FieldPos(last); end == first && strings.IndexByte(rec[last], '\n') < 0 {
		return -1, nil
	}
	sep := string(comma)
	for j, f := range rec {
		if strings.IndexByte(f, '\n') < 0 {
			continue
		}
		_, rest, _ := strings.Cut(f, "\n") // the line the field opens on is not whole
		rows, lines, example, at := 0, 1, "", 0
		for {
			line, more, ok := strings.Cut(rest, "\n")
			if !ok {
				break // the line the field closes on is not whole either
			}
			if strings.Count(line, sep) >= last {
				if rows == 0 {
					example, at = line, lines
				}
				rows++
			}
			rest = more
			lines++
		}
		if rows >= minSwallowedRows {
			open, _ := r.FieldPos(j)
			return j, fmt.Errorf("a quote out of place: the quoted field that opens on line %d runs over %d lines, %d of them shaped like rows of the file (line %d: %s), which would be read as this field's text: fix the quote (a field that starts with '\"' ends at the next lone '\"')",
				open, lines+1, rows, open+at, quoteShort(example, 80))
		}
	}
	return -1, nil
}

// quoteShort quotes s, cut to at most n runes.
func quoteShort(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return fmt.Sprintf("%q", s)
	}
	i := 0
	for k := range s {
		if n == 0 {
			i = k
			break
		}
		n--
	}
	return fmt.Sprintf("%q…", s[:i])
}

// checkQuotes returns a ColumnError naming path, row and the column of a
// field of rec, the record c just read, that holds rows swallowed by a
// quote out of place (swallowedRows), or nil.
func (c *csvFile) checkQuotes(path string, row int64, rec []string) error {
	j, err := swallowedRows(c.r, rec, c.comma)
	if err == nil {
		return nil
	}
	name := fmt.Sprintf("field %d", j+1)
	if j < len(c.header) {
		name = c.header[j]
	}
	return &ColumnError{File: path, Column: name, Row: row, Err: err}
}
