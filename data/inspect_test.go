package data

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
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
	// The distinct values of a text column of few (the store's fewer than
	// inspectParquetRows lines); none for the ids.
	for i, c := range s.Orders.Columns {
		if c.Kind != KindString {
			continue
		}
		seen := map[string]bool{}
		for j, v := range c.Strings {
			if !c.IsNull(j) && CleanID(v) != "" {
				seen[v] = true
			}
		}
		var want []string
		if len(seen) <= maxInspectValues {
			want = slices.Sorted(maps.Keys(seen))
		}
		if got := in.Columns[i].Values; !slices.Equal(got, want) {
			t.Errorf("%s: values %q, want %q", c.Name, got, want)
		}
		if c.Name == "category" && len(want) == 0 || c.Name == "customer_id" && want != nil {
			t.Errorf("%s: %d values: the test needs a column of few and one of many", c.Name, len(want))
		}
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

// TestInspectFormattedNumbers: amounts written as spreadsheets format them
// ("$1,234.50", "(12.00)") are numbers to Inspect, as the order reader
// reads them, so the amount column is mapped; ids with leading zeros and
// text with commas stay text.
func TestInspectFormattedNumbers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.csv")
	body := "order_id,customer_id,order_date,total,zip,note\n" +
		"A1,C1,2024-01-05,\"$1,234.50\",007,\"red, large\"\n" +
		"A2,C2,2024-01-06,12.50,010,plain\n" +
		"A3,C1,2024-02-05,(12.00),020,\"1,5\"\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := Inspect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]Kind{}
	for _, c := range in.Columns {
		kinds[c.Name] = c.Kind
	}
	for name, want := range map[string]Kind{"total": KindFloat64, "zip": KindString, "note": KindString} {
		if kinds[name] != want {
			t.Errorf("column %s: kind %v, want %v", name, kinds[name], want)
		}
	}
	if m := GuessMapping(in.Columns); m.Columns["amount"] != "total" {
		t.Errorf("amount → %q, want total", m.Columns["amount"])
	}
	// A ";" export whose every amount carries its currency after a
	// decimal comma: the comma decides (the cells used to be skipped, so
	// the file's mark was taken for a point and every amount refused).
	euro := filepath.Join(t.TempDir(), "orders.csv")
	if err := os.WriteFile(euro, []byte("order_id;customer_id;order_date;total\nA1;C1;2024-01-05;66,06 €\nA2;C2;2024-01-06;(4,92 €)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err = Inspect(context.Background(), euro)
	if err != nil {
		t.Fatal(err)
	}
	if in.Decimal != "," || in.Columns[3].Kind != KindFloat64 {
		t.Errorf("decimal %q, total %v; want \",\" and a number", in.Decimal, in.Columns[3].Kind)
	}
	cols := DefaultOrderColumns()
	cols.Time, cols.Amount = "order_date", "total"
	lines, _, _, err := readAll(t, OrderSource{Path: euro, Columns: cols})
	if err != nil || len(lines) != 2 || lines[0].Amount != 66.06 || lines[1].Amount != -4.92 {
		t.Errorf("read: %v, %+v; want 66.06 and −4.92", err, lines)
	}
}

// TestGuessShopifyOrders: an order export without a customer id or an
// order id column, with the order's total, status and discount on its
// first line only (Shopify's): customers by e-mail, orders by their
// "#1001" numbers, lines' amounts from quantity and price (the total left
// out, with a note), SKU, coupon code, billing city and country.
func TestGuessShopifyOrders(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders_export.csv")
	body := "Name,Email,Financial Status,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing City,Billing Country\n" +
		"#1001,ann@example.com,paid,55.00,WELCOME10,5.00,2024-01-05 10:20:00 +0100,2,Blue Mug,12.50,MUG-B,Berlin,DE\n" +
		"#1001,ann@example.com,,,,,2024-01-05 10:20:00 +0100,1,Red Plate,25.00,PLT-R,,\n" +
		"#1002,bob@example.com,paid,35.00,,0.00,2024-02-01 11:59:00 +0100,3,Green Cup,10.00,CUP-G,Munich,DE\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := Inspect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	m := GuessMapping(in.Columns)
	want := map[string]string{"customer_id": "Email", "order_id": "Name", "time": "Created at", "quantity": "Lineitem quantity", "unit_price": "Lineitem price",
		"coupon": "Discount Code", "product_id": "Lineitem sku", "status": "Financial Status", "city": "Billing City", "country": "Billing Country"}
	if !maps.Equal(m.Columns, want) || !slices.Equal(m.Discounts, []string{"Discount Amount"}) || m.OrderIDFromTime {
		t.Errorf("mapping %v, discounts %v\nwant    %v, [Discount Amount]", m.Columns, m.Discounts, want)
	}
	if !strings.Contains(m.Notes["customer_id"], "e-mail") || !strings.Contains(m.Notes["amount"], `not "Total"`) {
		t.Errorf("notes %q: want the e-mail and the total explained", m.Notes)
	}
	if g := GuessTable(in.Columns); g.Kind != OrdersTable {
		t.Errorf("table %s, want orders", g.Kind)
	}

	// With Shopify's Lineitem discount too (the order's discount spread
	// over its lines), the order's Discount Amount is left out: summed,
	// the discount would be taken off twice.
	body = "Name,Email,Discount Amount,Created at,Lineitem quantity,Lineitem price,Lineitem discount\n" +
		"#1001,ann@example.com,5.00,2024-01-05 10:20:00 +0100,2,12.50,2.50\n" +
		"#1001,ann@example.com,,2024-01-05 10:20:00 +0100,1,25.00,2.50\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if in, err = Inspect(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	m = GuessMapping(in.Columns)
	if !slices.Equal(m.Discounts, []string{"Lineitem discount"}) || !strings.Contains(m.Notes["discount"], `not "Discount Amount"`) {
		t.Errorf("discounts %v, note %q: want the line's alone, the order's explained", m.Discounts, m.Notes["discount"])
	}
}

// TestGuessOrderFieldsOnItemLines: in a file of item lines (WooCommerce's
// order export, one row per item with the order's fields repeated), money
// columns named for the order or the cart are not a line's amount or
// discount: the amount is quantity × Item Cost. In a file of orders (no
// quantity and price), an order's amount is the amount.
func TestGuessOrderFieldsOnItemLines(t *testing.T) {
	cols := []ColumnInfo{
		{Name: "Order Number", Kind: KindInt64}, {Name: "Order Date", Kind: KindTime, TimeFormat: "2006-01-02 15:04"},
		{Name: "Email (Billing)", Kind: KindString}, {Name: "Cart Discount Amount", Kind: KindFloat64},
		{Name: "Order Subtotal Amount", Kind: KindFloat64}, {Name: "Order Total Amount", Kind: KindFloat64},
		{Name: "SKU", Kind: KindString}, {Name: "Quantity (- Refund)", Kind: KindInt64}, {Name: "Item Cost", Kind: KindFloat64},
	}
	cols[0].Repeats = true // an order's number on each of its lines
	m := GuessMapping(cols)
	if _, ok := m.Columns["amount"]; ok || m.Columns["unit_price"] != "Item Cost" || m.Columns["quantity"] != "Quantity (- Refund)" || len(m.Discounts) != 0 {
		t.Errorf("mapping %v, discounts %v: want quantity × Item Cost, no order amount or discount", m.Columns, m.Discounts)
	}
	if !strings.Contains(m.Notes["amount"], `not "Order Subtotal Amount"`) || !strings.Contains(m.Notes["discount"], `not "Cart Discount Amount"`) {
		t.Errorf("notes %q", m.Notes)
	}
	// Without Item Cost the file has no line amount: the order's is not
	// mapped as one (it would count once per line), and the note says why.
	noPrice := slices.DeleteFunc(slices.Clone(cols), func(c ColumnInfo) bool { return c.Name == "Item Cost" })
	if m := GuessMapping(noPrice); m.Columns["amount"] != "" || !strings.Contains(m.Notes["amount"], `not "Order Subtotal Amount", an order's (by its name) in a file of item lines (a product column)`) {
		t.Errorf("item lines without a price: amount %q, note %q; want none, explained", m.Columns["amount"], m.Notes["amount"])
	}
	// One row an order (its number never repeats): a product column does
	// not make the order's amount a line's.
	once := slices.Clone(noPrice)
	once[0].Repeats = false
	if m := GuessMapping(once); m.Columns["amount"] != "Order Subtotal Amount" {
		t.Errorf("one row an order: amount %q, want Order Subtotal Amount", m.Columns["amount"])
	}
	orders := []ColumnInfo{{Name: "customer_id", Kind: KindString}, {Name: "order_id", Kind: KindString},
		{Name: "order_date", Kind: KindTime}, {Name: "order_amount", Kind: KindFloat64}}
	if m := GuessMapping(orders); m.Columns["amount"] != "order_amount" {
		t.Errorf("a file of orders: amount %q, want order_amount", m.Columns["amount"])
	}
	// A refund, a tax, the shipping or a fee is no line's spend
	// (BigCommerce's "Refund Amount" was mapped as the amount).
	for _, name := range []string{"Refund Amount", "Tax Amount", "Shipping Amount", "fee_amount", "VAT amount"} {
		cols := append(slices.Clone(orders[:3]), ColumnInfo{Name: name, Kind: KindFloat64})
		if m := GuessMapping(cols); m.Columns["amount"] != "" {
			t.Errorf("%q mapped as the amount", name)
		}
	}
	// A spend before or with tax is the amount; "coffee" is no fee.
	for _, name := range []string{"Amount excl. Tax", "Net Amount ex Tax", "amount_incl_tax", "coffee_amount"} {
		cols := append(slices.Clone(orders[:3]), ColumnInfo{Name: name, Kind: KindFloat64})
		if m := GuessMapping(cols); m.Columns["amount"] != name {
			t.Errorf("%q not mapped as the amount (%q)", name, m.Columns["amount"])
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

// TestGuessTable: each kind of table is told from its columns, with its
// logical columns mapped; an order id column makes a file order lines
// whatever else it has.
func TestGuessTable(t *testing.T) {
	col := func(name string, kind Kind, examples ...string) ColumnInfo {
		return ColumnInfo{Name: name, Kind: kind, Examples: examples}
	}
	for _, c := range []struct {
		name string
		cols []ColumnInfo
		kind TableKind
		want map[string]string
	}{
		{"orders", []ColumnInfo{col("Customer ID", KindString), col("Invoice", KindString), col("InvoiceDate", KindTime), col("Amount", KindFloat64)},
			OrdersTable, map[string]string{"customer_id": "Customer ID", "order_id": "Invoice", "time": "InvoiceDate", "amount": "Amount"}},
		{"daily summaries", []ColumnInfo{col("cust_id", KindInt64), col("date", KindTime), col("dollars", KindFloat64)},
			OrdersTable, map[string]string{"customer_id": "cust_id", "time": "date", "amount": "dollars"}},
		{"customers", []ColumnInfo{col("user_id", KindString), col("Email Address", KindString), col("accepts_marketing", KindString, "yes", "no"),
			col("created_at", KindTime), col("City", KindString), col("is_business", KindBool), col("age_group", KindString)},
			CustomersTable, map[string]string{"customer_id": "user_id", "email": "Email Address", "newsletter": "accepts_marketing",
				"signup_time": "created_at", "city": "City", "b2b": "is_business", "age_band": "age_group"}},
		{"customers, a newsletter column that is not yes/no", []ColumnInfo{col("customer_id", KindString), col("newsletter", KindString, "weekly", "never"), col("email", KindString), col("country", KindString)},
			CustomersTable, map[string]string{"customer_id": "customer_id", "email": "email", "country": "country"}},
		{"customers with a signup date and a lifetime revenue", []ColumnInfo{col("customer_id", KindString), col("signup_date", KindTime), col("lifetime_revenue", KindFloat64)},
			CustomersTable, map[string]string{"customer_id": "customer_id", "signup_time": "signup_date"}},
		// Shopify's customers export: consent, the default address's city
		// and country code.
		{"a customers export", []ColumnInfo{col("Customer ID", KindInt64), col("Email", KindString), {Name: "Accepts Email Marketing", Kind: KindString, Examples: []string{"yes", "no"}},
			col("Default Address City", KindString), col("Default Address Country Code", KindString), col("Total Spent", KindFloat64)},
			CustomersTable, map[string]string{"customer_id": "Customer ID", "email": "Email", "newsletter": "Accepts Email Marketing",
				"city": "Default Address City", "country": "Default Address Country Code"}},
		// Customers told apart by e-mail, with a note (Mapping.Notes).
		{"orders without a customer column, with an e-mail, a sku and a category", []ColumnInfo{col("order_id", KindString), col("order_date", KindTime), col("customer_email", KindString),
			col("sku", KindString), col("category", KindString), col("quantity", KindInt64), col("price", KindFloat64)},
			OrdersTable, map[string]string{"customer_id": "customer_email", "order_id": "order_id", "product_id": "sku"}},
		{"daily sums whose amount is not recognised, with a country", []ColumnInfo{col("customer_id", KindString), col("date", KindTime), col("country", KindString), col("net_value", KindFloat64)},
			UnknownTable, map[string]string{"customer_id": "customer_id", "time": "date"}},
		{"products", []ColumnInfo{col("SKU", KindString), col("department", KindString), col("price_level", KindString), col("release_date", KindTime)},
			ProductsTable, map[string]string{"product_id": "SKU", "category": "department", "price_tier": "price_level", "launch_time": "release_date"}},
		{"events", []ColumnInfo{col("user_id", KindString), col("event_time", KindTime), col("event_type", KindString)},
			EventsTable, map[string]string{"customer_id": "user_id", "time": "event_time", "type": "event_type"}},
		{"order lines without an amount, with a city", []ColumnInfo{col("customer_id", KindString), col("order_id", KindString), col("time", KindTime), col("city", KindString)},
			UnknownTable, map[string]string{"customer_id": "customer_id", "order_id": "order_id", "time": "time"}},
		{"order lines without an amount, with a type", []ColumnInfo{col("customer_id", KindString), col("order_id", KindString), col("time", KindTime), col("type", KindString)},
			UnknownTable, map[string]string{"customer_id": "customer_id", "order_id": "order_id"}},
		// The events' time_format says the layout (WriteStarter writes it).
		{"events whose times need a time_format", []ColumnInfo{col("customer_id", KindString), {Name: "time", Kind: KindTime, TimeFormat: "%d/%m/%Y"}, col("type", KindString)},
			EventsTable, map[string]string{"customer_id": "customer_id", "time": "time", "type": "type"}},
		// The events' time_format must say their order (WriteStarter asks).
		{"events whose day/month dates read both ways", []ColumnInfo{col("customer_id", KindString), {Name: "time", Kind: KindTime, TimeNote: "03/04/2021 reads both ways"}, col("type", KindString)},
			EventsTable, map[string]string{"customer_id": "customer_id", "time": "time", "type": "type"}},
		{"a product list with customer ratings", []ColumnInfo{col("product_id", KindString), col("customer_id", KindString), col("category", KindString)},
			UnknownTable, map[string]string{"customer_id": "customer_id"}},
	} {
		g := GuessTable(c.cols)
		if g.Kind != c.kind {
			t.Errorf("%s: kind %s, want %s", c.name, g.Kind, c.kind)
		}
		for k, v := range c.want {
			if g.Mapping.Columns[k] != v {
				t.Errorf("%s: %s → %q, want %q (mapping %v)", c.name, k, g.Mapping.Columns[k], v, g.Mapping.Columns)
			}
		}
		if c.kind == CustomersTable && c.want["newsletter"] == "" && g.Mapping.Columns["newsletter"] != "" {
			t.Errorf("%s: newsletter mapped to %q", c.name, g.Mapping.Columns["newsletter"])
		}
	}
}

// TestInspectStatusValues: Inspect lists a text column's distinct values
// over every row of a CSV file (not only the typing sample) and the first
// rows of a Parquet file, none for a column of more than
// maxInspectValues; StatusValues picks those that read as a line
// cancelled, returned or refunded in full.
func TestInspectStatusValues(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("order_id,customer_id,time,amount,status,note\n")
	for i := range 1500 {
		status := "paid"
		switch {
		case i == 1400: // past the 1,000 rows that type the columns
			status = "Refunded"
		case i%7 == 0:
			status = "partially_refunded"
		case i%11 == 0:
			status = "CANCELLED"
		}
		fmt.Fprintf(&b, "o%d,c%d,2024-01-02,5.00,%s,n%d\n", i, i%40, status, i)
	}
	path := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := Inspect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	m := GuessMapping(in.Columns)
	values, cancel := in.StatusValues(m)
	if want := []string{"CANCELLED", "Refunded", "paid", "partially_refunded"}; !slices.Equal(values, want) {
		t.Errorf("status values %q, want %q", values, want)
	}
	if want := []string{"CANCELLED", "Refunded"}; !slices.Equal(cancel, want) {
		t.Errorf("cancel statuses %q, want %q", cancel, want)
	}
	for _, c := range in.Columns {
		if c.Name == "note" && c.Values != nil {
			t.Errorf("note: %d values listed, want none (1,500 distinct)", len(c.Values))
		}
		if c.Name == "time" && c.Values != nil {
			t.Errorf("time: values %q listed for a time column", c.Values)
		}
	}
}

// TestCancelStatuses: the words of trackers' and shops' statuses.
func TestCancelStatuses(t *testing.T) {
	in := []string{"cancelled", "Canceled", "REFUNDED", "returned", "voided", "Charged Back", "charge-back", "storniert",
		"paid", "partially_refunded", "Partially Refunded", "return_requested", "refund pending", "not returned", "completed", "shipped", "refundable_item"}
	want := []string{"cancelled", "Canceled", "REFUNDED", "returned", "voided", "Charged Back", "charge-back", "storniert"}
	if got := CancelStatuses(in); !slices.Equal(got, want) {
		t.Errorf("CancelStatuses = %q\nwant %q", got, want)
	}
}

// TestInspectParquetNested: a file with nested columns (a list, a struct,
// as Spark and BigQuery write them) is described, the nested columns as
// groups that map to nothing, and the examples and nulls of the columns
// after them are their own.
func TestInspectParquetNested(t *testing.T) {
	type address struct {
		City string `parquet:"city"`
	}
	type row struct {
		CustomerID string   `parquet:"customer_id"`
		Tags       []string `parquet:"tags,list"`
		Ship       address  `parquet:"ship"`
		OrderID    string   `parquet:"order_id"`
		Amount     float64  `parquet:"amount"`
	}
	path := filepath.Join(t.TempDir(), "nested.parquet")
	rows := []row{{"c1", []string{"a", "b"}, address{"Köln"}, "o1", 12.5}, {"c2", nil, address{"Wien"}, "o2", 3}}
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
	in, err := Inspect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range in.Columns {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"customer_id", "tags", "ship", "order_id", "amount"}) {
		t.Fatalf("columns %v", names)
	}
	if in.Columns[1].Type != "group (nested)" || in.Columns[2].Type != "group (nested)" {
		t.Errorf("nested columns typed %q, %q", in.Columns[1].Type, in.Columns[2].Type)
	}
	// A struct named like an order column maps to nothing.
	cols := append(slices.Clone(in.Columns), ColumnInfo{Name: "customer", Type: nestedType})
	cols[0].Name = "cid"
	if m := GuessMapping(cols); m.Columns["customer_id"] != "" {
		t.Errorf("customer_id mapped to %q", m.Columns["customer_id"])
	}
	if ex := in.Columns[3].Examples; !slices.Equal(ex, []string{"o1", "o2"}) {
		t.Errorf("order_id examples %q", ex)
	}
	if ex := in.Columns[4].Examples; len(ex) != 2 || ex[0] != "12.5" {
		t.Errorf("amount examples %q", ex)
	}
}

// TestInspectOffsets: a CSV column of times with offsets lists the offsets
// other than zero it carries.
func TestInspectOffsets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "orders.csv")
	body := "id,order,Created at,amount\nc1,o1,2024-01-05 10:15:42 -0500,1\nc2,o2,2024-07-05 10:15:42 -0400,2\nc3,o3,2024-07-05 10:15:42 +0000,3\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := Inspect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if got := in.Columns[2].Offsets; !slices.Equal(got, []string{"-05:00", "-04:00"}) {
		t.Errorf("offsets %q", got)
	}
	// The layouts the reader takes with a colon offset after a space are
	// times to inspect too.
	body = "id,order,Created at,amount\nc1,o1,2024-01-05 10:15 +01:00,1\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if in, err = Inspect(context.Background(), path); err != nil || in.Columns[2].Kind != KindTime || !slices.Equal(in.Columns[2].Offsets, []string{"+01:00"}) {
		t.Errorf("colon offset after a space: %+v, %v", in.Columns[2], err)
	}
}
