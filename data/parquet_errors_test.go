package data

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// orderFixture returns the columns of a small valid order file, with
// column name replaced by col when col is not nil, or dropped when col has
// no node.
func orderFixture(replace ...fixCol) []fixCol {
	cols := []fixCol{
		{"customer_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("C%d", i%3)) }},
		{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", i)) }},
		{"time", parquet.String(), func(i int) parquet.Value { return strVal("2011-12-09 12:50:00") }},
		{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(1.5) }},
	}
	for _, r := range replace {
		for i := range cols {
			if cols[i].name == r.name {
				cols[i] = r
			}
		}
		if r.node == nil {
			for i := range cols {
				if cols[i].name == r.name {
					cols = append(cols[:i], cols[i+1:]...)
					break
				}
			}
		}
	}
	return cols
}

func TestReadOrdersParquetErrors(t *testing.T) {
	badAt := func(row int, bad, good parquet.Value) func(int) parquet.Value {
		return func(i int) parquet.Value {
			if i == row-1 {
				return bad
			}
			return good
		}
	}
	tests := []struct {
		name    string
		cols    []fixCol
		columns func(*OrderColumns)
		is      error  // errors.Is target
		column  string // ColumnError.Column; "" when not a ColumnError
		row     int64
		msg     string // substring of the message after the file name
	}{
		{name: "missing required column", cols: orderFixture(fixCol{name: "customer_id"}),
			is: ErrMissingColumn, column: "customer_id", msg: `column "customer_id": no such column (orders.columns.customer_id is not set, and no column has that name: map the one that holds it); the file has columns "order_id", "time", "amount"`},
		{name: "mapped column differs in case", cols: orderFixture(), columns: func(c *OrderColumns) { c.Time = "Time" },
			is: ErrMissingColumn, column: "Time", msg: `"time" differs only in case or spaces: map it (orders.columns.time: "time")`},
		{name: "explicitly mapped column missing", cols: orderFixture(),
			columns: func(c *OrderColumns) { c.Coupon = "promo_code" }, is: ErrMissingColumn, column: "promo_code"},
		{name: "explicitly mapped discount missing", cols: orderFixture(),
			columns: func(c *OrderColumns) { c.Discount = []string{"discount", "voucher"} }, is: ErrMissingColumn, column: "voucher"},
		{name: "amount in other case", cols: append(orderFixture(fixCol{name: "amount"}), fixCol{"Amount", parquet.Leaf(parquet.DoubleType), func(int) parquet.Value { return f64Val(1) }}),
			is: ErrMissingColumn, msg: `"Amount" differs only in case or spaces: map it (orders.columns.amount: "Amount")`},
		{name: "no amount and no unit price", cols: orderFixture(fixCol{name: "amount"},
			fixCol{"quantity", parquet.Int(64), func(int) parquet.Value { return i64Val(1) }}),
			is: ErrMissingColumn, msg: "need an amount column"},
		{name: "unparseable time", cols: orderFixture(fixCol{"time", parquet.String(), badAt(3, strVal("yesterday"), strVal("2011-12-09"))}),
			is: ErrValue, column: "time", row: 3, msg: `column "time", row 3: cannot parse "yesterday" as time`},
		{name: "unparseable time in a dictionary page", cols: orderFixture(fixCol{"time", parquet.Encoded(parquet.String(), &parquet.RLEDictionary),
			badAt(5, strVal("31/12/2011"), strVal("2011-12-09"))}),
			is: ErrValue, column: "time", row: 5, msg: `row 5: cannot parse "31/12/2011" as time`},
		{name: "NaN amount", cols: orderFixture(fixCol{"amount", parquet.Leaf(parquet.DoubleType), badAt(2, f64Val(math.NaN()), f64Val(1))}),
			is: ErrValue, column: "amount", row: 2, msg: `"NaN" as a finite number`},
		{name: "infinite amount in a dictionary page", cols: orderFixture(fixCol{"amount", parquet.Encoded(parquet.Leaf(parquet.DoubleType), &parquet.RLEDictionary),
			badAt(4, f64Val(math.Inf(1)), f64Val(1))}), is: ErrValue, column: "amount", row: 4},
		{name: "text where a number is needed", cols: orderFixture(fixCol{"amount", parquet.String(), badAt(1, strVal("ten"), strVal("10"))}),
			is: ErrValue, column: "amount", row: 1, msg: `cannot parse "ten" as number`},
		{name: "a number only Go reads", cols: orderFixture(fixCol{"amount", parquet.String(), badAt(3, strVal("1_000"), strVal("10"))}),
			is: ErrValue, column: "amount", row: 3, msg: `cannot parse "1_000" as number`},
		{name: "boolean amount", cols: orderFixture(fixCol{"amount", parquet.Leaf(parquet.BooleanType), func(int) parquet.Value { return parquet.BooleanValue(true) }}),
			is: ErrColumnType, column: "amount", msg: "BOOLEAN cannot be read as number"},
		{name: "bare int64 time", cols: orderFixture(fixCol{"time", parquet.Int(64), func(int) parquet.Value { return i64Val(1) }}),
			is: ErrColumnType, column: "time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "orders.parquet")
			writeFixture(t, path, 6, tc.cols)
			src := OrderSource{Path: path, Columns: DefaultOrderColumns()}
			if tc.columns != nil {
				tc.columns(&src.Columns)
			}
			_, _, _, err := readAll(t, src)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			if !strings.HasPrefix(err.Error(), path+": ") && !strings.HasPrefix(err.Error(), "data: "+path+": ") {
				t.Errorf("error %q does not start with the file name", err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not contain %q", err, tc.msg)
			}
			var ce *ColumnError
			if tc.column != "" {
				if !errors.As(err, &ce) || ce.File != path || ce.Column != tc.column || ce.Row != tc.row {
					t.Errorf("error %#v, want a ColumnError for column %q row %d", err, tc.column, tc.row)
				}
			}
		})
	}
}

// TestReadOrdersOptionalDefaultsMayBeAbsent: columns left at their default
// names (discount, coupon, ...) may be missing from a file.
func TestReadOrdersOptionalDefaultsMayBeAbsent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.parquet")
	writeFixture(t, path, 4, orderFixture())
	lines, _, _, err := readAll(t, OrderSource{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 4 || lines[0].Discount != 0 || lines[0].Coupon != "" || lines[0].Amount != 1.5 {
		t.Errorf("lines = %+v", lines)
	}
}

// TestReadOrdersDamagedParquet: a file that is not Parquet, is empty, is
// truncated anywhere or has damaged bytes gives an error naming the file
// and never a panic.
func TestReadOrdersDamagedParquet(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.parquet")
	writeFixture(t, good, 500, orderFixture(), parquet.Compression(&parquet.Zstd), parquet.PageBufferSize(1024))
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := readAll(t, OrderSource{Path: good}); err != nil {
		t.Fatalf("the undamaged file: %v", err)
	}
	check := func(t *testing.T, name string, b []byte, mustFail bool) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, _, err := readAll(t, OrderSource{Path: path})
		if err == nil {
			if mustFail {
				t.Errorf("%s: no error", name)
			}
			return
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
		if mustFail && !errors.Is(err, ErrNotParquet) {
			t.Errorf("%s: error %q is not ErrNotParquet", name, err)
		}
	}
	t.Run("not parquet", func(t *testing.T) {
		check(t, "text.parquet", []byte("customer_id,order_id\nC1,O1\n"), true)
	})
	t.Run("empty", func(t *testing.T) { check(t, "empty.parquet", nil, true) })
	t.Run("truncated", func(t *testing.T) {
		for _, n := range []int{1, 4, 7, 100, len(data) / 3, len(data) / 2, len(data) - 100, len(data) - 9, len(data) - 8, len(data) - 1} {
			check(t, fmt.Sprintf("cut%d.parquet", n), data[:n], true)
		}
	})
	t.Run("damaged bytes", func(t *testing.T) {
		// Overwrite 16 bytes at 64 places through the file; errors are
		// expected but not required (some bytes are slack), panics are not.
		for k := range 64 {
			b := append([]byte(nil), data...)
			at := 4 + k*(len(b)-24)/64
			for i := range 16 {
				b[at+i] ^= 0x5a
			}
			check(t, fmt.Sprintf("damaged%d.parquet", k), b, false)
		}
	})
}
