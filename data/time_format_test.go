package data

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// TestTimeFormat: an optional table's times as its time_format and
// timezone say: the default layouts (a trailing " UTC" an instant in UTC
// whatever the zone), a strftime layout in the table's zone, epoch counts
// as integers, floats and text, digits of a layout as integers; what a
// format cannot read is not ok, and a null is null.
func TestTimeFormat(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	utc := time.Date(2024, 7, 1, 16, 0, 0, 0, time.UTC) // 12:00 in New York (UTC−4 in July)
	type res struct {
		t        time.Time
		null, ok bool
	}
	tests := []struct {
		name, format string
		loc          *time.Location
		col          Column
		want         []res
	}{
		{"default layouts", "", ny, Column{Kind: KindString, Strings: []string{"2024-07-01 12:00:00", "2024-07-01 16:00:00 UTC", "2024-07-01 16:00:00.25 UTC", "NULL", "07/01/2024"}},
			[]res{{utc, false, true}, {utc, false, true}, {utc.Add(250 * time.Millisecond), false, true}, {time.Time{}, true, true}, {time.Time{}, false, false}}},
		{"time column", "", ny, Column{Kind: KindTime, Times: []time.Time{utc, {}}, Nulls: []bool{false, true}},
			[]res{{utc, false, true}, {time.Time{}, true, true}}},
		{"default layouts in UTC", "", time.UTC, Column{Kind: KindString, Strings: []string{
			"2024-07-01T16:00:00Z", "2024-07-01 16:00:00", "2024-07-01T16:00:00", " 2024-07-01 ", "2024-07-01T18:00:00+02:00"}},
			[]res{{utc, false, true}, {utc, false, true}, {utc, false, true}, {time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC), false, true}, {utc, false, true}}},
		// A string without an offset is a time in the zone; one with an
		// offset is that instant, returned in the zone.
		{"default layouts in New York", "", ny, Column{Kind: KindString, Strings: []string{"2024-07-01", "2024-07-01T16:00:00Z"}},
			[]res{{time.Date(2024, 7, 1, 0, 0, 0, 0, ny), false, true}, {utc, false, true}}},
		{"blank and unreadable", "", nil, Column{Kind: KindString, Strings: []string{" ", "01/07/2024", "20240701", "NULL"}},
			[]res{{time.Time{}, true, true}, {time.Time{}, false, false}, {time.Time{}, false, false}, {time.Time{}, true, true}}},
		// The order lines' layouts: minutes only, an offset after a space,
		// year first with slashes, day first with dots.
		{"export layouts", "", nil, Column{Kind: KindString, Strings: []string{"2024-07-01 12:00", "2024-07-01 14:00:00 +0200", "2024/07/01 12:00", "1.7.2024 12:00"}},
			[]res{{utc.Add(-4 * time.Hour), false, true}, {utc.Add(-4 * time.Hour), false, true}, {utc.Add(-4 * time.Hour), false, true}, {utc.Add(-4 * time.Hour), false, true}}},
		{"strftime in its zone", "%m/%d/%Y %H:%M", ny, Column{Kind: KindString, Strings: []string{"07/01/2024 12:00", " 07/01/2024 12:00 ", "2024-07-01 12:00:00"}},
			[]res{{utc, false, true}, {utc, false, true}, {time.Time{}, false, false}}},
		{"no zone: UTC", "%d.%m.%Y %H:%M", nil, Column{Kind: KindString, Strings: []string{"01.07.2024 16:00"}},
			[]res{{utc, false, true}}},
		{"unix integers", "unix", ny, Column{Kind: KindInt64, Ints: []int64{utc.Unix(), 0}, Nulls: []bool{false, true}},
			[]res{{utc, false, true}, {time.Time{}, true, true}}},
		{"unix_ms text and floats", "unix_ms", nil, Column{Kind: KindString, Strings: []string{"1719849600000", "1719849600000.5", "x"}},
			[]res{{utc, false, true}, {utc.Add(500 * time.Microsecond), false, true}, {time.Time{}, false, false}}},
		{"unix floats", "%s", nil, Column{Kind: KindFloat64, Floats: []float64{1719849600.5}},
			[]res{{utc.Add(500 * time.Millisecond), false, true}}},
		{"digits of a layout", "%Y%m%d", nil, Column{Kind: KindInt64, Ints: []int64{20240701, 20241301}},
			[]res{{time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC), false, true}, {time.Time{}, false, false}}},
		// Integers without a format that reads them are not times.
		{"integers, default layouts", "", nil, Column{Kind: KindInt64, Ints: []int64{1719849600}},
			[]res{{time.Time{}, false, false}}},
		{"floats, a layout", "%Y%m%d", nil, Column{Kind: KindFloat64, Floats: []float64{20240701}},
			[]res{{time.Time{}, false, false}}},
		{"Parquet times", "%Y", ny, Column{Kind: KindTime, Times: []time.Time{utc}},
			[]res{{utc, false, true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := NewTimeFormat(tt.format, tt.loc)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.loc
			if want == nil {
				want = time.UTC
			}
			for i, w := range tt.want {
				var got res
				got.t, got.null, got.ok = tt.col.TimeAs(i, f)
				if !got.t.Equal(w.t) || got.null != w.null || got.ok != w.ok {
					t.Errorf("TimeAs(%d) = %v, %v, %v; want %v, %v, %v", i, got.t, got.null, got.ok, w.t, w.null, w.ok)
				}
				if got.ok && !got.null && got.t.Location() != want {
					t.Errorf("TimeAs(%d) is in %v, want %v", i, got.t.Location(), want)
				}
			}
		})
	}
	if _, err := NewTimeFormat("%Q", nil); err == nil || !strings.Contains(err.Error(), "%Q") {
		t.Errorf("NewTimeFormat(%%Q) = %v, want an error naming the directive", err)
	}
}

// TestTimeFormatReadsNumbers: which formats take a column of numbers.
func TestTimeFormatReadsNumbers(t *testing.T) {
	for _, tt := range []struct {
		format      string
		ints, float bool
	}{{"", false, false}, {"unix_us", true, true}, {"%Y%m%d", true, false}, {"2006-01-02", true, false}} {
		f, err := NewTimeFormat(tt.format, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.ReadsNumbers(KindInt64); got != tt.ints {
			t.Errorf("%q: ReadsNumbers(int64) = %v, want %v", tt.format, got, tt.ints)
		}
		if got := f.ReadsNumbers(KindFloat64); got != tt.float {
			t.Errorf("%q: ReadsNumbers(float64) = %v, want %v", tt.format, got, tt.float)
		}
		if f.ReadsNumbers(KindString) || f.ReadsNumbers(KindBool) {
			t.Errorf("%q: reads strings or booleans as numbers", tt.format)
		}
	}
}

// TestZoneAbbreviation: a zone abbreviation (%Z) is read when it is UTC or
// GMT, or one the zone of the times defines; any other is an error naming
// it, where Go would read it as a made-up zone of offset 0.
func TestZoneAbbreviation(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	at := time.Date(2024, 1, 5, 15, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		loc  *time.Location
		want time.Time // zero: an error
	}{
		{"2024-01-05 15:00:00 UTC", ny, at},
		{"2024-01-05 15:00:00 GMT", ny, at},
		{"2024-01-05 10:00:00 EST", ny, at},
		{"2024-01-05 10:00:00 EST", time.UTC, time.Time{}},
		{"2024-01-05 16:00:00 CET", ny, time.Time{}},
	} {
		p := newTimeParser("2006-01-02 15:04:05 MST", tt.loc)
		got, err := p.parse(tt.in)
		switch {
		case tt.want.IsZero() && (err == nil || !strings.Contains(err.Error(), "zone abbreviation")):
			t.Errorf("parse(%q) in %v = %v, %v; want a zone abbreviation error", tt.in, tt.loc, got, err)
		case !tt.want.IsZero() && (err != nil || !got.Equal(tt.want)):
			t.Errorf("parse(%q) in %v = %v, %v; want %v", tt.in, tt.loc, got, err, tt.want)
		}
		f := TimeFormat{layout: "2006-01-02 15:04:05 MST", loc: tt.loc}
		c := Column{Kind: KindString, Strings: []string{tt.in}}
		if got, _, ok := c.TimeAs(0, f); ok != !tt.want.IsZero() || ok && !got.Equal(tt.want) {
			t.Errorf("TimeAs(%q) in %v = %v, %v; want %v", tt.in, tt.loc, got, ok, tt.want)
		}
	}
}

// TestTimeFormatParquetWall: a Parquet DATE and a TIMESTAMP not adjusted
// to UTC are clock readings placed in the format's zone; a TIMESTAMP
// adjusted to UTC is the instant it holds, whatever the zone.
func TestTimeFormatParquetWall(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	noon := time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "t.parquet")
	writeFixture(t, path, 1, []fixCol{
		{"day", parquet.Date(), func(int) parquet.Value { return parquet.Int32Value(int32(noon.Unix() / 86400)) }},
		{"local", parquet.TimestampAdjusted(parquet.Millisecond, false), func(int) parquet.Value { return i64Val(noon.UnixMilli()) }},
		{"instant", parquet.Timestamp(parquet.Millisecond), func(int) parquet.Value { return i64Val(noon.UnixMilli()) }},
	})
	f, err := NewTimeFormat("", ny)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{
		"day":     time.Date(2024, 7, 1, 0, 0, 0, 0, ny),
		"local":   time.Date(2024, 7, 1, 12, 0, 0, 0, ny),
		"instant": noon,
	}
	err = ScanTable(context.Background(), path, func(tab *Table, _ int64) error {
		for _, c := range tab.Columns {
			got, null, ok := c.TimeAs(0, f)
			if !ok || null || !got.Equal(want[c.Name]) {
				t.Errorf("%s: TimeAs = %v, %v, %v; want %v", c.Name, got, null, ok, want[c.Name])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDefaultLayoutsRead: examples the default layouts read need no
// time_format in a table's section; others, or none, do.
func TestDefaultLayoutsRead(t *testing.T) {
	for _, c := range []struct {
		examples []string
		want     bool
	}{
		{[]string{"2024-01-05", "2024-01-05 10:00:00 UTC", "5.1.2024"}, true},
		{[]string{"2024-01-05", "12/24/2023"}, false},
		{[]string{"1704448800"}, false},
		{nil, false},
	} {
		if got := DefaultLayoutsRead(c.examples); got != c.want {
			t.Errorf("DefaultLayoutsRead(%q) = %v, want %v", c.examples, got, c.want)
		}
	}
}

// FuzzTimeFormat: any format and text either fail to make a TimeFormat,
// or are read without a panic, to a time in the format's zone, or are not
// ok (and the zero time); a column of numbers is read alike.
func FuzzTimeFormat(f *testing.F) {
	for _, s := range [][2]string{
		{"", "2024-01-05 10:21:33 UTC"}, {"", "5.1.2024"}, {"%m/%d/%Y %H:%M", "12/24/2023 18:00"}, {"unix_ms", "1704100000000.5"},
		{"%Y%m%d", "20240105"}, {"2006-01-02 15:04:05 MST", "2024-01-05 10:00:00 EST"}, {"unix", "-1e300"}, {"%s", "9223372036854775807"},
	} {
		f.Add(s[0], s[1], int64(1704100000))
	}
	f.Fuzz(func(t *testing.T, format, text string, n int64) {
		tf, err := NewTimeFormat(format, time.UTC)
		if err != nil {
			return
		}
		for _, c := range []Column{{Kind: KindString, Strings: []string{text}}, {Kind: KindInt64, Ints: []int64{n}}, {Kind: KindFloat64, Floats: []float64{float64(n) / 3}}} {
			got, null, ok := c.TimeAs(0, tf)
			if ok && !null && got.Location() != time.UTC {
				t.Errorf("TimeAs(%q, %q) = %v, not in UTC", format, text, got)
			}
			if !ok && (null || !got.IsZero()) {
				t.Errorf("TimeAs(%q, %q) not ok, but %v, null %v", format, text, got, null)
			}
		}
	})
}
