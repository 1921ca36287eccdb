package data

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
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
	// CancelPrefix, when set, is the letters that start the order ids of
	// cancellations in the first rows of a CSV file (UCI Online Retail's
	// "C536379", its lines of negative quantities, beside "536365"):
	// cancellation.order_id_prefix of a starter config. CancelExample is
	// one such id.
	CancelPrefix, CancelExample string
	// OddProducts are the product ids without a digit in the first rows of
	// a CSV file whose other product ids nearly all have digits (UCI Online
	// Retail's POST, M, D, BANK CHARGES beside 85123A): postage, fees,
	// manual lines, perhaps; orders.exclude.product_id, commented out, in
	// a starter config.
	OddProducts []string
	// AmountBeforeDiscount is set when the amount is a line's total made
	// of a price column (Inspection.Guess) beside discount columns: the
	// total is before the discount (orders.amount_before_discount).
	AmountBeforeDiscount bool
	// Notes say why a logical column was mapped as it was, or left out,
	// where the guess is not a name's plain meaning (an e-mail standing in
	// for the customer id, an order's total not taken as a line's amount).
	Notes map[string]string
}

// guessNames lists, for each logical column, the normalised column names
// (lower case, no "_", "-" or spaces) that mean it, most specific first.
// A column matches a logical name exactly, or contains one of the names
// marked with a leading "~".
var guessNames = []struct {
	logical string
	names   []string
}{
	{"customer_id", []string{"customerid", "custid", "clientid", "userid", "householdid", "householdkey", "buyerid", "memberid", "accountid", "customeruuid", "useruuid", "customer", "client", "household", "buyer", "~customerid", "~custid", "~clientid", "~customeruuid"}},
	{"order_id", []string{"orderid", "orderuuid", "invoiceno", "invoiceid", "invoice", "invoicenumber", "basketid", "transactionid", "receiptid", "ordernumber", "orderno", "order", "basket", "~orderid", "~invoice"}},
	{"time", []string{"time", "timestamp", "transactiontimestamp", "orderdate", "invoicedate", "transactiondate", "purchasedate", "createdat", "orderedat", "datetime", "date", "~timestamp", "~date", "~time"}},
	{"amount", []string{"convertedamount", "amount", "salesvalue", "netamount", "netsales", "revenue", "sales", "linetotal", "total", "dollars", "spend", "~amount", "~revenue"}},
	{"quantity", []string{"quantity", "qty", "units", "~quantity", "~qty"}},
	{"unit_price", []string{"unitprice", "price", "itemprice", "itemcost", "~unitprice", "~price"}},
	{"coupon", []string{"coupon", "couponcode", "promocode", "voucher", "discountcode", "~couponcode"}},
	{"category", []string{"category", "department", "productcategory", "~category"}},
	{"product_id", []string{"productid", "stockcode", "sku", "itemid", "articleid", "product", "~productid", "~sku"}},
	{"status", []string{"status", "orderstatus", "~status"}},
	{"city", []string{"city", "~billingcity", "~shippingcity", "~shipcity", "~addresscity"}},
	{"country", []string{"country", "countrycode", "~billingcountry", "~shippingcountry", "~shipcountry", "~addresscountry"}},
	{"channel", []string{"channel", "saleschannel"}},
	{"currency", []string{"convertedcurrency", "currency", "currencycode", "ordercurrency", "presentmentcurrency"}},
	{"refunded", []string{"convertedamountrefunded", "amountrefunded", "refundedamount", "refundamount", "totalrefunded", "refunded", "refunds", "~amountrefunded", "~refundedamount"}},
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
		// A list or a struct, or a column of no value (a Stripe export's
		// Invoice ID of one-off charges, an unused SKU column), which would
		// reject every line or join nothing: no order column.
		if c.Type == nestedType || c.Empty {
			return false
		}
		switch logical {
		case "time":
			return c.Kind == KindTime || c.TimeFormat != ""
		case "amount":
			return !otherMoney(c.Name) && (c.Kind == KindFloat64 || c.Kind == KindInt64)
		case "quantity", "unit_price":
			// Not a count of items refunded (Refunded Quantity, Qty
			// Refunded, Refund Qty): the items bought, or those kept
			// (WooCommerce's Quantity (- Refund)).
			n := normalise(c.Name)
			return (c.Kind == KindFloat64 || c.Kind == KindInt64) && !strings.Contains(n, "refunded") && !strings.HasPrefix(n, "refund")
		case "refunded":
			return refundMoney(c)
		}
		return true
	}
	var shipping []string
	for _, c := range cols {
		n := normalise(c.Name)
		if strings.Contains(n, "disc") && (c.Kind == KindFloat64 || c.Kind == KindInt64) && !c.Empty {
			used[c.Name] = true
			// A discount on the shipping (Etsy's Shipping Discount, Amazon's
			// ship-promotion-discount) is not taken off the goods: the
			// lines' amounts hold no shipping.
			if shippingNamed(c.Name) {
				shipping = append(shipping, strconv.Quote(c.Name))
				continue
			}
			m.Discounts = append(m.Discounts, c.Name)
		}
	}
	for _, l := range guessNames {
		if best := bestColumn(cols, l.names, l.logical, used, func(c ColumnInfo) bool { return fits(l.logical, c) }); best != "" {
			m.Columns[l.logical] = best
			used[best] = true
		}
	}
	pairRefund(m, cols, used)
	if _, ok := m.Columns["refunded"]; ok {
		if m.Notes == nil {
			m.Notes = map[string]string{}
		}
		m.Notes["refunded"] = "money paid back on an order: taken off its net, counted as returned"
	}
	note := func(l, why string) {
		if m.Notes == nil {
			m.Notes = map[string]string{}
		}
		m.Notes[l] = why
	}
	if len(shipping) > 0 {
		note("discount", fmt.Sprintf("not %s, a discount on the shipping, which the lines' amounts do not hold", strings.Join(shipping, ", ")))
	}
	var empty []string
	for _, c := range cols {
		if c.Empty && namedFor(c.Name) {
			empty = append(empty, strconv.Quote(c.Name))
		}
	}
	if len(empty) > 0 {
		note("empty", fmt.Sprintf("not mapped: %s, empty in every row", strings.Join(empty, ", ")))
	}
	if _, ok := m.Columns["customer_id"]; !ok {
		// Order exports without a customer id (Shopify's) tell customers
		// apart by their e-mail.
		if c := bestColumn(cols, []string{"email", "customeremail", "emailaddress", "~email"}, "", used, func(c ColumnInfo) bool { return c.Type != nestedType }); c != "" {
			m.Columns["customer_id"], used[c] = c, true
			note("customer_id", "no customer id column: customers told apart by e-mail")
		}
	}
	if c, ok := m.Columns["customer_id"]; ok && m.Notes["customer_id"] == "" {
		for _, ci := range cols {
			if ci.Name != c || !personNames(ci.Examples) {
				continue
			}
			// People who share a name would be one customer: an e-mail
			// tells them apart.
			if e := bestColumn(cols, []string{"email", "customeremail", "emailaddress", "~email"}, "", used, func(c ColumnInfo) bool { return c.Type != nestedType && !c.Empty }); e != "" {
				delete(used, c)
				m.Columns["customer_id"], used[e] = e, true
				note("customer_id", fmt.Sprintf("not %q, whose values look like people's names: customers told apart by e-mail", c))
			} else {
				note("customer_id", "its values look like people's names: people who share a name count as one customer; map an id or an e-mail column if the file has one")
			}
		}
	}
	if _, ok := m.Columns["order_id"]; !ok {
		// An order number "#1001" under a column named Name (Shopify's).
		if c := bestColumn(cols, []string{"name"}, "", used, orderNumbers); c != "" {
			m.Columns["order_id"], used[c] = c, true
		}
	}
	if _, ok := m.Columns["order_id"]; !ok {
		if t, ok := m.Columns["time"]; ok {
			m.Columns["order_id"], m.OrderIDFromTime = t, true
		}
	}
	// An amount column empty on some lines while the quantity and unit
	// price are on every line is an order's total written on its first
	// line (Shopify's Total): the lines' amounts are quantity × unit price
	// − discount instead.
	if a, ok := m.Columns["amount"]; ok && m.Columns["quantity"] != "" && m.Columns["unit_price"] != "" {
		if nulls(cols, a) > 0 && nulls(cols, m.Columns["quantity"]) == 0 && nulls(cols, m.Columns["unit_price"]) == 0 {
			delete(m.Columns, "amount")
			note("amount", fmt.Sprintf("not %q, empty on lines that have a quantity and a unit price (an order's total?): quantity × unit_price − discount", a))
		}
	}
	// In a file of item lines (a quantity and a unit price on every line,
	// or a product column and order ids that repeat), a money column named for the order or the
	// cart ("Order Subtotal Amount", "Cart Discount Amount": WooCommerce's
	// order fields, repeated on each of its lines) is the order's: as a
	// line's amount or discount it would count once per line. Without a
	// unit price the file then has no line amount to map: the run stops
	// for want of one rather than multiply every order.
	priced := m.Columns["quantity"] != "" && m.Columns["unit_price"] != ""
	if priced || m.Columns["product_id"] != "" && repeatsIn(cols, m.Columns["order_id"]) {
		if a, ok := m.Columns["amount"]; ok && orderNamed(a) {
			delete(m.Columns, "amount")
			if priced {
				note("amount", fmt.Sprintf("not %q, an order's (by its name) in a file of item lines: quantity × unit_price − discount", a))
			} else {
				note("amount", fmt.Sprintf("not %q, an order's (by its name) in a file of item lines (a product column): on each line of an order it would count once per line; "+
					"map a line's amount, or a quantity and a unit price (export them, or keep one row per order)", a))
			}
		}
		if r, ok := m.Columns["refunded"]; ok && orderNamed(r) {
			delete(m.Columns, "refunded")
			note("refunded", fmt.Sprintf("not %q, an order's (by its name) in a file of item lines: it would count once per line", r))
		}
		var kept, left []string
		for _, d := range m.Discounts {
			if orderNamed(d) {
				left = append(left, strconv.Quote(d))
			} else {
				kept = append(kept, d)
			}
		}
		if len(left) > 0 {
			m.Discounts = kept
			note("discount", fmt.Sprintf("not %s, an order's (by its name) in a file of item lines", strings.Join(left, ", ")))
		}
	}
	// Of several discount columns, one empty on some lines while another is
	// on every line is an order's discount written on its first line
	// (Shopify's Discount Amount beside its Lineitem discount, the same
	// money spread over the lines): summing both would take it off twice.
	if len(m.Discounts) > 1 {
		var line, order []string
		for _, d := range m.Discounts {
			if nulls(cols, d) > 0 {
				order = append(order, d)
			} else {
				line = append(line, d)
			}
		}
		if len(line) > 0 && len(order) > 0 {
			m.Discounts = line
			quoted := make([]string, len(order))
			for i, d := range order {
				quoted[i] = strconv.Quote(d)
			}
			note("discount", fmt.Sprintf("not %s, empty on some lines (an order's discount, also in the lines'?)", strings.Join(quoted, ", ")))
		}
	}
	if _, ok := m.Columns["time"]; !ok {
		if rel := relativeTimes(cols, used); len(rel) > 0 {
			note("time", fmt.Sprintf("no date or time column: %s give only relative time (days between orders, an order's number, a weekday); derive each order's date first, then map it", strings.Join(rel, ", ")))
		}
	}
	if _, ok := m.Columns["amount"]; !ok && m.Notes["amount"] == "" && (m.Columns["quantity"] == "" || m.Columns["unit_price"] == "") {
		if money := moneyColumns(cols, used); len(money) > 0 {
			note("amount", fmt.Sprintf("no column found; of the money columns %s, map the one that holds the goods' value after discounts, before tax and shipping", strings.Join(money, ", ")))
		}
	}
	return m
}

// otherMoney reports whether a column's name says it holds money that is
// not the line's spend: a refund, the shipping, a fee, or the tax itself
// ("Refund Amount", "Tax Total"; not "Amount excl. Tax", a spend before
// tax).
func otherMoney(name string) bool {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	tax, qualified := false, false
	for _, w := range words {
		switch {
		case strings.HasPrefix(w, "refund"), w == "shipping", w == "fee", w == "fees":
			return true
		case w == "tax", w == "taxes", w == "vat":
			tax = true
		case slices.Contains([]string{"excl", "ex", "excluding", "incl", "inc", "including", "pre", "before", "after", "net", "without", "with", "plus"}, w):
			qualified = true
		}
	}
	return tax && !qualified
}

// orderNamed reports whether a column's name says it describes an order
// or a cart as a whole ("Order Total Amount", "cart_discount").
func orderNamed(name string) bool {
	n := normalise(name)
	return strings.HasPrefix(n, "order") || strings.HasPrefix(n, "cart")
}

// nulls returns the count of nulls of column name in cols (0 when it is
// unknown).
func nulls(cols []ColumnInfo, name string) int64 {
	for _, c := range cols {
		if c.Name == name {
			return max(c.Nulls, 0)
		}
	}
	return 0
}

// orderNumbers reports whether every example of c is an order number
// written "#1001", as Shopify writes them.
func orderNumbers(c ColumnInfo) bool {
	for _, s := range c.Examples {
		if d, ok := strings.CutPrefix(strings.TrimSpace(s), "#"); !ok || !isDigits(d) {
			return false
		}
	}
	return len(c.Examples) > 0
}

// bestColumn returns the column of cols that names (normalised, most
// specific first; a leading "~" matches a name that contains the rest)
// ranks first, among those not used that fit; "" when none matches. Of
// two that rank alike, the one named exact ("" for none) wins.
func bestColumn(cols []ColumnInfo, names []string, exact string, used map[string]bool, fit func(ColumnInfo) bool) string {
	best, bestRank, bestExact := "", len(names)+1, false
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
			// Of two names that normalise alike (Customer_ID and
			// customer_id), the one named exact, as a run without a
			// config reads it.
			isExact := match && exact != "" && c.Name == exact
			if match && (rank < bestRank || rank == bestRank && isExact && !bestExact) {
				best, bestRank, bestExact = c.Name, rank, isExact
			}
		}
	}
	return best
}

// RequiredColumns are the logical columns every order file must map.
var RequiredColumns = []string{"customer_id", "order_id", "time"}

// cancelWords are the words of a status value that say an order line was
// cancelled or returned, or its money given back; holdWords are those that
// say it was not, or not yet, or not in full (partially_refunded,
// return_requested, refund_pending, not_returned).
var cancelWords, holdWords = map[string]bool{
	"cancelled": true, "canceled": true, "cancellation": true, "cancel": true,
	"refunded": true, "refund": true, "returned": true, "return": true,
	"voided": true, "void": true, "chargeback": true, "chargedback": true, "reversed": true,
	"storniert": true, "annulé": true, "annule": true, "anulado": true, "annullato": true, "anulat": true,
}, map[string]bool{
	"partially": true, "partial": true, "part": true, "requested": true, "request": true,
	"pending": true, "not": true, "no": true, "non": true, "failed": true, "denied": true,
	"rejected": true, "declined": true, "initiated": true, "open": true,
}

// CancelStatuses returns the values of a status column (ColumnInfo.Values)
// that read as an order line cancelled, returned or refunded in full
// (cancelled, Refunded, RETURNED, voided, charge-back…), for the
// starter config's cancellation.status; values that say not, not yet or
// not in full (partially_refunded, return_requested) are left out.
func CancelStatuses(values []string) []string {
	var out []string
	for _, v := range values {
		words := strings.FieldsFunc(strings.ToLower(v), func(r rune) bool { return !unicode.IsLetter(r) })
		cancel := cancelWords[strings.Join(words, "")] // charge-back, Charged Back
		for _, w := range words {
			cancel = cancel || cancelWords[w]
		}
		if slices.ContainsFunc(words, func(w string) bool { return holdWords[w] }) {
			cancel = false
		}
		if cancel {
			out = append(out, v)
		}
	}
	return out
}

// StatusValues returns the values of the status column of mapping m
// (ColumnInfo.Values), and those of them that read as a line cancelled,
// returned or refunded in full (CancelStatuses); nil without a status
// column or with too many values to list.
func (in *Inspection) StatusValues(m Mapping) (values, cancel []string) {
	name, ok := m.Columns["status"]
	if !ok {
		return nil, nil
	}
	for _, c := range in.Columns {
		if c.Name == name {
			values = c.Values
		}
	}
	return values, CancelStatuses(values)
}

// repeatsIn reports whether column name of cols has a value that repeats
// in the rows inspected (ColumnInfo.Repeats).
func repeatsIn(cols []ColumnInfo, name string) bool {
	for _, c := range cols {
		if c.Name == name {
			return c.Repeats
		}
	}
	return false
}
