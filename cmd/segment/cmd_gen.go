package main

import (
	"context"
	"io"

	"github.com/segment-tool/segment/data"
)

const genDoc = `usage: segment gen [-customers N] [-seed N] -out DIR

Writes a synthetic store with planted personas into DIR: orders.parquet (one
row per order line), customers.parquet, products.parquet, events.parquet
(views, cart adds, checkouts) and truth.parquet (customer_id, persona and the
planted traits). The personas come from the segments marketing articles
describe: champions, loyal repeat buyers, one-time buyers, discount hunters,
seasonal first-timers who never came back, lapsed big spenders and category
specialists. The same -seed gives the same files, byte for byte.

The store is streamed, so memory stays bounded; while it runs, sorted runs of
order lines and events take about as much room again as the files, in a
temporary directory inside DIR that is removed at the end.

EXIT STATUS
  0 success; 1 the files could not be written; 2 usage error; 130 interrupted.
`

func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("gen", genDoc, stderr)
	customers := fs.Int("customers", 10000, "number of customers")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "", "output `dir`ectory (required)")
	if err := fs.parse(args, false); err != nil {
		return err
	}
	if *out == "" {
		return usageError{msg: "gen: -out is required"}
	}
	if *customers < 1 {
		return usageError{msg: "gen: -customers must be >= 1"}
	}
	return data.WriteGeneratedStore(ctx, *out, data.GenOptions{Customers: *customers, Seed: *seed})
}
