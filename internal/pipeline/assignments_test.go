package pipeline

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
)

// TestAssignmentChunks: the assignments made a range of customers at a
// time, in ranges of any length, are the rows of the whole table, with the
// same nullability in every range (a range without the prospect still has
// nullable order features), on a first run and with a previous run, and
// so are those of a table that reuses its buffers (reusing).
func TestAssignmentChunks(t *testing.T) {
	r := smallResult(t)
	ids := r.Segments.All.IDs
	for _, withPrevious := range []bool{false, true} {
		r.Previous, r.history = nil, nil
		if withPrevious {
			p := &Previous{Model: &Model{AsOf: "2024-01-01"}, Customers: map[string]PreviousCustomer{}}
			for i, id := range ids {
				if i%2 == 0 {
					p.Customers[id] = PreviousCustomer{Key: "k_old", Segment: "champions"}
				}
			}
			r.Previous = p
			var err error
			if r.history, err = alignPrevious(context.Background(), p, ids, nil); err != nil {
				t.Fatal(err)
			}
		}
		// The customers table's rows of every customer, as WriteOutputs
		// finds them: its columns gathered by row (ColumnsAt, and
		// ColumnsAtInto for a reusing table).
		r.tableRows = r.Tables.Customers.RowsOf(ids)
		a := r.assignmentChunks()
		n := a.NumRows()
		whole := a.Rows(0, n)
		if err := whole.Validate(); err != nil || whole.NumRows() != n {
			t.Fatalf("previous %t: whole table of %d rows, want %d: %v", withPrevious, whole.NumRows(), n, err)
		}
		if c := whole.Column("previous_cluster_key"); withPrevious != (c.Strings[0] == "k_old") {
			t.Errorf("previous %t: previous_cluster_key %q", withPrevious, c.Strings[0])
		}
		// An empty range, a reusing table's first: nullable columns stay
		// nullable (no nil Nulls from an empty buffer).
		if got, want := a.reusing().Rows(0, 0), a.Rows(0, 0); !reflect.DeepEqual(got, want) {
			t.Errorf("previous %t: an empty range of a reusing table:\n got %+v\nwant %+v", withPrevious, got, want)
		}
		// A reusing table's ranges too, the longest first, so that its
		// buffers are reused for shorter ranges (and must be cleared).
		reused := a.reusing()
		for _, step := range []int{1, 2, 3, n, -n, -3, -1, -2} {
			chunks := a
			if step < 0 {
				chunks, step = reused, -step
			}
			for lo := 0; lo < n; lo += step {
				hi := min(lo+step, n)
				got, want := chunks.Rows(lo, hi), whole.Slice(lo, hi)
				if len(got.Columns) != len(want.Columns) {
					t.Fatalf("previous %t, rows %d–%d: %d columns, whole %d", withPrevious, lo, hi, len(got.Columns), len(want.Columns))
				}
				for j := range want.Columns {
					if g, w := got.Columns[j], want.Columns[j]; !reflect.DeepEqual(g, w) {
						t.Errorf("previous %t, rows %d–%d, column %q:\n got %+v\nwant %+v", withPrevious, lo, hi, w.Name, g, w)
					}
				}
			}
		}
	}
}

// TestAssignmentsNullableEverywhere: with a prospect among the customers,
// every range of the assignments has nullable order features and scores,
// whether or not it holds the prospect, so that the writers take one
// schema for the whole file (data.CheckedRows).
func TestAssignmentsNullableEverywhere(t *testing.T) {
	r := smallResult(t)
	a := r.assignmentChunks()
	n := a.NumRows()
	first, err := data.CheckedRows(a, 0, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	for lo := 1; lo < n; lo++ {
		if _, err := data.CheckedRows(a, lo, lo+1, first); err != nil {
			t.Errorf("row %d: %v", lo, err)
		}
	}
	for _, name := range []string{"monetary", "r_score", "top_category"} {
		if c := first.Column(name); c == nil || c.Nulls == nil {
			t.Errorf("column %s of the first row: not nullable (%+v)", name, c)
		}
	}
}

// TestAssignmentsUnknownFeatures: a feature computed from an order column
// the input did not have (Table.Absent) is null for every customer in the
// assignments, not the 0 the aggregation leaves: discount_ratio without a
// discount column, the category mix, the distinct categories and the top
// category without categories;
// the other features keep their values.
func TestAssignmentsUnknownFeatures(t *testing.T) {
	r := smallResult(t)
	n := r.assignmentChunks().NumRows()
	allNull := func(c *data.Column) bool {
		if c == nil || c.Nulls == nil {
			return false
		}
		for _, null := range c.Nulls {
			if !null {
				return false
			}
		}
		return true
	}
	for _, absent := range [][]string{nil, {"discount", "category"}} {
		r.Tables.Table.Absent = absent
		tab := r.assignmentChunks().Rows(0, n)
		for _, c := range tab.Columns {
			if strings.HasPrefix(c.Name, "previous_") || c.Name == "segment_changed_at" {
				continue // no previous run: null
			}
			unknown := len(absent) > 0 && (c.Name == "discount_ratio" || strings.HasPrefix(c.Name, "mix_") || c.Name == "top_category" || c.Name == "distinct_categories")
			if allNull(&c) != unknown {
				t.Errorf("absent %v: column %s all null %v, want %v", absent, c.Name, allNull(&c), unknown)
			}
		}
		if tab.Column("discount_ratio") == nil || tab.Column("mix_other") == nil {
			t.Fatalf("absent %v: no discount_ratio or mix_other column", absent)
		}
	}
}
