package features

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/segment-tool/segment/data"
)

// writeRowGroups writes rows to a Parquet file named name in a temporary
// folder, in row groups of rowGroup rows, and returns its path.
func writeRowGroups[T any](t *testing.T, name string, rows []T, rowGroup int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[T](f, parquet.MaxRowsPerRowGroup(rowGroup))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeFile writes text to a file named name in a temporary directory and
// returns its path.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// customersCSV has its ids out of order, email and signup_time under other
// names, newsletter and city under their own, and no country, b2b or
// age_band. c2 has a null newsletter, no city and no signup time.
const customersCSV = "id,mail,newsletter,city,signup\n" +
	"c3,c@x.org,yes,Paris,2024-01-02\n" +
	"c1,a@x.org,0,Lyon,2023-05-01 10:00:00\n" +
	"c2,b@x.org,,,\n"

var customersMap = map[string]string{"customer_id": "id", "email": "mail", "signup_time": "signup"}

func readCustomers(t *testing.T) *CustomerTable {
	t.Helper()
	c, err := ReadCustomerTable(context.Background(), writeFile(t, "customers.csv", customersCSV), customersMap, data.TimeFormat{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReadCustomerTable(t *testing.T) {
	c := readCustomers(t)
	if want := []string{"c1", "c2", "c3"}; !slices.Equal(c.IDs, want) {
		t.Errorf("IDs = %q, want %q", c.IDs, want)
	}
	if filepath.Base(c.Path) != "customers.csv" {
		t.Errorf("Path = %s", c.Path)
	}
}

func TestReadCustomerTableErrors(t *testing.T) {
	tests := []struct {
		name    string
		csv     string
		columns map[string]string
		want    string // the error after "customers <path>: "
	}{
		{"duplicate id", "customer_id,city\nc1,Paris\nc2,Lyon\nc1,Nice\n", nil,
			`customer_id "c1" on rows 1 and 3`},
		// Of several repeated ids, the one repeated first going down the
		// file, with both its rows; a row without an id still counts.
		{"two duplicate ids", "customer_id,city\nc1,Paris\n,Lyon\nc9,Nice\nc9,Pau\nc1,Metz\nc9,Caen\n", nil,
			`customer_id "c9" on rows 3 and 4`},
		{"duplicate id after a row without one", "customer_id,city\nc9,Paris\n,Lyon\nc2,Nice\nc9,Metz\nc2,Caen\n", nil,
			`customer_id "c9" on rows 1 and 4`},
		{"unreadable boolean", "customer_id,news\nc1,yes\nc2,maybe\n", map[string]string{"newsletter": "news"},
			`column "news" (newsletter), row 2: cannot read "maybe" as true/false, yes/no, 1/0, on/off or subscribed/unsubscribed`},
		{"integer boolean other than 0 and 1", "customer_id,b2b\nc1,1\nc2,0\nc3,2\n", nil,
			`column "b2b" (b2b), row 3: cannot read "2" as true/false, yes/no, 1/0, on/off or subscribed/unsubscribed`},
		{"unreadable time", "customer_id,signup_time\nc1,2024-01-01\nc2,yesterday\n", nil,
			`column "signup_time" (signup_time), row 2: cannot read "yesterday" as a date or time in the years 1678–2261 (customers.time_format sets its layout)`},
		{"time out of range", "customer_id,signup_time\nc1,2024-01-01\nc2,1500-01-01\n", nil,
			`column "signup_time" (signup_time), row 2: cannot read "1500-01-01" as a date or time in the years 1678–2261 (customers.time_format sets its layout)`},
		{"id not UTF-8", "customer_id,city\nc1,München\nc\xff2,Lyon\n", nil, // UTF-8 (München) with a stray byte
			`row 2: customer_id "c\xff2" is not valid UTF-8`},
		{"id with a NUL byte", "customer_id,city\n" + func() string { // past the 64 KiB sniffed for a binary file's NULs
			var b strings.Builder
			for i := range 8000 {
				fmt.Fprintf(&b, "c%d,Paris\n", i)
			}
			return b.String()
		}() + "c\x002,Lyon\n", nil,
			`row 8001: customer_id "c\x002" holds a NUL byte`},
		{"no customer_id", "id,city\nc1,Paris\n", nil,
			`column "customer_id" (mapped as customer_id) not found; the file has columns "id", "city": map the one that holds it (customers.columns.customer_id: <column>)`},
		{"customer_id in other case", "Customer_ID,city\nc1,Paris\n", nil,
			`column "customer_id" (mapped as customer_id) not found; "Customer_ID" differs only in case or spaces: map it (customers.columns.customer_id: "Customer_ID")`},
		{"mapped column missing", "customer_id,city\nc1,Paris\n", map[string]string{"email": "mail"},
			`column "mail" (mapped as email) not found; the file has columns "customer_id", "city": map the one that holds it (customers.columns.email: <column>)`},
		{"unknown logical column", "customer_id\nc1\n", map[string]string{"phone": "tel"},
			`unknown logical column "phone" (want one of customer_id, email, newsletter, city, country, signup_time, b2b, age_band)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "customers.csv", tt.csv)
			_, err := ReadCustomerTable(context.Background(), path, tt.columns, data.TimeFormat{})
			want := "customers " + path + ": " + tt.want
			if err == nil || err.Error() != want {
				t.Errorf("error %v\nwant %s", err, want)
			}
		})
	}
	t.Run("float ids", func(t *testing.T) {
		path := writeFile(t, "customers.csv", "customer_id\n1.5\n")
		_, err := ReadCustomerTable(context.Background(), path, nil, data.TimeFormat{})
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `"customer_id"`) {
			t.Errorf("error %v, want one naming the file and the column", err)
		}
	})
}

// TestReadCustomerTableRejects: rows without a customer id (empty, white
// space, NULL) are left out and listed, with their file row and values, as
// order lines without one are; the other rows keep their values.
func TestReadCustomerTableRejects(t *testing.T) {
	// Row 4's newsletter cell cannot be read, but the row has no id: it is
	// rejected with its cells as they are, not an error.
	path := writeFile(t, "customers.csv", "id,city,newsletter\nc2,Paris,yes\n,Lyon,no\nc1,Nice,no\nNULL,Metz,maybe\n  ,Brest,\n")
	c, err := ReadCustomerTable(context.Background(), path, map[string]string{"customer_id": "id"}, data.TimeFormat{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.IDs, []string{"c1", "c2"}) {
		t.Errorf("ids %q, want c1, c2", c.IDs)
	}
	cols := c.ColumnsFor([]string{"c1", "c2"})
	for _, col := range cols {
		if col.Name == "city" && !slices.Equal(col.Strings, []string{"Nice", "Paris"}) {
			t.Errorf("cities %q, want Nice, Paris", col.Strings)
		}
		if col.Name == "newsletter" && !slices.Equal(col.Bools, []bool{false, true}) {
			t.Errorf("newsletter %v, want false, true", col.Bools)
		}
	}
	var rows []int64
	for _, r := range c.Rejects {
		if r.File != path || r.Reason != "customers: missing customer_id" {
			t.Errorf("reject %+v", r)
		}
		rows = append(rows, r.Row)
	}
	if !slices.Equal(rows, []int64{2, 4, 5}) || c.Rejects[0].Raw["city"] != "Lyon" || c.Rejects[1].Raw["newsletter"] != "maybe" {
		t.Errorf("rejected rows %v (first %+v), want 2, 4, 5 with their values", rows, c.Rejects[0])
	}
}

// TestReadCustomerTableRepeatedHeader: files concatenated with their
// headers (cat a.csv b.csv): the header again is rejected as such, not
// read as a customer "customer_id" nor as a newsletter value that is no
// flag.
func TestReadCustomerTableRepeatedHeader(t *testing.T) {
	path := writeFile(t, "customers.csv", "customer_id,email,newsletter\nc1,a@x.com,yes\ncustomer_id,email,newsletter\nc2,b@x.com,no\n")
	c, err := ReadCustomerTable(context.Background(), path, nil, data.TimeFormat{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.IDs, []string{"c1", "c2"}) || len(c.Rejects) != 1 || c.Rejects[0].Row != 2 || c.Rejects[0].Reason != "customers: repeated header row" {
		t.Errorf("ids %q, rejects %+v: want c1, c2 and row 2 rejected as a repeated header", c.IDs, c.Rejects)
	}
	if !isHeaderRow([]*data.Column{{Name: "id", Kind: data.KindString, Strings: []string{"id"}}, nil}, 0) ||
		isHeaderRow([]*data.Column{{Name: "id", Kind: data.KindString, Strings: []string{"id"}}, {Name: "city", Kind: data.KindString, Strings: []string{"Paris"}}}, 0) ||
		isHeaderRow([]*data.Column{nil}, 0) {
		t.Error("isHeaderRow: a row of the names not told from one of values")
	}
}

func TestCustomerTableProspects(t *testing.T) {
	c := readCustomers(t)
	tests := []struct {
		name       string
		withOrders []string
		want       []string
	}{
		{"no orders", nil, []string{"c1", "c2", "c3"}},
		{"some", []string{"a0", "c2", "c4"}, []string{"c1", "c3"}},
		{"first and last", []string{"c1", "c3"}, []string{"c2"}},
		{"all", []string{"c0", "c1", "c2", "c3"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Prospects(tt.withOrders); !slices.Equal(got, tt.want) {
				t.Errorf("Prospects(%q) = %q, want %q", tt.withOrders, got, tt.want)
			}
		})
	}
}

func TestCustomerTableColumnsFor(t *testing.T) {
	c := readCustomers(t)
	// c0 has orders but no row in the table: nulls. c3 comes before c2.
	ids := []string{"c0", "c3", "c2"}
	cols := c.ColumnsFor(ids)
	var names []string
	for _, col := range cols {
		names = append(names, col.Name)
		if len(col.Nulls) != len(ids) || col.Len() != len(ids) {
			t.Errorf("column %s: %d nulls and %d rows for %d ids", col.Name, len(col.Nulls), col.Len(), len(ids))
		}
	}
	if want := []string{"email", "newsletter", "city", "signup_time"}; !slices.Equal(names, want) {
		t.Fatalf("columns %q, want %q", names, want)
	}
	type cell struct {
		text string
		null bool
	}
	want := map[string][]cell{
		"email":       {{"", true}, {"c@x.org", false}, {"b@x.org", false}},
		"newsletter":  {{"", true}, {"true", false}, {"", true}},
		"city":        {{"", true}, {"Paris", false}, {"", false}}, // a blank CSV string is not null
		"signup_time": {{"", true}, {"2024-01-02T00:00:00Z", false}, {"", true}},
	}
	kinds := map[string]data.Kind{"email": data.KindString, "newsletter": data.KindBool, "city": data.KindString, "signup_time": data.KindTime}
	for _, col := range cols {
		if col.Kind != kinds[col.Name] {
			t.Errorf("column %s is %s, want %s", col.Name, col.Kind, kinds[col.Name])
		}
		for i, w := range want[col.Name] {
			if got := (cell{col.Text(i), col.IsNull(i)}); got != w {
				t.Errorf("%s of %s = %+v, want %+v", col.Name, ids[i], got, w)
			}
		}
	}
	// A time without an offset is UTC.
	c1 := c.ColumnsFor([]string{"c1"})
	if got, want := c1[3].Times[0], time.Date(2023, 5, 1, 10, 0, 0, 0, time.UTC); got != want {
		t.Errorf("signup_time of c1 = %v, want %v", got, want)
	}
}

// TestCustomerTableRowsOf: ids looked up in order (a walk through the
// table's ids) and out of order (a binary search) find the same rows.
func TestCustomerTableRowsOf(t *testing.T) {
	var ids []string
	for i := range 300 {
		ids = append(ids, fmt.Sprintf("c%03d", 2*i)) // c000, c002, …: odd numbers have no row
	}
	c, err := NewCustomerTable("t", slices.Clone(ids), nil)
	if err != nil {
		t.Fatal(err)
	}
	var sorted []string
	for i := range 620 {
		sorted = append(sorted, fmt.Sprintf("c%03d", i))
	}
	sorted = append(sorted, "c619", "d", "", "b", "c000") // repeated ids, and ids before the first and past the last
	slices.Sort(sorted)
	shuffled := slices.Clone(sorted)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for name, q := range map[string][]string{"sorted": sorted, "shuffled": shuffled} {
		for i, row := range c.RowsOf(q) {
			want := int32(-1)
			if j, ok := slices.BinarySearch(ids, q[i]); ok {
				want = int32(j)
			}
			if row != want {
				t.Errorf("%s: row of %s = %d, want %d", name, q[i], row, want)
			}
		}
	}
	for _, q := range [][]string{{"c004"}, {"c005", "c006"}, {"c599"}} { // a few ids, sorted
		for i, row := range c.RowsOf(q) {
			if j, ok := slices.BinarySearch(ids, q[i]); ok != (row >= 0) || ok && row != int32(j) {
				t.Errorf("row of %s = %d, want %d (found: %v)", q[i], row, j, ok)
			}
		}
	}
	empty, err := NewCustomerTable("t", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := empty.RowsOf([]string{"a", "b"}); !slices.Equal(got, []int32{-1, -1}) {
		t.Errorf("rows in an empty table: %v, want none", got)
	}
}

// TestCustomerTableColumnsAtInto: columns gathered into the buffers of an
// earlier call, longer or shorter, with rows of every kind of value and
// null, and rows the table has not (−1), equal ColumnsAt's.
func TestCustomerTableColumnsAtInto(t *testing.T) {
	c := readCustomers(t)
	rows := c.RowsOf([]string{"c0", "c3", "c2", "c1", "c3", "c9"})
	var buf []data.Column
	for _, r := range [][]int32{rows, rows[3:], rows[:2], rows[1:5], rows[:0], rows} {
		buf = c.ColumnsAtInto(buf, r)
		if want := c.ColumnsAt(r); !reflect.DeepEqual(buf, want) {
			t.Errorf("rows %v:\n got %+v\nwant %+v", r, buf, want)
		}
	}
}

func TestCustomerTableProfile(t *testing.T) {
	c := readCustomers(t)
	p, country, age := c.Profile([]string{"c0", "c1", "c3"})
	if want := []bool{false, true, true}; !slices.Equal(p.Registered, want) {
		t.Errorf("Registered = %v, want %v", p.Registered, want)
	}
	if want := []bool{false, false, true}; !slices.Equal(p.Newsletter, want) {
		t.Errorf("Newsletter = %v, want %v", p.Newsletter, want)
	}
	if want := []string{"", "Lyon", "Paris"}; !slices.Equal(p.City, want) {
		t.Errorf("City = %q, want %q", p.City, want)
	}
	// The table has no b2b, country or age_band column.
	if p.B2B != nil || country != nil || age != nil {
		t.Errorf("B2B %v, country %q, age %q; want nil", p.B2B, country, age)
	}
}

// TestTablesRepairText checks that bytes that are not UTF-8 in the text
// columns of the customers and products tables of UTF-8 files become
// U+FFFD, as in the order lines: a city and a category reach the outputs
// (a category as a column name), which strict readers must be able to
// read. A file with no UTF-8 beyond ASCII is Windows-1252 (Köln).
func TestTablesRepairText(t *testing.T) {
	latin, err := ReadCustomerTable(context.Background(), writeFile(t, "latin.csv", "customer_id,city\nc1,K\xf6ln\n"), nil, data.TimeFormat{})
	if err != nil {
		t.Fatal(err)
	}
	if col := latin.ColumnsFor([]string{"c1"}); len(col) != 1 || col[0].Strings[0] != "Köln" {
		t.Errorf("a Windows-1252 file: %+v, want the city Köln", col)
	}
	c, err := ReadCustomerTable(context.Background(), writeFile(t, "customers.csv", "customer_id,city\nc0,Zürich\nc1,K\xf6ln\n"), nil, data.TimeFormat{})
	if err != nil {
		t.Fatal(err)
	}
	city := ""
	for _, col := range c.ColumnsFor([]string{"c1"}) {
		if col.Name == "city" {
			city = col.Strings[0]
		}
	}
	if city != "K\uFFFDln" {
		t.Errorf("city %q, want %q", city, "K\uFFFDln")
	}
	p, err := ReadProductTable(context.Background(), writeFile(t, "products.csv", "product_id,category\np0,Café\np1,b\xe9b\xe9\n"), nil, data.TimeFormat{})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Categories["p1"]; got != "b\uFFFDb\uFFFD" {
		t.Errorf("category %q, want %q", got, "b\uFFFDb\uFFFD")
	}
}

// TestReadCustomerTablePieces: a Parquet customers table read in row
// groups of 3 rows (a piece each, packed as it comes) equals the same rows
// read in one row group, ids out of order, nulls, a row without an id;
// and an id repeated across row groups is named with both its file rows.
func TestReadCustomerTablePieces(t *testing.T) {
	type row struct {
		ID     *string    `parquet:"customer_id,optional"`
		Email  *string    `parquet:"email,optional"`
		News   *bool      `parquet:"newsletter,optional"`
		Signup *time.Time `parquet:"signup_time,optional,timestamp(microsecond)"`
	}
	str := func(s string) *string { return &s }
	var rows []row
	for i := range 10 {
		r := row{ID: str(fmt.Sprintf("c%02d", (7*i)%10)), Email: str(fmt.Sprintf("m%d@x.org", i))}
		if i%3 != 1 {
			news := i%2 == 0
			r.News = &news
		}
		if i%4 != 2 {
			at := time.Date(2020, 1, 1+i, 10, 30, 0, 0, time.UTC)
			r.Signup = &at
		}
		rows = append(rows, r)
	}
	rows[4].ID = nil // rejected: no id
	rows[6].Email = nil
	ctx := context.Background()
	one, err := ReadCustomerTable(ctx, writeRowGroups(t, "one.parquet", rows, 100), nil, data.TimeFormat{})
	if err != nil {
		t.Fatal(err)
	}
	pieces, err := ReadCustomerTable(ctx, writeRowGroups(t, "pieces.parquet", rows, 3), nil, data.TimeFormat{})
	if err != nil {
		t.Fatal(err)
	}
	if len(one.IDs) != 9 || !slices.Equal(one.IDs, pieces.IDs) {
		t.Fatalf("ids %q and %q, want the same 9", one.IDs, pieces.IDs)
	}
	if want := []int64{5}; len(pieces.Rejects) != 1 || pieces.Rejects[0].Row != want[0] {
		t.Errorf("rejects %+v, want row 5 only", pieces.Rejects)
	}
	got, want := pieces.ColumnsFor(pieces.IDs), one.ColumnsFor(one.IDs)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("columns read in pieces:\n%+v\nin one:\n%+v", got, want)
	}
	// c07 is row 2's id (i = 1); row 9 (i = 8) gets it again: 7·8 % 10 = 6
	// does not, so make it.
	rows[8].ID = str("c07")
	_, err = ReadCustomerTable(ctx, writeRowGroups(t, "dup.parquet", rows, 3), nil, data.TimeFormat{})
	if err == nil || !strings.Contains(err.Error(), `customer_id "c07" on rows 2 and 9`) {
		t.Errorf("error %v, want c07 on rows 2 and 9", err)
	}
}
