package data

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestReadOrdersRefunded: a mapped refund column is read into
// OrderLine.Refunded, whatever its sign, with a blank as 0 (Shopify writes
// Refunded Amount on an order's first line only); a returned line's refund
// is dropped, since all its money is back already; money in cents is
// scaled; an unmapped column of that name is not read; an excluded line's
// own amount is counted as excluded.
func TestReadOrdersRefunded(t *testing.T) {
	text := "customer_id,order_id,time,amount,status,Refunded Amount\n" +
		"ann,1,2024-01-02,50,partially_refunded,20\n" +
		"ann,1,2024-01-02,30,,\n" + // the order's second line: no refund of its own
		"bob,2,2024-01-03,40,refunded,40\n" + // refunded in full: returned in place
		"cy,3,2024-01-04,25,paid,-5\n" + // a refund written negative
		"cy,4,2024-01-05,60,failed,10\n" // left out, with its order
	cols := DefaultOrderColumns()
	cols.Refunded = "Refunded Amount"
	src := func(path string) OrderSource {
		return OrderSource{Path: path, Columns: cols, ReturnStatus: []string{"refunded"}, ExcludeStatus: []string{"failed"}}
	}
	check := func(t *testing.T, path string) {
		lines, _, stats, err := readAll(t, src(path))
		if err != nil {
			t.Fatal(err)
		}
		var got []float64
		for _, l := range lines {
			got = append(got, l.Refunded)
		}
		want := []float64{20, 0, 0, 5}
		if len(got) != len(want) {
			t.Fatalf("refunds %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("line %d: refunded %v, want %v", i+1, got[i], want[i])
			}
		}
		if stats.RevenueExcluded != 60 {
			t.Errorf("RevenueExcluded = %v, want 60", stats.RevenueExcluded)
		}
	}
	dir := t.TempDir()
	csvPath := writeFile(t, dir, "orders.csv", text)
	t.Run("csv", func(t *testing.T) { check(t, csvPath) })
	t.Run("parquet", func(t *testing.T) {
		rows := strings.Split(strings.TrimSpace(text), "\n")[1:]
		cell := func(i, j int) string { return strings.Split(rows[i], ",")[j] }
		path := filepath.Join(dir, "orders.parquet")
		refund := []float64{20, 0, 40, -5, 10}
		writeFixture(t, path, len(rows), []fixCol{
			{"customer_id", parquet.String(), func(i int) parquet.Value { return strVal(cell(i, 0)) }},
			{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(cell(i, 1)) }},
			{"time", parquet.Timestamp(parquet.Microsecond), func(int) parquet.Value { return i64Val(1704153600000000) }},
			{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val([]float64{50, 30, 40, 25, 60}[i]) }},
			{"status", parquet.String(), func(i int) parquet.Value { return strVal(cell(i, 4)) }},
			{"Refunded Amount", parquet.Optional(parquet.Leaf(parquet.DoubleType)), func(i int) parquet.Value {
				if i == 1 {
					return parquet.NullValue()
				}
				return f64Val(refund[i])
			}},
		})
		check(t, path)
	})
	t.Run("not mapped", func(t *testing.T) {
		path := writeFile(t, dir, "plain.csv", "customer_id,order_id,time,amount,refunded\nann,1,2024-01-02,50,20\n")
		lines, _, _, err := readAll(t, OrderSource{Path: path})
		if err != nil || len(lines) != 1 || lines[0].Refunded != 0 {
			t.Errorf("lines %+v, error %v: want the refunded column left unread", lines, err)
		}
	})
	t.Run("cents", func(t *testing.T) {
		path := writeFile(t, dir, "cents.csv", "customer_id,order_id,time,amount,Refunded Amount\nann,1,2024-01-02,5000,1234\n")
		lines, _, _, err := readAll(t, OrderSource{Path: path, Columns: cols, AmountScale: 0.01})
		if err != nil || len(lines) != 1 || lines[0].Refunded != 12.34 {
			t.Errorf("lines %+v, error %v: want a refund of 12.34", lines, err)
		}
	})
	t.Run("out of range", func(t *testing.T) {
		path := writeFile(t, dir, "huge.csv", "customer_id,order_id,time,amount,Refunded Amount\nann,1,2024-01-02,50,1e13\n")
		lines, rejects, _, err := readAll(t, OrderSource{Path: path, Columns: cols})
		if err != nil || len(lines) != 0 || len(rejects) != 1 || !strings.Contains(rejects[0].Reason, "refunded out of range") {
			t.Errorf("lines %+v, rejects %+v, error %v: want the line rejected, its refund out of range", lines, rejects, err)
		}
	})
}

// TestReadOrdersRefundCarried: the refund of a line left out for a reason
// of its own (a free gift's price of 0, an excluded product, a missing
// amount) goes on the next line of its order, so that the order's refund
// is not lost; a line of another order drops it, and so does a line left
// out with its whole order (orders.exclude.status).
func TestReadOrdersRefundCarried(t *testing.T) {
	text := "customer_id,order_id,time,quantity,unit_price,status,product_id,refunded\n" +
		"ann,1,2024-01-02,1,0,paid,GIFT,30\n" + // a free gift: non-positive unit_price
		"ann,1,2024-01-02,1,100,,A,\n" + // takes the gift's refund
		"bob,2,2024-01-03,1,5,paid,POST,12\n" + // excluded product
		"bob,2,2024-01-03,1,40,,B,3\n" + // its own 3 and the 12
		"cy,3,2024-01-04,1,0,paid,GIFT,9\n" + // the last line of its order: dropped…
		"cy,4,2024-01-04,1,20,paid,C,\n" + // …not taken by another order
		"dee,5,2024-01-05,1,50,failed,D,7\n" + // the whole order left out
		"dee,5,2024-01-05,1,10,,E,\n" +
		"eli,6,2024-01-06,1,30,paid,F,1e13\n" + // a refund out of range stays with its line
		"eli,6,2024-01-06,1,25,,G,\n" +
		",7,2024-01-07,1,0,paid,H,4\n" + // no customer: its order is not known
		",7,2024-01-07,1,8,,I,\n"
	cols := DefaultOrderColumns()
	cols.Refunded = "refunded"
	path := writeFile(t, t.TempDir(), "orders.csv", text)
	lines, rejects, _, err := readAll(t, OrderSource{Path: path, Columns: cols, ExcludeProducts: []string{"POST"}, ExcludeStatus: []string{"failed"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, l := range lines {
		got[l.OrderID+"/"+l.ProductID] = l.Refunded
	}
	want := map[string]float64{"1/A": 30, "2/B": 15, "4/C": 0, "6/G": 0}
	if len(got) != len(want) {
		t.Fatalf("lines used %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("line %s: refunded %v, want %v", k, got[k], v)
		}
	}
	if len(rejects) != 8 {
		t.Errorf("%d rejects, want 8", len(rejects))
	}
}
