package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
)

// TestAssignRowsMatchesRun checks that AssignRows, given a run's model
// and the store-wide group cuts, labels the customers of any part of the
// store as the run's assignments.parquet does: every column, every row,
// bit for bit, whether the customers come in one part or three; with the
// customers table too, each part given the table's rows of its customers
// (its prospects among them).
func TestAssignRowsMatchesRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: 1500, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	for _, withCustomers := range []bool{false, true} {
		o := DefaultOptions()
		o.Orders, o.Out, o.Workers, o.Restarts = filepath.Join(dir, "orders.parquet"), filepath.Join(t.TempDir(), "out"), 2, 3
		if withCustomers {
			o.CustomersPath = filepath.Join(dir, "customers.parquet")
		}
		if _, err := Run(ctx, o); err != nil {
			t.Fatal(err)
		}
		want, err := data.ReadTable(ctx, filepath.Join(o.Out, "assignments.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := LoadModel(filepath.Join(o.Out, "model.json"))
		if err != nil {
			t.Fatal(err)
		}
		in, err := AggregateOrders(ctx, &o, func(data.Reject) {})
		if err != nil {
			t.Fatal(err)
		}
		if withCustomers {
			if in, err = JoinCustomers(ctx, in, &config.Table{Path: o.CustomersPath}, nil); err != nil {
				t.Fatal(err)
			}
			if len(in.Prospects) == 0 {
				t.Fatal("the customers table has no prospects")
			}
		}
		seg, err := Segment(ctx, in, &o)
		if err != nil {
			t.Fatal(err)
		}
		cuts := features.GroupCutsOf(seg.All, seg.Attrs.WithCity(nil), o.Thresholds)
		if withCustomers { // a part without prospects: nullable columns when the store has some
			var ids []string // those of the part's customers the table has
			for _, id := range in.Table.IDs[:10] {
				if _, ok := slices.BinarySearch(in.Customers.IDs, id); ok {
					ids = append(ids, id)
				}
			}
			c, err := features.NewCustomerTable(o.CustomersPath, ids, in.Customers.ColumnsFor(ids))
			if err != nil {
				t.Fatal(err)
			}
			for _, store := range []bool{false, true} {
				a, err := AssignRows(ctx, in.Table.Rows([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), c, nil, store, m, cuts, nil, nil, &o)
				if err != nil {
					t.Fatal(err)
				}
				tab := a.Rows
				for _, name := range []string{"recency_days", "r_score", "top_category"} {
					if col := tab.Column(name); col == nil || (col.Nulls != nil) != store {
						t.Errorf("store prospects %v: column %s nullable %v", store, name, col != nil && col.Nulls != nil)
					}
				}
			}
		}
		var whole []byte // the tally of the store in one part, as JSON
		for _, parts := range []int{1, 3} {
			t.Run(fmt.Sprintf("customers table %v, %d parts", withCustomers, parts), func(t *testing.T) {
				got := map[string][]any{} // customer → row values, in want's column order
				var tally CustomerTally   // the parts' tallies merged
				for p := range parts {
					var rows []int
					for i := range in.Table.N() {
						if i%parts == p {
							rows = append(rows, i)
						}
					}
					c := customersPart(t, in, parts, p)
					a, err := AssignRows(ctx, in.Table.Rows(rows), c, nil, withCustomers, m, cuts, nil, nil, &o)
					if err != nil {
						t.Fatal(err)
					}
					tab := a.Rows
					tally.Merge(a.Tally)
					if len(tab.Columns) != len(want.Columns) {
						t.Fatalf("%d columns, want %d", len(tab.Columns), len(want.Columns))
					}
					for j, c := range tab.Columns {
						if c.Name != want.Columns[j].Name || c.Kind != want.Columns[j].Kind {
							t.Fatalf("column %d: %s (%v), want %s (%v)", j, c.Name, c.Kind, want.Columns[j].Name, want.Columns[j].Kind)
						}
					}
					for i, id := range tab.Columns[0].Strings {
						got[id] = rowValues(tab, i)
					}
				}
				ids := want.Columns[0].Strings
				if len(got) != len(ids) {
					t.Fatalf("%d customers, want %d", len(got), len(ids))
				}
				for i, id := range ids {
					w := rowValues(want, i)
					if !slices.EqualFunc(got[id], w, sameValue) {
						t.Fatalf("customer %s: %v, want %v", id, got[id], w)
					}
				}
				checkTally(t, &tally, want)
				b, err := json.Marshal(tally)
				if err != nil {
					t.Fatal(err)
				}
				if parts == 1 {
					whole = b
				} else if !bytes.Equal(b, whole) {
					t.Errorf("the %d parts' tallies merged:\n%s\nthe store's in one part:\n%s", parts, b, whole)
				}
			})
		}
	}
}

// customersPart returns in's customers table's rows of part p of parts:
// the customers with orders of that part (their row of in.Table, modulo
// parts) and the prospects spread the same way by their row of the
// customers table; nil without a customers table.
func customersPart(t testing.TB, in *Tables, parts, p int) *features.CustomerTable {
	t.Helper()
	if in.Customers == nil {
		return nil
	}
	var ids []string
	for i, id := range in.Customers.IDs {
		if k, ok := slices.BinarySearch(in.Table.IDs, id); ok && k%parts == p || !ok && i%parts == p {
			ids = append(ids, id)
		}
	}
	c, err := features.NewCustomerTable(in.Customers.Path, ids, in.Customers.ColumnsFor(ids))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkTally checks the counts of a customers' tally (AssignRows') against
// a run's assignments, want: the customers, by RFM segment, group and
// reason not clustered, and the crosstab of clusters and RFM segments.
func checkTally(t *testing.T, tally *CustomerTally, want *data.Table) {
	t.Helper()
	c := tally.t
	if n := want.NumRows(); c.customers != n {
		t.Errorf("tally: %d customers, want %d", c.customers, n)
	}
	segs, reasons, groups := map[string]int{}, map[string]int{}, map[string]int{}
	at := map[string]int{}
	for j, info := range features.RFMSegments() {
		at[info.ID] = j
	}
	crosstab := make([][]int, len(c.crosstab))
	for l := range crosstab {
		crosstab[l] = make([]int, len(at))
	}
	labels, seg, reason := want.Column("cluster").Ints, want.Column("rfm_segment").Strings, want.Column("not_clustered")
	for i, s := range seg {
		segs[s]++
		if l := labels[i]; l >= 0 {
			crosstab[l][at[s]]++
		}
		if !reason.IsNull(i) {
			reasons[reason.Strings[i]]++
		}
	}
	for _, col := range want.Columns {
		if _, ok := c.groups[col.Name]; ok && col.Kind == data.KindBool {
			for _, in := range col.Bools {
				if in {
					groups[col.Name]++
				}
			}
		}
	}
	for _, x := range []struct {
		what      string
		got, want map[string]int
	}{{"RFM segments", c.segments, segs}, {"reasons not clustered", c.notClustered, reasons}} {
		if !maps.Equal(x.got, x.want) {
			t.Errorf("tally: %s %v, want %v", x.what, x.got, x.want)
		}
	}
	for id, n := range c.groups {
		if n != groups[id] {
			t.Errorf("tally: group %s has %d members, want %d", id, n, groups[id])
		}
	}
	if len(c.groups) < 5 || len(c.crosstab) == 0 || !slices.EqualFunc(c.crosstab, crosstab, slices.Equal) {
		t.Errorf("tally: %d groups, crosstab %v, want %v", len(c.groups), c.crosstab, crosstab)
	}
}

// rowValues returns row i of t, a nil for a null.
func rowValues(t *data.Table, i int) []any {
	var v []any
	for _, c := range t.Columns {
		if c.Nulls != nil && c.Nulls[i] {
			v = append(v, nil)
			continue
		}
		switch c.Kind {
		case data.KindString:
			v = append(v, c.Strings[i])
		case data.KindFloat64:
			v = append(v, math.Float64bits(c.Floats[i]))
		case data.KindInt64:
			v = append(v, c.Ints[i])
		case data.KindBool:
			v = append(v, c.Bools[i])
		default:
			v = append(v, c.Kind)
		}
	}
	return v
}

func sameValue(a, b any) bool { return a == b }
