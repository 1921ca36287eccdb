// Command duckdb is the DuckDB half of bench/e2e.sh (issue 14): it computes
// from the order lines Parquet that `segment gen` writes the per-customer
// feature table that segment computes (frequency, monetary, recency,
// tenure, aov, discount ratio, coupon share, items per order and the
// category mix; see FeatureSQL), with DuckDB through duckdb-go, and prints
// one JSON line: the query, the rows of the result and the seconds the
// query took.
//
// The result is materialised in an in-memory table (CREATE TABLE … AS), or
// written to a Parquet file with -result (COPY … TO), so that DuckDB
// computes all of it; nothing is streamed into Go. With -check it then
// compares the first customers of the result with segment's
// assignments.csv and exits with status 1 when they differ.
//
// It is a module of its own so that cgo (DuckDB's library) never enters
// segment's module.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Report is the JSON line the command prints.
type Report struct {
	Query   Query   `json:"query"`
	Rows    int64   `json:"rows"`
	Seconds float64 `json:"seconds"` // the CREATE TABLE or COPY alone
	Threads int     `json:"threads"`
	DuckDB  string  `json:"duckdb"`
	Checked int     `json:"checked,omitempty"` // customers compared with -check
}

const usage = `usage: duckdb -orders FILE [-query distinct|twolevel|scan] [-threads N]
              [-categories LIST] [-result FILE.parquet] [-check assignments.csv [-check-rows N]]

Computes segment's per-customer feature table from an orders Parquet file
with DuckDB and prints {"query", "rows", "seconds", "threads", "duckdb"} as
one JSON line. -query distinct counts orders with count(DISTINCT order_id)
in one GROUP BY; -query twolevel groups by order, then by customer.
-query scan computes no feature: it reads the columns the queries read into
one row of aggregates (ScanSQL), the cost of reading the file alone.

EXIT STATUS
  0 success; 1 the query failed or -check found a difference; 2 usage error.

Flags:
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("duckdb", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	var (
		orders    = fs.String("orders", "", "order lines Parquet `file` (segment gen's orders.parquet)")
		query     = fs.String("query", string(Distinct), "distinct, twolevel or scan")
		threads   = fs.Int("threads", 2, "DuckDB threads (SET threads)")
		catList   = fs.String("categories", strings.Join(DefaultCategories, ","), "mix categories, comma-separated, [a-z0-9_]+ each")
		result    = fs.String("result", "", "write the result to this Parquet `file` (COPY … TO) instead of an in-memory table")
		check     = fs.String("check", "", "compare the result with segment's assignments.csv `file`")
		checkRows = fs.Int("check-rows", 1000, "customers (the first by id) that -check compares")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	q := Query(*query)
	cats := strings.Split(*catList, ",")
	switch {
	case *orders == "" || fs.NArg() > 0:
		fs.Usage()
		return 2
	case q != Distinct && q != TwoLevel && q != Scan:
		fmt.Fprintf(stderr, "duckdb: -query %q: want distinct, twolevel or scan\n", q)
		return 2
	case q == Scan && *check != "":
		fmt.Fprintln(stderr, "duckdb: -check compares a feature table: not with -query scan")
		return 2
	case *threads < 1:
		fmt.Fprintf(stderr, "duckdb: -threads %d: want at least 1\n", *threads)
		return 2
	case *checkRows < 1:
		fmt.Fprintf(stderr, "duckdb: -check-rows %d: want at least 1\n", *checkRows)
		return 2
	}
	for _, c := range cats {
		if !categoryName.MatchString(c) {
			fmt.Fprintf(stderr, "duckdb: -categories: %q is not [a-z0-9_]+\n", c)
			return 2
		}
	}
	rep, err := bench(ctx, Settings{Orders: *orders, Query: q, Threads: *threads, Categories: cats, Result: *result, Check: *check, CheckRows: *checkRows})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	line, err := json.Marshal(rep)
	if err != nil {
		fmt.Fprintln(stderr, "duckdb:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s\n", line)
	return 0
}

// Settings are the inputs of one benchmark run.
type Settings struct {
	Orders     string   // order lines Parquet file
	Query      Query    // Distinct, TwoLevel or Scan
	Threads    int      // DuckDB threads
	Categories []string // the mix categories
	Result     string   // Parquet file to COPY the result to; "" for an in-memory table
	Check      string   // segment's assignments.csv to compare with; "" for none
	CheckRows  int      // customers Check compares
}

// bench runs the feature query once and, with s.Check, compares its result.
func bench(ctx context.Context, s Settings) (rep Report, err error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return rep, fmt.Errorf("duckdb: open: %w", err)
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("duckdb: close: %w", cerr)
		}
	}()
	// One connection: settings are per database, the table per session.
	conn, err := db.Conn(ctx)
	if err != nil {
		return rep, fmt.Errorf("duckdb: connect: %w", err)
	}
	defer conn.Close()

	rep = Report{Query: s.Query, Threads: s.Threads}
	setup := []string{
		fmt.Sprintf("SET threads = %d", s.Threads),
		// The rows' order is not needed: lets DuckDB aggregate and write in parallel with less memory.
		"SET preserve_insertion_order = false",
	}
	for _, stmt := range setup {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return rep, fmt.Errorf("duckdb: %s: %w", stmt, err)
		}
	}
	if err := conn.QueryRowContext(ctx, "SELECT version()").Scan(&rep.DuckDB); err != nil {
		return rep, fmt.Errorf("duckdb: version: %w", err)
	}

	sel := ""
	if s.Query == Scan {
		sel = ScanSQL(s.Orders)
	} else {
		sel = FeatureSQL(s.Query, s.Orders, s.Categories)
	}
	stmt := "CREATE TABLE features AS " + sel
	if s.Result != "" {
		stmt = "COPY (" + sel + ") TO " + literal(s.Result) + " (FORMAT parquet)"
	}
	start := time.Now()
	if _, err := conn.ExecContext(ctx, stmt); err != nil {
		return rep, fmt.Errorf("duckdb: %s query: %w", s.Query, err)
	}
	rep.Seconds = time.Since(start).Seconds()

	if s.Result != "" {
		stmt = "CREATE VIEW features AS SELECT * FROM read_parquet(" + literal(s.Result) + ")"
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return rep, fmt.Errorf("duckdb: read the result back: %w", err)
		}
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM features").Scan(&rep.Rows); err != nil {
		return rep, fmt.Errorf("duckdb: count the result: %w", err)
	}
	if s.Check != "" {
		if rep.Checked, err = compare(ctx, conn, s.Check, s.CheckRows, rep.Rows); err != nil {
			return rep, err
		}
	}
	return rep, nil
}
