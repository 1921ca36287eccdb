package data

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// attrs returns the city, country and channel of each line.
func attrs(lines []OrderLine) [][3]string {
	out := make([][3]string, len(lines))
	for i, l := range lines {
		out[i] = [3]string{l.City, l.Country, l.Channel}
	}
	return out
}

func TestReadOrdersCSVAttributes(t *testing.T) {
	const byDefault = "order_id,customer_id,time,amount,city,country,channel\n" +
		"O1,C1,2024-01-02,10,Lyon,FR,web\n" +
		"O2,C2,2024-01-03,5,,DE,\n"
	const renamed = "order_id,customer_id,time,amount,Town,Country,Source\n" +
		"O1,C1,2024-01-02,10,Lyon,FR,web\n"
	tests := []struct {
		name string
		text string
		cols OrderColumns
		want [][3]string
	}{
		{name: "default names", text: byDefault, want: [][3]string{{"Lyon", "FR", "web"}, {"", "DE", ""}}},
		{name: "mapped names", text: renamed, want: [][3]string{{"Lyon", "FR", "web"}},
			cols: func() OrderColumns {
				c := DefaultOrderColumns()
				c.City, c.Country, c.Channel = "Town", "Country", "Source"
				return c
			}()},
		{name: "absent under the default names: not read", text: "order_id,customer_id,time,amount\nO1,C1,2024-01-02,10\n",
			want: [][3]string{{"", "", ""}}},
		{name: "not mapped", text: byDefault, want: [][3]string{{"", "", ""}, {"", "", ""}},
			cols: func() OrderColumns {
				c := DefaultOrderColumns()
				c.City, c.Country, c.Channel = "", "", ""
				return c
			}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "orders.csv", tc.text)
			lines, rejects, _, err := readAll(t, OrderSource{Path: path, Columns: tc.cols})
			if err != nil {
				t.Fatal(err)
			}
			if len(rejects) != 0 {
				t.Errorf("rejects %v", rejects)
			}
			if got := attrs(lines); !slices.Equal(got, tc.want) {
				t.Errorf("city, country, channel = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestReadOrdersAttributeMissing checks that a city, country or channel
// column mapped under another name than its logical one must exist.
func TestReadOrdersAttributeMissing(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", "order_id,customer_id,time,amount,country\nO1,C1,2024-01-02,10,FR\n")
	cols := DefaultOrderColumns()
	cols.Country = "ShipCountry"
	_, _, _, err := readAll(t, OrderSource{Path: path, Columns: cols})
	var ce *ColumnError
	if !errors.As(err, &ce) || !errors.Is(err, ErrMissingColumn) || ce.Column != "ShipCountry" {
		t.Fatalf("err = %v, want a missing-column error naming ShipCountry", err)
	}
}

// TestReadOrdersParquetAttributes reads city (plain-encoded, with nulls),
// country (dictionary-encoded) and channel (plain) from Parquet, and
// checks that the plain-encoded values are interned: equal values share
// their bytes instead of costing an allocation per row.
func TestReadOrdersParquetAttributes(t *testing.T) {
	const n = 50
	cities := []string{"Lyon", "Paris", "Nice"}
	countries := []string{"FR", "DE"}
	channels := []string{"web", "app", "store"}
	cols := []fixCol{
		{"customer_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("C%d", i%7)) }},
		{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", i)) }},
		{"time", parquet.Timestamp(parquet.Millisecond), func(i int) parquet.Value { return i64Val(t0.UnixMilli() + int64(i)) }},
		{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(1) }},
		{"city", parquet.Optional(parquet.Encoded(parquet.String(), &parquet.Plain)), func(i int) parquet.Value {
			if i%5 == 4 {
				return parquet.NullValue()
			}
			return strVal(cities[i%3])
		}},
		{"country", parquet.Encoded(parquet.String(), &parquet.RLEDictionary), func(i int) parquet.Value { return strVal(countries[i%2]) }},
		{"channel", parquet.Encoded(parquet.String(), &parquet.Plain), func(i int) parquet.Value { return strVal(channels[i%3]) }},
	}
	path := filepath.Join(t.TempDir(), "orders.parquet")
	writeFixture(t, path, n, cols, parquet.PageBufferSize(256))
	meta := fixtureMeta(t, path)
	if encs := chunkEncodings(meta, "city"); slices.Contains(encs, format.RLEDictionary) {
		t.Fatalf("city is dictionary-encoded (%v): the fixture must exercise plain pages", encs)
	}
	if encs := chunkEncodings(meta, "country"); !slices.Contains(encs, format.RLEDictionary) {
		t.Fatalf("country is not dictionary-encoded (%v)", encs)
	}
	lines, rejects, _, err := readAll(t, OrderSource{Path: path, BatchSize: 16})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != n || len(rejects) != 0 {
		t.Fatalf("%d lines, %d rejects; want %d lines", len(lines), len(rejects), n)
	}
	first := map[string]*byte{} // the bytes of each value's first occurrence
	for i, l := range lines {
		wantCity := cities[i%3]
		if i%5 == 4 {
			wantCity = ""
		}
		want := [3]string{wantCity, countries[i%2], channels[i%3]}
		if got := attrs(lines[i : i+1])[0]; got != want {
			t.Errorf("row %d: city, country, channel = %q, want %q", i+1, got, want)
		}
		for _, s := range []string{l.City, l.Channel} {
			if s == "" {
				continue
			}
			if p, ok := first[s]; !ok {
				first[s] = unsafe.StringData(s)
			} else if p != unsafe.StringData(s) {
				t.Fatalf("row %d: %q is a fresh copy, not interned", i+1, s)
			}
		}
	}
}
