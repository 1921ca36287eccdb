package features

import (
	"reflect"
	"strings"
	"testing"
)

// TestMergeTables: tables of customers split by id merge into the store's
// table in id order, consuming them; a city column some tables lack gives
// "" there; a duplicate or unsorted id is an error that leaves the tables
// whole.
func TestMergeTables(t *testing.T) {
	mk := func() []*Table {
		return []*Table{
			{IDs: []string{"a", "d", "e"}, Names: []string{"x", "y"}, Cols: [][]float64{{1, 4, 5}, {10, 40, 50}}, City: []string{"A", "D", "E"}, Revenue: 7},
			{IDs: []string{"b"}, Names: []string{"x", "y"}, Cols: [][]float64{{2}, {20}}, Revenue: 9},
			{IDs: []string{"c", "f"}, Names: []string{"x", "y"}, Cols: [][]float64{{3, 6}, {30, 60}}, City: []string{"C", "F"}},
		}
	}
	tabs := mk()
	got, err := MergeTables(tabs)
	if err != nil {
		t.Fatal(err)
	}
	want := &Table{IDs: []string{"a", "b", "c", "d", "e", "f"}, Names: []string{"x", "y"},
		Cols: [][]float64{{1, 2, 3, 4, 5, 6}, {10, 20, 30, 40, 50, 60}}, City: []string{"A", "", "C", "D", "E", "F"}, Revenue: 7}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged %+v\nwant %+v", got, want)
	}
	for k, tab := range tabs {
		if tab.IDs != nil || tab.Cols[0] != nil || tab.Cols[1] != nil || tab.City != nil {
			t.Errorf("table %d not released: %+v", k, tab)
		}
	}

	for _, c := range []struct {
		name, want string
		spoil      func([]*Table)
	}{
		{"duplicate", `customer "d" in two tables`, func(ts []*Table) { ts[1].IDs[0] = "d" }},
		{"unsorted", "table 2 to merge is not sorted by id", func(ts []*Table) { ts[2].IDs = []string{"f", "c"} }},
		{"other columns", "columns [x z]", func(ts []*Table) { ts[1].Names = []string{"x", "z"} }},
		{"short column", "column y has 1 rows for 2 ids", func(ts []*Table) { ts[2].Cols[1] = ts[2].Cols[1][:1] }},
		{"short city", "column city has 1 rows for 2 ids", func(ts []*Table) { ts[2].City = ts[2].City[:1] }},
	} {
		t.Run(c.name, func(t *testing.T) {
			ts := mk()
			c.spoil(ts)
			if _, err := MergeTables(ts); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			for k, tab := range ts {
				if tab.IDs == nil || tab.Cols[0] == nil {
					t.Errorf("table %d consumed by a merge that failed", k)
				}
			}
		})
	}
}
