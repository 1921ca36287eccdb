package data

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// t0 is 2011-12-09 12:50 UTC, the last invoice day of the UCI Online
// Retail data set.
var t0 = time.Date(2011, time.December, 9, 12, 50, 0, 0, time.UTC)

// days20111209 is 2011-12-09 as a Parquet DATE, days since 1970-01-01, and
// jdn20111209 its Julian day number as INT96 stores it; both computed with
// Python's datetime (date(2011,12,9) - date(1970,1,1); toordinal()+1721425).
const (
	days20111209 = 15317
	jdn20111209  = 2455905
)

// beBytes is x as n big-endian two's complement bytes (n <= 8).
func beBytes(x int64, n int) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(x))
	return b[8-n:]
}

func TestReadOrdersParquetTypes(t *testing.T) {
	plus2 := time.FixedZone("UTC+2", 2*3600)
	ms := []time.Time{t0, t0.Add(1500 * time.Millisecond), t0.Add(25 * time.Hour)}
	ns := []time.Time{t0.Add(123 * time.Nanosecond), t0.Add(time.Second + 456789*time.Nanosecond), t0.Add(25 * time.Hour)}
	days := []time.Time{t0.Truncate(24 * time.Hour), t0.Truncate(24*time.Hour).AddDate(0, 0, 1), t0.Truncate(24*time.Hour).AddDate(0, 0, 2)}
	amounts := []float64{10.5, 20.25, -3}
	// 10^22+5 in 10 bytes, scale 2: wider than an int64, read through big.Int.
	wide, _ := new(big.Int).SetString("10000000000000000000005", 10)

	timeCol := func(node parquet.Node, val func(i int) parquet.Value) fixCol { return fixCol{"time", node, val} }
	amountCol := func(node parquet.Node, val func(i int) parquet.Value) fixCol { return fixCol{"amount", node, val} }
	microTime := timeCol(parquet.Timestamp(parquet.Microsecond), func(i int) parquet.Value { return i64Val(ms[i].UnixMicro()) })
	doubleAmount := amountCol(parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(amounts[i]) })
	dict := func(n parquet.Node) parquet.Node { return parquet.Encoded(n, &parquet.RLEDictionary) }

	tests := []struct {
		name      string
		customer  *fixCol // nil: plain strings C1, C2, C1
		time      fixCol
		amount    fixCol
		src       OrderSource
		dictCol   string // a column that must be dictionary-encoded in the fixture
		times     []time.Time
		amounts   []float64
		customers []string
	}{
		{name: "timestamp millis", time: timeCol(parquet.Timestamp(parquet.Millisecond), func(i int) parquet.Value { return i64Val(ms[i].UnixMilli()) }),
			amount: doubleAmount, times: ms, amounts: amounts},
		{name: "timestamp micros", time: microTime, amount: doubleAmount, times: ms, amounts: amounts},
		{name: "timestamp nanos", time: timeCol(parquet.Timestamp(parquet.Nanosecond), func(i int) parquet.Value { return i64Val(ns[i].UnixNano()) }),
			amount: doubleAmount, times: ns, amounts: amounts},
		{name: "timestamp not adjusted to UTC is read in Location",
			time: timeCol(parquet.TimestampAdjusted(parquet.Microsecond, false), func(i int) parquet.Value {
				return i64Val(ms[i].UnixMicro()) // wall clock 12:50 stored as if UTC
			}),
			src:    OrderSource{Location: plus2},
			amount: doubleAmount, amounts: amounts,
			times: []time.Time{ms[0].Add(-2 * time.Hour), ms[1].Add(-2 * time.Hour), ms[2].Add(-2 * time.Hour)}},
		{name: "timestamp adjusted to UTC ignores Location", time: microTime, src: OrderSource{Location: plus2},
			amount: doubleAmount, times: ms, amounts: amounts},
		{name: "dictionary timestamp", time: timeCol(dict(parquet.Timestamp(parquet.Microsecond)), func(i int) parquet.Value { return i64Val(ms[i%2].UnixMicro()) }),
			dictCol: "time", amount: doubleAmount, times: []time.Time{ms[0], ms[1], ms[0]}, amounts: amounts},
		{name: "date", time: timeCol(parquet.Date(), func(i int) parquet.Value { return parquet.Int32Value(int32(days20111209 + i)) }),
			amount: doubleAmount, times: days, amounts: amounts},
		{name: "date in Location", time: timeCol(parquet.Date(), func(i int) parquet.Value { return parquet.Int32Value(int32(days20111209 + i)) }),
			src: OrderSource{Location: plus2}, amount: doubleAmount, amounts: amounts,
			times: []time.Time{days[0].Add(-2 * time.Hour), days[1].Add(-2 * time.Hour), days[2].Add(-2 * time.Hour)}},
		{name: "int96 keeps the date", time: timeCol(parquet.Leaf(parquet.Int96Type), func(i int) parquet.Value {
			nanos := uint64(ns[i].Sub(t0.Truncate(24*time.Hour)) % (24 * time.Hour)) // nanoseconds within the day
			return parquet.Int96Value(deprecated.Int96{uint32(nanos), uint32(nanos >> 32), uint32(jdn20111209 + ns[i].Sub(t0.Truncate(24*time.Hour))/(24*time.Hour))})
		}), amount: doubleAmount, times: ns, amounts: amounts},
		{name: "string times in the default layouts", time: timeCol(parquet.String(), func(i int) parquet.Value {
			return strVal([]string{"2011-12-09 12:50:00", "2011-12-09T14:50:01+02:00", "2011-12-10"}[i])
		}), amount: doubleAmount, amounts: amounts,
			times: []time.Time{t0, t0.Add(time.Second), days[1]}},
		{name: "string times with TimeFormat", time: timeCol(parquet.String(), func(i int) parquet.Value {
			return strVal([]string{"12/9/2011 12:50", "12/9/2011 12:51", "12/10/2011 13:50"}[i])
		}), src: OrderSource{TimeFormat: "1/2/2006 15:04"}, amount: doubleAmount, amounts: amounts,
			times: []time.Time{t0, t0.Add(time.Minute), t0.Add(25 * time.Hour)}},
		// Plain numbers, read as times under an epoch time format or a
		// layout of digits.
		{name: "int64 seconds since 1970", time: timeCol(parquet.Int(64), func(i int) parquet.Value { return i64Val(days[i].Unix()) }),
			src: OrderSource{TimeFormat: "%s"}, amount: doubleAmount, times: days, amounts: amounts},
		{name: "dictionary int64 milliseconds", time: timeCol(dict(parquet.Int(64)), func(i int) parquet.Value { return i64Val(ms[i].UnixMilli()) }),
			src: OrderSource{TimeFormat: "unix_ms", Location: plus2}, amount: doubleAmount, times: ms, amounts: amounts},
		{name: "double seconds as pandas writes them", time: timeCol(parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(float64(ms[i].UnixMilli()) / 1000) }),
			src: OrderSource{TimeFormat: "unix"}, amount: doubleAmount, times: ms, amounts: amounts},
		{name: "int32 YYYYMMDD", time: timeCol(parquet.Int(32), func(i int) parquet.Value { return parquet.Int32Value([]int32{20111209, 20111210, 20111211}[i]) }),
			src: OrderSource{TimeFormat: "%Y%m%d"}, amount: doubleAmount, times: days, amounts: amounts},
		{name: "decimal int32", time: microTime, times: ms, amounts: amounts,
			amount: amountCol(parquet.Decimal(2, 9, parquet.Int32Type), func(i int) parquet.Value {
				return parquet.Int32Value([]int32{1050, 2025, -300}[i])
			})},
		{name: "decimal int64", time: microTime, times: ms, amounts: amounts,
			amount: amountCol(parquet.Decimal(3, 18, parquet.Int64Type), func(i int) parquet.Value {
				return i64Val([]int64{10500, 20250, -3000}[i])
			})},
		{name: "decimal fixed", time: microTime, times: ms, amounts: amounts,
			amount: amountCol(parquet.Decimal(2, 10, parquet.FixedLenByteArrayType(5)), func(i int) parquet.Value {
				return parquet.FixedLenByteArrayValue(beBytes([]int64{1050, 2025, -300}[i], 5))
			})},
		// Scale 12 keeps 10^22+5 within an amount's range (data.MaxLineValue).
		{name: "decimal bytes", time: microTime, times: ms, amounts: []float64{10.5, 1e10, -3},
			amount: amountCol(parquet.Decimal(12, 30, parquet.ByteArrayType), func(i int) parquet.Value {
				return parquet.ByteArrayValue([][]byte{beBytes(10_500_000_000_000, 6), wide.Bytes(), beBytes(-3_000_000_000_000, 6)}[i])
			})},
		{name: "float", time: microTime, times: ms, amounts: amounts,
			amount: amountCol(parquet.Leaf(parquet.FloatType), func(i int) parquet.Value { return parquet.FloatValue(float32(amounts[i])) })},
		{name: "int32", time: microTime, times: ms, amounts: []float64{10, 20, -3},
			amount: amountCol(parquet.Int(32), func(i int) parquet.Value { return parquet.Int32Value([]int32{10, 20, -3}[i]) })},
		// A UINT_64 above 2⁶³−1 (negative int64 bits) is out of an amount's
		// range: TestReadOrdersUint64IDs reads one as a rejected amount.
		{name: "uint64", time: microTime, times: ms, amounts: []float64{10, 20, 1 << 39},
			amount: amountCol(parquet.Uint(64), func(i int) parquet.Value { return i64Val([]int64{10, 20, 1 << 39}[i]) })},
		{name: "numeric strings", time: microTime, times: ms, amounts: amounts,
			amount: amountCol(parquet.String(), func(i int) parquet.Value { return strVal([]string{"10.5", " 20.25 ", "-3"}[i]) })},
		// Amounts as spreadsheets write them, read as a CSV file's are.
		{name: "formatted amount strings", time: microTime, times: ms, amounts: []float64{1234.5, 20.25, -3},
			amount: amountCol(parquet.String(), func(i int) parquet.Value { return strVal([]string{"$1,234.50", "20.25 €", "(3.00)"}[i]) })},
		{name: "dictionary double", time: microTime, times: ms, dictCol: "amount", amounts: []float64{10.5, 20.25, 10.5},
			amount: amountCol(dict(parquet.Leaf(parquet.DoubleType)), func(i int) parquet.Value { return f64Val(amounts[i%2]) })},
		{name: "dictionary int32", time: microTime, times: ms, dictCol: "amount", amounts: []float64{7, 8, 7},
			amount: amountCol(dict(parquet.Int(32)), func(i int) parquet.Value { return parquet.Int32Value(int32(7 + i%2)) })},
		{name: "int64 customer ids", time: microTime, amount: doubleAmount, times: ms, amounts: amounts,
			customer:  &fixCol{"customer_id", parquet.Int(64), func(i int) parquet.Value { return i64Val(17850 + int64(i)) }},
			customers: []string{"17850", "17851", "17852"}},
		{name: "double customer ids as pandas writes them", time: microTime, amount: doubleAmount, times: ms, amounts: amounts,
			customer:  &fixCol{"customer_id", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(17850 + float64(i)) }},
			customers: []string{"17850", "17851", "17852"}},
		{name: "dictionary string customer ids", time: microTime, amount: doubleAmount, times: ms, amounts: amounts, dictCol: "customer_id",
			customer:  &fixCol{"customer_id", dict(parquet.String()), func(i int) parquet.Value { return strVal([]string{"C1", "C2", "C1"}[i]) }},
			customers: []string{"C1", "C2", "C1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			customer := fixCol{"customer_id", parquet.String(), func(i int) parquet.Value { return strVal([]string{"C1", "C2", "C1"}[i]) }}
			if tc.customer != nil {
				customer = *tc.customer
			}
			want := tc.customers
			if want == nil {
				want = []string{"C1", "C2", "C1"}
			}
			path := filepath.Join(t.TempDir(), "orders.parquet")
			writeFixture(t, path, 3, []fixCol{
				customer,
				{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", i+1)) }},
				tc.time, tc.amount,
			})
			if tc.dictCol != "" {
				if encs := chunkEncodings(fixtureMeta(t, path), tc.dictCol); !slices.Contains(encs, format.RLEDictionary) {
					t.Fatalf("fixture column %s has encodings %v, want RLE_DICTIONARY", tc.dictCol, encs)
				}
			}
			src := tc.src
			src.Path = path
			lines, rejects, stats, err := readAll(t, src)
			if err != nil {
				t.Fatal(err)
			}
			if len(rejects) != 0 || stats.RowsRead != 3 || stats.RowsUsed != 3 {
				t.Fatalf("rejects %v, stats %+v", rejects, stats)
			}
			for i, l := range lines {
				if l.CustomerID != want[i] || l.OrderID != fmt.Sprintf("O%d", i+1) {
					t.Errorf("line %d ids = %q, %q", i, l.CustomerID, l.OrderID)
				}
				if !l.Time.Equal(tc.times[i]) {
					t.Errorf("line %d time = %v, want %v", i, l.Time, tc.times[i])
				}
				if l.Amount != tc.amounts[i] {
					t.Errorf("line %d amount = %v, want %v", i, l.Amount, tc.amounts[i])
				}
			}
		})
	}
}

// TestReadOrdersParquetNulls: optional columns hold only their non-null
// values; the definition levels say which rows those are.
func TestReadOrdersParquetNulls(t *testing.T) {
	const n = 20
	nullCustomer := func(i int) bool { return i == 3 }        // row 4
	nullAmount := func(i int) bool { return i == 6 }          // row 7
	nullDiscount := func(i int) bool { return i%3 == 0 }      // dictionary-encoded, every third row null
	nullCoupon := func(i int) bool { return i%2 == 1 }        // every other row
	amount := func(i int) float64 { return float64(i) + 0.5 } // distinct, so a shifted value shows
	discount := func(i int) float64 { return float64(i%4) / 4 }
	cols := []fixCol{
		{"customer_id", parquet.Optional(parquet.String()), func(i int) parquet.Value {
			if nullCustomer(i) {
				return parquet.NullValue()
			}
			return strVal(fmt.Sprintf("C%d", i))
		}},
		{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", i)) }},
		{"time", parquet.Timestamp(parquet.Millisecond), func(i int) parquet.Value { return i64Val(t0.UnixMilli() + int64(i)) }},
		{"amount", parquet.Optional(parquet.Leaf(parquet.DoubleType)), func(i int) parquet.Value {
			if nullAmount(i) {
				return parquet.NullValue()
			}
			return f64Val(amount(i))
		}},
		{"discount", parquet.Optional(parquet.Encoded(parquet.Leaf(parquet.DoubleType), &parquet.RLEDictionary)), func(i int) parquet.Value {
			if nullDiscount(i) {
				return parquet.NullValue()
			}
			return f64Val(discount(i))
		}},
		{"coupon", parquet.Optional(parquet.String()), func(i int) parquet.Value {
			if nullCoupon(i) {
				return parquet.NullValue()
			}
			return strVal("SAVE10")
		}},
	}
	for _, version := range []int{1, 2} {
		t.Run(fmt.Sprintf("data page v%d", version), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "orders.parquet")
			writeFixture(t, path, n, cols, parquet.DataPageVersion(version))
			lines, rejects, stats, err := readAll(t, OrderSource{Path: path})
			if err != nil {
				t.Fatal(err)
			}
			wantRejects := []Reject{
				{File: path, Row: 4, Reason: "missing customer_id", Raw: map[string]string{
					"customer_id": "", "order_id": "O3", "time": t0.Add(3 * time.Millisecond).Format(time.RFC3339Nano),
					"amount": "3.5", "coupon": "", "discount": "",
				}, Excluded: 3.5},
				{File: path, Row: 7, Reason: "missing amount", Raw: map[string]string{
					"customer_id": "C6", "order_id": "O6", "time": t0.Add(6 * time.Millisecond).Format(time.RFC3339Nano),
					"amount": "", "coupon": "SAVE10", "discount": "",
				}},
			}
			if fmt.Sprint(rejects) != fmt.Sprint(wantRejects) {
				t.Errorf("rejects:\n got %v\nwant %v", rejects, wantRejects)
			}
			if stats.RowsRead != n || stats.RowsUsed != n-2 || stats.RowsRejected != 2 ||
				stats.RejectsByReason["missing customer_id"] != 1 || stats.RejectsByReason["missing amount"] != 1 {
				t.Errorf("stats = %+v", stats)
			}
			var k int
			for i := range n {
				if nullCustomer(i) || nullAmount(i) {
					continue
				}
				l := lines[k]
				k++
				wantDisc, wantCoupon := discount(i), "SAVE10"
				if nullDiscount(i) {
					wantDisc = 0
				}
				if nullCoupon(i) {
					wantCoupon = ""
				}
				if l.CustomerID != fmt.Sprintf("C%d", i) || l.Amount != amount(i) || l.Discount != wantDisc || l.Coupon != wantCoupon {
					t.Errorf("row %d: got %+v, want amount %v discount %v coupon %q", i+1, l, amount(i), wantDisc, wantCoupon)
				}
			}
		})
	}
}

// TestReadOrdersParquetRowGroupsAndCodecs reads files of many row groups
// and pages, where the pages of different columns end at different rows,
// in small batches, under each compression codec.
func TestReadOrdersParquetRowGroupsAndCodecs(t *testing.T) {
	const n = 1000
	cols := []fixCol{
		{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%06d", i/3)) }},
		{"customer_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("customer-%d", i%97)) }},
		{"time", parquet.Timestamp(parquet.Microsecond), func(i int) parquet.Value { return i64Val(t0.UnixMicro() + int64(i)*1e6) }},
		{"quantity", parquet.Int(32), func(i int) parquet.Value { return parquet.Int32Value(int32(i%5) - 1) }},
		{"unit_price", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(float64(i+1) / 8) }},
		{"discount", parquet.Optional(parquet.Leaf(parquet.DoubleType)), func(i int) parquet.Value {
			if i%7 == 0 {
				return parquet.NullValue()
			}
			return f64Val(0.25)
		}},
		{"status", parquet.String(), func(i int) parquet.Value { return strVal([]string{"complete", "Returned"}[min(i%11, 1)^1]) }},
	}
	codecs := []struct {
		name  string
		codec interface {
			CompressionCodec() format.CompressionCodec
		}
		opt parquet.WriterOption
	}{
		{"uncompressed", &parquet.Uncompressed, parquet.Compression(&parquet.Uncompressed)},
		{"snappy", &parquet.Snappy, parquet.Compression(&parquet.Snappy)},
		{"gzip", &parquet.Gzip, parquet.Compression(&parquet.Gzip)},
		{"zstd", &parquet.Zstd, parquet.Compression(&parquet.Zstd)},
	}
	for _, c := range codecs {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "orders.parquet")
			writeFixture(t, path, n, cols, c.opt, parquet.MaxRowsPerRowGroup(128), parquet.PageBufferSize(512))
			meta := fixtureMeta(t, path)
			if len(meta.RowGroups) != 8 { // ceil(1000/128)
				t.Fatalf("fixture has %d row groups, want 8", len(meta.RowGroups))
			}
			if got := meta.RowGroups[0].Columns[0].MetaData.Codec; got != c.codec.CompressionCodec() {
				t.Fatalf("fixture codec %v, want %v", got, c.codec.CompressionCodec())
			}
			lines, rejects, stats, err := readAll(t, OrderSource{Path: path, BatchSize: 37, ReturnStatus: []string{"returned"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != n || len(rejects) != 0 || stats.Files[0].Rows != n {
				t.Fatalf("%d lines, %d rejects, stats %+v", len(lines), len(rejects), stats)
			}
			for i, l := range lines {
				q, p, d := float64(i%5-1), float64(i+1)/8, 0.25
				if i%7 == 0 {
					d = 0
				}
				amount := q*p - d
				if q < 0 { // a returned line's discount comes off what it gives back
					amount = q*p + d
				}
				want := OrderLine{
					CustomerID: fmt.Sprintf("customer-%d", i%97), OrderID: fmt.Sprintf("O%06d", i/3),
					Time: t0.Add(time.Duration(i) * time.Second), Quantity: q, UnitPrice: p, Discount: d,
					Amount: amount, Status: []string{"complete", "Returned"}[min(i%11, 1)^1],
					Returned: q < 0 || i%11 == 0,
				}
				switch { // what the status marks returned is bought and returned in place unless a quantity or amount is negative
				case want.Returned && q >= 0 && want.Amount >= 0 && i%11 == 0:
					want.ReturnedInPlace = true
				case want.Returned && want.Amount > 0:
					want.Amount = -want.Amount // a return of its own
				}
				if l != want {
					t.Fatalf("line %d:\n got %+v\nwant %+v", i, l, want)
				}
			}
		})
	}
}

// TestReadOrdersNaNCustomerIDs: pandas writes integer ids with some
// missing as a DOUBLE column with NaN for the missing ones. A NaN id is a
// missing customer_id (the line rejected), never a customer "NaN";
// 12346.0 reads as "12346", a whole number above 2⁵³ with the double's
// digits; an infinite id stops the read at its row.
// Plain and dictionary-encoded pages alike.
func TestReadOrdersNaNCustomerIDs(t *testing.T) {
	dict := func(n parquet.Node) parquet.Node { return parquet.Encoded(n, &parquet.RLEDictionary) }
	write := func(node parquet.Node, ids []float64) string {
		path := filepath.Join(t.TempDir(), "orders.parquet")
		writeFixture(t, path, len(ids), []fixCol{
			{"customer_id", node, func(i int) parquet.Value { return f64Val(ids[i]) }},
			{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", i+1)) }},
			{"time", parquet.Timestamp(parquet.Millisecond), func(i int) parquet.Value { return i64Val(t0.UnixMilli()) }},
			{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(10) }},
		})
		return path
	}
	for _, node := range []parquet.Node{parquet.Leaf(parquet.DoubleType), dict(parquet.Leaf(parquet.DoubleType))} {
		lines, rejects, stats, err := readAll(t, OrderSource{Path: write(node, []float64{12346, math.NaN(), 1234567890123, 12346, math.NaN()})})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range lines {
			got = append(got, l.CustomerID)
		}
		if want := []string{"12346", "1234567890123", "12346"}; !slices.Equal(got, want) { // a 13-digit id (Shopify's) in all its digits

			t.Errorf("%v: customers %q, want %q", node, got, want)
		}
		var reasons []string
		for _, r := range rejects {
			reasons = append(reasons, fmt.Sprintf("row %d: %s", r.Row, r.Reason))
		}
		if want := []string{"row 2: missing customer_id", "row 5: missing customer_id"}; !slices.Equal(reasons, want) || stats.RowsUsed != 3 {
			t.Errorf("%v: rejects %q, stats %+v; want %q", node, reasons, stats, want)
		}
		// Above 2⁵³ the double's own digits, never an exponent form.
		lines, _, _, err = readAll(t, OrderSource{Path: write(node, []float64{12345678901234567, 1e20, -4e18})})
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for _, l := range lines {
			got = append(got, l.CustomerID)
		}
		if want := []string{"12345678901234568", "100000000000000000000", "-4000000000000000000"}; !slices.Equal(got, want) {
			t.Errorf("%v: large ids %q, want %q", node, got, want)
		}
		_, _, _, err = readAll(t, OrderSource{Path: write(node, []float64{12346, 12347, math.Inf(1)})})
		if err == nil || !strings.Contains(err.Error(), `column "customer_id", row 3`) {
			t.Errorf("%v: an infinite id: error %v, want one naming its column and row", node, err)
		}
	}
}
