package data

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestColumnText(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	nulls := []bool{false, true}
	tests := []struct {
		name string
		col  Column
		want []string
	}{
		{"string", Column{Kind: KindString, Strings: []string{" a b ", "x"}, Nulls: nulls}, []string{" a b ", ""}},
		{"int", Column{Kind: KindInt64, Ints: []int64{-42, 7}, Nulls: nulls}, []string{"-42", ""}},
		{"float", Column{Kind: KindFloat64, Floats: []float64{0.1, 2}, Nulls: nulls}, []string{"0.1", ""}},
		{"float exponent", Column{Kind: KindFloat64, Floats: []float64{1e21, math.Inf(-1)}}, []string{"1e+21", "-Inf"}},
		{"bool", Column{Kind: KindBool, Bools: []bool{true, false}}, []string{"true", "false"}},
		// Times are UTC, whole seconds: 12:30:15.5 in Paris (UTC+1 in January).
		{"time", Column{Kind: KindTime, Times: []time.Time{time.Date(2024, 1, 2, 12, 30, 15, 5e8, paris), {}}, Nulls: nulls},
			[]string{"2024-01-02T11:30:15Z", ""}},
		{"invalid kind", Column{Strings: []string{"a"}}, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, want := range tt.want {
				if got := tt.col.Text(i); got != want {
					t.Errorf("Text(%d) = %q, want %q", i, got, want)
				}
			}
		})
	}
}

func TestColumnBool(t *testing.T) {
	type res struct{ v, null, ok bool }
	tests := []struct {
		name string
		col  Column
		want []res
	}{
		{"bool", Column{Kind: KindBool, Bools: []bool{true, false, true}, Nulls: []bool{false, false, true}},
			[]res{{true, false, true}, {false, false, true}, {false, true, true}}},
		{"int", Column{Kind: KindInt64, Ints: []int64{1, 0, 2, -1}},
			[]res{{true, false, true}, {false, false, true}, {true, false, false}, {true, false, false}}},
		{"string true", Column{Kind: KindString, Strings: []string{"true", " YES ", "y", "1", "T"}},
			[]res{{true, false, true}, {true, false, true}, {true, false, true}, {true, false, true}, {true, false, true}}},
		{"string false", Column{Kind: KindString, Strings: []string{"False", "no", "N", "0", "f"}},
			[]res{{false, false, true}, {false, false, true}, {false, false, true}, {false, false, true}, {false, false, true}}},
		{"string blank", Column{Kind: KindString, Strings: []string{"", "  ", "NULL", "n/a"}}, []res{{false, true, true}, {false, true, true}, {false, true, true}, {false, true, true}}},
		{"Mailchimp status, on/off", Column{Kind: KindString, Strings: []string{"subscribed", "Unsubscribed", "on", "OFF"}},
			[]res{{true, false, true}, {false, false, true}, {true, false, true}, {false, false, true}}},
		{"other languages' yes", Column{Kind: KindString, Strings: []string{"Ja", "oui", "Sí", "si", "sì", "SIM", "tak", "da", "是"}},
			[]res{{true, false, true}, {true, false, true}, {true, false, true}, {true, false, true}, {true, false, true}, {true, false, true}, {true, false, true}, {true, false, true}, {true, false, true}}},
		{"other languages' no", Column{Kind: KindString, Strings: []string{"Nein", "nee", "NON", "não", "nao", "nie", "nu", "否"}},
			[]res{{false, false, true}, {false, false, true}, {false, false, true}, {false, false, true}, {false, false, true}, {false, false, true}, {false, false, true}, {false, false, true}}},
		{"string unreadable", Column{Kind: KindString, Strings: []string{"maybe", "2", "yes please"}},
			[]res{{false, false, false}, {false, false, false}, {false, false, false}}},
		{"float", Column{Kind: KindFloat64, Floats: []float64{1}}, []res{{false, false, false}}},
		{"time", Column{Kind: KindTime, Times: []time.Time{{}}}, []res{{false, false, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, want := range tt.want {
				var got res
				got.v, got.null, got.ok = tt.col.Bool(i)
				if got != want {
					t.Errorf("Bool(%d) = %+v, want %+v", i, got, want)
				}
			}
		})
	}
}
func TestColumnFloat64s(t *testing.T) {
	tests := []struct {
		name string
		col  Column
		want []float64
		ok   bool
	}{
		{"float", Column{Kind: KindFloat64, Floats: []float64{1.5, -2}}, []float64{1.5, -2}, true},
		{"int", Column{Kind: KindInt64, Ints: []int64{3, -4, 0}}, []float64{3, -4, 0}, true},
		{"empty int", Column{Kind: KindInt64, Ints: []int64{}}, []float64{}, true},
		{"string", Column{Kind: KindString, Strings: []string{"1"}}, nil, false},
		{"bool", Column{Kind: KindBool, Bools: []bool{true}}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.col.Float64s()
			if ok != tt.ok || !slices.Equal(got, tt.want) {
				t.Errorf("Float64s() = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestIDStrings(t *testing.T) {
	tests := []struct {
		name    string
		col     Column
		want    []string
		wantErr string
	}{
		{"string", Column{Name: "id", Kind: KindString, Strings: []string{"a", "007"}}, []string{"a", "007"}, ""},
		{"int", Column{Name: "id", Kind: KindInt64, Ints: []int64{7, -1, 1234567890123}}, []string{"7", "-1", "1234567890123"}, ""},
		{"float", Column{Name: "cust", Kind: KindFloat64, Floats: []float64{100}}, nil,
			`t.csv: column "cust", row 1: ids must be text or whole numbers, but the column holds decimal numbers (100, 100.0 written for 100?): export the ids as whole numbers or text, as the order lines write them`},
		{"bool", Column{Name: "cust", Kind: KindBool, Bools: []bool{true}}, nil,
			`t.csv: column "cust": ids must be text or whole numbers`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := IDStrings("t.csv", tt.col, 0)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("IDStrings: error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("IDStrings = %q, want %q", got, tt.want)
			}
		})
	}
}

// Text renders a time column's values differently from WriteCSV (which
// keeps nanoseconds): the two must stay apart.
func TestColumnTextAndCSVTimes(t *testing.T) {
	c := Column{Kind: KindTime, Times: []time.Time{time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)}}
	if got := c.Text(0); strings.Contains(got, ".") {
		t.Errorf("Text = %q, want whole seconds", got)
	}
	if got := cellText(&c, 0); !strings.Contains(got, ".000000006") {
		t.Errorf("cellText = %q, want nanoseconds", got)
	}
}

// A decimal id is named by the file's row of its piece (first) and by the
// first value with a fraction, not by the piece's first row.
func TestIDStringsNamesDecimalRow(t *testing.T) {
	c := Column{Name: "cust", Kind: KindFloat64, Floats: []float64{7, 8, 9.5, 10.25}}
	_, err := IDStrings("t.csv", c, 65536)
	if err == nil || !strings.Contains(err.Error(), `row 65539: `) || !strings.Contains(err.Error(), "(9.5,") {
		t.Errorf("IDStrings: %v, want row 65539 and 9.5 named", err)
	}
}
