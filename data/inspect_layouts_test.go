package data

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestGuessLineTotals: a price column that grows with the quantity on
// lines of one product (Amazon's item-price) is mapped as the amount;
// one that stays the same is the unit price.
func TestGuessLineTotals(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, prices string
		amount       bool
	}{
		{"totals", "10,20,30,5,15", true},
		{"unit prices", "10,10,10,5,5", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := strings.Split(c.prices, ",")
			text := "customer_id,order_id,time,sku,quantity,item-price,item-promotion-discount,ship-city,ship-country\n" +
				"a,1,2024-01-02,P1,1," + p[0] + ",0,Leeds,GB\n" + "b,2,2024-01-02,P1,2," + p[1] + ",0,York,GB\n" + "c,3,2024-01-02,P1,3," + p[2] + ",-1,Bath,GB\n" +
				"a,4,2024-01-03,P2,1," + p[3] + ",0,Leeds,GB\n" + "b,5,2024-01-03,P2,3," + p[4] + ",0,York,GB\n"
			in, err := Inspect(context.Background(), writeFile(t, dir, c.name+".csv", text))
			if err != nil {
				t.Fatal(err)
			}
			g := in.Guess()
			if g.Mapping.AmountBeforeDiscount != c.amount {
				t.Errorf("AmountBeforeDiscount %v, want %v: a line's total beside a discount is before it", g.Mapping.AmountBeforeDiscount, c.amount)
			}
			if got := g.Mapping.Columns["amount"] == "item-price"; got != c.amount {
				t.Errorf("mapping %v: item-price as the amount %v, want %v", g.Mapping.Columns, got, c.amount)
			}
			if c.amount && !strings.Contains(g.Mapping.Notes["amount"], "grows with the quantity") {
				t.Errorf("notes %v: want the amount's note", g.Mapping.Notes)
			}
			if !c.amount && g.Mapping.Columns["unit_price"] != "item-price" {
				t.Errorf("mapping %v: want item-price as the unit price", g.Mapping.Columns)
			}
			if g.Mapping.Columns["city"] != "ship-city" || g.Mapping.Columns["country"] != "ship-country" {
				t.Errorf("mapping %v: want Amazon's ship-city and ship-country", g.Mapping.Columns)
			}
		})
	}
}

// TestGuessUCIMarks: inspect finds UCI Online Retail's cancellation prefix
// (C invoices of negative quantities), its codes without a digit among
// SKUs (POST, M), and the rows repeated exactly in its first rows.
func TestGuessUCIMarks(t *testing.T) {
	text := "Invoice,StockCode,Quantity,InvoiceDate,Price,Customer ID\n"
	for i := range 40 {
		text += fmt.Sprintf("5363%02d,85123A,%d,12/1/2009 7:45,2.55,13085.0\n", i, i+1)
	}
	text += "536399,POST,1,12/1/2009 8:00,18.00,12583.0\n" +
		"C536400,22138,-2,12/1/2009 9:00,4.95,13085.0\n" +
		"536401,M,1,12/1/2009 9:30,1.00,13085.0\n" +
		"536401,M,1,12/1/2009 9:30,1.00,13085.0\n"
	in, err := Inspect(context.Background(), writeFile(t, t.TempDir(), "retail.csv", text))
	if err != nil {
		t.Fatal(err)
	}
	m := in.Guess().Mapping
	if m.CancelPrefix != "C" || m.CancelExample != "C536400" {
		t.Errorf("cancellation prefix %q (%q), want C (C536400)", m.CancelPrefix, m.CancelExample)
	}
	if !slices.Equal(m.OddProducts, []string{"POST", "M"}) {
		t.Errorf("odd products %q, want POST and M", m.OddProducts)
	}
	if in.Duplicates != 1 {
		t.Errorf("%d duplicate rows, want 1", in.Duplicates)
	}
	// A purchase with the prefix: it marks no cancellation.
	if p, _ := cancelPrefix([]string{"1", "2", "3", "C4", "C5"}, []float64{1, 1, 1, -1, 2}); p != "" {
		t.Errorf("prefix %q of ids with a purchase among them", p)
	}
}

// TestGuessOrderExportWithEmail: an order export (one order a row) with an
// e-mail column is order lines, not a customers table, since its
// customers repeat; its customer column of people's names gives way to
// the e-mail (PrestaShop's order list with an Email column added).
func TestGuessOrderExportWithEmail(t *testing.T) {
	text := "ID;Customer;Total;Status;Date;Email\n" +
		"3;M. DURAND;€41.09;Delivered;2024-03-12 08:05:51;marie.durand@example.fr\n" +
		"2;C. MARTIN;€76.84;Delivered;2024-09-20 05:26:20;christophe.martin@example.fr\n" +
		"1;M. DURAND;€12.00;Delivered;2024-09-21 05:26:20;michel.durand@example.fr\n"
	in, err := Inspect(context.Background(), writeFile(t, t.TempDir(), "orders.csv", text))
	if err != nil {
		t.Fatal(err)
	}
	g := in.Guess()
	if g.Kind != OrdersTable || g.Mapping.Columns["customer_id"] != "Email" || g.Mapping.Columns["amount"] != "Total" {
		t.Errorf("guess %s %v, want order lines with customer_id Email and amount Total", g.Kind, g.Mapping.Columns)
	}
	// A customers table, one row per customer, stays one.
	cust := "customer_id,email,city\nc1,a@x.com,Cluj\nc2,b@x.com,Iasi\n"
	in, err = Inspect(context.Background(), writeFile(t, t.TempDir(), "customers.csv", cust))
	if err != nil {
		t.Fatal(err)
	}
	if g := in.Guess(); g.Kind != CustomersTable {
		t.Errorf("customers table guessed as %s", g.Kind)
	}
}

// TestGuessConvertedAmount: a payments export in several currencies with
// the amounts converted to one (Stripe's Converted Amount and Converted
// Currency) is mapped to the converted columns.
func TestGuessConvertedAmount(t *testing.T) {
	m := GuessMapping([]ColumnInfo{
		{Name: "id", Kind: KindString}, {Name: "Customer ID", Kind: KindString},
		{Name: "Created date (UTC)", Kind: KindTime, TimeFormat: "2006-01-02 15:04:05"},
		{Name: "Amount", Kind: KindFloat64}, {Name: "Currency", Kind: KindString},
		{Name: "Converted Amount", Kind: KindFloat64}, {Name: "Converted Currency", Kind: KindString},
	})
	if m.Columns["amount"] != "Converted Amount" || m.Columns["currency"] != "Converted Currency" {
		t.Errorf("mapping %v: want the converted amount and currency", m.Columns)
	}
}

// TestGuessRefunded: a refund column is mapped as refunded, in the
// amount's currency (Stripe's Amount Refunded beside Amount, Converted
// Amount Refunded beside Converted Amount), never a refund's date or a
// shipping refund, nor a column empty in every row.
func TestGuessRefunded(t *testing.T) {
	stripe := func(converted, convertedEmpty bool) []ColumnInfo {
		cols := []ColumnInfo{
			{Name: "id", Kind: KindString}, {Name: "Customer ID", Kind: KindString},
			{Name: "Created date (UTC)", Kind: KindTime, TimeFormat: "2006-01-02 15:04:05"},
			{Name: "Amount", Kind: KindFloat64}, {Name: "Amount Refunded", Kind: KindFloat64},
			{Name: "Refunded date (UTC)", Kind: KindTime, TimeFormat: "2006-01-02 15:04:05"},
		}
		if converted {
			cols = append(cols, ColumnInfo{Name: "Converted Amount", Kind: KindFloat64, Empty: convertedEmpty},
				ColumnInfo{Name: "Converted Amount Refunded", Kind: KindFloat64, Empty: convertedEmpty})
		}
		return cols
	}
	for _, c := range []struct {
		name             string
		cols             []ColumnInfo
		amount, refunded string
	}{
		{"stripe", stripe(false, false), "Amount", "Amount Refunded"},
		{"stripe converted", stripe(true, false), "Converted Amount", "Converted Amount Refunded"},
		{"stripe converted empty", stripe(true, true), "Amount", "Amount Refunded"},
		{"shopify", []ColumnInfo{
			{Name: "Name", Kind: KindString}, {Name: "Email", Kind: KindString},
			{Name: "Created at", Kind: KindTime, TimeFormat: "2006-01-02 15:04:05 -0700"},
			{Name: "Lineitem quantity", Kind: KindInt64}, {Name: "Lineitem price", Kind: KindFloat64},
			{Name: "Shipping Refunded", Kind: KindFloat64}, {Name: "Refunded Amount", Kind: KindFloat64},
		}, "", "Refunded Amount"},
		{"magento", []ColumnInfo{
			{Name: "ID", Kind: KindInt64}, {Name: "Customer Email", Kind: KindString},
			{Name: "Grand Total (Base)", Kind: KindFloat64}, {Name: "Status", Kind: KindString}, {Name: "Total Refunded", Kind: KindFloat64},
		}, "", "Total Refunded"},
		{"none", []ColumnInfo{
			{Name: "customer_id", Kind: KindString}, {Name: "order_id", Kind: KindString},
			{Name: "time", Kind: KindTime}, {Name: "amount", Kind: KindFloat64}, {Name: "Shipping Refunded", Kind: KindFloat64},
			{Name: "Tax Amount Refunded", Kind: KindFloat64}, {Name: "refunded", Kind: KindInt64}, // a flag of 0 or 1
			{Name: "Refunds", Kind: KindInt64}, {Name: "Qty Refunded", Kind: KindInt64},
		}, "amount", ""},
		{"cents", []ColumnInfo{
			{Name: "customer_id", Kind: KindString}, {Name: "order_id", Kind: KindString},
			{Name: "time", Kind: KindTime}, {Name: "amount_cents", Kind: KindInt64}, {Name: "refunded_amount_cents", Kind: KindInt64},
		}, "amount_cents", "refunded_amount_cents"},
	} {
		m := GuessMapping(c.cols)
		if m.Columns["amount"] != c.amount || m.Columns["refunded"] != c.refunded {
			t.Errorf("%s: amount %q, refunded %q; want %q and %q", c.name, m.Columns["amount"], m.Columns["refunded"], c.amount, c.refunded)
		}
		if q := m.Columns["quantity"]; strings.Contains(q, "Refunded") {
			t.Errorf("%s: quantity %q: a count of items refunded is not the items bought", c.name, q)
		}
	}
	// In a file of item lines, a refund named for the order is the order's,
	// repeated on each of its lines: it would count once per line.
	m := GuessMapping([]ColumnInfo{
		{Name: "Order Number", Kind: KindString}, {Name: "Customer User ID", Kind: KindString},
		{Name: "Order Date", Kind: KindTime, TimeFormat: "2006-01-02 15:04"},
		{Name: "Quantity", Kind: KindInt64}, {Name: "Item Cost", Kind: KindFloat64},
		{Name: "Order Refunded Amount", Kind: KindFloat64},
	})
	if m.Columns["refunded"] != "" || !strings.Contains(m.Notes["refunded"], `not "Order Refunded Amount"`) {
		t.Errorf("refunded %q, note %q: want the order's refund left out, and said", m.Columns["refunded"], m.Notes["refunded"])
	}
}

// TestGuessAmountCandidates: an export of one row per order whose money
// columns no amount name matches (BigCommerce's) gets a note naming them,
// not a refund, the shipping or the tax.
func TestGuessAmountCandidates(t *testing.T) {
	m := GuessMapping([]ColumnInfo{
		{Name: "Order ID", Kind: KindInt64}, {Name: "Customer ID", Kind: KindInt64},
		{Name: "Order Date", Kind: KindTime, TimeFormat: "%d/%m/%Y"},
		{Name: "Subtotal (ex tax)", Kind: KindFloat64}, {Name: "Tax Total", Kind: KindFloat64},
		{Name: "Shipping Cost (inc tax)", Kind: KindFloat64}, {Name: "Order Total (ex tax)", Kind: KindFloat64},
		{Name: "Total Quantity", Kind: KindInt64}, {Name: "Refund Amount", Kind: KindFloat64},
	})
	note := m.Notes["amount"]
	if m.Columns["amount"] != "" || !strings.Contains(note, `"Subtotal (ex tax)", "Order Total (ex tax)", map the one`) {
		t.Errorf("amount %q, note %q: want no amount and the two money columns named", m.Columns["amount"], note)
	}
	for _, not := range []string{"Tax Total", "Shipping", "Refund", "Quantity"} {
		if strings.Contains(note, not) {
			t.Errorf("note %q names %s", note, not)
		}
	}
}

// TestInspectHintWords checks the words the first rows' hints go by.
func TestInspectHintWords(t *testing.T) {
	failed, awaited := UnpaidStatuses([]string{"Failed", "Payment error", "declined", "pending", "Awaiting bank wire payment",
		"Awaiting Fulfillment", "refund_pending", "Paid", "Shipped"})
	if !slices.Equal(failed, []string{"Failed", "Payment error", "declined"}) || !slices.Equal(awaited, []string{"pending", "Awaiting bank wire payment"}) {
		t.Errorf("UnpaidStatuses: failed %q, awaited %q", failed, awaited)
	}
	m := Mapping{Columns: map[string]string{"amount": "amount_cents", "unit_price": "price"}, Discounts: []string{"discount_in_pence"}}
	if got := MinorUnitColumns(m); !slices.Equal(got, []string{"amount_cents", "discount_in_pence"}) {
		t.Errorf("MinorUnitColumns = %q", got)
	}
	for name, want := range map[string]bool{"Shipping Discount": true, "ship-promotion-discount": true, "Discount Amount": false, "Lineitem discount": false} {
		if shippingNamed(name) != want {
			t.Errorf("shippingNamed(%q) = %v", name, !want)
		}
	}
	for ex, want := range map[string]bool{"M. DURAND|C. MARTIN": true, "Jane Smith|Bo Li": true, "alex2603|bob": false, "ana@x.com|b@x.com": false, "12346|12347": false} {
		if personNames(strings.Split(ex, "|")) != want {
			t.Errorf("personNames(%s) = %v", ex, !want)
		}
	}
}

// TestGuessRelativeTime: a file whose only times are relative
// (Instacart's orders.csv) gets no time, and a note that names those
// columns and says an order's date must be derived first.
func TestGuessRelativeTime(t *testing.T) {
	m := GuessMapping([]ColumnInfo{
		{Name: "order_id", Kind: KindInt64}, {Name: "user_id", Kind: KindInt64}, {Name: "eval_set", Kind: KindString},
		{Name: "order_number", Kind: KindInt64}, {Name: "order_dow", Kind: KindInt64},
		{Name: "order_hour_of_day", Kind: KindInt64}, {Name: "days_since_prior_order", Kind: KindFloat64},
	})
	note := m.Notes["time"]
	if m.Columns["time"] != "" || !strings.Contains(note, `"days_since_prior_order"`) || !strings.Contains(note, "derive each order's date") || strings.Contains(note, `"order_id"`) {
		t.Errorf("time %q, note %q: want no time and the relative-time columns named", m.Columns["time"], note)
	}
}

// TestGuessExactName: of two columns whose names differ only in letter
// case or separators, the one named as the run reads it without a config
// is mapped, in either order, so that inspect's config and a run without
// one read the same column.
func TestGuessExactName(t *testing.T) {
	for _, first := range []string{"Customer_ID", "customer_id"} {
		other := map[string]string{"Customer_ID": "customer_id", "customer_id": "Customer_ID"}[first]
		m := GuessMapping([]ColumnInfo{
			{Name: first, Kind: KindString}, {Name: "order_id", Kind: KindString},
			{Name: "time", Kind: KindTime}, {Name: "amount", Kind: KindFloat64}, {Name: other, Kind: KindString},
		})
		if m.Columns["customer_id"] != "customer_id" {
			t.Errorf("%s first: customer_id mapped to %q, want \"customer_id\"", first, m.Columns["customer_id"])
		}
	}
}
