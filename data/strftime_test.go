package data

import (
	"strings"
	"testing"
	"time"
)

func TestTimeLayout(t *testing.T) {
	for _, c := range []struct {
		format, want, value string
		at                  time.Time // value read with the layout, in UTC
	}{
		{"%Y-%m-%d %H:%M", "2006-1-2 15:4", "2021-04-03 17:30", time.Date(2021, 4, 3, 17, 30, 0, 0, time.UTC)},
		{"%d/%m/%Y", "2/1/2006", "03/04/2021", time.Date(2021, 4, 3, 0, 0, 0, 0, time.UTC)},
		{"%m/%d/%Y %I:%M %p", "1/2/2006 3:4 PM", "04/03/2021 05:30 PM", time.Date(2021, 4, 3, 17, 30, 0, 0, time.UTC)},
		{"%-d %b %Y", "2 Jan 2006", "3 Apr 2021", time.Date(2021, 4, 3, 0, 0, 0, 0, time.UTC)},
		{"%A, %B %e %Y", "Monday, January _2 2006", "Saturday, April  3 2021", time.Date(2021, 4, 3, 0, 0, 0, 0, time.UTC)},
		{"%Y-%m-%dT%H:%M:%S%z", "2006-1-2T15:4:5-0700", "2021-04-03T17:30:00+0200", time.Date(2021, 4, 3, 15, 30, 0, 0, time.UTC)},
		{"%FT%T%:z", "2006-01-02T15:04:05-07:00", "2021-04-03T17:30:00+02:00", time.Date(2021, 4, 3, 15, 30, 0, 0, time.UTC)},
		{"%Y-%m-%d %H:%M:%S.%f", "2006-1-2 15:4:5.000000", "2021-04-03 17:30:00.250000", time.Date(2021, 4, 3, 17, 30, 0, 250e6, time.UTC)},
		{"%d.%m.%y %R", "2.1.06 15:04", "03.04.21 17:30", time.Date(2021, 4, 3, 17, 30, 0, 0, time.UTC)},
		{"%Y%%%j", "2006%002", "2021%093", time.Date(2021, 4, 3, 0, 0, 0, 0, time.UTC)},
		{"2006-01-02", "2006-01-02", "2021-04-03", time.Date(2021, 4, 3, 0, 0, 0, 0, time.UTC)}, // a Go layout stays
		// As Python's strptime: one digit or two for %m, %d, %H, %M, %S
		// (Online Retail's "11/5/2011 9:05"), two-digit fields back to back.
		{"%m/%d/%Y %H:%M", "1/2/2006 15:4", "11/5/2011 9:05", time.Date(2011, 11, 5, 9, 5, 0, 0, time.UTC)},
		{"%Y%m%d%H%M%S", "2006121545", "20210403173005", time.Date(2021, 4, 3, 17, 30, 5, 0, time.UTC)},
	} {
		t.Run(c.format, func(t *testing.T) {
			got, err := TimeLayout(c.format)
			if err != nil || got != c.want {
				t.Fatalf("TimeLayout(%q) = %q, %v; want %q", c.format, got, err, c.want)
			}
			at, err := time.Parse(got, c.value)
			if err != nil || !at.Equal(c.at) {
				t.Errorf("parse %q with %q = %v, %v; want %v", c.value, got, at, err, c.at)
			}
		})
	}
}

func TestTimeLayoutErrors(t *testing.T) {
	for _, c := range []struct{ format, want string }{
		{"%Y-%m-%d %H:%M:%Q", "unknown directive %Q"},
		{"%Y-%m-%d %s", "unknown directive %s"}, // %s alone is the epoch format "unix"
		{"%Y-%m-%é", "unknown directive %é"},
		{"%Y-%m-%d %", "lone %"},
		{"%Y-%m-%d 1%H", `the text " 1"`},
		{"%d Jan %Y", `the text " Jan "`},
		{"%H:%M:%f", "%f must follow %S"},
		{"%H.%f", "%f must follow %S"},
		{"%S.%-d.%f", "%f must follow %S"},
	} {
		t.Run(c.format, func(t *testing.T) {
			_, err := TimeLayout(c.format)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("TimeLayout(%q) error %v, want it to contain %q", c.format, err, c.want)
			}
		})
	}
}
