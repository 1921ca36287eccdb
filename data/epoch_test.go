package data

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

func TestParseEpoch(t *testing.T) {
	// 1323435000 s after 1970-01-01 UTC is t0, 2011-12-09 12:50:00 UTC
	// (date -u -d @1323435000).
	tests := []struct {
		s    string
		unit time.Duration
		want time.Time
		err  string
	}{
		{s: "1323435000", unit: time.Second, want: t0},
		{s: "1323435000.25", unit: time.Second, want: t0.Add(250 * time.Millisecond)},
		{s: "1323435000.1234567891", unit: time.Second, want: t0.Add(123456789)}, // to the nanosecond
		{s: "1323435000123", unit: time.Millisecond, want: t0.Add(123 * time.Millisecond)},
		{s: "1323435000123.5", unit: time.Millisecond, want: t0.Add(123*time.Millisecond + 500*time.Microsecond)},
		{s: "1323435000123456", unit: time.Microsecond, want: t0.Add(123456 * time.Microsecond)},
		{s: "1323435000123456789", unit: time.Nanosecond, want: t0.Add(123456789)},
		{s: "-86400", unit: time.Second, want: time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)},
		{s: "-86400.5", unit: time.Second, want: time.Date(1969, 12, 30, 23, 59, 59, 5e8, time.UTC)},
		{s: "1.323435E+09", unit: time.Second, want: t0}, // a spreadsheet's exponent form
		{s: "0", unit: time.Second, want: time.Unix(0, 0).UTC()},
		// Beyond the years 1678–2261, a second outside them: a reader
		// rejects the line ("time out of range") as it would 9999-01-01.
		{s: "99999999999", unit: time.Second, want: MaxTime.Add(time.Second)}, // year 5138
		{s: "1e300", unit: time.Second, want: MaxTime.Add(time.Second)},
		{s: "-1e20", unit: time.Second, want: MinTime.Add(-time.Second)},
		{s: "1e400", unit: time.Second, want: MaxTime.Add(time.Second)}, // beyond a float64 too
		{s: "Inf", unit: time.Second, err: "wants a number"},
		{s: "9223372036854775808", unit: time.Second, want: MaxTime.Add(time.Second)}, // past int64: not "wants a number"
		{s: "-9223372036854775809", unit: time.Nanosecond, want: MinTime.Add(-time.Second)},
		{s: "2011-12-09", unit: time.Second, err: "wants a number of seconds"},
		{s: "12.5.3", unit: time.Second, err: "wants a number"},
		{s: "", unit: time.Millisecond, err: "wants a number of milliseconds"},
		{s: "NaN", unit: time.Second, err: "wants a number"},
	}
	for _, tc := range tests {
		got, err := parseEpoch(tc.s, tc.unit)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrValue) {
				t.Errorf("parseEpoch(%q, %v) = %v, %v; want an ErrValue with %q", tc.s, tc.unit, got, err, tc.err)
			}
		case err != nil || !got.Equal(tc.want) || got.Location() != time.UTC:
			t.Errorf("parseEpoch(%q, %v) = %v, %v; want %v in UTC", tc.s, tc.unit, got, err, tc.want)
		}
	}
}

func TestTimeLayoutEpoch(t *testing.T) {
	for format, want := range map[string]string{"%s": "unix", "unix": "unix", "unix_ms": "unix_ms", "unix_us": "unix_us", "unix_ns": "unix_ns"} {
		if got, err := TimeLayout(format); err != nil || got != want {
			t.Errorf("TimeLayout(%q) = %q, %v; want %q", format, got, err, want)
		}
	}
	if _, err := TimeLayout("%s.%f"); err == nil {
		t.Errorf("TimeLayout(%q): no error, but %q is only a format of its own", "%s.%f", "%s")
	}
}

func TestNumericTimeFormat(t *testing.T) {
	tests := []struct {
		name     string
		examples []string
		want     string
	}{
		{"seconds", []string{"1323435000", "1704100000"}, "unix"},
		{"milliseconds", []string{"1323435000123", "1704100000000"}, "unix_ms"},
		{"microseconds (GA4)", []string{"1323435000123456", "1704100000000000"}, "unix_us"},
		{"nanoseconds", []string{"1323435000123456789", "1704100000000000000"}, "unix_ns"},
		{"a mix of milliseconds and microseconds", []string{"1323435000123", "1323435000123456"}, ""},
		{"dates as digits", []string{"20111209", "19991231"}, "%Y%m%d"},
		{"an impossible date", []string{"20111209", "20111332"}, ""},
		{"seconds before 2001", []string{"999999999"}, ""},
		{"a mix of seconds and milliseconds", []string{"1323435000", "1323435000123"}, ""},
		{"not whole numbers", []string{"1323435000.5"}, ""},
		{"small counts", []string{"3", "17"}, ""},
		{"none", nil, ""},
	}
	for _, tc := range tests {
		if got := numericTimeFormat(tc.examples); got != tc.want {
			t.Errorf("%s: numericTimeFormat(%q) = %q, want %q", tc.name, tc.examples, got, tc.want)
		}
	}
}

// TestReadOrdersCSVEpoch: times written as numbers since 1970 read under
// the epoch formats, in UTC whatever the timezone; the cached last time
// is the same for a repeated cell.
func TestReadOrdersCSVEpoch(t *testing.T) {
	header := "order_id,customer_id,time,amount\n"
	tests := []struct {
		format, text string
		want         []time.Time
	}{
		{"unix", "O1,C1,1323435000,1\nO1,C1,1323435000,2\nO2,C1,1323522000.5,1\n",
			[]time.Time{t0, t0, t0.Add(24*time.Hour + 600*time.Second + 500*time.Millisecond)}},
		{"%s", "O1,C1, 1323435000 ,1\n", []time.Time{t0}},
		{"unix_ms", "O1,C1,1323435000123,1\n", []time.Time{t0.Add(123 * time.Millisecond)}},
		{"%Y%m%d", "O1,C1,20111209,1\n", []time.Time{time.Date(2011, 12, 9, 0, 0, 0, 0, time.FixedZone("UTC+2", 2*3600))}},
	}
	for _, tc := range tests {
		path := writeFile(t, t.TempDir(), "orders.csv", header+tc.text)
		lines, rejects, _, err := readAll(t, OrderSource{Path: path, TimeFormat: tc.format, Location: time.FixedZone("UTC+2", 2*3600)})
		if err != nil || len(rejects) != 0 {
			t.Fatalf("%s: %v, rejects %v", tc.format, err, rejects)
		}
		for i, l := range lines {
			if !l.Time.Equal(tc.want[i]) {
				t.Errorf("%s: line %d time %v, want %v", tc.format, i, l.Time, tc.want[i])
			}
		}
	}
}

// TestReadOrdersCSVEpochBeyond: an epoch number beyond the years
// 1678–2261, of any size, rejects its line as a date written beyond them
// does ("time out of range"); the run goes on (it stopped at 1e30).
func TestReadOrdersCSVEpochBeyond(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", "order_id,customer_id,time,amount\n"+
		"O1,C1,1323435000,1\nO2,C2,1e30,1\nO3,C3,-1e20,1\nO4,C4,9223372036854775808,1\n")
	lines, rejects, _, err := readAll(t, OrderSource{Path: path, TimeFormat: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || len(rejects) != 3 {
		t.Fatalf("%d lines, rejects %v; want C1 and three rejects", len(lines), rejects)
	}
	for i, r := range rejects {
		if r.Row != int64(i+2) || r.Reason != "time out of range (years 1678–2261)" {
			t.Errorf("reject %d: row %d %q", i, r.Row, r.Reason)
		}
	}
}

// TestReadOrdersParquetIntTimeHint: an INT64 time column without a
// time_format is an error that says what to set.
func TestReadOrdersParquetIntTimeHint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.parquet")
	writeFixture(t, path, 1, []fixCol{
		{"customer_id", parquet.String(), func(int) parquet.Value { return strVal("C1") }},
		{"order_id", parquet.String(), func(int) parquet.Value { return strVal("O1") }},
		{"time", parquet.Int(64), func(int) parquet.Value { return i64Val(1323435000) }},
		{"amount", parquet.Leaf(parquet.DoubleType), func(int) parquet.Value { return f64Val(1) }},
	})
	_, _, _, err := readAll(t, OrderSource{Path: path})
	var ce *ColumnError
	if !errors.As(err, &ce) || ce.Column != "time" || !errors.Is(err, ErrColumnType) || !strings.Contains(err.Error(), "set orders.time_format to unix") {
		t.Fatalf("error %v: want a type error for column time that names the epoch formats", err)
	}
}

// TestInspectNumericTimes: inspect reads a time column of numbers as times
// in the format they fit, and maps it, in CSV and Parquet; a column of
// the same numbers whose name is no time's (a Shopify order id of 13
// digits) stays a number.
func TestInspectNumericTimes(t *testing.T) {
	dir := t.TempDir()
	csvPath := writeFile(t, dir, "orders.csv", "order_id,customer_id,created_at,amount\n"+
		"1323435000123,C1,1323435000,1\n1323435000456,C2,,2\n1323435000789,C1,1323521400,3\n")
	pqPath := filepath.Join(dir, "orders.parquet")
	writeFixture(t, pqPath, 3, []fixCol{
		{"order_id", parquet.Int(64), func(i int) parquet.Value { return i64Val(1323435000123 + int64(i)) }},
		{"customer_id", parquet.String(), func(int) parquet.Value { return strVal("C1") }},
		{"order_date", parquet.Int(32), func(i int) parquet.Value { return parquet.Int32Value(20111209 + int32(i)) }},
		{"amount", parquet.Leaf(parquet.DoubleType), func(int) parquet.Value { return f64Val(1) }},
	})
	for path, want := range map[string]string{csvPath: "unix", pqPath: "%Y%m%d"} {
		in, err := Inspect(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if c := in.Columns[2]; c.Kind != KindTime || c.TimeFormat != want {
			t.Errorf("%s: time column %+v, want a time in %q", path, c, want)
		}
		if c := in.Columns[0]; c.Kind != KindInt64 || c.TimeFormat != "" {
			t.Errorf("%s: order id column %+v, want a number", path, c)
		}
		if m := GuessMapping(in.Columns); m.Columns["time"] != in.Columns[2].Name || m.Columns["order_id"] != "order_id" {
			t.Errorf("%s: mapping %v", path, m.Columns)
		}
	}
}
