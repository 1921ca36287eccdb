package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/inspect"
)

const inspectDoc = `usage: segment inspect [-write FILE] PATH...

Describes input files (Parquet, CSV or CSV.gz; each PATH a file, a glob or a
directory of parts, of which the first file is inspected): format, rows,
row groups and codecs, every column with its type, nulls and example values,
which of segment's tables the file looks like (the order lines, or the
customers, products or events table), and a guessed mapping of its columns
to that table's logical columns (customer_id, order_id, time, amount,
quantity, unit_price, discount, …; for a products table product_id,
category, price_tier, launch_time, …). With -write it saves a starter
config file that "segment run -config FILE" accepts as is: one PATH must be
the order lines, and each optional table given gets its section. Review the
mapping before a scheduled run. Flags come before the PATHs. Nothing is
written to stdout but the description.

EXIT STATUS
  0 success; 1 a file cannot be read, -write's file exists, or -write is
  not given the order lines (or two files of one table); 2 usage error.
`

func runInspect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("inspect", inspectDoc, stderr)
	write := fs.String("write", "", "save a starter config to this `file` (must not exist)")
	if err := fs.parse(args, true); err != nil {
		return err
	}
	if *write != "" && data.IsInputName(*write) { // before the missing PATH: "-write orders.csv" is this mistake
		return usageError{msg: fmt.Sprintf("inspect: -write %s: that is an input file's name; -write takes the config file to write, as in: segment inspect -write segment.yaml %s", *write, *write)}
	}
	if fs.NArg() == 0 {
		return usageError{msg: "inspect: want at least one PATH (flags first)"}
	}
	if *write != "" {
		if _, err := os.Lstat(*write); err == nil {
			return fmt.Errorf("inspect: -write %s: the file exists; inspect never replaces a file (give a new name)", *write)
		}
	}
	tables := make([]config.StarterTable, fs.NArg())
	for i, path := range fs.Args() {
		in, err := data.Inspect(ctx, path)
		if err != nil {
			return err
		}
		tables[i] = config.StarterTable{Path: path, In: in, Guess: in.Guess()}
		if i > 0 {
			if _, err := io.WriteString(stdout, "\n"); err != nil {
				return err
			}
		}
		if err := inspect.Describe(stdout, tables[i], fs.NArg() > 1); err != nil {
			return err
		}
	}
	if *write == "" {
		return nil
	}
	return config.WriteStarter(*write, tables)
}
