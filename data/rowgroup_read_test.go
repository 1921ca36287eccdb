package data

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestReadOrderPartsEqualReadOrders reads a glob of Parquet files of many
// row groups, and a CSV file, part by part and checks that the parts give
// the lines, rejects (with their file rows) and counts ReadOrders gives.
func TestReadOrderPartsEqualReadOrders(t *testing.T) {
	dir := t.TempDir()
	const n = 700
	cols := []fixCol{
		{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%06d", i/3)) }},
		{"customer_id", parquet.Optional(parquet.String()), func(i int) parquet.Value {
			if i%101 == 50 { // a reject in some row groups
				return parquet.NullValue()
			}
			return strVal(fmt.Sprintf("customer-%d", i%97))
		}},
		{"time", parquet.Timestamp(parquet.Microsecond), func(i int) parquet.Value { return i64Val(t0.UnixMicro() + int64(i)*1e6) }},
		{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(float64(i%13) - 2.5) }},
		{"category", parquet.String(), func(i int) parquet.Value { return strVal([]string{"a", "b", "c"}[i%3]) }},
	}
	writeFixture(t, filepath.Join(dir, "part-1.parquet"), n, cols, parquet.MaxRowsPerRowGroup(128), parquet.PageBufferSize(512))
	writeFixture(t, filepath.Join(dir, "part-0.parquet"), n/2, cols, parquet.MaxRowsPerRowGroup(100))
	writeFile(t, dir, "part-2.csv", "customer_id,order_id,time,amount\nc1,o1,2024-01-02,3.5\n,o2,2024-01-03,1\nc2,o3,2024-01-04,2\n")

	tests := []struct {
		name      string
		path      string
		wantParts int
	}{
		{"glob", filepath.Join(dir, "part-*"), 6 + 4 + 1}, // ceil(700/128), ceil(350/100), one CSV file
		{"one file", filepath.Join(dir, "part-1.parquet"), 6},
		{"directory", dir, 11},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := OrderSource{Path: tc.path, BatchSize: 37}
			want, wantRejects, wantStats, err := readAll(t, src)
			if err != nil {
				t.Fatal(err)
			}
			parts, err := OrderParts(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if len(parts) != tc.wantParts {
				t.Fatalf("%d parts, want %d: %+v", len(parts), tc.wantParts, parts)
			}
			var got []OrderLine
			var gotRejects []Reject
			var read, used, rejected int64
			src.OnReject = func(r Reject) { gotRejects = append(gotRejects, r) }
			for _, p := range parts {
				st, err := ReadOrderPart(context.Background(), src, p, func(b []OrderLine) error {
					if len(b) > 37 {
						t.Errorf("batch of %d lines, want at most 37", len(b))
					}
					got = append(got, b...)
					return nil
				})
				if err != nil {
					t.Fatalf("part %+v: %v", p, err)
				}
				if st.Files != nil {
					t.Errorf("part %+v: stats name files %v", p, st.Files)
				}
				if p.Rows >= 0 && st.RowsRead != p.Rows {
					t.Errorf("part %+v: read %d rows", p, st.RowsRead)
				}
				read, used, rejected = read+st.RowsRead, used+st.RowsUsed, rejected+st.RowsRejected
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("parts gave %d lines, ReadOrders %d; they differ", len(got), len(want))
			}
			if !reflect.DeepEqual(gotRejects, wantRejects) || len(wantRejects) == 0 {
				t.Fatalf("rejects:\n got %+v\nwant %+v", gotRejects, wantRejects)
			}
			if read != wantStats.RowsRead || used != wantStats.RowsUsed || rejected != wantStats.RowsRejected {
				t.Fatalf("parts read/used/rejected %d/%d/%d, ReadOrders %d/%d/%d", read, used, rejected,
					wantStats.RowsRead, wantStats.RowsUsed, wantStats.RowsRejected)
			}
		})
	}
}

// TestReadOrderPartErrors checks the errors of a part that cannot be read.
func TestReadOrderPartErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "orders.parquet")
	cols := []fixCol{
		{"order_id", parquet.String(), func(i int) parquet.Value { return strVal("o") }},
		{"customer_id", parquet.String(), func(i int) parquet.Value { return strVal("c") }},
		{"time", parquet.Timestamp(parquet.Microsecond), func(i int) parquet.Value { return i64Val(t0.UnixMicro()) }},
		{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(1) }},
	}
	writeFixture(t, path, 10, cols)
	notParquet := writeFile(t, dir, "bad.parquet", "not parquet")
	ctx := context.Background()
	nop := func([]OrderLine) error { return nil }
	tests := []struct {
		name string
		src  OrderSource
		part OrderPart
		want error
	}{
		{"no such row group", OrderSource{}, OrderPart{File: path, RowGroup: 1}, nil},
		{"duplicates", OrderSource{Duplicates: DropDuplicates}, OrderPart{File: path}, ErrPartDuplicates},
		{"not parquet", OrderSource{}, OrderPart{File: notParquet}, ErrNotParquet},
		{"missing column", OrderSource{Columns: OrderColumns{CustomerID: "cust", OrderID: "order_id", Time: "time", Amount: "amount"}},
			OrderPart{File: path}, ErrMissingColumn},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadOrderPart(ctx, tc.src, tc.part, nop)
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := OrderParts(notParquet); !errors.Is(err, ErrNotParquet) {
		t.Fatalf("OrderParts of a file that is not Parquet: %v", err)
	}
}
