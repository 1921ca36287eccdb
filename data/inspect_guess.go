package data

import (
	"strings"
)

// Mapping is a guessed column mapping: logical column → file column, and
// the discount columns (summed).
type Mapping struct {
	Columns   map[string]string
	Discounts []string
	// OrderIDFromTime is set when the file has no order id column and the
	// time column stands in for it (one order per customer and time, as in
	// daily summaries such as CDNOW).
	OrderIDFromTime bool
}

// guessNames lists, for each logical column, the normalised column names
// (lower case, no "_", "-" or spaces) that mean it, most specific first.
// A column matches a logical name exactly, or contains one of the names
// marked with a leading "~".
var guessNames = []struct {
	logical string
	names   []string
}{
	{"customer_id", []string{"customerid", "custid", "clientid", "userid", "householdid", "householdkey", "buyerid", "memberid", "accountid", "customer", "client", "household", "~customerid", "~custid", "~clientid"}},
	{"order_id", []string{"orderid", "invoiceno", "invoiceid", "invoice", "invoicenumber", "basketid", "transactionid", "receiptid", "ordernumber", "orderno", "order", "basket", "~orderid", "~invoice"}},
	{"time", []string{"time", "timestamp", "transactiontimestamp", "orderdate", "invoicedate", "transactiondate", "purchasedate", "createdat", "orderedat", "datetime", "date", "~timestamp", "~date", "~time"}},
	{"amount", []string{"amount", "salesvalue", "netamount", "revenue", "sales", "linetotal", "total", "dollars", "spend", "~amount", "~revenue"}},
	{"quantity", []string{"quantity", "qty", "units", "~quantity", "~qty"}},
	{"unit_price", []string{"unitprice", "price", "itemprice", "~unitprice", "~price"}},
	{"coupon", []string{"coupon", "couponcode", "promocode", "voucher", "~couponcode"}},
	{"category", []string{"category", "department", "productcategory", "~category"}},
	{"product_id", []string{"productid", "stockcode", "sku", "itemid", "articleid", "product", "~productid"}},
	{"status", []string{"status", "orderstatus", "~status"}},
	{"city", []string{"city"}},
	{"country", []string{"country", "countrycode"}},
	{"channel", []string{"channel", "saleschannel"}},
}

// timeNamed reports whether a column's name is one GuessMapping maps to
// the time column.
func timeNamed(name string) bool {
	n := normalise(name)
	for _, l := range guessNames {
		if l.logical != "time" {
			continue
		}
		for _, want := range l.names {
			if part, ok := strings.CutPrefix(want, "~"); ok && strings.Contains(n, part) || n == want {
				return true
			}
		}
	}
	return false
}

func normalise(name string) string {
	return strings.NewReplacer("_", "", "-", "", " ", "", ".", "").Replace(strings.ToLower(name))
}

// GuessMapping guesses which column holds each logical column (DESIGN.md
// "Config") from the column names and types: time must be a time, a date
// or time text; amount, quantity, unit_price and the discounts numbers.
// Discount columns are those whose name contains "disc" and that are
// numeric. No column is mapped twice; exact name matches win over
// containment, earlier logical names (customer_id first) over later ones.
func GuessMapping(cols []ColumnInfo) Mapping {
	m := Mapping{Columns: map[string]string{}}
	used := map[string]bool{}
	fits := func(logical string, c ColumnInfo) bool {
		switch logical {
		case "time":
			return c.Kind == KindTime || c.TimeFormat != ""
		case "amount", "quantity", "unit_price":
			return c.Kind == KindFloat64 || c.Kind == KindInt64
		}
		return true
	}
	for _, c := range cols {
		n := normalise(c.Name)
		if strings.Contains(n, "disc") && (c.Kind == KindFloat64 || c.Kind == KindInt64) {
			m.Discounts = append(m.Discounts, c.Name)
			used[c.Name] = true
		}
	}
	for _, l := range guessNames {
		if best := bestColumn(cols, l.names, used, func(c ColumnInfo) bool { return fits(l.logical, c) }); best != "" {
			m.Columns[l.logical] = best
			used[best] = true
		}
	}
	if _, ok := m.Columns["order_id"]; !ok {
		if t, ok := m.Columns["time"]; ok {
			m.Columns["order_id"], m.OrderIDFromTime = t, true
		}
	}
	return m
}

// bestColumn returns the column of cols that names (normalised, most
// specific first; a leading "~" matches a name that contains the rest)
// ranks first, among those not used that fit; "" when none matches.
func bestColumn(cols []ColumnInfo, names []string, used map[string]bool, fit func(ColumnInfo) bool) string {
	best, bestRank := "", len(names)+1
	for _, c := range cols {
		if used[c.Name] || !fit(c) {
			continue
		}
		n := normalise(c.Name)
		for rank, want := range names {
			contains, ok := strings.CutPrefix(want, "~")
			match := n == want
			if ok {
				match = strings.Contains(n, contains)
			}
			if match && rank < bestRank {
				best, bestRank = c.Name, rank
			}
		}
	}
	return best
}

// RequiredColumns are the logical columns every order file must map.
var RequiredColumns = []string{"customer_id", "order_id", "time"}
