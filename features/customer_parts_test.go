package features

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
)

// TestCustomerPiecesMatchReadCustomerTable reads customersCSV a piece at a
// time (CustomerPiece), keeps some of its rows as a table of their own
// (NewCustomerTable) and checks that the rows' columns, profile and
// prospects are those of the whole table (ReadCustomerTable) for them.
func TestCustomerPiecesMatchReadCustomerTable(t *testing.T) {
	ctx := context.Background()
	path := writeFile(t, "customers.csv", customersCSV)
	whole, err := ReadCustomerTable(ctx, path, customersMap, data.TimeFormat{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var cols []data.Column
	err = data.ScanTable(ctx, path, func(p *data.Table, first int64) error {
		pids, pcols, _, err := CustomerPiece(path, customersMap, data.TimeFormat{}, p, first)
		if err != nil {
			return err
		}
		ids = append(ids, pids...)
		if cols == nil {
			cols = pcols
			return nil
		}
		for j := range cols {
			c := &cols[j]
			c.Strings, c.Bools, c.Times = append(c.Strings, pcols[j].Strings...), append(c.Bools, pcols[j].Bools...), append(c.Times, pcols[j].Times...)
			c.Nulls = append(c.Nulls, pcols[j].Nulls...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Keep the rows of c3 and c2 only, in file order.
	keep := func(c data.Column) data.Column {
		out := data.Column{Name: c.Name, Kind: c.Kind}
		for _, i := range []int{0, 2} {
			out.Nulls = append(out.Nulls, c.Nulls[i])
			switch c.Kind {
			case data.KindBool:
				out.Bools = append(out.Bools, c.Bools[i])
			case data.KindTime:
				out.Times = append(out.Times, c.Times[i])
			default:
				out.Strings = append(out.Strings, c.Strings[i])
			}
		}
		return out
	}
	var kept []data.Column
	for _, c := range cols {
		kept = append(kept, keep(c))
	}
	part, err := NewCustomerTable(path, []string{ids[0], ids[2]}, kept)
	if err != nil {
		t.Fatal(err)
	}
	query := []string{"c0", "c2", "c3"} // c0 has orders only
	if got, want := part.ColumnsFor(query), whole.ColumnsFor(query); !reflect.DeepEqual(got, want) {
		t.Errorf("ColumnsFor:\n%+v\nwant\n%+v", got, want)
	}
	gp, gc, ga := part.Profile(query)
	wp, wc, wa := whole.Profile(query)
	if !reflect.DeepEqual(gp, wp) || !reflect.DeepEqual(gc, wc) || !reflect.DeepEqual(ga, wa) {
		t.Errorf("Profile: %+v %q %q, want %+v %q %q", gp, gc, ga, wp, wc, wa)
	}
	if got := part.Prospects([]string{"c3"}); !reflect.DeepEqual(got, []string{"c2"}) {
		t.Errorf("Prospects = %q, want [c2]", got)
	}
	if _, err := NewCustomerTable(path, []string{"c1", "c1"}, nil); err == nil || !strings.Contains(err.Error(), `"c1"`) {
		t.Errorf("duplicate ids: error %v", err)
	}
}

// TestCustomerPieceErrors checks that a piece's errors are those of
// ReadCustomerTable (but duplicate ids, which NewCustomerTable finds).
func TestCustomerPieceErrors(t *testing.T) {
	tests := []struct {
		name, csv string
		columns   map[string]string
	}{
		{"unreadable boolean", "customer_id,news\nc1,yes\nc2,maybe\n", map[string]string{"newsletter": "news"}},
		{"unreadable time", "customer_id,signup_time\nc1,2024-01-01\nc2,yesterday\n", nil},
		{"no customer_id", "id,city\nc1,Paris\n", nil},
		{"mapped column missing", "customer_id,city\nc1,Paris\n", map[string]string{"email": "mail"}},
		{"unknown logical column", "customer_id\nc1\n", map[string]string{"phone": "tel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := writeFile(t, "customers.csv", tt.csv)
			_, want := ReadCustomerTable(ctx, path, tt.columns, data.TimeFormat{})
			got := data.ScanTable(ctx, path, func(p *data.Table, first int64) error {
				_, _, _, err := CustomerPiece(path, tt.columns, data.TimeFormat{}, p, first)
				return err
			})
			if want == nil || got == nil || got.Error() != want.Error() {
				t.Errorf("error %v, want %v", got, want)
			}
		})
	}
}
