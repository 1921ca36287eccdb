package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/segment-tool/segment/data"
)

// WriteStarter writes to file a config file for the order file at path,
// described by in, with the guessed mapping m (data.Inspect and
// data.GuessMapping): the orders section with path made absolute, the
// optional tables as comments, and clustering.use listing the features the
// file supports. Load accepts the file as is. WriteStarter refuses to
// overwrite a file that exists.
func WriteStarter(file, path string, in *data.Inspection, m data.Mapping) (err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("# Starter config written by \"segment inspect\": review the mapping, then\n")
	b.WriteString("#   segment run -config " + filepath.Base(file) + "\n")
	b.WriteString("orders:\n")
	fmt.Fprintf(&b, "  path: %s\n", yamlString(abs))
	b.WriteString("  columns:\n")
	for _, l := range []string{"customer_id", "order_id", "time", "amount", "quantity", "unit_price", "coupon", "category", "product_id", "status", "city", "country", "channel"} {
		c, ok := m.Columns[l]
		if !ok {
			fmt.Fprintf(&b, "    # %s: (no column found)\n", l)
			continue
		}
		fmt.Fprintf(&b, "    %s: %s", l, yamlString(c))
		if l == "order_id" && m.OrderIDFromTime {
			b.WriteString("   # no order id column: one order per customer and time")
		}
		b.WriteString("\n")
	}
	if len(m.Discounts) > 0 {
		quoted := make([]string, len(m.Discounts))
		for i, d := range m.Discounts {
			quoted[i] = yamlString(d)
		}
		fmt.Fprintf(&b, "    discount: [%s]   # summed\n", strings.Join(quoted, ", "))
	}
	for _, c := range in.Columns {
		if c.Name == m.Columns["time"] && c.TimeFormat != "" {
			fmt.Fprintf(&b, "  time_format: %s\n", yamlString(c.TimeFormat))
		}
		if c.Name == m.Columns["time"] && c.TimeNote != "" {
			fmt.Fprintf(&b, "  # time_format: \"%%d/%%m/%%Y\"   # REQUIRED: %s\n", c.TimeNote)
		}
	}
	if in.Delimiter != "" && in.Delimiter != "," {
		fmt.Fprintf(&b, "  delimiter: %s\n", yamlString(in.Delimiter))
	}
	if in.Decimal == "," {
		fmt.Fprintf(&b, "  decimal: %s\n", yamlString(in.Decimal))
	}
	b.WriteString("  # timezone: UTC\n  # cancellation: {order_id_prefix: \"C\"}   # or status: [cancelled, returned]\n")
	b.WriteString("# Optional tables that add groups and features (see the README):\n")
	b.WriteString("# customers: {path: customers.csv}   # email, newsletter, city, country, b2b: exports and the newsletter_subscriber, registered_lead, b2b groups\n")
	if _, ok := m.Columns["product_id"]; ok {
		b.WriteString("# products: {path: products.csv}     # by product_id: category (the category mix), price_tier, launch_time\n")
	}
	b.WriteString("# events: {path: events.csv}         # view, add_to_cart, checkout: the cart_abandoner and browser_never_bought groups\n")
	fmt.Fprintf(&b, "clustering:\n  k: auto\n  k_min: 2\n  k_max: 12\n  # the features this file supports\n  use: [%s]\n", strings.Join(starterUse(m), ", "))
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
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// starterUse lists the clustered features a file with mapping m supports:
// recency, frequency, spend and basket size always; the discount ratio
// with a discount column, the category mix with a category column.
func starterUse(m data.Mapping) []string {
	use := []string{"recency_days", "frequency", "monetary", "aov"}
	if len(m.Discounts) > 0 {
		use = append(use, "discount_ratio")
	}
	if _, ok := m.Columns["category"]; ok {
		use = append(use, "category_mix")
	}
	return use
}
