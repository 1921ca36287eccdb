package data

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
)

// TestReadOrdersUint64IDs: a UINT_64 customer id column holds values up
// to 2⁶⁴−1; those above 2⁶³−1 are stored as negative int64 bits and must
// read as their unsigned decimal digits, not fail as a damaged file.
func TestReadOrdersUint64IDs(t *testing.T) {
	ids := []uint64{5, 1 << 63, 1 << 63, math.MaxUint64}
	want := []string{"5", "9223372036854775808", "9223372036854775808", "18446744073709551615"}
	path := filepath.Join(t.TempDir(), "orders.parquet")
	writeFixture(t, path, len(ids), []fixCol{
		{"customer_id", parquet.Uint(64), func(i int) parquet.Value { return i64Val(int64(ids[i])) }},
		{"order_id", parquet.Uint(64), func(i int) parquet.Value { return i64Val(int64(ids[len(ids)-1-i])) }},
		{"time", parquet.Timestamp(parquet.Microsecond), func(i int) parquet.Value { return i64Val(t0.UnixMicro()) }},
		// An amount of 2⁶³ reads as that number, not a negative one, and
		// is then out of range (MaxLineValue).
		{"amount", parquet.Uint(64), func(i int) parquet.Value { return i64Val([]int64{10, 20, -1 << 63, 30}[i]) }},
	})
	lines, rejects, _, err := readAll(t, OrderSource{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(rejects) != 1 || rejects[0].Row != 3 || rejects[0].Raw["amount"] != "9223372036854775808" {
		t.Fatalf("rejects %v, want row 3's amount 2⁶³ out of range", rejects)
	}
	var got []string
	for _, l := range lines {
		got = append(got, l.CustomerID, l.OrderID)
	}
	wantIDs := []string{want[0], want[3], want[1], want[2], want[3], want[0]} // rows 1, 2 and 4
	if !slices.Equal(got, wantIDs) {
		t.Errorf("customer and order ids %q, want %q", got, wantIDs)
	}
}

// TestReadOrdersRejectsInvalidUTF8AndRange: ids that are not valid UTF-8
// and values a customer's sums cannot hold are rejected when read, with
// the file, the row and a reason naming the column, so that the outputs
// stay readable by strict readers and the aggregator never sees them.
func TestReadOrdersRejectsInvalidUTF8AndRange(t *testing.T) {
	dir := t.TempDir()
	csvPath := writeFile(t, dir, "orders.csv", "customer_id,order_id,time,amount,quantity,product_id\n"+
		"C1,O1,2024-01-02T10:00:00Z,10,1,P1\n"+
		"C\xff,O2,2024-01-02T10:00:00Z,10,1,P1\n"+
		"C3,O\xc3,2024-01-02T10:00:00Z,10,1,P1\n"+
		"C4,O4,2024-01-02T10:00:00Z,10,1,P\xfe\n"+
		"C5,O5,2024-01-02T10:00:00Z,1e308,1,P1\n"+
		"C6,O6,9999-01-02T10:00:00Z,10,1,P1\n"+
		"C7,O7,2024-01-02T10:00:00Z,10,-2e13,P1\n"+
		"C8,O8,2024-01-02T10:00:00Z,10,1,P1\n")
	pqPath := filepath.Join(dir, "orders.parquet")
	far := time.Date(9999, 1, 2, 0, 0, 0, 0, time.UTC)
	writeFixture(t, pqPath, 4, []fixCol{
		{"customer_id", parquet.String(), func(i int) parquet.Value { return strVal([]string{"C1", "\xff\xfe", "C3", "C4"}[i]) }},
		{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", i)) }},
		{"time", parquet.Timestamp(parquet.Microsecond), func(i int) parquet.Value {
			return i64Val([]time.Time{t0, t0, far, t0}[i].UnixMicro())
		}},
		{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val([]float64{10, 10, 10, -1e300}[i]) }},
	})
	tests := []struct {
		name  string
		path  string
		used  []string // customer ids of the lines used
		rows  []int64
		whys  []string
		extra string // a file name every reject must carry
	}{
		{"csv", csvPath, []string{"C1", "C8"}, []int64{2, 3, 4, 5, 6, 7}, []string{
			"customer_id is not valid UTF-8", "order_id is not valid UTF-8", "product_id is not valid UTF-8",
			"amount out of range (magnitude above 1e12)", "time out of range (years 1678–2261)",
			"quantity out of range (magnitude above 1e12)"}, csvPath},
		{"parquet", pqPath, []string{"C1"}, []int64{2, 3, 4}, []string{
			"customer_id is not valid UTF-8", "time out of range (years 1678–2261)",
			"amount out of range (magnitude above 1e12)"}, pqPath},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Read as UTF-8: detected, the CSV file would be Windows-1252
			// (TestReadOrdersCSVWindows1252).
			lines, rejects, stats, err := readAll(t, OrderSource{Path: tc.path, CSV: CSVDialect{Encoding: EncodingUTF8}})
			if err != nil {
				t.Fatal(err)
			}
			var used []string
			for _, l := range lines {
				used = append(used, l.CustomerID)
			}
			if !slices.Equal(used, tc.used) {
				t.Errorf("used %q, want %q", used, tc.used)
			}
			if len(rejects) != len(tc.whys) {
				t.Fatalf("rejects %v, want %d", rejects, len(tc.whys))
			}
			for i, r := range rejects {
				if r.File != tc.extra || r.Row != tc.rows[i] || r.Reason != tc.whys[i] {
					t.Errorf("reject %d = %s row %d %q; want row %d %q", i, r.File, r.Row, r.Reason, tc.rows[i], tc.whys[i])
				}
			}
			if stats.RevenueExcluded > 1e12 {
				t.Errorf("RevenueExcluded %v counts an out-of-range amount", stats.RevenueExcluded)
			}
		})
	}
}

// TestReadOrdersRepairsText: in a file read as UTF-8, bytes that are not
// valid UTF-8 in a line's descriptive strings read as U+FFFD; the line is
// used. (Detected, this file is Windows-1252: "Spielé", "Köln".)
func TestReadOrdersRepairsText(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", "customer_id,order_id,time,amount,category,city,channel\n"+
		"C1,O1,2024-01-02T10:00:00Z,10,Spiel\xe9,K\xf6ln,web\n")
	if lines, _, _, err := readAll(t, OrderSource{Path: path}); err != nil || len(lines) != 1 || lines[0].Category != "Spielé" || lines[0].City != "Köln" {
		t.Errorf("detected: %+v, %v; want Spielé in Köln", lines, err)
	}
	lines, rejects, _, err := readAll(t, OrderSource{Path: path, CSV: CSVDialect{Encoding: EncodingUTF8}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rejects) != 0 || len(lines) != 1 {
		t.Fatalf("%d lines, rejects %v", len(lines), rejects)
	}
	if l := lines[0]; l.Category != "Spiel\uFFFD" || l.City != "K\uFFFDln" || l.Channel != "web" {
		t.Errorf("category %q, city %q, channel %q", l.Category, l.City, l.Channel)
	}
}

// TestReadOrdersDictionaryUTF8: dictionary-encoded strings are checked
// once per dictionary entry; a dictionary with one bad entry still rejects
// (ids) or repairs (text) exactly the lines that use it, in every row
// group, whichever dictionary came before.
func TestReadOrdersDictionaryUTF8(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.parquet")
	dict := func(node parquet.Node) parquet.Node { return parquet.Encoded(node, &parquet.RLEDictionary) }
	// Row groups of 4 rows: the first and third have a bad customer id
	// and a bad category in row 2 of the group; the second has none.
	bad := func(i int) bool { return i%4 == 1 && (i/4)%2 == 0 }
	writeFixture(t, path, 12, []fixCol{
		{"customer_id", dict(parquet.String()), func(i int) parquet.Value {
			if bad(i) {
				return strVal("C\xff")
			}
			return strVal(fmt.Sprintf("C%d", i%3))
		}},
		{"order_id", dict(parquet.String()), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", i/2)) }},
		{"time", parquet.Timestamp(parquet.Microsecond), func(i int) parquet.Value { return i64Val(t0.UnixMicro()) }},
		{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(10) }},
		{"category", dict(parquet.String()), func(i int) parquet.Value {
			if i%4 == 2 && (i/4)%2 == 0 {
				return strVal("Spiel\xe9")
			}
			return strVal("Toys")
		}},
	}, parquet.MaxRowsPerRowGroup(4))
	if n := len(fixtureMeta(t, path).RowGroups); n != 3 {
		t.Fatalf("fixture has %d row groups, want 3", n)
	}
	lines, rejects, _, err := readAll(t, OrderSource{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	var rows []int64
	for _, r := range rejects {
		if r.Reason != "customer_id is not valid UTF-8" {
			t.Errorf("reject row %d: %q", r.Row, r.Reason)
		}
		rows = append(rows, r.Row)
	}
	if want := []int64{2, 10}; !slices.Equal(rows, want) {
		t.Errorf("rejected rows %v, want %v", rows, want)
	}
	var cats []string
	for _, l := range lines {
		if !utf8.ValidString(l.CustomerID) || !utf8.ValidString(l.Category) {
			t.Errorf("line %+v is not valid UTF-8", l)
		}
		cats = append(cats, l.Category)
	}
	want := []string{"Toys", "Spiel\uFFFD", "Toys", "Toys", "Toys", "Toys", "Toys", "Toys", "Spiel\uFFFD", "Toys"}
	if !slices.Equal(cats, want) {
		t.Errorf("categories %q, want %q", cats, want)
	}
}

// TestOutOfRangeNamesTheCell: a line whose amount is quantity × unit_price
// and whose quantity is out of range is rejected for its quantity, the
// cell the export holds, not for the amount made of it.
func TestOutOfRangeNamesTheCell(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", "customer_id,order_id,time,quantity,unit_price\n"+
		"C1,O1,2024-01-02T10:00:00Z,99999999999999999999,66.06\nC2,O2,2024-01-02T10:00:00Z,1,5\n")
	_, rejects, _, err := readAll(t, OrderSource{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(rejects) != 1 || rejects[0].Reason != "quantity out of range (magnitude above 1e12)" {
		t.Errorf("rejects %+v, want C1's line for its quantity", rejects)
	}
}

// TestReadOrdersNULIDs: an id holding a NUL byte is rejected as one that
// is not valid UTF-8 is, naming the column (PostgreSQL's COPY refuses the
// byte, C strings end at it), in a CSV file and in Parquet pages plain and
// dictionary-encoded (whose entries are checked once, with the UTF-8); a
// refund on such a line is not carried to its order.
func TestReadOrdersNULIDs(t *testing.T) {
	dir := t.TempDir()
	// The NUL bytes after the first 64 KiB, which the reader sniffs for a
	// binary file's.
	csvPath := writeFile(t, dir, "orders.csv", "customer_id,order_id,time,amount,product_id\n"+
		strings.Repeat("C1,O1,2024-01-02T10:00:00Z,10,P1\n", 3000)+
		"C\x002,O2,2024-01-02T10:00:00Z,10,P1\n"+
		"C3,O\x003,2024-01-02T10:00:00Z,10,P1\n"+
		"C4,O4,2024-01-02T10:00:00Z,10,P\x00\n")
	whys := []string{"customer_id holds a NUL byte", "order_id holds a NUL byte", "product_id holds a NUL byte"}
	lines, rejects, _, err := readAll(t, OrderSource{Path: csvPath})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 3000 || len(rejects) != 3 {
		t.Fatalf("csv: %d lines, rejects %v; want 3000 lines of C1", len(lines), rejects)
	}
	for i, r := range rejects {
		if r.Row != int64(3001+i) || r.Reason != whys[i] {
			t.Errorf("csv reject %d: row %d %q, want row %d %q", i, r.Row, r.Reason, 3001+i, whys[i])
		}
	}
	for _, enc := range []struct {
		name string
		node func(parquet.Node) parquet.Node
	}{
		{"plain", func(n parquet.Node) parquet.Node { return n }},
		{"dictionary", func(n parquet.Node) parquet.Node { return parquet.Encoded(n, &parquet.RLEDictionary) }},
	} {
		t.Run(enc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "orders.parquet")
			writeFixture(t, path, 3, []fixCol{
				{"customer_id", enc.node(parquet.String()), func(i int) parquet.Value { return strVal([]string{"C1", "C\x001", "C1"}[i]) }},
				{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", i)) }},
				{"time", parquet.Timestamp(parquet.Microsecond), func(i int) parquet.Value { return i64Val(t0.UnixMicro()) }},
				{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(10) }},
			})
			lines, rejects, _, err := readAll(t, OrderSource{Path: path})
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != 2 || len(rejects) != 1 || rejects[0].Row != 2 || rejects[0].Reason != whys[0] {
				t.Errorf("%d lines, rejects %v; want row 2 rejected: %s", len(lines), rejects, whys[0])
			}
		})
	}
	if carriesRefund(whys[0]) || carriesRefund(whys[1]) {
		t.Error("a line whose customer or order id holds a NUL carries its refund to an order it cannot be matched to")
	}
}
