package data

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// retailCSV is a small export in the shape of the UCI Online Retail data:
// several lines per invoice, a cancellation invoice ("C" prefix, negative
// quantity), a line without a customer, a returned status, a quoted field.
const retailCSV = "\ufefforder_id,customer_id,time,quantity,unit_price,discount,status\n" +
	"O1,C1,2011-12-09 12:50:00,2,3.5,0.5,complete\n" +
	"O1,C1,2011-12-09 12:50:00,1,10,,complete\n" +
	"C2,C1,2011-12-10 08:00:00,-1,3.5,,\n" +
	"O3,,2011-12-10 09:00:00,1,1,,complete\n" +
	"O4,C2,2011-12-11,1,2,0,Returned\n" +
	"O5,\"C,3\",2011-12-11T10:00:00Z,3, 1.25 ,0.25,complete\n"

// retailLines are the lines of retailCSV read with CancelPrefix "C" and
// ReturnStatus "returned"; amount = quantity × unit_price − discount.
var retailLines = []OrderLine{
	{CustomerID: "C1", OrderID: "O1", Time: t0, Quantity: 2, UnitPrice: 3.5, Discount: 0.5, Amount: 6.5, Status: "complete"},
	{CustomerID: "C1", OrderID: "O1", Time: t0, Quantity: 1, UnitPrice: 10, Amount: 10, Status: "complete"},
	{CustomerID: "C1", OrderID: "C2", Time: time.Date(2011, 12, 10, 8, 0, 0, 0, time.UTC), Quantity: -1, UnitPrice: 3.5, Amount: -3.5, Returned: true},
	{CustomerID: "C2", OrderID: "O4", Time: time.Date(2011, 12, 11, 0, 0, 0, 0, time.UTC), Quantity: 1, UnitPrice: 2, Amount: 2, Status: "Returned", Returned: true, ReturnedInPlace: true},
	{CustomerID: "C,3", OrderID: "O5", Time: time.Date(2011, 12, 11, 10, 0, 0, 0, time.UTC), Quantity: 3, UnitPrice: 1.25, Discount: 0.25, Amount: 3.5, Status: "complete"},
}

func TestReadOrdersCSV(t *testing.T) {
	for _, name := range []string{"orders.csv", "orders.csv.gz"} {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), name, retailCSV)
			lines, rejects, stats, err := readAll(t, OrderSource{Path: path, CancelPrefix: "C", ReturnStatus: []string{"returned"}, BatchSize: 2})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(lines, retailLines) {
				t.Errorf("lines:\n got %+v\nwant %+v", lines, retailLines)
			}
			wantReject := []Reject{{File: path, Row: 4, Reason: "missing customer_id", Raw: map[string]string{
				"order_id": "O3", "customer_id": "", "time": "2011-12-10 09:00:00", "quantity": "1", "unit_price": "1", "discount": "", "status": "complete",
			}, Excluded: 1}}
			if !reflect.DeepEqual(rejects, wantReject) {
				t.Errorf("rejects:\n got %+v\nwant %+v", rejects, wantReject)
			}
			if stats.RowsRead != 6 || stats.RowsUsed != 5 || stats.RowsRejected != 1 || len(stats.Files) != 1 || stats.Files[0].Rows != 6 {
				t.Errorf("stats = %+v", stats)
			}
		})
	}
}

// TestReadOrdersCSVThousands: a comma-separated export whose amounts
// carry thousands separators, a decimal point and currency signs, as
// spreadsheets format them, is read with those amounts; so is a
// tab-separated one, whose "1,234.50" shows its decimal point.
func TestReadOrdersCSVThousands(t *testing.T) {
	for name, body := range map[string]string{
		"orders.csv": "order_id,customer_id,time,amount\n" +
			"O1,C1,2024-01-05,\"$1,234.50\"\nO2,C2,2024-01-06,2\nO3,C1,2024-02-05,\"(2,000.00)\"\n",
		"orders.tsv.csv": "order_id\tcustomer_id\ttime\tamount\n" +
			"O1\tC1\t2024-01-05\t1,234.50\nO2\tC2\t2024-01-06\t2\nO3\tC1\t2024-02-05\t-2,000.00\n",
	} {
		t.Run(name, func(t *testing.T) {
			lines, rejects, _, err := readAll(t, OrderSource{Path: writeFile(t, t.TempDir(), name, body)})
			if err != nil || len(rejects) > 0 {
				t.Fatalf("%v, rejects %+v", err, rejects)
			}
			var got []float64
			for _, l := range lines {
				got = append(got, l.Amount)
			}
			if want := []float64{1234.5, 2, -2000}; !reflect.DeepEqual(got, want) {
				t.Errorf("amounts %v, want %v", got, want)
			}
		})
	}
}

func TestReadOrdersCSVLocation(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", "order_id,customer_id,time,amount\nO1,C1,2011-12-09 12:50:00,1\nO2,C1,2011-12-09T12:50:00Z,1\n")
	lines, _, _, err := readAll(t, OrderSource{Path: path, Location: time.FixedZone("UTC+2", 2*3600)})
	if err != nil {
		t.Fatal(err)
	}
	if !lines[0].Time.Equal(t0.Add(-2*time.Hour)) || !lines[1].Time.Equal(t0) {
		t.Errorf("times %v, %v: want a zoneless time read in UTC+2 and an RFC 3339 time kept", lines[0].Time, lines[1].Time)
	}
}

func TestReadOrdersCSVErrors(t *testing.T) {
	header := "order_id,customer_id,time,amount\n"
	tests := []struct {
		name   string
		text   string
		src    OrderSource
		is     error
		column string
		row    int64
		msg    string
	}{
		{name: "unparseable time", text: header + "O1,C1,2011-12-09,1\nO2,C1,2011-12-09,1\nO3,C1,9 Dec 2011,1\n",
			is: ErrValue, column: "time", row: 3, msg: `column "time", row 3: cannot parse "9 Dec 2011" as time`},
		// Times written as numbers: the message says what to set.
		{name: "epoch seconds without time_format", text: header + "O1,C1,1323435000,1\n",
			is: ErrValue, column: "time", row: 1, msg: `it reads as seconds since 1970 (2011-12-09 12:50:00 UTC): set orders.time_format to "unix"`},
		{name: "epoch milliseconds without time_format", text: header + "O1,C1,1323435000000,1\n",
			is: ErrValue, column: "time", row: 1, msg: `set orders.time_format to "unix_ms"`},
		{name: "YYYYMMDD without time_format", text: header + "O1,C1,20111209,1\n",
			is: ErrValue, column: "time", row: 1, msg: `set orders.time_format to "%Y%m%d"`},
		{name: "time_format without the time of day", text: header + "O1,C1,01/05/2024 09:00,1\n", src: OrderSource{TimeFormat: "%m/%d/%Y"},
			is: ErrValue, column: "time", row: 1, msg: `the values carry a time of day it lacks; add it (%H:%M in a strftime format, 15:04 in a Go layout)`},
		{name: "text under an epoch time_format", text: header + "O1,C1,2011-12-09,1\n", src: OrderSource{TimeFormat: "unix_ms"},
			is: ErrValue, column: "time", row: 1, msg: `time_format unix_ms wants a number of milliseconds since 1970-01-01 UTC`},
		{name: "time not in TimeFormat", text: header + "O1,C1,2011-12-09,1\n", src: OrderSource{TimeFormat: "02/01/2006"},
			is: ErrValue, column: "time", row: 1},
		{name: "text amount", text: header + "O1,C1,2011-12-09,1\nO2,C1,2011-12-09,ten\n",
			is: ErrValue, column: "amount", row: 2, msg: `cannot parse "ten" as number`},
		{name: "NaN amount", text: header + "O1,C1,2011-12-09,NaN\n", is: ErrValue, column: "amount", row: 1},
		// What only Go's number syntax reads (strconv.ParseFloat): no data.
		{name: "digits separated by _", text: header + "O1,C1,2011-12-09,1\nO2,C1,2011-12-09,1_000\n",
			is: ErrValue, column: "amount", row: 2, msg: `cannot parse "1_000" as number`},
		{name: "hexadecimal amount", text: header + "O1,C1,2011-12-09,-0x1p4\n",
			is: ErrValue, column: "amount", row: 1, msg: `cannot parse "-0x1p4" as number`},
		{name: "hexadecimal with a decimal comma", text: "order_id;customer_id;time;amount\nO1;C1;2011-12-09;1,5\nO2;C1;2011-12-09;0x10\n",
			is: ErrValue, column: "amount", row: 2, msg: `"0x10"`},
		{name: "missing required column", text: "order_id,time,amount\nO1,2011-12-09,1\n",
			is: ErrMissingColumn, column: "customer_id", msg: `the file has columns "order_id", "time", "amount"`},
		{name: "mapped column missing", text: header + "O1,C1,2011-12-09,1\n",
			src: OrderSource{Columns: func() OrderColumns { c := DefaultOrderColumns(); c.Category = "Segment"; return c }()},
			is:  ErrMissingColumn, column: "Segment"},
		{name: "column named twice", text: "order_id,customer_id,time,amount,amount\nO1,C1,2011-12-09,1,2\n",
			column: "amount", msg: "more than once"},
		{name: "a bare quote", text: header + "O1,C1,2011-12-09,1\nO2,C\"1,2011-12-09,1\n", msg: "bare \" in non-quoted-field"},
		{name: "empty file", text: "", msg: "no header row"},
		{name: "UTF-16 little endian", text: "\xff\xfeo\x00r\x00", msg: "UTF-16 text (it starts with the byte order mark FF FE)"},
		{name: "UTF-16 big endian", text: "\xfe\xff\x00o\x00r", msg: "save it as CSV UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "orders.csv", tc.text)
			src := tc.src
			src.Path = path
			_, _, _, err := readAll(t, src)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), path+": ") || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not name the file or lacks %q", err, tc.msg)
			}
			var ce *ColumnError
			if tc.column != "" && (!errors.As(err, &ce) || ce.Column != tc.column || ce.Row != tc.row) {
				t.Errorf("error %#v, want a ColumnError for column %q row %d", err, tc.column, tc.row)
			}
		})
	}
}

// TestReadOrdersGzipCutShort: a .csv.gz file cut short (copied in part,
// or still being written) is an error that says so and names the file.
func TestReadOrdersGzipCutShort(t *testing.T) {
	var text strings.Builder
	text.WriteString("order_id,customer_id,time,amount\n")
	for i := range 5000 {
		fmt.Fprintf(&text, "O%d,C%d,2011-12-09,1.5\n", i, i%97)
	}
	path := writeFile(t, t.TempDir(), "orders.csv.gz", text.String())
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, _, err = readAll(t, OrderSource{Path: path})
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), path+": the gzip data ends early, so the file is cut short") {
		t.Errorf("got %v, want the cut-short file named", err)
	}
}

// TestReadOrdersCallbackError: an error from the callback stops the read
// and comes back unchanged.
func TestReadOrdersCallbackError(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", retailCSV)
	stop := errors.New("stop")
	calls := 0
	_, err := ReadOrders(context.Background(), OrderSource{Path: path, Columns: DefaultOrderColumns(), BatchSize: 1}, func([]OrderLine) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("err = %v after %d calls, want the callback's error after 1", err, calls)
	}
}

func TestReadOrdersCanceled(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", retailCSV)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ReadOrders(ctx, OrderSource{Path: path, Columns: DefaultOrderColumns()}, func([]OrderLine) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// FuzzReadOrdersCSV feeds arbitrary bytes to the CSV reader: it may return
// an error, it must not panic, and its counts must add up.
func FuzzReadOrdersCSV(f *testing.F) {
	f.Add([]byte(retailCSV))
	f.Add([]byte("order_id,customer_id,time,amount\nO1,C1,2011-12-09,1\n"))
	f.Add([]byte("order_id,customer_id,time,amount\n\"O1\",,\"2011-12-09\",\n"))
	f.Add([]byte("order_id,customer_id,time,quantity,unit_price\nO1,C1,2011-12-09T10:00:00+01:00,-1,1e3\n"))
	f.Add([]byte("\n\n\""))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		var n int64
		stats, err := ReadOrders(context.Background(), OrderSource{Path: path, Columns: DefaultOrderColumns(), BatchSize: 3},
			func(batch []OrderLine) error {
				n += int64(len(batch))
				return nil
			})
		if err == nil && (stats.RowsUsed != n || stats.RowsRead != stats.RowsUsed+stats.RowsRejected) {
			t.Errorf("stats %+v after %d lines", stats, n)
		}
	})
}

// TestReadOrdersCSVRepeatedHeader: files concatenated with their headers
// (cat a.csv b.csv, the second maybe with a byte order mark) read as one:
// each repeated header row is rejected as such, not read as a line with a
// bad time that stops the run. A row that differs from the header in a
// field is a line.
func TestReadOrdersCSVRepeatedHeader(t *testing.T) {
	head := "customer_id,order_id,time,amount\n"
	dir := t.TempDir()
	path := writeFile(t, dir, "orders.csv", head+"C1,O1,2024-01-02,10\n"+
		"\ufeff"+head+"C2,O2,2024-01-03,20\n"+
		head+"C3,O3,2024-01-04,30\n")
	lines, rejects, stats, err := readAll(t, OrderSource{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	var ids, reasons []string
	for _, l := range lines {
		ids = append(ids, l.CustomerID)
	}
	for _, r := range rejects {
		reasons = append(reasons, fmt.Sprintf("row %d: %s", r.Row, r.Reason))
	}
	if !slices.Equal(ids, []string{"C1", "C2", "C3"}) || !slices.Equal(reasons, []string{"row 2: repeated header row", "row 4: repeated header row"}) ||
		stats.RejectsByReason[ReasonRepeatedHeader] != 2 {
		t.Errorf("lines %q, rejects %q, stats %+v", ids, reasons, stats)
	}
	like := writeFile(t, dir, "like.csv", head+"C1,O1,2024-01-02,10\ncustomer_id,order_id,time,5\n")
	if _, _, _, err := readAll(t, OrderSource{Path: like}); err == nil || !strings.Contains(err.Error(), `column "time", row 2`) {
		t.Errorf("a row like the header but for its amount: %v, want an error naming its time, row 2", err)
	}
}

// TestReadOrdersCSVRaggedRows: a row with fewer or more fields than the
// header is rejected with its fields (named by the header's columns, the
// extra ones "field N"), not an error that stops the run.
func TestReadOrdersCSVRaggedRows(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", "customer_id,order_id,time,amount\n"+
		"C1,O1,2024-01-02,10\n"+
		"C2,O2,2024-01-03\n"+
		"C3,O3,2024-01-04,1,234.50\n"+
		"C4,O4,2024-01-05,40\n")
	lines, rejects, stats, err := readAll(t, OrderSource{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range lines {
		ids = append(ids, l.CustomerID)
	}
	if !slices.Equal(ids, []string{"C1", "C4"}) || stats.RejectsByReason[ReasonFieldCount] != 2 || len(rejects) != 2 {
		t.Fatalf("lines %q, rejects %+v", ids, rejects)
	}
	if r := rejects[0]; r.Row != 2 || r.Raw["time"] != "2024-01-03" || len(r.Raw) != 3 {
		t.Errorf("short row: %+v", r)
	}
	if r := rejects[1]; r.Row != 3 || r.Raw["amount"] != "1" || r.Raw["field 5"] != "234.50" {
		t.Errorf("long row: %+v", r)
	}
	// With day/month dates, whose order a first pass over the file decides.
	slash := writeFile(t, t.TempDir(), "slash.csv", "customer_id,order_id,time,amount\n"+
		"C1,O1,25/04/2024,10\nC2,O2\nC3,O3,03/04/2024,30\n")
	lines, rejects, _, err = readAll(t, OrderSource{Path: slash})
	if err != nil || len(lines) != 2 || len(rejects) != 1 || lines[1].Time.Month() != 4 {
		t.Errorf("slash dates: %d lines, rejects %+v, %v; want 2 (3 April) and the short row rejected", len(lines), rejects, err)
	}
}

// TestReadOrdersCSVCurrencies: amounts with one currency sign, or none,
// are read; a second sign, in the same file or another of the read, stops
// the read naming both cells, since the amounts would be added up as one
// currency.
func TestReadOrdersCSVCurrencies(t *testing.T) {
	dir := t.TempDir()
	head := "customer_id,order_id,time,amount\n"
	one := writeFile(t, dir, "one/orders.csv", head+"C1,O1,2024-01-02,$12.50\nC2,O2,2024-01-03,4.00\nC3,O3,2024-01-04,($3)\n")
	if lines, _, _, err := readAll(t, OrderSource{Path: one}); err != nil || len(lines) != 3 || lines[2].Amount != -3 {
		t.Errorf("one currency: %d lines, %v", len(lines), err)
	}
	two := writeFile(t, dir, "two/orders.csv", head+"C1,O1,2024-01-02,$12.50\nC2,O2,2024-01-03,4.00\nC3,O3,2024-01-04,€10.00\n")
	_, _, _, err := readAll(t, OrderSource{Path: two})
	if err == nil || !strings.Contains(err.Error(), `row 3: "€10.00" is in another currency than "$12.50"`) || !strings.Contains(err.Error(), `column "amount", row 1)`) {
		t.Errorf("two currencies in a file: %v", err)
	}
	// ISO codes: "€" and "EUR" are one currency, "USD" and "EUR" two.
	codes := writeFile(t, dir, "codes/orders.csv", head+"C1,O1,2024-01-02,10.50 EUR\nC2,O2,2024-01-03,€4.00\nC3,O3,2024-01-04,\"1,234.50 EUR\"\n")
	if lines, _, _, err := readAll(t, OrderSource{Path: codes}); err != nil || len(lines) != 3 || lines[0].Amount != 10.5 || lines[2].Amount != 1234.5 {
		t.Errorf("amounts with an ISO code: %v, %v", lines, err)
	}
	mixed := writeFile(t, dir, "mixed/orders.csv", head+"C1,O1,2024-01-02,USD 10.50\nC2,O2,2024-01-03,EUR 4.00\n")
	if _, _, _, err := readAll(t, OrderSource{Path: mixed}); err == nil || !strings.Contains(err.Error(), `"EUR 4.00" is in another currency than "USD 10.50"`) {
		t.Errorf("two ISO codes: %v", err)
	}
	writeFile(t, dir, "parts/a.csv", head+"C1,O1,2024-01-02,12.50 €\n")
	writeFile(t, dir, "parts/b.csv", head+"C2,O2,2024-01-03,£7\n")
	if _, _, _, err := readAll(t, OrderSource{Path: filepath.Join(dir, "parts")}); err == nil || !strings.Contains(err.Error(), `"£7" is in another currency than "12.50 €"`) {
		t.Errorf("two currencies in two files: %v", err)
	}
}

// TestReadOrdersCurrencyColumn: a currency column (Shopify's Currency,
// empty on an order's later lines) of one value names the read's
// currency; a second value stops the read naming both cells, in a CSV or
// a Parquet file.
func TestReadOrdersCurrencyColumn(t *testing.T) {
	dir := t.TempDir()
	head := "customer_id,order_id,time,amount,currency\n"
	cols := DefaultOrderColumns()
	cols.Currency = "currency" // read only when mapped
	src := func(path string) OrderSource { return OrderSource{Path: path, Columns: cols} }
	one := writeFile(t, dir, "one.csv", head+"C1,O1,2024-01-02,$12.50,USD\nC1,O1,2024-01-02,$3,\nC2,O2,2024-01-03,4, usd\n")
	if lines, _, stats, err := readAll(t, src(one)); err != nil || len(lines) != 3 || stats.Currency != "USD" {
		t.Errorf("one currency: %d lines, currency %q, %v", len(lines), stats.Currency, err)
	}
	two := writeFile(t, dir, "two.csv", head+"C1,O1,2024-01-02,12.50,USD\nC1,O1,2024-01-02,3,\nC2,O2,2024-01-03,4,CAD\n")
	_, _, _, err := readAll(t, src(two))
	if err == nil || !strings.Contains(err.Error(), `column "currency", row 3: currency "CAD" differs from "USD" (`+two+`, row 1)`) {
		t.Errorf("two currencies: %v", err)
	}
	if _, _, _, err := readAll(t, OrderSource{Path: two}); err != nil {
		t.Errorf("two currencies in a column not mapped: %v", err)
	}
	// The column and the amounts' signs: a sign several currencies write
	// is the column's; a sign of another currency, in the same file or
	// another of the read, stops it naming both.
	if _, _, stats, err := readAll(t, src(writeFile(t, dir, "signs.csv", head+"C1,O1,2024-01-02,$12.50,USD\n"))); err != nil || stats.Currency != "USD" {
		t.Errorf("USD and $: currency %q, %v", stats.Currency, err)
	}
	if _, _, _, err := readAll(t, src(writeFile(t, dir, "dollars.csv", head+"C1,O1,2024-01-02,$12.50,EUR\n"))); err == nil || !strings.Contains(err.Error(), `the currency column says "EUR"`) {
		t.Errorf("EUR and $: %v", err)
	}
	writeFile(t, dir, "mixed/a.csv", head+"C1,O1,2024-01-02,12.50,USD\n")
	writeFile(t, dir, "mixed/b.csv", "customer_id,order_id,time,amount\nC2,O2,2024-01-03,€4\n")
	if _, _, _, err := readAll(t, src(filepath.Join(dir, "mixed"))); err == nil || !strings.Contains(err.Error(), `the currency column says "USD"`) || !strings.Contains(err.Error(), `amounts are written in "€4"`) {
		t.Errorf("a USD column and € amounts: %v", err)
	}
	pq := filepath.Join(dir, "two.parquet")
	codes := []string{"EUR", "", "GBP"}
	writeFixture(t, pq, 3, []fixCol{
		{"customer_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("C%d", i)) }},
		{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", i)) }},
		{"time", parquet.Timestamp(parquet.Microsecond), func(int) parquet.Value { return i64Val(1704153600000000) }},
		{"amount", parquet.Leaf(parquet.DoubleType), func(int) parquet.Value { return f64Val(10) }},
		{"currency", parquet.String(), func(i int) parquet.Value { return strVal(codes[i]) }},
	})
	if _, _, _, err := readAll(t, src(pq)); err == nil || !strings.Contains(err.Error(), `row 3: currency "GBP" differs from "EUR"`) {
		t.Errorf("two currencies in a Parquet file: %v", err)
	}
}

// TestReadOrdersCSVRaggedRowDetection: a ragged row in a file's first
// 64 KiB neither decides the decimal mark (its cells are shifted) nor
// stops segment inspect: the read rejects it.
func TestReadOrdersCSVRaggedRowDetection(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", "customer_id;order_id;time;amount\n"+
		"c1;o1;2024-01-02;12,50\nc2;o2;2024-01-03;12.5;extra\nc3;o3;2024-01-04;3,25\n")
	lines, rejects, _, err := readAll(t, OrderSource{Path: path})
	if err != nil || len(lines) != 2 || lines[0].Amount != 12.5 || len(rejects) != 1 {
		t.Errorf("%d lines, %d rejects, %v; want 2 with a decimal comma and the long row rejected", len(lines), len(rejects), err)
	}
	in, err := Inspect(context.Background(), path)
	if err != nil || in.Rows != 3 || in.Decimal != "," {
		t.Errorf("inspect: %+v, %v; want 3 rows and a decimal comma", in, err)
	}
}

// TestReadOrdersNotText: a workbook or a binary file given as CSV is an
// error saying what it is, not a header of garbage.
func TestReadOrdersNotText(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, body, want string }{
		{"orders.xlsx", "PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", "an Excel .xlsx workbook?"},
		{"orders.xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel .xls workbook"},
		{"orders.csv", "c\x00u\x00s\x00t\x00,\x00", "UTF-16 text without a byte order mark"},
	} {
		path := writeFile(t, dir, c.name, c.body)
		_, _, _, err := readAll(t, OrderSource{Path: path})
		if err == nil || !strings.Contains(err.Error(), c.want) || len(err.Error()) > 300 {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// A stray NUL in a cell of a text file is no reason to refuse it.
	body := "customer_id,order_id,time,amount\n" + strings.Repeat("c1,o1,2024-01-02,10\n", 20) + "c2,o\x002,2024-01-03,5\n"
	if lines, _, _, err := readAll(t, OrderSource{Path: writeFile(t, dir, "nul.csv", body)}); err != nil || len(lines) < 20 {
		t.Errorf("a stray NUL: %d lines, %v", len(lines), err)
	}
}

// TestReadOrdersGzipMembers: gzip files concatenated are read as one;
// bytes after the gzip data that are not gzip, and a .csv.gz file that is
// not gzip at all, are errors that say so (not "cut short").
func TestReadOrdersGzipMembers(t *testing.T) {
	member := func(text string) []byte {
		var b bytes.Buffer
		z := gzip.NewWriter(&b)
		z.Write([]byte(text))
		z.Close()
		return b.Bytes()
	}
	const header = "order_id,customer_id,time,amount\n"
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	two := write("two.csv.gz", append(member(header+"O1,C1,2011-12-09,1.5\n"), member("O2,C2,2011-12-10,2.5\n")...))
	lines, _, _, err := readAll(t, OrderSource{Path: two})
	if err != nil || len(lines) != 2 || lines[1].Amount != 2.5 {
		t.Fatalf("two members: %d lines, %v; want both", len(lines), err)
	}
	// Zero bytes to the end are padding (a tape block, some copy tools),
	// read as gzip -d reads them.
	padded := write("padded.csv.gz", append(member(header+"O1,C1,2011-12-09,1.5\n"), make([]byte, 10_000)...))
	if lines, _, _, err := readAll(t, OrderSource{Path: padded}); err != nil || len(lines) != 1 {
		t.Fatalf("zero padding: %d lines, %v; want the line", len(lines), err)
	}
	for name, c := range map[string]struct {
		b    []byte
		want string
	}{
		"trailing bytes":    {append(member(header+"O1,C1,2011-12-09,1.5\n"), "garbage\n"...), "goes on after its gzip data with bytes that are not gzip"},
		"trailing header":   {append(member(header+"O1,C1,2011-12-09,1.5\n"), "garbage and more bytes\n"...), "goes on after its gzip data with bytes that are not gzip"},
		"zeros, then bytes": {append(append(member(header+"O1,C1,2011-12-09,1.5\n"), make([]byte, 5000)...), "x"...), "goes on after its gzip data with bytes that are not gzip"},
		"not gzip":          {[]byte("not gzip\n"), "the file is not gzip-compressed"},
		"plain csv":         {[]byte(header + "O1,C1,2011-12-09,1.5\n"), "the file is not gzip-compressed"},
	} {
		path := write(strings.ReplaceAll(name, " ", "_")+".csv.gz", c.b)
		_, _, _, err := readAll(t, OrderSource{Path: path})
		if err == nil || !strings.Contains(err.Error(), path+": ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming the file and saying %q", name, err, c.want)
		}
	}
}
