package data

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
		if c := bestColumn(cols, names, "", used, func(c ColumnInfo) bool { return fitsTable(l, c) }); c != "" {
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
