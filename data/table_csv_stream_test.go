package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// scanAll scans path with ScanTable, csvScanRows set to rows, and returns
// the pieces joined into one table, the number of pieces, and whether
// each piece's first row followed the previous ones.
func scanAll(t *testing.T, path string, rows int) (*Table, int, error) {
	t.Helper()
	defer func(n int) { csvScanRows = n }(csvScanRows)
	csvScanRows = rows
	var all *Table
	pieces := 0
	var next int64
	err := ScanTable(context.Background(), path, func(p *Table, first int64) error {
		if first != next {
			t.Errorf("piece %d starts at row %d, want %d", pieces, first, next)
		}
		if n := p.NumRows(); n > rows {
			t.Errorf("piece %d has %d rows, more than %d", pieces, n, rows)
		}
		next += int64(p.NumRows())
		pieces++
		if all == nil {
			all = p
			return nil
		}
		for j := range all.Columns {
			a, c := &all.Columns[j], &p.Columns[j]
			if a.Name != c.Name || a.Kind != c.Kind {
				t.Fatalf("piece %d column %d is %q %v, want %q %v", pieces, j, c.Name, c.Kind, a.Name, a.Kind)
			}
			if (a.Nulls != nil || c.Nulls != nil) && a.Len() > 0 {
				if a.Nulls == nil {
					a.Nulls = make([]bool, a.Len())
				}
				if c.Nulls == nil {
					c.Nulls = make([]bool, c.Len())
				}
			}
			a.Strings, a.Floats, a.Ints = append(a.Strings, c.Strings...), append(a.Floats, c.Floats...), append(a.Ints, c.Ints...)
			a.Bools, a.Times, a.Nulls = append(a.Bools, c.Bools...), append(a.Times, c.Times...), append(a.Nulls, c.Nulls...)
		}
		return nil
	})
	return all, pieces, err
}

// TestScanTableCSVMatchesReadTable: a CSV table scanned in pieces is the
// table ReadTable reads, kinds, values and nulls, although a piece alone
// would type its columns otherwise (a null, a leading zero, a text value
// or a decimal comma far down the file).
func TestScanTableCSVMatchesReadTable(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,zip,n,x,flag,at,mixed,blank\n")
	for i := range 50 {
		zip, n, mixed := fmt.Sprint(100+i), fmt.Sprint(i-20), fmt.Sprint(i)
		switch i {
		case 41:
			zip = "007" // a leading zero keeps the column text
		case 43:
			n = "" // a null, late
		case 47:
			mixed = "a"
		}
		fmt.Fprintf(&b, "%d,%s,%s,%d.5,%t,2011-12-%02dT12:50:00Z,%s,\n", i, zip, n, i, i%3 == 0, 1+i%28, mixed)
	}
	plain := b.String()
	var s strings.Builder
	s.WriteString("id;amount;grouped;code\n")
	for i := range 40 {
		amount := fmt.Sprint(i) // integers, then one decimal comma
		if i == 37 {
			amount = "12,50"
		}
		fmt.Fprintf(&s, "%d;%s;1.%03d;%04d\n", i, amount, i, i)
	}
	tests := []struct {
		name, file, text string
		rows             int
	}{
		{"comma", "t.csv", plain, 7},
		{"gzip", "t.csv.gz", plain, 16},
		{"one piece", "one.csv", plain, 1000},
		{"exact pieces", "exact.csv", plain, 25},
		{"semicolon decimal comma", "s.csv", s.String(), 6},
		{"header only", "h.csv", "a,b\n", 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, dir, tc.file, tc.text)
			want, err := ReadTable(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			got, pieces, err := scanAll(t, path, tc.rows)
			if err != nil {
				t.Fatal(err)
			}
			if n := want.NumRows(); pieces != max(1, (n+tc.rows-1)/tc.rows) {
				t.Errorf("%d pieces for %d rows of %d", pieces, n, tc.rows)
			}
			if err := sameTable(got, want); err != nil {
				t.Error(err)
			}
		})
	}
	if want, _ := ReadTable(context.Background(), filepath.Join(dir, "s.csv")); want.Columns[1].Kind != KindFloat64 || want.Columns[2].Kind != KindString {
		t.Errorf("the ';' file's kinds %v %v: the test does not test the decimal marks", want.Columns[1].Kind, want.Columns[2].Kind)
	}
}

// TestScanTableCSVErrors: the errors of ReadTable, from the first pass,
// before fn sees a row.
func TestScanTableCSVErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, text, want string }{
		{"ragged", "id,n\n1,2\n3\n", "wrong number of fields"},
		{"both decimal marks", "id;x\n1;1,5\n2;2.5\n", "decimal comma"},
		{"duplicate column", "a,a\n1,2\n", `duplicate column.csv: data: table column "a" appears twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, dir, tc.name+".csv", tc.text)
			calls := 0
			err := ScanTable(context.Background(), path, func(*Table, int64) error { calls++; return nil })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
			if _, rerr := ReadTable(context.Background(), path); rerr == nil || rerr.Error() != err.Error() {
				t.Errorf("ReadTable: %v, ScanTable: %v", rerr, err)
			}
			if tc.name != "duplicate column" && calls > 0 {
				t.Errorf("fn called %d times before the error", calls)
			}
		})
	}
}

// TestScanTableRagged: rows with the wrong number of fields are rows of
// empty cells listed in Ragged with their fields, in every piece, so that
// first plus a row's index is its row in the file; they play no part in
// typing the columns (n stays integer though a long row's "y" is not).
func TestScanTableRagged(t *testing.T) {
	defer func(n int) { csvScanRows = n }(csvScanRows)
	csvScanRows = 2
	path := writeFile(t, t.TempDir(), "ragged.csv", "id,n\na,1\nb\nc,3\nd,y,x\ne,5\n")
	type got struct {
		first  int64
		ids    []string
		ragged []RaggedRow
	}
	var pieces []got
	err := ScanTableRagged(context.Background(), path, func(tab *Table, first int64) error {
		if k := tab.Columns[1].Kind; k != KindInt64 {
			t.Errorf("column n is %v, want integer", k)
		}
		pieces = append(pieces, got{first, tab.Columns[0].Strings, tab.Ragged})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []got{
		{0, []string{"a", ""}, []RaggedRow{{Row: 1, Raw: map[string]string{"id": "b"}}}},
		{2, []string{"c", ""}, []RaggedRow{{Row: 1, Raw: map[string]string{"id": "d", "n": "y", "field 3": "x"}}}},
		{4, []string{"e"}, nil},
	}
	if !reflect.DeepEqual(pieces, want) {
		t.Errorf("pieces %+v\nwant   %+v", pieces, want)
	}
	if err := ScanTable(context.Background(), path, func(*Table, int64) error { return nil }); err == nil || !strings.Contains(err.Error(), "wrong number of fields") {
		t.Errorf("ScanTable: %v, want the ragged row's error", err)
	}
}

// TestScanTableCSVMemory: scanning a large CSV table holds one piece at a
// time. The live heap while fn runs (measured after a collection) stays a
// small fraction of the table ReadTable holds.
func TestScanTableCSVMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 200,000-row file")
	}
	const n = 200000
	path := filepath.Join(t.TempDir(), "events.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "customer_id,time,type,quantity")
	for i := range n {
		fmt.Fprintf(f, "C%07d,2024-%02d-%02dT%02d:00:00Z,%s,%d\n", i*7919%n, 1+i%12, 1+i%28, i%24, []string{"view", "cart", "checkout"}[i%3], i%5)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	live := func() uint64 {
		// Twice: the first GC only moves what sync.Pools hold (parquet-go's
		// and zstd's buffers, left by earlier tests) to their victim caches,
		// still live; a base that counted them would shrink the table's size.
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	base := live()
	whole, err := ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	wholeBytes := live() - base
	runtime.KeepAlive(whole)
	whole = nil

	defer func(r int) { csvScanRows = r }(csvScanRows)
	csvScanRows = 4096
	base = live()
	var peak uint64
	rows := 0
	err = ScanTable(context.Background(), path, func(p *Table, _ int64) error {
		rows += p.NumRows()
		if l := live(); l > base {
			peak = max(peak, l-base)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rows != n {
		t.Fatalf("scanned %d rows, want %d", rows, n)
	}
	// A piece is 4,096 of 200,000 rows, 2 %; allow 10 % for the reader's
	// buffers.
	if peak > wholeBytes/10 {
		t.Errorf("live heap while scanning %d bytes, the whole table %d: not streamed", peak, wholeBytes)
	}
	t.Logf("live heap: whole table %d bytes, while scanning at most %d", wholeBytes, peak)
}
