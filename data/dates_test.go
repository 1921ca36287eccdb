package data

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestSlashDates: without a time format, day/month dates are read in the
// only order every date of the file fits (and that order is reported);
// dates that fit both orders, or dates of both orders, are errors giving
// both readings and what to set.
func TestSlashDates(t *testing.T) {
	const hdr = "customer_id,order_id,time,amount\n"
	for _, c := range []struct {
		name   string
		rows   string
		format string
		first  time.Time // the first line's time
		guess  string    // the DateGuess format, "" for none
		err    string    // a part of the error, "" for none
	}{
		{"day first", "c1,o1,03/04/2021,1\nc1,o2,25/04/2021 17:30,1\n", "", time.Date(2021, 4, 3, 0, 0, 0, 0, time.UTC), "%d/%m/%Y", ""},
		{"month first", "c1,o1,03/04/2021 09:15:00,1\nc1,o2,04/25/2021,1\n", "", time.Date(2021, 3, 4, 9, 15, 0, 0, time.UTC), "%m/%d/%Y", ""},
		{"ambiguous", "c1,o1,03/04/2021,1\nc1,o2,05/06/2021,1\n", "", time.Time{}, "",
			`"03/04/2021" reads as 3 April 2021 (day first) or 4 March 2021 (month first)`},
		{"ambiguous names the setting", "c1,o1,03/04/2021,1\n", "", time.Time{}, "", `set orders.time_format to "%d/%m/%Y" or "%m/%d/%Y"`},
		{"both orders", "c1,o1,25/04/2021,1\nc1,o2,04/25/2021,1\n", "", time.Time{}, "", `"25/04/2021" is day first, "04/25/2021" month first`},
		{"configured day first", "c1,o1,03/04/2021,1\n", "%d/%m/%Y", time.Date(2021, 4, 3, 0, 0, 0, 0, time.UTC), "", ""},
		{"configured month first", "c1,o1,03/04/2021,1\n", "%m/%d/%Y", time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC), "", ""},
		{"same day and month", "c1,o1,04/04/2021,1\n", "", time.Date(2021, 4, 4, 0, 0, 0, 0, time.UTC), "", ""},
		{"ISO dates untouched", "c1,o1,2021-04-03,1\n", "", time.Date(2021, 4, 3, 0, 0, 0, 0, time.UTC), "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "orders.csv", hdr+c.rows)
			lines, _, stats, err := readAll(t, OrderSource{Path: path, TimeFormat: c.format})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), path) {
					t.Fatalf("error %v, want one naming %s and containing %q", err, path, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !lines[0].Time.Equal(c.first) {
				t.Errorf("first time %v, want %v", lines[0].Time, c.first)
			}
			var got string
			if len(stats.DateGuesses) > 0 {
				got = stats.DateGuesses[0].Format
			}
			if got != c.guess {
				t.Errorf("guess %q, want %q", got, c.guess)
			}
		})
	}
	path := writeFile(t, t.TempDir(), "orders.csv", hdr+"c1,o1,03/04/2021,1\n")
	if _, _, _, err := readAll(t, OrderSource{Path: path}); !errors.Is(err, ErrAmbiguousDates) {
		t.Errorf("error %v does not wrap ErrAmbiguousDates", err)
	}
}

// TestInspectSlashDates: Inspect suggests what the reader does: the only
// order every date of the file fits (even when the deciding date comes
// after the rows sampled), or no format and a note with both readings.
func TestInspectSlashDates(t *testing.T) {
	const hdr = "customer_id,order_id,time,amount\n"
	for _, c := range []struct {
		name, rows, format, note string
	}{
		{"day first late", strings.Repeat("c1,o1,03/04/2021 10:00,1\n", 1500) + "c1,o2,25/04/2021 10:00,1\n", "%d/%m/%Y %H:%M", ""},
		{"month first", "c1,o1,03/04/2021,1\nc1,o2,04/25/2021,1\n", "%m/%d/%Y", ""},
		{"two-digit years", "c1,o1,11/28/24,1\nc1,o2,01/15/25,1\n", "%m/%d/%y", ""}, // Etsy's Sale Date
		{"ambiguous", "c1,o1,03/04/2021,1\n", "", `"03/04/2021" reads as 3 April 2021 (day first) or 4 March 2021 (month first)`},
		{"both", "c1,o1,25/04/2021,1\nc1,o1,04/25/2021,1\n", "", "both day/month orders"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "orders.csv", hdr+c.rows)
			in, err := Inspect(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			col := in.Columns[2]
			if col.Kind != KindTime || col.TimeFormat != c.format || !strings.Contains(col.TimeNote, c.note) || (c.note == "") != (col.TimeNote == "") {
				t.Errorf("time column %+v, want format %q and a note with %q", col, c.format, c.note)
			}
			if m := GuessMapping(in.Columns); m.Columns["time"] != "time" {
				t.Errorf("time not mapped: %v", m.Columns)
			}
		})
	}
}

// TestInspectAmbiguousDatesClock: inspect's note on dates that read both
// ways suggests formats with their time of day, and the day-first one as
// the starter config's commented guess.
func TestInspectAmbiguousDatesClock(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", "customer_id,order_id,time,amount\nc1,o1,03/04/2021 10:01,1\nc1,o2,05/06/2021 11:30,1\n")
	in, err := Inspect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range in.Columns {
		if c.Name == "time" && (!strings.Contains(c.TimeNote, `set orders.time_format to "%d/%m/%Y %H:%M" or "%m/%d/%Y %H:%M"`) || c.TimeGuess != "%d/%m/%Y %H:%M") {
			t.Errorf("note %q, guess %q; want both formats with %%H:%%M", c.TimeNote, c.TimeGuess)
		}
	}
}
