package inspect

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/report"
)

// Describe writes segment inspect's description of t: its format, rows,
// layout and columns, the table it looks like and its guessed mapping,
// and, unless several files were inspected together, how to use an
// optional table.
func Describe(w io.Writer, t config.StarterTable, several bool) error {
	in, g := t.In, t.Guess
	m := g.Mapping
	b := &strings.Builder{}
	fmt.Fprintf(b, "%s: %s, %s rows", in.Path, in.Format, report.FormatInt(in.Rows))
	if in.Files > 1 {
		fmt.Fprintf(b, " (first of %d files)", in.Files)
	}
	b.WriteString("\n")
	if len(in.RowGroups) > 0 {
		fmt.Fprintf(b, "row groups: %d (rows: %s); compression: %s\n", len(in.RowGroups), joinCounts(in.RowGroups), strings.Join(in.Codecs, ", "))
	}
	b.WriteString("\ncolumns:\n")
	tw := tabwriter.NewWriter(b, 2, 8, 2, ' ', 0)
	nullsHead := "nulls"
	if in.Format != "parquet" && in.Rows > data.InspectSample {
		// A CSV file's cells are typed, and counted, in its first rows.
		nullsHead = fmt.Sprintf("nulls (first %s rows)", report.FormatInt(data.InspectSample))
	}
	fmt.Fprintf(tw, "  name\ttype\t%s\texamples\tmaps to\n", nullsHead)
	mappedTo := map[string][]string{}
	for l, c := range m.Columns {
		mappedTo[c] = append(mappedTo[c], l)
	}
	for _, c := range m.Discounts {
		mappedTo[c] = append(mappedTo[c], "discount")
	}
	for _, c := range in.Columns {
		nulls := "?"
		if c.Nulls >= 0 {
			nulls = fmt.Sprint(c.Nulls)
		}
		logical := mappedTo[c.Name]
		slices.Sort(logical)
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", columnName(c.Name), c.Type, nulls, examples(c.Examples), strings.Join(logical, ", "))
	}
	tw.Flush()
	switch {
	case in.Delimiter != "" && in.Decimal == "" && in.DialectNote == "":
		fmt.Fprintf(b, "\ncsv dialect: delimiter %q; the first rows hold whole numbers only: the run takes the decimal mark from the first number that shows it\n", in.Delimiter)
	case in.Delimiter != "" && (in.Delimiter != "," || in.Decimal != "."):
		fmt.Fprintf(b, "\ncsv dialect: delimiter %q, decimal %q\n", in.Delimiter, in.Decimal)
	}
	if in.Encoding == data.EncodingWindows1252 {
		fmt.Fprintf(b, "\nencoding: not UTF-8; read as %s (Latin-1), as spreadsheets in Western Europe and the Americas save CSV files\n", in.Encoding)
	}
	if in.DialectNote != "" {
		fmt.Fprintf(b, "\nnote: %s\n", in.DialectNote)
	}
	for _, c := range in.Columns {
		if c.TimeNote != "" {
			fmt.Fprintf(b, "\nnote: column %s: %s\n", c.Name, c.TimeNote)
		}
	}
	switch g.Kind {
	case data.OrdersTable:
		writeOrdersMapping(b, in, m)
		values, cancel := in.StatusValues(m)
		if len(cancel) > 0 {
			fmt.Fprintf(b, "  cancellation lines whose %s is %s count as returned (cancellation.status in a starter config)\n", columnName(m.Columns["status"]), strings.Join(cancel, ", "))
		}
		failed, awaited := data.UnpaidStatuses(values)
		if len(failed) > 0 {
			fmt.Fprintf(b, "  exclude      lines whose %s is %s are left out: payments that failed (orders.exclude.status in a starter config)\n",
				columnName(m.Columns["status"]), strings.Join(failed, ", "))
		}
		if len(awaited) > 0 {
			fmt.Fprintf(b, "  note: %s %s: payments not made yet, counted as purchases unless orders.exclude.status lists them\n",
				columnName(m.Columns["status"]), strings.Join(awaited, ", "))
		}
	case data.UnknownTable:
		b.WriteString("\nthis does not look like the order lines or an optional table (customers, products, events): it lacks the columns " +
			"each needs (order lines: a customer id, an order id or a time, and an amount or a quantity and a unit price)\n")
		writeOrdersMapping(b, in, m)
	default:
		writeTableMapping(b, in.Path, g, several)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// columnName is a column name as inspect prints it: quoted when spaces
// around it or a control character (a tab) would not show.
func columnName(name string) string {
	if strings.TrimSpace(name) != name || strings.ContainsFunc(name, unicode.IsControl) {
		return strconv.Quote(name)
	}
	return name
}

// maxExample is the most runes of an example value inspect prints.
const maxExample = 40

// examples joins a column's example values as inspect prints them, each
// cut to maxExample runes ("…" ending one that was cut): a long value (a
// 1 MB id) would pad every line of the table to its width.
func examples(v []string) string {
	cut := make([]string, len(v))
	for i, s := range v {
		cut[i] = s
		if utf8.RuneCountInString(s) > maxExample {
			r := []rune(s)
			cut[i] = string(r[:maxExample-1]) + "…"
		}
	}
	return strings.Join(cut, " | ")
}

// joinCounts lists the first five counts of v, then "…".
func joinCounts(v []int64) string {
	parts := make([]string, 0, min(len(v), 6))
	for i, n := range v {
		if i == 5 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, report.FormatInt(n))
	}
	return strings.Join(parts, ", ")
}

// writeOrdersMapping writes the guessed mapping of order lines, and what
// is missing.
func writeOrdersMapping(b *strings.Builder, in *data.Inspection, m data.Mapping) {
	b.WriteString("\nguessed mapping (order lines):\n")
	for _, l := range data.RequiredColumns {
		if c, ok := m.Columns[l]; ok {
			note := ""
			if l == "order_id" && m.OrderIDFromTime {
				note = "  (no order id column: one order per customer and time)"
			}
			if n := m.Notes[l]; n != "" {
				note = "  (" + n + ")"
			}
			fmt.Fprintf(b, "  %-12s %s%s\n", l, columnName(c), note)
		} else if n := m.Notes[l]; n != "" {
			fmt.Fprintf(b, "  %-12s MISSING (required): %s\n", l, n)
		} else {
			fmt.Fprintf(b, "  %-12s MISSING (required): map it in the config\n", l)
		}
	}
	if _, ok := m.Columns["amount"]; !ok {
		if m.Columns["quantity"] == "" || m.Columns["unit_price"] == "" {
			b.WriteString("  amount       MISSING: map amount, or quantity and unit_price")
			if n := m.Notes["amount"]; n != "" {
				b.WriteString(" (" + n + ")")
			}
			b.WriteString("\n")
		}
	}
	if m.CancelPrefix != "" {
		fmt.Fprintf(b, "  cancellation order ids such as %s (lines of negative quantity) start with %q (cancellation.order_id_prefix in a starter config)\n", m.CancelExample, m.CancelPrefix)
	}
	if len(m.OddProducts) > 0 {
		fmt.Fprintf(b, "  note: product ids without a digit among SKUs with digits: %s (postage, fees, manual lines? orders.exclude.product_id leaves them out)\n", strings.Join(m.OddProducts, ", "))
	}
	if in.Duplicates > 0 {
		fmt.Fprintf(b, "  note: %d of the first %s rows repeat an earlier row exactly: orders.duplicates: drop leaves the copies out if the export repeats rows (a comment in a starter config)\n",
			in.Duplicates, report.FormatInt(data.InspectSample))
	}
	if minor := data.MinorUnitColumns(m); len(minor) > 0 {
		fmt.Fprintf(b, "  note: %s hold money in cents, by the names: read × 0.01 (orders.amount_scale in a starter config)\n", strings.Join(minor, ", "))
	}
	for _, k := range []string{"discount", "empty"} {
		if n := m.Notes[k]; n != "" && (k == "empty" || len(m.Discounts) == 0 || strings.HasPrefix(n, "not ")) {
			fmt.Fprintf(b, "  note: %s\n", n)
		}
	}
}

// writeTableMapping writes the guessed mapping of an optional table and,
// unless several files were inspected together, how to use it (path is
// the file's PATH).
func writeTableMapping(b *strings.Builder, path string, g data.TableGuess, several bool) {
	fmt.Fprintf(b, "\nthis looks like the %s table, not order lines; guessed mapping:\n", g.Kind)
	for _, l := range g.Kind.Columns() {
		if c, ok := g.Mapping.Columns[l]; ok {
			fmt.Fprintf(b, "  %-12s %s\n", l, columnName(c))
		} else {
			fmt.Fprintf(b, "  %-12s (no column found)\n", l)
		}
	}
	if !several {
		fmt.Fprintf(b, "to use it, inspect it with the order lines: \"segment inspect -write segment.yaml ORDERS %s\" writes a config with its %s section\n", path, g.Kind)
	}
}
