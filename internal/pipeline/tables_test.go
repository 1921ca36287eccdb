package pipeline

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
)

// ordersLines are eight order lines: C1 two orders (2×10 on June 1 and 5 on
// June 21, plus one on July 2, after as_of), C2 one order of two lines
// (10 + 3×4) on May 2, C3 one order of product P9 on April 1; a line
// without a customer (row 6) and one without a unit price (row 7) are
// rejected.
var ordersLines = []string{
	"order_id,customer_id,time,product_id,quantity,unit_price",
	"O1,C1,2024-06-01,P1,2,10",
	"O2,C1,2024-06-21,P2,1,5",
	"O3,C2,2024-05-02,P1,1,10",
	"O3,C2,2024-05-02,P3,3,4",
	"O4,C3,2024-04-01,P9,1,30",
	"O5,,2024-06-01,P1,1,10",
	"O6,C4,2024-06-10,P1,1,",
	"O8,C1,2024-07-02,P1,1,10",
}

func TestAggregateOrders(t *testing.T) {
	dir := t.TempDir()
	orders := writeCSV(t, dir, "orders.csv", ordersLines...)
	products := writeCSV(t, dir, "products.csv",
		"product_id,category",
		"P1,toys",
		"P2,books",
		"P3,toys")
	o := testOptions(t)
	o.Orders, o.AsOf = orders, asOf
	o.Products = &config.Table{Path: products}
	var rejects []data.Reject
	in, err := AggregateOrders(context.Background(), o, func(r data.Reject) { rejects = append(rejects, r) })
	if err != nil {
		t.Fatal(err)
	}

	type rej struct {
		file   string
		row    int64
		reason string
	}
	var got []rej
	for _, r := range rejects {
		got = append(got, rej{r.File, r.Row, r.Reason})
	}
	want := []rej{{orders, 6, "missing customer_id"}, {orders, 7, "missing unit_price"}}
	if !slices.Equal(got, want) {
		t.Errorf("rejects %v, want %v", got, want)
	}

	ft := in.Table
	if !slices.Equal(ft.IDs, []string{"C1", "C2", "C3"}) {
		t.Fatalf("ids %v, want C1 C2 C3 (C4's only line was rejected)", ft.IDs)
	}
	for _, c := range []struct {
		name string
		want []float64
	}{
		{features.Frequency, []float64{2, 1, 1}},
		{features.Monetary, []float64{25, 22, 30}},
		// Whole days to 2024-07-01: from June 21, May 2 and April 1.
		{features.RecencyDays, []float64{10, 60, 91}},
		// The products table gives the categories: C1 spent 20 of 25 on toys.
		{"mix_toys", []float64{0.8, 1, 0}},
		{"mix_books", []float64{0.2, 0, 0}},
	} {
		if got := ft.Col(c.name); !slices.Equal(got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	if !slices.Equal(ft.TopCategory, []string{"toys", "toys", ""}) {
		t.Errorf("top categories %q, want toys, toys and none (P9 is not in the products table)", ft.TopCategory)
	}

	st := in.Stats
	if st.RowsRead != 8 || st.RowsUsed != 5 || st.RowsRejected != 2 || ft.LinesAfterAsOf != 1 {
		t.Errorf("rows read %d, used %d, rejected %d, after as_of %d; want 8, 5, 2, 1",
			st.RowsRead, st.RowsUsed, st.RowsRejected, ft.LinesAfterAsOf)
	}
	if st.RowsRead != st.RowsUsed+st.RowsRejected+ft.LinesAfterAsOf {
		t.Errorf("rows read %d ≠ used + rejected + after as_of", st.RowsRead)
	}
	if st.RejectsByReason["missing customer_id"] != 1 || st.RejectsByReason["missing unit_price"] != 1 {
		t.Errorf("rejects by reason %v", st.RejectsByReason)
	}
	if st.RevenueExcluded != 10 { // row 6's 1×10; row 7's amount is unknown
		t.Errorf("revenue excluded %v, want 10", st.RevenueExcluded)
	}
	if in.UnmatchedProducts != 1 {
		t.Errorf("unmatched products %d, want 1 (P9)", in.UnmatchedProducts)
	}
	if slices.Contains(ft.Absent, "category") || !slices.Contains(ft.Absent, "coupon") {
		t.Errorf("absent %v: want coupon but not category (the products table gives it)", ft.Absent)
	}
	checkInputs(t, in.Inputs, []data.FileStat{{Path: orders, Rows: 8}, {Path: products, Rows: 3}})
}

// checkInputs checks the files read, their rows and checksums.
func checkInputs(t *testing.T, got, want []data.FileStat) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("inputs %v, want %d files", got, len(want))
	}
	for i, w := range want {
		sum, err := data.FileSHA256(w.Path)
		if err != nil {
			t.Fatal(err)
		}
		if g := got[i]; g.Path != w.Path || g.Rows != w.Rows || g.SHA256 != sum {
			t.Errorf("input %d = %+v, want %s with %d rows and sha256 %s", i, g, w.Path, w.Rows, sum)
		}
	}
}

func TestAggregateOrdersWithoutProducts(t *testing.T) {
	o := testOptions(t)
	o.Orders, o.AsOf = writeCSV(t, t.TempDir(), "orders.csv", ordersLines...), asOf
	in, err := AggregateOrders(context.Background(), o, func(data.Reject) {})
	if err != nil {
		t.Fatal(err)
	}
	if in.UnmatchedProducts != 0 || len(in.Inputs) != 1 || len(in.Table.Categories) > 0 {
		t.Errorf("unmatched %d, inputs %v, categories %v: want 0, the orders only, none", in.UnmatchedProducts, in.Inputs, in.Table.Categories)
	}
	if !slices.Contains(in.Table.Absent, "category") {
		t.Errorf("absent %v lacks category", in.Table.Absent)
	}
}

// An amount that is not a number is an error naming the file, column and
// row, not a reject: the file is not what the mapping says.
func TestAggregateOrdersBadNumber(t *testing.T) {
	o := testOptions(t)
	o.Orders = writeCSV(t, t.TempDir(), "orders.csv",
		"order_id,customer_id,time,quantity,unit_price",
		"O1,C1,2024-06-01,1,10",
		"O2,C2,2024-06-01,1,ten")
	rejected := 0
	_, err := AggregateOrders(context.Background(), o, func(data.Reject) { rejected++ })
	var ce *data.ColumnError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v, want a *data.ColumnError", err)
	}
	if ce.File != o.Orders || ce.Column != "unit_price" || ce.Row != 2 || !errors.Is(err, data.ErrValue) {
		t.Errorf("error %+v, want %s, column unit_price, row 2, ErrValue", ce, o.Orders)
	}
	if rejected != 0 {
		t.Errorf("%d rejects, want none", rejected)
	}
}

func TestReadFeatureTable(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		lines   []string
		ids     []string
		columns []string
		cols    [][]float64
	}{
		{
			name:  "customer_id column, text column skipped",
			lines: []string{"spend,customer_id,tier,visits", "10.5,B,gold,3", "2,A,silver,7"},
			ids:   []string{"A", "B"}, columns: []string{"spend", "visits"},
			cols: [][]float64{{2, 10.5}, {7, 3}},
		},
		{
			name:  "first column as ids",
			lines: []string{"id,score", "x2,1.5", "x1,-4"},
			ids:   []string{"x1", "x2"}, columns: []string{"score"},
			cols: [][]float64{{-4, 1.5}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeCSV(t, dir, strings.ReplaceAll(tc.name, " ", "_")+".csv", tc.lines...)
			in, err := ReadFeatureTable(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			ft := in.Table
			if !slices.Equal(ft.IDs, tc.ids) || !slices.Equal(ft.Names, tc.columns) || !slices.Equal(in.FeatureColumns, tc.columns) {
				t.Errorf("ids %v, names %v, feature columns %v; want %v, %v", ft.IDs, ft.Names, in.FeatureColumns, tc.ids, tc.columns)
			}
			for j, c := range tc.cols {
				if j < len(ft.Cols) && !slices.Equal(ft.Cols[j], c) {
					t.Errorf("column %s = %v, want %v", tc.columns[j], ft.Cols[j], c)
				}
			}
			n := int64(len(tc.ids))
			if in.Stats.RowsRead != n || in.Stats.RowsUsed != n {
				t.Errorf("rows read %d, used %d, want %d", in.Stats.RowsRead, in.Stats.RowsUsed, n)
			}
			checkInputs(t, in.Inputs, []data.FileStat{{Path: path, Rows: n}})
		})
	}
	t.Run("empty cell", func(t *testing.T) {
		// Never read as 0: an empty cell stops the run naming column,
		// customer and row, in an integer column as in a float one.
		for _, body := range []string{"B,3,1.5|A,,2.5|C,2,0.5", "B,3,1.5|A,4,|C,2,0.5"} {
			path := writeCSV(t, dir, "empty.csv", append([]string{"customer_id,visits,score"}, strings.Split(body, "|")...)...)
			_, err := ReadFeatureTable(context.Background(), path)
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `customer "A" (row 2): the value is empty`) {
				t.Errorf("%q: error %v, want one naming %s, customer A, row 2 and the empty value", body, err, path)
			}
		}
	})
	t.Run("no numeric column", func(t *testing.T) {
		path := writeCSV(t, dir, "text.csv", "customer_id,tier", "A,gold", "B,silver")
		_, err := ReadFeatureTable(context.Background(), path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "no numeric") {
			t.Errorf("error %v, want one naming %s and the lack of numeric columns", err, path)
		}
	})
}

// threeCustomers is the first stage's output for C1, C2 and C3, with the
// orders file read and a reject counted; Inputs has room to grow, so that
// a stage appending to it in place would show.
func threeCustomers(t *testing.T) *Tables {
	t.Helper()
	ft := featureTable(t, []string{"C1", "C2", "C3"},
		col(features.RecencyDays, 10, 60, 91), col(features.Frequency, 2, 1, 1), col(features.Monetary, 25, 22, 30))
	ft.AsOf = asOf
	inputs := make([]data.FileStat, 1, 4)
	inputs[0] = data.FileStat{Path: "orders.csv", SHA256: "00", Rows: 9}
	return &Tables{Table: ft, Inputs: inputs,
		Stats: data.ReadStats{RowsRead: 9, RowsUsed: 8, RowsRejected: 1, RejectsByReason: map[string]int64{"missing amount": 1}}}
}

func TestJoinCustomers(t *testing.T) {
	dir := t.TempDir()
	path := writeCSV(t, dir, "customers.csv",
		"customer_id,email,city",
		"C3,c3@example.com,Paris",
		"P2,p2@example.com,Nice",
		"C1,c1@example.com,Lyon",
		"P1,p1@example.com,Lyon")
	in := threeCustomers(t)
	before := tablesJSON(t, in)
	out, err := JoinCustomers(context.Background(), in, &config.Table{Path: path}, DefaultOptions().Log)
	if err != nil {
		t.Fatal(err)
	}
	if tablesJSON(t, in) != before {
		t.Errorf("JoinCustomers modified its input:\nbefore %s\nafter  %s", before, tablesJSON(t, in))
	}
	if !slices.Equal(out.Prospects, []string{"P1", "P2"}) {
		t.Errorf("prospects %v, want P1 P2", out.Prospects)
	}
	if out.Customers == nil || !slices.Equal(out.Customers.IDs, []string{"C1", "C3", "P1", "P2"}) {
		t.Errorf("customers table %+v", out.Customers)
	}
	if out.Table != in.Table {
		t.Errorf("the customer table changed")
	}
	if out.CustomersMismatch != nil {
		t.Errorf("a table sharing ids with the orders: mismatch %+v", out.CustomersMismatch)
	}
	// A table none of whose ids is a buyer's: C1 written C01.
	other := writeCSV(t, dir, "other.csv", "customer_id,email", "C01,c1@example.com", "Q9,q@example.com")
	mis, err := JoinCustomers(context.Background(), in, &config.Table{Path: other}, DefaultOptions().Log)
	if err != nil {
		t.Fatal(err)
	}
	if m := mis.CustomersMismatch; m == nil || m.OrderID != in.Table.IDs[0] || m.TableID != "C01" {
		t.Errorf("a table sharing no id: mismatch %+v", m)
	}
	if len(out.Inputs) != 2 || out.Inputs[0] != in.Inputs[0] {
		t.Fatalf("inputs %v, want the orders' then the customers'", out.Inputs)
	}
	checkInputs(t, out.Inputs[1:], []data.FileStat{{Path: path, Rows: 4}})

	// A second join from the same input must not overwrite the first's
	// inputs through a shared backing array.
	events := writeCSV(t, dir, "events.csv", "customer_id,time,type", "C1,2024-06-20 10:00:00,view")
	if _, err := JoinEvents(context.Background(), in, &config.Table{Path: events}, nil, 0, func(data.Reject) {}, DefaultOptions().Log); err != nil {
		t.Fatal(err)
	}
	if out.Inputs[1].Path != path {
		t.Errorf("JoinEvents on the same input overwrote JoinCustomers' inputs: %v", out.Inputs)
	}
	// An events table whose ids are none of the buyers': u1 for C1.
	strange := writeCSV(t, dir, "strange.csv", "customer_id,time,type", "u1,2024-06-20 10:00:00,view")
	if ev, err := JoinEvents(context.Background(), in, &config.Table{Path: strange}, nil, 0, func(data.Reject) {}, DefaultOptions().Log); err != nil || ev.EventsMismatch == nil || ev.EventsMismatch.TableID != "u1" {
		t.Errorf("events sharing no id: %v, mismatch %+v", err, ev.EventsMismatch)
	}

	t.Run("rows without an id", func(t *testing.T) {
		// Left out, counted with the order lines' rejects, listed by the
		// caller; the input's rows are all the rows read.
		blank := writeCSV(t, dir, "blank.csv", "customer_id,email", "C1,c1@example.com", ",nobody@example.com", "NULL,null@example.com")
		got, err := JoinCustomers(context.Background(), in, &config.Table{Path: blank}, DefaultOptions().Log)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Customers.Rejects) != 2 || got.Customers.Rejects[0].Row != 2 || got.Customers.Rejects[1].Row != 3 {
			t.Errorf("rejects %+v, want rows 2 and 3", got.Customers.Rejects)
		}
		want := map[string]int64{"missing amount": 1, "customers: missing customer_id": 2}
		if !maps.Equal(got.Stats.RejectsByReason, want) || in.Stats.RejectsByReason["customers: missing customer_id"] != 0 {
			t.Errorf("rejects by reason %v, want %v (and the input's unchanged)", got.Stats.RejectsByReason, want)
		}
		if n := got.customersRejected(); n != 2 {
			t.Errorf("run.json would count %d customers rows rejected, want 2", n)
		}
		if n := len(got.Inputs); n != 2 || got.Inputs[1].Rows != 3 {
			t.Errorf("inputs %+v, want the customers table's 3 rows", got.Inputs)
		}
	})

	t.Run("missing column", func(t *testing.T) {
		_, err := JoinCustomers(context.Background(), in, &config.Table{Path: path, Columns: map[string]string{"email": "mail"}}, DefaultOptions().Log)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("error %v, want one naming %s", err, path)
		}
	})
}

// TestJoinCustomersTimes: the customers section's time_format and
// timezone reach the reader, and a bad timezone is an error naming the
// file and the key.
func TestJoinCustomersTimes(t *testing.T) {
	dir := t.TempDir()
	path := writeCSV(t, dir, "customers.csv", "customer_id,signup_time", "C1,24.12.2023 18:00")
	in := threeCustomers(t)
	out, err := JoinCustomers(context.Background(), in, &config.Table{Path: path, TimeFormat: "%d.%m.%Y %H:%M", Timezone: "Asia/Tokyo"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cols := out.Customers.ColumnsFor([]string{"C1"})
	if len(cols) != 1 || !cols[0].Times[0].Equal(time.Date(2023, 12, 24, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("signup_time %+v, want 2023-12-24 18:00 in Tokyo", cols)
	}
	_, err = JoinCustomers(context.Background(), in, &config.Table{Path: path, Timezone: "Tokio"}, nil)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "timezone") {
		t.Errorf("bad timezone: error %v, want one naming %s and timezone", err, path)
	}
}

func TestJoinEvents(t *testing.T) {
	path := writeCSV(t, t.TempDir(), "events.csv",
		"customer_id,time,type",
		"C1,2024-06-20 10:00:00,view",
		"C2,,view",
		"E9,2024-06-25 10:00:00,add_to_cart",
		"E9,2024-07-03 10:00:00,view")
	in := threeCustomers(t)
	before := tablesJSON(t, in)
	var rejects []data.Reject
	out, err := JoinEvents(context.Background(), in, &config.Table{Path: path}, nil, 0, func(r data.Reject) { rejects = append(rejects, r) }, DefaultOptions().Log)
	if err != nil {
		t.Fatal(err)
	}
	if tablesJSON(t, in) != before {
		t.Errorf("JoinEvents modified its input:\nbefore %s\nafter  %s", before, tablesJSON(t, in))
	}
	if len(rejects) != 1 || rejects[0].File != path || rejects[0].Row != 2 || rejects[0].Reason != "events: missing time" {
		t.Errorf("rejects %+v, want row 2 of %s, events: missing time", rejects, path)
	}
	if got := out.Stats.RejectsByReason; got["events: missing time"] != 1 || got["missing amount"] != 1 || len(got) != 2 {
		t.Errorf("rejects by reason %v, want the orders' reject and the event's", got)
	}
	if in.Stats.RejectsByReason["events: missing time"] != 0 {
		t.Errorf("the input's rejects by reason gained the event's")
	}
	e := out.Events
	if e == nil || e.Rows != 4 || e.Rejected != 1 {
		t.Fatalf("events %+v, want 4 rows, 1 rejected", e)
	}
	if ids := e.Agg.IDs(); !slices.Equal(ids, []string{"C1", "E9"}) {
		t.Errorf("customers with events %v, want C1 E9", ids)
	}
	if st := e.Agg.Stats(); st.AfterAsOf != 1 {
		t.Errorf("events after as_of %d, want 1 (July 3)", st.AfterAsOf)
	}
	if len(out.Inputs) != 2 || out.Inputs[0] != in.Inputs[0] {
		t.Fatalf("inputs %v, want the orders' then the events'", out.Inputs)
	}
	checkInputs(t, out.Inputs[1:], []data.FileStat{{Path: path, Rows: 4}})
}

// TestFeatureColumnsOfOutputNames: a feature table with a column the
// assignments add (a previous run's assignments given back) is refused
// naming the file and the column, before any work.
func TestFeatureColumnsOfOutputNames(t *testing.T) {
	for _, name := range []string{"cluster", "distance", "r_score", "one_time_buyer"} {
		tab := &data.Table{Columns: []data.Column{
			{Name: "customer_id", Kind: data.KindString, Strings: []string{"a", "b"}},
			{Name: "monetary", Kind: data.KindFloat64, Floats: []float64{1, 2}},
			{Name: name, Kind: data.KindFloat64, Floats: []float64{0, 1}},
		}}
		_, _, _, err := FeatureColumnsOf("f.csv", tab, 0, nil)
		if err == nil || !strings.Contains(err.Error(), `f.csv: column "`+name+`" is a column segment's assignments add`) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestCheckGroupColumns: a feature table's column with a custom group's
// name is refused naming the file and the column, before any work (the
// assignments add a column of that name).
func TestCheckGroupColumns(t *testing.T) {
	custom, err := features.CompileGroups([]features.CustomGroup{{Name: "big_spender", When: "monetary > 100"}})
	if err != nil {
		t.Fatal(err)
	}
	err = CheckGroupColumns("f.csv", []string{"monetary", "big_spender"}, custom)
	if err == nil || !strings.Contains(err.Error(), `f.csv: column "big_spender" has the name of a custom group`) {
		t.Errorf("error %v, want one naming the file and the column", err)
	}
	if err := CheckGroupColumns("f.csv", []string{"monetary"}, custom); err != nil {
		t.Errorf("no clash: %v", err)
	}
	if err := CheckGroupColumns("f.csv", []string{"big_spender"}, nil); err != nil {
		t.Errorf("no custom groups: %v", err)
	}
}

// TestJoinCustomersNearMiss: a customers table whose id of a buyer is
// written with a zero width space (and another in lower case) joins them
// as other customers; the log warns, naming the count and a pair.
func TestJoinCustomersNearMiss(t *testing.T) {
	path := writeCSV(t, t.TempDir(), "customers.csv", "customer_id,email", "C1\u200b,c1@example.com", "c3,c3@example.com", "P1,p1@example.com")
	var log bytes.Buffer
	out, err := JoinCustomers(context.Background(), threeCustomers(t), &config.Table{Path: path}, slog.New(slog.NewTextHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Prospects) != 3 || !strings.Contains(log.String(), "but for letter case, invisible characters") || !strings.Contains(log.String(), "ids=2") {
		t.Errorf("prospects %q; log %s", out.Prospects, log.String())
	}
}
