package config

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/segment-tool/segment/data"
)

// StarterTable is an input file for WriteStarter: its path, its
// description (data.Inspect) and its guessed table (data.GuessTable).
type StarterTable struct {
	Path  string
	In    *data.Inspection
	Guess data.TableGuess
}

// WriteStarter writes to file a config file for the inspected tables:
// exactly one of them the order lines (or, when none is, one of
// data.UnknownTable: order lines that lack columns), at most one of each
// optional table. The orders section maps the order lines' columns, each optional
// table given gets its section with the columns found (the others are
// suggested as comments), paths are made absolute, and clustering.use
// lists the features the files support. Load accepts the file as is.
// WriteStarter refuses to overwrite a file that exists.
func WriteStarter(file string, tables []StarterTable) (err error) {
	byKind := map[data.TableKind]*StarterTable{}
	for i := range tables {
		t := &tables[i]
		prev := byKind[t.Guess.Kind]
		switch {
		case prev != nil && t.Guess.Kind == data.UnknownTable:
			return fmt.Errorf("inspect: neither %s nor %s looks like the order lines or an optional table (customers, products, events); map them in a config by hand (see the README's Config)", prev.Path, t.Path)
		case prev != nil:
			return fmt.Errorf("inspect: %s and %s both look like the %s table; give one path for it (a glob or a folder names several files of one table)", prev.Path, t.Path, t.Guess.Kind)
		}
		byKind[t.Guess.Kind] = t
	}
	orders, unknown := byKind[data.OrdersTable], byKind[data.UnknownTable]
	switch {
	case orders == nil && unknown != nil:
		orders = unknown // order lines that lack columns: commented out below
	case unknown != nil:
		return fmt.Errorf("inspect: %s does not look like the order lines or an optional table (customers, products, events); leave it out, or map it in the config by hand", unknown.Path)
	case orders == nil:
		return fmt.Errorf("inspect: -write needs the order lines among the paths; %s; if one of them is the order lines, map its columns in a config by hand (see the README's Config)", describeKinds(tables))
	}
	var b strings.Builder
	b.WriteString("# Starter config written by \"segment inspect\": review the mapping, then\n")
	b.WriteString("#   segment run -config " + filepath.Base(file) + "\n")
	if err := writeOrdersSection(&b, orders); err != nil {
		return err
	}
	m := orders.Guess.Mapping
	byEmail := false
	if c := byKind[data.CustomersTable]; c != nil && m.Notes["customer_id"] != "" && c.Guess.Mapping.Columns["email"] != "" {
		// The order lines tell customers apart by e-mail: so must the
		// customers table, whatever id column of its own it has.
		cm := maps.Clone(c.Guess.Mapping.Columns)
		cm["customer_id"] = cm["email"]
		c.Guess.Mapping.Columns, byEmail = cm, true
	}
	categories := m.Columns["category"] != ""
	hints := []string{}
	for _, opt := range []struct {
		kind data.TableKind
		hint string
	}{
		{data.CustomersTable, "# customers: {path: customers.csv}   # email, newsletter, city, country, b2b: exports and the newsletter_subscriber, registered_lead, b2b groups\n"},
		{data.ProductsTable, "# products: {path: products.csv}     # by product_id: category (the category mix), price_tier, launch_time\n"},
		{data.EventsTable, "# events: {path: events.csv}         # view, add_to_cart, checkout: the cart_abandoner and browser_never_bought groups\n"},
	} {
		t := byKind[opt.kind]
		switch {
		case t == nil && opt.kind == data.ProductsTable && m.Columns["product_id"] == "":
			continue // nothing to join a products table on
		case t == nil:
			hints = append(hints, opt.hint)
		case opt.kind == data.ProductsTable && m.Columns["product_id"] == "":
			abs, err := filepath.Abs(t.Path)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "# products: the order lines have no product_id column to join %s on\n", yamlString(abs))
		default:
			if err := writeTableSection(&b, t, byEmail && opt.kind == data.CustomersTable); err != nil {
				return err
			}
			categories = categories || opt.kind == data.ProductsTable && t.Guess.Mapping.Columns["category"] != ""
		}
	}
	if len(hints) > 0 {
		b.WriteString("# Optional tables that add groups and features (see the README):\n")
		b.WriteString(strings.Join(hints, ""))
	}
	fmt.Fprintf(&b, "clustering:\n  k: auto\n  k_min: 2\n  k_max: 12\n  # the features these files support\n  use: [%s]\n", strings.Join(starterUse(m, categories), ", "))
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("inspect: %s exists; not overwriting it", file)
	}
	if err != nil {
		return fmt.Errorf("inspect: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("inspect: close %s: %w", file, cerr)
		}
	}()
	_, err = f.WriteString(b.String())
	return err
}

// yamlString quotes s as a YAML double-quoted scalar.
func yamlString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\t", `\t`, "\n", `\n`, "\r", `\r`).Replace(s) + `"`
}

// starterUse lists the clustered features order lines with mapping m
// support: recency, frequency, spend and basket size always; the discount
// ratio with a discount column, the category mix with categories (the
// lines' or a products table's).
func starterUse(m data.Mapping, categories bool) []string {
	use := []string{"recency_days", "frequency", "monetary", "aov"}
	if len(m.Discounts) > 0 {
		use = append(use, "discount_ratio")
	}
	if categories {
		use = append(use, "category_mix")
	}
	return use
}

// writeOrdersSection appends the orders section of the order lines t: the
// absolute path, the columns found (the others as comments), the time
// format and the CSV dialect.
func writeOrdersSection(b *strings.Builder, t *StarterTable) error {
	in, m := t.In, t.Guess.Mapping
	abs, err := filepath.Abs(t.Path)
	if err != nil {
		return err
	}
	b.WriteString("orders:\n")
	fmt.Fprintf(b, "  path: %s\n", yamlString(abs))
	b.WriteString("  columns:\n")
	for _, l := range []string{"customer_id", "order_id", "time", "amount", "quantity", "unit_price", "coupon", "category", "product_id", "status", "city", "country", "channel", "currency", "refunded"} {
		c, ok := m.Columns[l]
		if !ok {
			why := "(no column found)"
			if n := m.Notes[l]; n != "" {
				why = n
			}
			fmt.Fprintf(b, "    # %s: %s\n", l, why)
			continue
		}
		fmt.Fprintf(b, "    %s: %s", l, yamlString(c))
		if l == "order_id" && m.OrderIDFromTime {
			b.WriteString("   # no order id column: one order per customer and time")
		}
		if n := m.Notes[l]; n != "" {
			b.WriteString("   # " + n)
		}
		b.WriteString("\n")
	}
	if len(m.Discounts) > 0 {
		quoted := make([]string, len(m.Discounts))
		for i, d := range m.Discounts {
			quoted[i] = yamlString(d)
		}
		note := "summed"
		if n := m.Notes["discount"]; n != "" {
			note += "; " + n
		}
		fmt.Fprintf(b, "    discount: [%s]   # %s\n", strings.Join(quoted, ", "), note)
	} else if n := m.Notes["discount"]; n != "" {
		fmt.Fprintf(b, "    # discount: %s\n", n)
	}
	if n := m.Notes["empty"]; n != "" {
		fmt.Fprintf(b, "    # %s\n", n)
	}
	if in.Duplicates > 0 {
		fmt.Fprintf(b, "  # duplicates: drop   # %d of the first %s rows repeat an earlier row exactly: set it if the export repeats rows (keep, the default, counts each as a purchase, as two purchases of a day are in daily rows)\n",
			in.Duplicates, formatCount(data.InspectSample))
	}
	if m.AmountBeforeDiscount {
		fmt.Fprintf(b, "  amount_before_discount: true   # %s, a price times the quantity, is before the discount: net = amount − discount\n", yamlString(m.Columns["amount"]))
	}
	if minor := data.MinorUnitColumns(m); len(minor) > 0 {
		fmt.Fprintf(b, "  amount_scale: 0.01   # %s: money in cents, by the names; read × 0.01 (remove for a currency without cents)\n", yamlList(minor))
	}
	for _, c := range in.Columns {
		if c.Name == m.Columns["time"] && c.TimeFormat != "" {
			fmt.Fprintf(b, "  time_format: %s\n", yamlString(c.TimeFormat))
		}
		if c.Name == m.Columns["time"] && c.TimeNote != "" {
			fmt.Fprintf(b, "  # time_format: %s   # REQUIRED: %s\n", yamlString(cmp.Or(c.TimeGuess, "%d/%m/%Y")), c.TimeNote)
		}
	}
	if in.Delimiter != "" && in.Delimiter != "," {
		fmt.Fprintf(b, "  delimiter: %s\n", yamlString(in.Delimiter))
	}
	if in.Decimal == "," {
		fmt.Fprintf(b, "  decimal: %s\n", yamlString(in.Decimal))
	}
	if in.Encoding == data.EncodingWindows1252 {
		fmt.Fprintf(b, "  encoding: %s   # not UTF-8: detected from the file\n", yamlString(in.Encoding))
	}
	b.WriteString("  # timezone: UTC")
	for _, c := range in.Columns {
		if c.Name == m.Columns["time"] && len(c.Offsets) > 0 {
			fmt.Fprintf(b, "   # the times carry offsets (%s): days (recency, sale days, as_of) are counted in UTC unless this names the store's zone (e.g. America/New_York)",
				strings.Join(c.Offsets, ", "))
		}
	}
	b.WriteString("\n")
	writeCancellation(b, in, m)
	return nil
}

// writeCancellation appends the orders' cancellation setting: the values
// of the mapped status column that read as a line cancelled, returned or
// refunded in full (data.CancelStatuses), with the column's other values
// in a comment; without such values, a commented example.
func writeCancellation(b *strings.Builder, in *data.Inspection, m data.Mapping) {
	values, cancel := in.StatusValues(m)
	failed, awaited := data.UnpaidStatuses(values)
	rest := slices.DeleteFunc(slices.Clone(values), func(v string) bool { return slices.Contains(cancel, v) || slices.Contains(failed, v) })
	switch {
	case len(cancel) == 0 && m.CancelPrefix != "":
		fmt.Fprintf(b, "  cancellation: {order_id_prefix: %s}   # order ids such as %s are of lines of negative quantity: cancellations\n",
			yamlString(m.CancelPrefix), yamlString(m.CancelExample))
	case len(cancel) == 0:
		b.WriteString("  # cancellation: {order_id_prefix: \"C\"}   # or status: [cancelled, returned]")
		if len(values) > 0 {
			fmt.Fprintf(b, "; %s holds: %s", yamlString(m.Columns["status"]), yamlList(values))
		}
		b.WriteString("\n")
	default:
		prefix := ""
		if m.CancelPrefix != "" {
			prefix = "order_id_prefix: " + yamlString(m.CancelPrefix) + ", "
		}
		fmt.Fprintf(b, "  cancellation: {%sstatus: [%s]}   # lines of these %s values count as returned", prefix, yamlList(cancel), yamlString(m.Columns["status"]))
		if len(rest) > 0 {
			fmt.Fprintf(b, "; its others count as purchases: %s", yamlList(rest))
		}
		b.WriteString("\n")
	}
	status := yamlString(m.Columns["status"])
	switch {
	case len(failed) > 0:
		fmt.Fprintf(b, "  exclude: {status: [%s]}   # lines of these %s values are left out (a payment that failed), listed in rejects.csv\n", yamlList(failed), status)
	case len(awaited) == 0 && len(m.OddProducts) == 0:
		b.WriteString("  # exclude: {status: [failed], product_id: [POST]}   # lines to leave out: payments never made, postage, fees (listed in rejects.csv)\n")
	}
	// Guesses to review: in comments, as keys exclude would take.
	if len(awaited) > 0 {
		fmt.Fprintf(b, "  #   exclude status %s too: %s values of payments not made yet (or on delivery?), counted as purchases unless listed\n", yamlList(awaited), status)
	}
	if len(m.OddProducts) > 0 {
		fmt.Fprintf(b, "  #   exclude product_id [%s]: product ids without a digit among SKUs with digits: postage, fees, manual lines? Review, then list them\n",
			yamlList(m.OddProducts))
	}
}

// yamlList joins values as YAML scalars (yamlString), so that none breaks
// the line it is written on.
func yamlList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = yamlString(v)
	}
	return strings.Join(quoted, ", ")
}

// tableTimes is the logical time column of each optional table.
var tableTimes = map[data.TableKind]string{data.CustomersTable: "signup_time", data.ProductsTable: "launch_time", data.EventsTable: "time"}

// writeTableSection appends the config section of optional table t: its
// absolute path, the columns found (customer_id noted when byEmail: the
// e-mail column, as the order lines' id) and the time_format Inspect found for
// its time column when the default layouts do not read its examples.
func writeTableSection(b *strings.Builder, t *StarterTable, byEmail bool) error {
	abs, err := filepath.Abs(t.Path)
	if err != nil {
		return err
	}
	fmt.Fprintf(b, "%s:\n  path: %s\n  columns:\n", t.Guess.Kind, yamlString(abs))
	for _, l := range t.Guess.Kind.Columns() {
		if c, ok := t.Guess.Mapping.Columns[l]; ok && l == "customer_id" && byEmail {
			fmt.Fprintf(b, "    %s: %s   # as the order lines: customers told apart by e-mail\n", l, yamlString(c))
		} else if ok {
			fmt.Fprintf(b, "    %s: %s\n", l, yamlString(c))
		} else {
			fmt.Fprintf(b, "    # %s: (no column found)\n", l)
		}
	}
	name, mapped := t.Guess.Mapping.Columns[tableTimes[t.Guess.Kind]]
	for _, c := range t.In.Columns {
		if mapped && c.Name == name && c.TimeFormat != "" && !data.DefaultLayoutsRead(c.Examples) {
			fmt.Fprintf(b, "  time_format: %s\n", yamlString(c.TimeFormat))
		}
		if mapped && c.Name == name && c.TimeNote != "" {
			fmt.Fprintf(b, "  # time_format: %s   # REQUIRED: %s\n", yamlString(cmp.Or(c.TimeGuess, "%d/%m/%Y")), c.TimeNote)
		}
	}
	return nil
}

// describeKinds says what each of tables looks like.
func describeKinds(tables []StarterTable) string {
	parts := make([]string, len(tables))
	for i, t := range tables {
		parts[i] = fmt.Sprintf("%s looks like the %s table", t.Path, t.Guess.Kind)
	}
	return strings.Join(parts, ", ")
}

// formatCount writes n with comma thousands separators (1,000).
func formatCount(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
