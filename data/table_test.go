package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// sampleTable has every kind, awkward floats, and nulls in some columns.
func sampleTable() *Table {
	return &Table{Columns: []Column{
		{Name: "customer_id", Kind: KindString, Strings: []string{"C1", "C2", "", "C,4", "007"}},
		{Name: "monetary", Kind: KindFloat64, Floats: []float64{0.1, 1.0 / 3, -0, math.MaxFloat64, 5e-324}},
		{Name: "odd", Kind: KindFloat64, Floats: []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, 2}, Nulls: []bool{false, false, false, true, false}},
		{Name: "frequency", Kind: KindInt64, Ints: []int64{1, -2, math.MaxInt64, math.MinInt64, 0}},
		{Name: "vip_top5", Kind: KindBool, Bools: []bool{true, false, true, false, false}, Nulls: []bool{false, false, false, false, true}},
		{Name: "last_order", Kind: KindTime, Times: []time.Time{t0, t0.Add(time.Microsecond), time.Unix(0, 0).UTC(), {}, t0.AddDate(-50, 0, 0)},
			Nulls: []bool{false, false, false, true, false}},
		{Name: "city", Kind: KindString, Strings: []string{"Bucharest", "", "Paris", "", "Lyon"}, Nulls: []bool{false, true, false, true, false}},
	}}
}

// sameTable reports how got differs from want, ignoring the slots of null
// rows, comparing floats bit for bit and times as instants.
func sameTable(got, want *Table) error {
	if len(got.Columns) != len(want.Columns) {
		return fmt.Errorf("%d columns, want %d", len(got.Columns), len(want.Columns))
	}
	for j := range want.Columns {
		g, w := &got.Columns[j], &want.Columns[j]
		if g.Name != w.Name || g.Kind != w.Kind || g.Len() != w.Len() {
			return fmt.Errorf("column %d is %q %v ×%d, want %q %v ×%d", j, g.Name, g.Kind, g.Len(), w.Name, w.Kind, w.Len())
		}
		for i := range w.Len() {
			if g.IsNull(i) != w.IsNull(i) {
				return fmt.Errorf("column %q row %d: null %v, want %v", w.Name, i, g.IsNull(i), w.IsNull(i))
			}
			if w.IsNull(i) {
				continue
			}
			var same bool
			switch w.Kind {
			case KindString:
				same = g.Strings[i] == w.Strings[i]
			case KindFloat64:
				same = math.Float64bits(g.Floats[i]) == math.Float64bits(w.Floats[i]) ||
					(math.IsNaN(g.Floats[i]) && math.IsNaN(w.Floats[i]))
			case KindInt64:
				same = g.Ints[i] == w.Ints[i]
			case KindBool:
				same = g.Bools[i] == w.Bools[i]
			case KindTime:
				same = g.Times[i].Equal(w.Times[i])
			}
			if !same {
				return fmt.Errorf("column %q row %d: got %q, want %q", w.Name, i, cellText(g, i), cellText(w, i))
			}
		}
	}
	return nil
}

func TestWriteParquetReadTable(t *testing.T) {
	want := sampleTable()
	path := filepath.Join(t.TempDir(), "assignments.parquet")
	var buf bytes.Buffer
	if err := WriteParquet(&buf, want); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sameTable(got, want); err != nil {
		t.Error(err)
	}
	if c := got.Column("odd"); !math.IsNaN(c.Floats[3]) {
		t.Errorf("a null float reads as %v, want NaN", c.Floats[3])
	}
	meta := fixtureMeta(t, path)
	for _, c := range meta.RowGroups[0].Columns {
		if c.MetaData.Codec != format.Snappy {
			t.Errorf("column %v codec %v, want SNAPPY", c.MetaData.PathInSchema, c.MetaData.Codec)
		}
	}
	// Distinct values: PLAIN (see TestWriteParquetStringEncodings).
	if slices.Contains(chunkEncodings(meta, "customer_id"), format.RLEDictionary) {
		t.Errorf("distinct ids are dictionary-encoded: %v", chunkEncodings(meta, "customer_id"))
	}
}

// TestWriteParquetDeterministic: equal tables give equal bytes.
func TestWriteParquetDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteParquet(&a, sampleTable()); err != nil {
		t.Fatal(err)
	}
	if err := WriteParquet(&b, sampleTable()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same table differ")
	}
	if bytes.Contains(a.Bytes(), []byte("parquet-go")) {
		t.Error("the file records parquet-go's build information")
	}
}

// TestWriteParquetRowGroups: row groups hold at most MaxRowsPerRowGroup
// rows, and a multi-group file reads back whole.
func TestWriteParquetRowGroups(t *testing.T) {
	n := MaxRowsPerRowGroup + 10
	ints := make([]int64, n)
	for i := range ints {
		ints[i] = int64(i) * 3
	}
	want := &Table{Columns: []Column{{Name: "x", Kind: KindInt64, Ints: ints}}}
	path := filepath.Join(t.TempDir(), "big.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteParquet(f, want); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	meta := fixtureMeta(t, path)
	if len(meta.RowGroups) != 2 || meta.RowGroups[0].NumRows != MaxRowsPerRowGroup {
		t.Errorf("%d row groups, the first of %d rows; want 2, the first of %d", len(meta.RowGroups), meta.RowGroups[0].NumRows, MaxRowsPerRowGroup)
	}
	got, err := ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sameTable(got, want); err != nil {
		t.Error(err)
	}
}

func TestWriteCSVReadTable(t *testing.T) {
	want := sampleTable()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, want); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "customer_id,monetary,odd,frequency,vip_top5,last_order,city\nC1,0.1,NaN,1,true,2011-12-09T12:50:00Z,Bucharest\n") {
		t.Errorf("csv starts\n%s", buf.String()[:120])
	}
	path := writeFile(t, t.TempDir(), "features.csv", buf.String())
	got, err := ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	// CSV has no nulls in string columns: an empty field is "".
	want.Columns[6].Nulls = nil
	// CSV floats keep 12 significant digits (FormatFloat).
	for j := range want.Columns {
		for i, v := range want.Columns[j].Floats {
			want.Columns[j].Floats[i], _ = strconv.ParseFloat(FormatFloat(v), 64)
		}
	}
	if err := sameTable(got, want); err != nil {
		t.Error(err)
	}
}

func TestReadTableCSVKinds(t *testing.T) {
	text := "id,zip,n,x,flag,at,mixed,blank\n" +
		"1,007,3,1.5,true,2011-12-09T12:50:00Z,a,\n" +
		"2,010,,2,FALSE,2011-12-10T00:00:00+02:00,1,\n" +
		"3,123,-4,1e3,false,,2,\n"
	got, err := ReadTable(context.Background(), writeFile(t, t.TempDir(), "t.csv.gz", text))
	if err != nil {
		t.Fatal(err)
	}
	want := &Table{Columns: []Column{
		{Name: "id", Kind: KindInt64, Ints: []int64{1, 2, 3}},
		{Name: "zip", Kind: KindString, Strings: []string{"007", "010", "123"}},
		{Name: "n", Kind: KindInt64, Ints: []int64{3, 0, -4}, Nulls: []bool{false, true, false}},
		{Name: "x", Kind: KindFloat64, Floats: []float64{1.5, 2, 1000}},
		{Name: "flag", Kind: KindBool, Bools: []bool{true, false, false}},
		{Name: "at", Kind: KindTime, Times: []time.Time{t0, time.Date(2011, 12, 9, 22, 0, 0, 0, time.UTC), {}}, Nulls: []bool{false, false, true}},
		{Name: "mixed", Kind: KindString, Strings: []string{"a", "1", "2"}},
		{Name: "blank", Kind: KindString, Strings: []string{"", "", ""}},
	}}
	if err := sameTable(got, want); err != nil {
		t.Error(err)
	}
}

// TestReadOrdersOfWrittenTable: an orders table written by WriteParquet,
// with a KindTime column, reads back through ReadOrders.
func TestReadOrdersOfWrittenTable(t *testing.T) {
	orders := &Table{Columns: []Column{
		{Name: "order_id", Kind: KindString, Strings: []string{"O1", "O1", "O2"}},
		{Name: "customer_id", Kind: KindString, Strings: []string{"C1", "C1", "C2"}},
		{Name: "time", Kind: KindTime, Times: []time.Time{t0, t0, t0.Add(time.Hour)}},
		{Name: "category", Kind: KindString, Strings: []string{"home", "books", "home"}},
		{Name: "quantity", Kind: KindInt64, Ints: []int64{2, 1, 3}},
		{Name: "unit_price", Kind: KindFloat64, Floats: []float64{9.99, 5, 1.25}},
		{Name: "discount", Kind: KindFloat64, Floats: []float64{1, 0, 0.75}},
		{Name: "coupon", Kind: KindString, Strings: []string{"SAVE10", "SAVE10", ""}},
	}}
	path := filepath.Join(t.TempDir(), "orders.parquet")
	var buf bytes.Buffer
	if err := WriteParquet(&buf, orders); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	lines, _, _, err := readAll(t, OrderSource{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	want := []OrderLine{
		{CustomerID: "C1", OrderID: "O1", Time: t0, Category: "home", Coupon: "SAVE10", Quantity: 2, UnitPrice: 9.99, Discount: 1, Amount: 2*9.99 - 1},
		{CustomerID: "C1", OrderID: "O1", Time: t0, Category: "books", Coupon: "SAVE10", Quantity: 1, UnitPrice: 5, Amount: 5},
		{CustomerID: "C2", OrderID: "O2", Time: t0.Add(time.Hour), Category: "home", Quantity: 3, UnitPrice: 1.25, Discount: 0.75, Amount: 3},
	}
	if !slices.Equal(lines, want) {
		t.Errorf("lines:\n got %+v\nwant %+v", lines, want)
	}
}

func TestTableValidate(t *testing.T) {
	tests := []struct {
		name string
		t    Table
		err  string
	}{
		{"ragged", Table{Columns: []Column{{Name: "a", Kind: KindInt64, Ints: []int64{1}}, {Name: "b", Kind: KindInt64}}}, `column "b" has 0 rows`},
		{"duplicate", Table{Columns: []Column{{Name: "a", Kind: KindBool}, {Name: "a", Kind: KindBool}}}, `"a" appears twice`},
		{"unnamed", Table{Columns: []Column{{Kind: KindBool}}}, "no name"},
		{"no kind", Table{Columns: []Column{{Name: "a"}}}, "invalid kind"},
		{"short nulls", Table{Columns: []Column{{Name: "a", Kind: KindInt64, Ints: []int64{1, 2}, Nulls: []bool{true}}}}, "null flags"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, write := range []func() error{
				func() error { return WriteParquet(&bytes.Buffer{}, &tc.t) },
				func() error { return WriteCSV(&bytes.Buffer{}, &tc.t) },
			} {
				if err := write(); err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("err = %v, want one containing %q", err, tc.err)
				}
			}
		})
	}
}

// TestReadTableParquetTypes reads a file written by another writer, with
// the physical and logical types Spark and pyarrow produce, into the
// natural kinds.
func TestReadTableParquetTypes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "customers.parquet")
	writeFixture(t, path, 3, []fixCol{
		{"id", parquet.Encoded(parquet.Int(64), &parquet.RLEDictionary), func(i int) parquet.Value { return i64Val(int64(100 + i%2)) }},
		{"age", parquet.Int(32), func(i int) parquet.Value { return parquet.Int32Value(int32(30 + i)) }},
		{"score", parquet.Leaf(parquet.FloatType), func(i int) parquet.Value { return parquet.FloatValue(0.5 * float32(i)) }},
		{"balance", parquet.Decimal(2, 9, parquet.Int32Type), func(i int) parquet.Value { return parquet.Int32Value(int32(-150 + 100*i)) }},
		{"signup", parquet.Date(), func(i int) parquet.Value { return parquet.Int32Value(int32(days20111209 + i)) }},
		{"seen", parquet.Leaf(parquet.Int96Type), func(i int) parquet.Value {
			return parquet.Int96Value(deprecated.Int96{0, 0, uint32(jdn20111209 + i)})
		}},
		{"email", parquet.Optional(parquet.String()), func(i int) parquet.Value {
			if i == 1 {
				return parquet.NullValue()
			}
			return strVal(fmt.Sprintf("c%d@example.com", i))
		}},
		{"spend", parquet.Optional(parquet.Leaf(parquet.DoubleType)), func(i int) parquet.Value {
			if i == 2 {
				return parquet.NullValue()
			}
			return f64Val(float64(i) + 0.25)
		}},
		{"b2b", parquet.Leaf(parquet.BooleanType), func(i int) parquet.Value { return parquet.BooleanValue(i == 1) }},
	})
	got, err := ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	day := t0.Truncate(24 * time.Hour)
	want := &Table{Columns: []Column{
		{Name: "id", Kind: KindInt64, Ints: []int64{100, 101, 100}},
		{Name: "age", Kind: KindInt64, Ints: []int64{30, 31, 32}},
		{Name: "score", Kind: KindFloat64, Floats: []float64{0, 0.5, 1}},
		{Name: "balance", Kind: KindFloat64, Floats: []float64{-1.5, -0.5, 0.5}},
		{Name: "signup", Kind: KindTime, Times: []time.Time{day, day.AddDate(0, 0, 1), day.AddDate(0, 0, 2)}},
		{Name: "seen", Kind: KindTime, Times: []time.Time{day, day.AddDate(0, 0, 1), day.AddDate(0, 0, 2)}},
		{Name: "email", Kind: KindString, Strings: []string{"c0@example.com", "", "c2@example.com"}, Nulls: []bool{false, true, false}},
		{Name: "spend", Kind: KindFloat64, Floats: []float64{0.25, 1.25, math.NaN()}, Nulls: []bool{false, false, true}},
		{Name: "b2b", Kind: KindBool, Bools: []bool{false, true, false}},
	}}
	if err := sameTable(got, want); err != nil {
		t.Error(err)
	}
}

func TestReadTableErrors(t *testing.T) {
	dir := t.TempDir()
	repeated := filepath.Join(dir, "tags.parquet")
	writeFixture(t, repeated, 2, []fixCol{
		{"tags", parquet.Repeated(parquet.String()), func(i int) parquet.Value { return strVal("a") }},
	})
	tests := []struct {
		name string
		path string
		is   error
	}{
		{"repeated column", repeated, ErrColumnType},
		{"not parquet", writeFile(t, dir, "x.parquet", "id\n1\n"), ErrNotParquet},
		{"ragged csv", writeFile(t, dir, "x.csv", "id,n\n1,2\n3\n"), nil},
		{"missing file", filepath.Join(dir, "none.csv"), os.ErrNotExist},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadTable(context.Background(), tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.path) {
				t.Fatalf("err = %v, want an error naming %s", err, tc.path)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("err = %v, want %v", err, tc.is)
			}
		})
	}
}
