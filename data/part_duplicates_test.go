package data

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// TestReadOrderPartAfterEqualsDrop reads order files with duplicate lines
// (within a row group, across row groups and files, Parquet and CSV,
// some copies rejected for another reason first) part by part, as a
// distributed run does: each part kept whole to hash its lines
// (PartLineHashes), then read with ReadOrderPartAfter and the hashes that
// earlier parts share with it. The lines, rejects (rows, raw values,
// revenue excluded) and counts must be those of ReadOrders with
// DropDuplicates; without the earlier hashes, they are not.
func TestReadOrderPartAfterEqualsDrop(t *testing.T) {
	glob := writeDuplicateLines(t)
	ctx := context.Background()

	src := OrderSource{Path: glob, BatchSize: 41, Duplicates: DropDuplicates}
	want, wantRejects, wantStats, err := readAll(t, src)
	if err != nil {
		t.Fatal(err)
	}
	if wantStats.RejectsByReason["duplicate line"] == 0 {
		t.Fatal("the fixture has no duplicate line")
	}
	parts, err := OrderParts(glob)
	if err != nil {
		t.Fatal(err)
	}
	// The first pass: each part's hashes, kept whole.
	first := map[uint64]int{} // hash → the first part that has it
	earlier := make([][]uint64, len(parts))
	for k, p := range parts {
		seen, err := PartLineHashes(ctx, OrderSource{}, p)
		if err != nil {
			t.Fatal(err)
		}
		for h := range seen {
			if _, ok := first[h]; !ok {
				first[h] = k
			} else {
				earlier[k] = append(earlier[k], h)
			}
		}
	}
	for _, shared := range []bool{true, false} {
		var got []OrderLine
		var gotRejects []Reject
		var st ReadStats
		psrc := OrderSource{BatchSize: 41, OnReject: func(r Reject) { gotRejects = append(gotRejects, r) }}
		for k, p := range parts {
			var e []uint64
			if shared {
				e = slices.Clone(earlier[k])
			}
			ps, err := ReadOrderPartAfter(ctx, psrc, p, e, func(b []OrderLine) error { got = append(got, b...); return nil })
			if err != nil {
				t.Fatalf("part %+v: %v", p, err)
			}
			st.RowsRead, st.RowsUsed, st.RowsRejected = st.RowsRead+ps.RowsRead, st.RowsUsed+ps.RowsUsed, st.RowsRejected+ps.RowsRejected
			st.RevenueExcluded += ps.RevenueExcluded
		}
		same := reflect.DeepEqual(got, want) && reflect.DeepEqual(gotRejects, wantRejects) &&
			st.RowsRead == wantStats.RowsRead && st.RowsUsed == wantStats.RowsUsed && st.RowsRejected == wantStats.RowsRejected
		if same != shared {
			t.Fatalf("with the earlier parts' hashes %v: %d lines, %d rejects, %+v; ReadOrders %d, %d, %+v",
				shared, len(got), len(gotRejects), st, len(want), len(wantRejects), wantStats)
		}
	}
}

// TestLineHashIsDropDuplicates checks that LineHash is the hash
// ReadOrders' DropDuplicates compares lines by.
func TestLineHashIsDropDuplicates(t *testing.T) {
	lines := []OrderLine{
		{CustomerID: "c", OrderID: "o", Time: t0, Amount: 1},
		{CustomerID: "c", OrderID: "o", Time: t0, Amount: 1, Discount: 0.5, Category: "x", City: "Paris"},
		{CustomerID: "co", OrderID: "", Time: t0.Add(time.Nanosecond), Quantity: -1, UnitPrice: 2, Returned: true},
	}
	for i := range lines {
		r := &orderReader{lines: map[uint64]struct{}{LineHash(&lines[i]): {}}}
		if !r.seen(&lines[i]) {
			t.Errorf("line %d: LineHash %x is not the duplicates' hash", i, LineHash(&lines[i]))
		}
		if j := (i + 1) % len(lines); LineHash(&lines[j]) == LineHash(&lines[i]) {
			t.Errorf("lines %d and %d: one hash", i, j)
		}
	}
}

// writeDuplicateLines writes order files with duplicate lines (within a
// row group, across row groups and files, Parquet and CSV, some copies
// rejected for another reason first) into a temporary folder and returns
// their glob.
func writeDuplicateLines(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	const n = 600
	cols := []fixCol{
		{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%06d", i%250/3)) }},
		{"customer_id", parquet.Optional(parquet.String()), func(i int) parquet.Value {
			if i%101 == 50 {
				return parquet.NullValue()
			}
			return strVal(fmt.Sprintf("customer-%d", i%250%97))
		}},
		{"time", parquet.Timestamp(parquet.Microsecond), func(i int) parquet.Value { return i64Val(t0.UnixMicro() + int64(i%250)*1e6) }},
		{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(float64(i%250%13) - 2.5) }},
	}
	writeFixture(t, filepath.Join(dir, "part-0.parquet"), n, cols, parquet.MaxRowsPerRowGroup(128))
	writeFixture(t, filepath.Join(dir, "part-1.parquet"), n/3, cols, parquet.MaxRowsPerRowGroup(70))
	line := func(i int) string {
		return fmt.Sprintf("customer-%d,O%06d,%s,%g\n", i%97, i/3, t0.Add(time.Duration(i)*time.Second).UTC().Format(time.RFC3339), float64(i%13)-2.5)
	}
	writeFile(t, dir, "part-2.csv", "customer_id,order_id,time,amount\n"+line(3)+line(4)+line(4)+",o,2024-01-01,1\n"+line(300))
	return filepath.Join(dir, "part-*")
}
