package data

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// TableKind is which of segment's input tables a file is: the order lines
// or one of the optional tables joined to them.
type TableKind string

// The tables segment reads.
const (
	OrdersTable    TableKind = "orders"
	CustomersTable TableKind = "customers"
	ProductsTable  TableKind = "products"
	EventsTable    TableKind = "events"
	// UnknownTable is a file told apart as none of them: order lines that
	// lack columns, or a table of something else.
	UnknownTable TableKind = "unknown"
)

// Columns returns the logical columns of optional table k
// (CustomerColumns, ProductColumns or EventColumns); nil for the order
// lines, whose columns GuessMapping maps.
func (k TableKind) Columns() []string {
	switch k {
	case CustomersTable:
		return CustomerColumns
	case ProductsTable:
		return ProductColumns
	case EventsTable:
		return EventColumns
	}
	return nil
}

// tableGuessNames are the column names (normalised, as guessNames) of the
// optional tables' own logical columns; customer_id, product_id, time,
// city, country and category are guessed as in the order lines.
var tableGuessNames = map[string][]string{
	"email":       {"email", "emailaddress", "mail", "~email"},
	"newsletter":  {"newsletter", "newsletteroptin", "optin", "marketingoptin", "acceptsmarketing", "acceptsemailmarketing", "emailmarketingconsent", "subscribed", "~newsletter", "~optin", "~acceptsemailmarketing"},
	"signup_time": {"signuptime", "signupdate", "signup", "registeredat", "registrationdate", "registrationtime", "createdat", "joinedat", "joindate", "~signup", "~registration"},
	"b2b":         {"b2b", "isb2b", "business", "isbusiness", "~b2b"},
	"age_band":    {"ageband", "age", "agegroup", "agerange", "~ageband", "~agegroup", "~agerange"},
	"price_tier":  {"pricetier", "pricelevel", "pricesegment", "pricebucket", "~pricetier"},
	"launch_time": {"launchtime", "launchdate", "launchedat", "releasedate", "releasetime", "~launch"},
	"type":        {"type", "eventtype", "event", "eventname", "action", "~eventtype"},
}

// TableGuess is a file's guessed kind and the mapping of its columns: for
// the order lines GuessMapping's; for an optional table its logical
// columns (CustomerColumns, ProductColumns or EventColumns) to the file's.
type TableGuess struct {
	Kind    TableKind
	Mapping Mapping
}

// GuessTable guesses which table a file with columns cols is, from the
// columns it has, in this order:
//   - a file with an order id column is the order lines, whatever else it
//     has (UnknownTable when it lacks a customer, a time or an amount);
//   - an events table maps a customer, a time and an event type, and no
//     amount;
//   - a customers table maps a customer and a column only a customers
//     table has (email, newsletter, signup time, B2B, age band), whatever
//     else it has (a lifetime revenue, a signup date);
//   - the order lines map a customer, a time and an amount (or a quantity
//     and a unit price), as CDNOW's daily rows without an order id do;
//   - a products table maps a product and a category, price tier or
//     launch time, and no customer and no amount.
//
// Anything else is UnknownTable, with the mapping of order lines that
// lack columns (GuessMapping says which). Optional tables' times must be
// Parquet times, or text or numbers in a layout Inspect finds
// (ColumnInfo.TimeFormat, which the table's time_format then says).
func GuessTable(cols []ColumnInfo) TableGuess {
	orders := GuessMapping(cols)
	amount := orders.Columns["amount"] != "" || orders.Columns["quantity"] != "" && orders.Columns["unit_price"] != ""
	complete := orders.Columns["customer_id"] != "" && orders.Columns["time"] != "" && amount
	switch {
	case orders.Columns["order_id"] != "" && !orders.OrderIDFromTime && complete:
		return TableGuess{Kind: OrdersTable, Mapping: orders}
	case orders.Columns["order_id"] != "" && !orders.OrderIDFromTime:
		return TableGuess{Kind: UnknownTable, Mapping: orders}
	}
	if m := guessTableColumns(cols, EventColumns); len(m) == len(EventColumns) && !amount {
		return TableGuess{Kind: EventsTable, Mapping: Mapping{Columns: m}}
	}
	if m := guessTableColumns(cols, CustomerColumns); m["customer_id"] != "" {
		for _, own := range []string{"email", "newsletter", "signup_time", "b2b", "age_band"} {
			if m[own] != "" {
				return TableGuess{Kind: CustomersTable, Mapping: Mapping{Columns: m}}
			}
		}
	}
	if complete {
		return TableGuess{Kind: OrdersTable, Mapping: orders}
	}
	if m := guessTableColumns(cols, ProductColumns); m["product_id"] != "" && len(m) > 1 && orders.Columns["customer_id"] == "" && !amount {
		return TableGuess{Kind: ProductsTable, Mapping: Mapping{Columns: m}}
	}
	return TableGuess{Kind: UnknownTable, Mapping: orders}
}

// guessTableColumns maps the logical columns of an optional table to
// cols, each file column at most once, in the order of logical.
func guessTableColumns(cols []ColumnInfo, logical []string) map[string]string {
	m := map[string]string{}
	used := map[string]bool{}
	for _, l := range logical {
		names := tableGuessNames[l]
		if names == nil {
			for _, g := range guessNames {
				if g.logical == l {
					names = g.names
				}
			}
		}
		if c := bestColumn(cols, names, used, func(c ColumnInfo) bool { return fitsTable(l, c) }); c != "" {
			m[l], used[c] = c, true
		}
	}
	return m
}

// fitsTable reports whether column c can hold logical column l of an
// optional table, as the table's reader reads it.
func fitsTable(l string, c ColumnInfo) bool {
	switch l {
	case "time", "signup_time", "launch_time":
		// Day/month dates that read both ways (TimeNote) too: which
		// order they are in is for the table's time_format to say, and
		// the starter config asks for it.
		return c.Kind == KindTime
	case "newsletter", "b2b":
		if c.Kind == KindBool {
			return true
		}
		if c.Kind != KindString && c.Kind != KindInt64 {
			return false
		}
		probe := Column{Name: c.Name, Kind: KindString, Strings: c.Examples}
		for i := range c.Examples {
			if _, _, ok := probe.Bool(i); !ok {
				return false
			}
		}
		return len(c.Examples) > 0
	}
	return true
}

// DefaultLayoutsRead reports whether every example (at least one) is text
// that the default layouts read (defaultTimeLayouts, with a trailing
// " UTC"), which take more forms than the one layout Inspect finds in a
// sample: a table's time_format is only needed for others.
func DefaultLayoutsRead(examples []string) bool {
	for _, s := range examples {
		if _, err := newTimeParser("", nil).parse(s); err != nil {
			return false
		}
	}
	return len(examples) > 0
}

// Guess is GuessTable of the file's columns; for a CSV file of order lines
// whose price column is mapped as the unit price, it also looks at the
// first rows: when, on lines of one product, the price grows with the
// quantity (2 × 9.99 written 19.98, as Amazon's item-price is), the column
// is a line's total and is mapped as the amount instead, so that it is not
// multiplied by the quantity again.
func (in *Inspection) Guess() TableGuess {
	g := GuessTable(in.Columns)
	if g.Kind == CustomersTable && repeats(in.ids[g.Mapping.Columns["customer_id"]]) {
		// A customers table has a row per customer: ids that repeat in the
		// first rows are those of order lines (an order export with an
		// e-mail column).
		if orders := GuessTable(withoutEmail(in.Columns)); orders.Kind == OrdersTable {
			g = TableGuess{Kind: OrdersTable, Mapping: GuessMapping(in.Columns)}
		}
	}
	m := &g.Mapping
	q, p, prod := m.Columns["quantity"], m.Columns["unit_price"], m.Columns["product_id"]
	if g.Kind != OrdersTable || q == "" {
		return g
	}
	m.CancelPrefix, m.CancelExample = cancelPrefix(in.ids[m.Columns["order_id"]], in.numbers[q])
	m.OddProducts = oddProducts(in.ids[prod])
	if m.Columns["amount"] != "" || p == "" || prod == "" {
		return g
	}
	if in.lineTotals(in.numbers[q], in.numbers[p], in.ids[prod]) {
		m.Columns["amount"] = p
		delete(m.Columns, "unit_price")
		if m.Notes == nil {
			m.Notes = map[string]string{}
		}
		m.Notes["amount"] = fmt.Sprintf("not a unit price: on lines of one product, %q grows with the quantity (a line's total)", p)
	}
	return g
}

// lineTotals reports whether prices, beside quantities, are lines' totals:
// among lines of one product with different quantities, at least two
// whose price is the first line's price times the quantities' ratio, and
// none whose price is the same.
func (in *Inspection) lineTotals(qty, price []float64, products []string) bool {
	if len(qty) == 0 || len(qty) != len(price) || len(price) != len(products) {
		return false
	}
	type line struct{ q, p float64 }
	first := map[string]line{}
	totals, units := 0, 0
	for i, id := range products {
		l := line{qty[i], price[i]}
		if id = strings.TrimSpace(id); id == "" || !(l.q > 0) || !(l.p > 0) {
			continue
		}
		f, ok := first[id]
		switch {
		case !ok:
			first[id] = l
		case l.q == f.q:
		case l.p == f.p:
			units++
		case math.Abs(l.p/l.q-f.p/f.q) <= 1e-9*f.p/f.q:
			totals++
		}
	}
	return totals >= 2 && units == 0
}

// cancelPrefix returns the letters that start the order ids of the lines
// of negative quantity, and one such id, when every such line's id is
// those letters then digits, no line of positive quantity has them, and
// most ids are digits only (UCI Online Retail's "C536379" beside
// "536365"); "" otherwise.
func cancelPrefix(ids []string, qty []float64) (prefix, example string) {
	if len(ids) == 0 || len(ids) != len(qty) {
		return "", ""
	}
	split := func(id string) (string, bool) { // letters, then digits
		i := strings.IndexFunc(id, func(r rune) bool { return r < 'A' || r > 'Z' })
		return id[:max(i, 0)], i > 0 && i <= 2 && isDigits(id[i:])
	}
	digits := 0
	for i, id := range ids {
		id = strings.TrimSpace(id)
		p, ok := split(id)
		switch {
		case isDigits(id):
			digits++
		case qty[i] < 0 && ok && (prefix == "" || p == prefix):
			prefix, example = p, cmp.Or(example, id)
		case ok && (p == prefix || prefix == "") && qty[i] > 0:
			return "", "" // a prefixed id of a purchase: not a cancellation mark
		}
	}
	if prefix == "" || 2*digits < len(ids) {
		return "", ""
	}
	for i, id := range ids { // a purchase with the prefix seen before it was found
		if p, ok := split(strings.TrimSpace(id)); ok && p == prefix && qty[i] > 0 {
			return "", ""
		}
	}
	return prefix, example
}

// oddProducts returns the distinct product ids without a digit, in order
// of appearance (at most 8), when at least 90 % of the non-empty ids have
// one: codes that are no merchandise among SKUs, perhaps.
func oddProducts(ids []string) []string {
	var odd []string
	n, withDigit := 0, 0
	for _, id := range ids {
		if id = strings.TrimSpace(id); CleanID(id) == "" {
			continue
		}
		n++
		switch {
		case strings.ContainsAny(id, "0123456789"):
			withDigit++
		case !slices.Contains(odd, id) && len(odd) < 8:
			odd = append(odd, id)
		}
	}
	if len(odd) == 0 || 10*withDigit < 9*n {
		return nil
	}
	return odd
}

// repeats reports whether a value other than an empty one appears twice.
func repeats(vals []string) bool {
	seen := make(map[string]bool, len(vals))
	for _, v := range vals {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if seen[v] {
			return true
		}
		seen[v] = true
	}
	return false
}

// withoutEmail returns cols without their e-mail columns: what GuessTable
// makes of a file once an e-mail no longer says "customers table".
func withoutEmail(cols []ColumnInfo) []ColumnInfo {
	var out []ColumnInfo
	for _, c := range cols {
		if !strings.Contains(normalise(c.Name), "email") {
			out = append(out, c)
		}
	}
	return out
}
