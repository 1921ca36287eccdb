package data

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestInspectParquet(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "orders.parquet")
	s := generateTables(t, GenOptions{Customers: 200, Seed: 3})
	if err := (&storeWriter{dir: dir}).writeTable("orders.parquet", s.Orders); err != nil {
		t.Fatal(err)
	}
	in, err := Inspect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if in.Format != "parquet" || in.Files != 1 || in.Rows != int64(s.Orders.Columns[0].Len()) {
		t.Errorf("format %s, files %d, rows %d; want parquet, 1, %d", in.Format, in.Files, in.Rows, s.Orders.Columns[0].Len())
	}
	var sum int64
	for _, n := range in.RowGroups {
		sum += n
	}
	if sum != in.Rows || len(in.Codecs) == 0 || !slices.Contains(in.Codecs, "ZSTD") {
		t.Errorf("row groups %v (Σ %d), codecs %v; want Σ = rows and ZSTD", in.RowGroups, sum, in.Codecs)
	}
	if len(in.Columns) != len(s.Orders.Columns) || in.Columns[2].Kind != KindTime || len(in.Columns[0].Examples) == 0 {
		t.Errorf("columns %+v", in.Columns)
	}
	m := GuessMapping(in.Columns)
	want := map[string]string{"customer_id": "customer_id", "order_id": "order_id", "time": "time", "quantity": "quantity",
		"unit_price": "unit_price", "coupon": "coupon", "category": "category", "product_id": "product_id"}
	for k, v := range want {
		if m.Columns[k] != v {
			t.Errorf("%s → %q, want %q (mapping %v)", k, m.Columns[k], v, m.Columns)
		}
	}
	if !slices.Equal(m.Discounts, []string{"discount"}) {
		t.Errorf("discounts %v", m.Discounts)
	}
}

func TestInspectCSVAndGuess(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "export.csv")
	body := "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
		"536365,85123A,6,12/01/2010 08:26,2.55,17850,United Kingdom\n" +
		"C536379,D,-1,12/01/2010 09:41,27.50,,United Kingdom\n" +
		"536380,22,1,12/13/2010 10:00,1.25,17850,United Kingdom\n" // day 13: month first
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := Inspect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if in.Rows != 3 || in.Format != "csv" {
		t.Errorf("rows %d format %s", in.Rows, in.Format)
	}
	var dateCol ColumnInfo
	for _, c := range in.Columns {
		if c.Name == "InvoiceDate" {
			dateCol = c
		}
	}
	if dateCol.TimeFormat != "%m/%d/%Y %H:%M" {
		t.Errorf("InvoiceDate format %q", dateCol.TimeFormat)
	}
	layout, err := TimeLayout(dateCol.TimeFormat)
	if err != nil {
		t.Fatal(err)
	}
	if at, err := time.Parse(layout, "12/01/2010 08:26"); err != nil || at.Month() != time.December {
		t.Error(at, err)
	}
	m := GuessMapping(in.Columns)
	want := map[string]string{"customer_id": "CustomerID", "order_id": "InvoiceNo", "time": "InvoiceDate",
		"quantity": "Quantity", "unit_price": "UnitPrice", "product_id": "StockCode", "country": "Country"}
	for k, v := range want {
		if m.Columns[k] != v {
			t.Errorf("%s → %q, want %q", k, m.Columns[k], v)
		}
	}
}

// TestGuessRealData: the guessed mapping of the shared real data sets
// matches the example configs' required columns.
func TestGuessRealData(t *testing.T) {
	for _, c := range []struct {
		file      string
		want      map[string]string
		discounts []string
		fromTime  bool
	}{
		{"completejourney/transactions_sample.csv", map[string]string{"customer_id": "household_id", "order_id": "basket_id",
			"time": "transaction_timestamp", "amount": "sales_value", "quantity": "quantity", "product_id": "product_id"},
			[]string{"retail_disc", "coupon_disc", "coupon_match_disc"}, false},
		{"cdnow/cdnow_sample.csv", map[string]string{"customer_id": "master_customer_id", "order_id": "date", "time": "date", "amount": "dollars"}, nil, true},
	} {
		path := filepath.Join("..", "..", "shared", "data", c.file)
		if _, err := os.Stat(path); err != nil {
			t.Skipf("skipping: %s not found (the shared data set is expected beside the repository)", path)
		}
		in, err := Inspect(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		m := GuessMapping(in.Columns)
		for k, v := range c.want {
			if m.Columns[k] != v {
				t.Errorf("%s: %s → %q, want %q", c.file, k, m.Columns[k], v)
			}
		}
		if !slices.Equal(m.Discounts, c.discounts) || m.OrderIDFromTime != c.fromTime {
			t.Errorf("%s: discounts %v, order id from time %v", c.file, m.Discounts, m.OrderIDFromTime)
		}
	}
}

func TestInspectErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.parquet")
	os.WriteFile(bad, []byte("not parquet"), 0o644)
	for _, p := range []string{bad, filepath.Join(dir, "none.csv"), filepath.Join(dir, "*.nothing")} {
		if _, err := Inspect(context.Background(), p); err == nil {
			t.Errorf("Inspect(%s): no error", p)
		}
	}
}
