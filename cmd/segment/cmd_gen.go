package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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
temporary directory inside DIR that is removed at the end. Other files in DIR
are left alone; gen refuses a DIR that already holds one of the files it
writes (exit status 2) rather than overwrite it.

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
	if err := checkGenOut(*out); err != nil {
		return err
	}
	return data.WriteGeneratedStore(ctx, *out, data.GenOptions{Customers: *customers, Seed: *seed})
}

// checkGenOut refuses (a usage error) a folder that already holds a file
// of the name of one gen writes: gen would overwrite it, and delete it if
// it failed. Other files in the folder are left alone.
func checkGenOut(dir string) error {
	genFiles := data.GeneratedFiles()
	for _, name := range genFiles {
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); err == nil {
			return usageError{msg: fmt.Sprintf("gen: %s exists; gen never overwrites a file: name a new or empty folder, or remove %s", p, strings.Join(genFiles, ", "))}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("gen: %w", err)
		}
	}
	return nil
}
