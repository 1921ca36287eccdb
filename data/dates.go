package data

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// slashDateRE matches a day/month date such as 03/04/2021 or 3/4/2021
// 17:30, with an optional time of day: the first two numbers are a day
// and a month in an order the text does not say.
var slashDateRE = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/\d{4}( \d{1,2}:\d{2}(:\d{2})?)?$`)

// slashDateYearRE is slashDateRE with a year of two digits too (Etsy's
// 11/28/24), for inspect's guess of a time_format ("%m/%d/%y"); the reader
// guesses the order of four-digit years only.
var slashDateYearRE = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})( \d{1,2}:\d{2}(:\d{2})?)?$`)

// The layouts of slash dates, day first and month first.
var (
	dayFirstLayouts   = []string{"2/1/2006", "2/1/2006 15:04", "2/1/2006 15:04:05"}
	monthFirstLayouts = []string{"1/2/2006", "1/2/2006 15:04", "1/2/2006 15:04:05"}
)

// DateGuess records the day/month order chosen for a CSV file's slash
// dates when no time_format was given: the only order every date of the
// file fits.
type DateGuess struct {
	File    string
	Format  string // "%d/%m/%Y" (day first) or "%m/%d/%Y" (month first)
	Example string // a date only that order reads, e.g. "25/04/2021"
}

// guessSlashDates decides the day/month order of the slash dates in
// column col (named name) of the CSV file at path, when the file's first
// rows (sample) have such dates that the default layouts do not read. It
// reads the column through: if some date has a first number above 12 and
// none a second, the dates are day first, and the other way round; it
// returns the layouts to try then and what it chose. When no date tells
// (every one reads both ways, as 03/04/2021 does) or dates of both
// orders are present, it is an error reporting both readings of an
// example and asking for orders.time_format: a store's dates are never
// read in an order that was guessed. With neither slash date in the
// sample it returns nil (the default layouts apply).
func guessSlashDates(ctx context.Context, path string, gz bool, d CSVDialect, sample [][]string, col int, name string) ([]string, *DateGuess, error) {
	found := false
	for _, rec := range sample {
		if col < len(rec) && slashDateRE.MatchString(strings.TrimSpace(rec[col])) {
			found = true
			break
		}
	}
	if !found {
		return nil, nil, nil
	}
	c, err := openCSV(path, gz, d, "")
	if err != nil {
		return nil, nil, err
	}
	defer c.close()
	var dayEx, monthEx, either string
	for row := int64(1); ; row++ {
		if row%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		rec, err := c.r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.Is(err, csv.ErrFieldCount) { // a ragged row is rejected by the read
			return nil, nil, fmt.Errorf("data: %s: %w", path, err)
		}
		if err != nil || col >= len(rec) {
			continue
		}
		s := strings.TrimSpace(rec[col])
		m := slashDateRE.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		switch {
		case a > 12 && b > 12: // neither reading: the parse reports it
		case a > 12:
			dayEx = cmpSet(dayEx, s)
		case b > 12:
			monthEx = cmpSet(monthEx, s)
		case a != b:
			either = cmpSet(either, s)
		}
	}
	switch {
	case dayEx != "" && monthEx != "":
		return nil, nil, &ColumnError{File: path, Column: name, Err: fmt.Errorf(
			"dates in both day/month orders (%q is day first, %q month first); set orders.time_format", dayEx, monthEx)}
	case dayEx != "":
		return dayFirstLayouts, &DateGuess{File: path, Format: "%d/%m/%Y", Example: dayEx}, nil
	case monthEx != "":
		return monthFirstLayouts, &DateGuess{File: path, Format: "%m/%d/%Y", Example: monthEx}, nil
	}
	if either == "" { // only dates such as 04/04/2021 that read alike both ways
		return dayFirstLayouts, nil, nil
	}
	return nil, nil, &ColumnError{File: path, Column: name, Err: fmt.Errorf(
		"%w: %s; set orders.time_format to \"%%d/%%m/%%Y\" or \"%%m/%%d/%%Y\" (with \" %%H:%%M\" for a time of day)", ErrAmbiguousDates, bothReadings(either))}
}

// ErrAmbiguousDates is the error of dates whose day/month order no date
// of the file settles.
var ErrAmbiguousDates = errors.New("ambiguous day/month dates")

// bothReadings describes the two readings of a slash date: "03/04/2021
// reads as 3 April 2021 (day first) or 4 March 2021 (month first)".
func bothReadings(s string) string {
	date, _, _ := strings.Cut(s, " ")
	d1, err1 := time.Parse("2/1/2006", date)
	d2, err2 := time.Parse("1/2/2006", date)
	if err1 != nil || err2 != nil {
		return s + " reads day first or month first"
	}
	return fmt.Sprintf("%q reads as %s (day first) or %s (month first), and no date of the file has a day above 12 to tell",
		s, d1.Format("2 January 2006"), d2.Format("2 January 2006"))
}

// slashEvidence gathers what a column's slash dates say of their
// day/month order, value by value (Inspect reads a whole file so).
type slashEvidence struct {
	dayEx, monthEx, either, clock string
	year                          string // "%Y", or "%y" for years of two digits
	other                         bool   // a value that is not a slash date (or fits neither order), or years of both widths
}

// add notes the value s.
func (e *slashEvidence) add(s string) {
	s = strings.TrimSpace(s)
	if s == "" || e.other {
		return
	}
	m := slashDateYearRE.FindStringSubmatch(s)
	if m == nil {
		e.other = true
		return
	}
	year := "%Y"
	if len(m[3]) == 2 {
		year = "%y"
	}
	if e.year != "" && e.year != year {
		e.other = true
		return
	}
	e.year = year
	if e.clock == "" && m[4] != "" {
		e.clock = " %H:%M"
		if m[5] != "" {
			e.clock += ":%S"
		}
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	switch {
	case a > 12 && b > 12:
		e.other = true
	case a > 12:
		e.dayEx = cmpSet(e.dayEx, s)
	case b > 12:
		e.monthEx = cmpSet(e.monthEx, s)
	case a != b:
		e.either = cmpSet(e.either, s)
	}
}

// format returns, when every value added was a slash date, the strftime
// format of the only day/month order they all fit ("%d/%m/%Y", with
// " %H:%M" or " %H:%M:%S" for a time of day), or, when they fit both,
// "" and a note giving both readings of an example. ok is false for
// other columns.
func (e *slashEvidence) format() (format, note string, ok bool) {
	if e.other {
		return "", "", false
	}
	switch {
	case e.dayEx != "" && e.monthEx != "":
		return "", fmt.Sprintf("dates in both day/month orders (%q, %q): set orders.time_format", e.dayEx, e.monthEx), true
	case e.dayEx != "":
		return "%d/%m/" + e.year + e.clock, "", true
	case e.monthEx != "":
		return "%m/%d/" + e.year + e.clock, "", true
	case e.either != "":
		return "", bothReadings(e.either) + fmt.Sprintf(`: set orders.time_format to "%%d/%%m/%s%s" or "%%m/%%d/%s%s"`, e.year, e.clock, e.year, e.clock), true
	}
	return "", "", false
}

// cmpSet returns old, or s when old is "": the first example kept.
func cmpSet(old, s string) string {
	if old == "" {
		return s
	}
	return old
}

// dayFirst returns the day-first format of the column's slash dates, with
// their years' width and time of day: what a starter config suggests,
// commented out, where both orders fit.
func (e *slashEvidence) dayFirst() string {
	return "%d/%m/" + cmpSet(e.year, "%Y") + e.clock
}
