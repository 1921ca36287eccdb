package featurejob

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestCustomerRowCoder checks that a customers row comes through the Beam
// coder as it was, values, nulls and times included, that a damaged one
// is an error, and that customersOf makes the table's typed columns back.
func TestCustomerRowCoder(t *testing.T) {
	signup := time.Date(2023, 4, 5, 6, 7, 8, 9, time.UTC)
	cols := []data.Column{
		{Name: "email", Kind: data.KindString, Strings: []string{"a@x.org", ""}, Nulls: []bool{false, true}},
		{Name: "newsletter", Kind: data.KindBool, Bools: []bool{true, false}, Nulls: []bool{false, false}},
		{Name: "city", Kind: data.KindString, Strings: []string{" Lyon ", "Paris"}, Nulls: []bool{false, false}},
		{Name: "signup_time", Kind: data.KindTime, Times: []time.Time{signup, {}}, Nulls: []bool{false, true}},
	}
	var rows []customerRow
	for i, id := range []string{"c2", "c1"} {
		r, err := rowOf(id, int64(i+1), cols, i)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeCustomerRow(encodeCustomerRow(r))
		if err != nil || got.ID != r.ID || got.Row != r.Row || got.Has != r.Has || got.Null != r.Null ||
			!slices.EqualFunc(got.Values, r.Values, bytes.Equal) {
			t.Fatalf("row %d: %+v, %v: want %+v", i, got, err, r)
		}
		if b := encodeCustomerRow(r); len(b) > 1 {
			if _, err := decodeCustomerRow(b[:len(b)-1]); err == nil {
				t.Errorf("row %d: a damaged row decoded", i)
			}
		}
		rows = append(rows, got)
	}
	if rows[0].city() != " Lyon " {
		t.Errorf("city %q, want the value as it is", rows[0].city())
	}
	tab, err := customersOf("customers.csv", []string{"email", "newsletter", "city", "signup_time"}, rows)
	if err != nil {
		t.Fatal(err)
	}
	got := tab.ColumnsFor([]string{"c2", "c1"})
	if !reflect.DeepEqual(got, cols) {
		t.Errorf("columns:\n%+v\nwant\n%+v", got, cols)
	}
}
