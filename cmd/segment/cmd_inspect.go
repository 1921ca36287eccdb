package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/report"
)

const inspectDoc = `usage: segment inspect [-write FILE] PATH

Describes an order file (Parquet, CSV or CSV.gz; a file, a glob or a
directory of parts, of which the first file is inspected): format, rows,
row groups and codecs, every column with its type, nulls and example values,
and a guessed mapping of the columns to segment's logical columns
(customer_id, order_id, time, amount, quantity, unit_price, discount, …).
With -write it saves a starter config file that "segment run -config FILE"
accepts as is; review the mapping before a scheduled run. Flags come before
PATH. Nothing is written to stdout but the description.

EXIT STATUS
  0 success; 1 the file cannot be read, or -write's file exists; 2 usage error.
`

func runInspect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("inspect", inspectDoc, stderr)
	write := fs.String("write", "", "save a starter config to this `file` (must not exist)")
	if err := fs.parse(args, true); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{msg: "inspect: want exactly one PATH (flags first)"}
	}
	path := fs.Arg(0)
	in, err := data.Inspect(ctx, path)
	if err != nil {
		return err
	}
	m := data.GuessMapping(in.Columns)
	if err := printInspection(stdout, in, m); err != nil {
		return err
	}
	if *write == "" {
		return nil
	}
	return config.WriteStarter(*write, path, in, m)
}

// printInspection writes the human-readable description.
func printInspection(w io.Writer, in *data.Inspection, m data.Mapping) error {
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
	fmt.Fprintln(tw, "  name\ttype\tnulls\texamples\tmaps to")
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
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", c.Name, c.Type, nulls, strings.Join(c.Examples, " | "), strings.Join(logical, ", "))
	}
	tw.Flush()
	if in.Delimiter != "" && (in.Delimiter != "," || in.Decimal != ".") {
		fmt.Fprintf(b, "\ncsv dialect: delimiter %q, decimal %q\n", in.Delimiter, in.Decimal)
	}
	if in.DialectNote != "" {
		fmt.Fprintf(b, "\nnote: %s\n", in.DialectNote)
	}
	for _, c := range in.Columns {
		if c.TimeNote != "" {
			fmt.Fprintf(b, "\nnote: column %s: %s\n", c.Name, c.TimeNote)
		}
	}
	b.WriteString("\nguessed mapping:\n")
	for _, l := range data.RequiredColumns {
		if c, ok := m.Columns[l]; ok {
			note := ""
			if l == "order_id" && m.OrderIDFromTime {
				note = "  (no order id column: one order per customer and time)"
			}
			fmt.Fprintf(b, "  %-12s %s%s\n", l, c, note)
		} else {
			fmt.Fprintf(b, "  %-12s MISSING (required): map it in the config\n", l)
		}
	}
	if _, ok := m.Columns["amount"]; !ok {
		if m.Columns["quantity"] == "" || m.Columns["unit_price"] == "" {
			b.WriteString("  amount       MISSING: map amount, or quantity and unit_price\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

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
