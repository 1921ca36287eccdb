package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// customersConfig joins a customers table (PATH) and groups customers on
// what only it gives: the newsletter flag, B2B, the age band, the country
// and the city (the table's wins over the orders').
const customersConfig = `customers:
  path: PATH
groups:
  - {name: subscribed_repeat, when: 'newsletter && frequency >= 2'}
  - {name: business, when: 'b2b || age_band == "25-34"'}
  - {name: german_city, when: 'country == "DE" && city != ""'}
`

// customerRow is a row of the customers table as withCustomerRows writes
// it.
type customerRow struct {
	CustomerID string `parquet:"customer_id"`
	Email      string `parquet:"email"`
	City       string `parquet:"city"`
	Country    string `parquet:"country"`
	Newsletter bool   `parquet:"newsletter"`
	B2B        bool   `parquet:"b2b"`
	AgeBand    string `parquet:"age_band"`
}

// TestCustomersOnPrism runs stores with their customers table through
// segment run -runner prism's driver and checks every output against a
// local run of the same options (compareRuns): the prospects (rows of the
// table without orders) in the assignments and the report, the table's
// columns in the assignments, its groups (newsletter_subscriber, b2b,
// registered_lead, the city_ groups of the merged cities) and custom
// groups on its columns, the campaign exports (emails, consent) and
// run.json's inputs (the table after the order files). The tables: the
// generated one in row groups of 70 rows (several pieces) with more
// prospects, through a config file; and a CSV export of it under other
// column names (-customers with a mapping), cities padded with spaces or
// blank, newsletter flags and signup times null, and customers with orders
// it lacks. A table without rows, and one with a customer on two rows,
// fail as a local run fails, naming why.
func TestCustomersOnPrism(t *testing.T) {
	dir := generatedStore(t, 700, 4)
	orders := filepath.Join(dir, "orders.parquet")
	t.Run("generated table in row groups, config", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "segment.yaml")
		yaml := strings.Replace(customersConfig, "PATH", withCustomerRows(t, filepath.Join(dir, "customers.parquet")), 1)
		if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		o := optionsOf(t, path)
		o.Orders, o.Restarts, o.Workers = orders, 3, 2
		run := onPrism(t, o, nil)
		checkCustomersRun(t, run, []string{"subscribed_repeat", "business", "german_city"})
	})
	t.Run("CSV export, other names, rows without an id", func(t *testing.T) {
		o := pipeline.DefaultOptions()
		o.Orders, o.Restarts, o.Workers = orders, 3, 2
		o.CustomersPath = withoutIDs(t, customersExport(t, filepath.Join(dir, "customers.parquet"), false))
		o.CustomerColumns = map[string]string{"customer_id": "Kunde", "email": "Mail", "city": "Stadt", "newsletter": "Werbung",
			"signup_time": "Seit", "b2b": "Firma", "country": "Land"}
		run := onPrism(t, o, nil)
		checkCustomersRun(t, run, nil)
		rejects, err := os.ReadFile(filepath.Join(run.out, "rejects.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(rejects, []byte("customers: missing customer_id")); n != 2 {
			t.Errorf("rejects.csv lists %d customers rows without an id, want 2:\n%s", n, rejects)
		}
		if n := run.local.Rows.CustomersRejected; n != 2 { // the -runner run's run.json equals it (compareRuns)
			t.Errorf("run.json's rows.customers_rejected is %d, want 2", n)
		}
	})
	t.Run("a table without rows", func(t *testing.T) {
		// A header alone is an export gone wrong: both runners stop, as
		// they would leave its groups empty rather than unread.
		o := pipeline.DefaultOptions()
		o.Orders, o.Restarts, o.Workers = orders, 3, 2
		o.CustomersPath = filepath.Join(t.TempDir(), "customers.csv")
		if err := os.WriteFile(o.CustomersPath, []byte("Kunde;Mail;Werbung\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		o.CustomerColumns = map[string]string{"customer_id": "Kunde", "email": "Mail", "newsletter": "Werbung"}
		const want = "the table has no rows"
		o.Out = filepath.Join(t.TempDir(), "local")
		if _, err := pipeline.Run(context.Background(), o); err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("local run: %v, want %q", err, want)
		}
		t.Setenv(asMain, "1")
		var stderr bytes.Buffer
		o.Out = filepath.Join(t.TempDir(), "beam")
		err := pipeline.RunBeam(context.Background(), o, pipeline.BeamRun{Runner: "prism", Binary: os.Args[0], Stdout: &stderr, Stderr: &stderr})
		if err == nil || !strings.Contains(stderr.String(), want) {
			t.Fatalf("beam run: %v, want %q:\n%s", err, want, stderr.Bytes())
		}
	})
	t.Run("ids written with leading zeros", func(t *testing.T) {
		// No id of the table is a buyer's: every row is a prospect, and
		// the report says the ids match once the zeros are dropped. The
		// finishing step finds it from job 1's counts and the shards' ids.
		rows := readCustomerRows(t, filepath.Join(dir, "customers.parquet"))
		for i := range rows {
			rows[i].CustomerID = "00" + rows[i].CustomerID
		}
		o := pipeline.DefaultOptions()
		o.Orders, o.Restarts, o.Workers = orders, 3, 2
		o.CustomersPath = filepath.Join(t.TempDir(), "customers.parquet")
		writeRowGroups(t, o.CustomersPath, rows, 70)
		run := onPrism(t, o, nil)
		checkMismatchReport(t, run, len(rows), "customers")
	})
	t.Run("a customer on two rows", func(t *testing.T) {
		o := pipeline.DefaultOptions()
		o.Orders, o.Restarts, o.Workers = orders, 3, 2
		o.CustomersPath = customersExport(t, filepath.Join(dir, "customers.parquet"), true)
		o.CustomerColumns = map[string]string{"customer_id": "Kunde"}
		o.Out = filepath.Join(t.TempDir(), "local")
		_, err := pipeline.Run(context.Background(), o)
		if err == nil || !strings.Contains(err.Error(), "on rows 3 and 12") {
			t.Fatalf("local run: %v, want the duplicate id on rows 3 and 12", err)
		}
		t.Setenv(asMain, "1")
		var stderr bytes.Buffer
		o.Out = filepath.Join(t.TempDir(), "beam")
		err = pipeline.RunBeam(context.Background(), o, pipeline.BeamRun{Runner: "prism", Binary: os.Args[0], Stdout: &stderr, Stderr: &stderr})
		if err == nil || !strings.Contains(stderr.String(), "on rows 3 and 12") {
			t.Fatalf("beam run: %v, want the duplicate id on rows 3 and 12:\n%s", err, stderr.Bytes())
		}
		if _, err := os.Stat(filepath.Join(o.Out, "model.json")); err == nil {
			t.Errorf("the failed run left outputs in %s", o.Out)
		}
	})
}

// checkMismatchReport checks that the run's table (customers or events)
// shares no id with the orders, that its prospects number want (with
// run.json's rows.prospects for the customers table) and that the report
// says the ids match once leading zeros are dropped. The local run's
// outputs equal the run's (onPrism).
func checkMismatchReport(t *testing.T, run prismRun, want int, table string) {
	t.Helper()
	tab, err := data.ReadTable(context.Background(), filepath.Join(run.out, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if n := prospectsOf(tab); n != want {
		t.Errorf("%d prospects, want %d (every customer of the table)", n, want)
	}
	if n := run.local.Rows.Prospects; table == "customers" && n != want {
		t.Errorf("run.json's rows.prospects is %d, want %d", n, want)
	}
	report, err := os.ReadFile(filepath.Join(run.out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if s := "no customer id of the " + table + " table"; !bytes.Contains(report, []byte(s)) || !bytes.Contains(report, []byte("leading zeros are dropped")) {
		t.Errorf("report.md does not say %q with leading zeros", s)
	}
}

// withoutIDs returns a copy of the ';' customers export at path with two
// rows without a customer id (blank, and NULL) among its rows: a local
// run and a scale-out run list them in rejects.csv alike.
func withoutIDs(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	lines = slices.Insert(lines, 4, " ;lost@example.com;Berlin;DE;true;false;\n")
	lines = slices.Insert(lines, len(lines)-1, "NULL;gone@example.com;Bonn;DE;false;false;\n")
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(out, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// optionsOf returns the options of segment run -config path.
func optionsOf(t *testing.T, path string) pipeline.Options {
	t.Helper()
	c, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	o := pipeline.DefaultOptions()
	o.ConfigPath = path
	if err := o.ApplyConfig(c); err != nil {
		t.Fatal(err)
	}
	return o
}

// checkCustomersRun checks that the run joined a customers table: its
// prospects and columns are in the assignments, it is in run.json's
// inputs, the exports were written and the groups have members.
func checkCustomersRun(t *testing.T, run prismRun, groups []string) {
	t.Helper()
	tab, err := data.ReadTable(context.Background(), filepath.Join(run.out, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	prospects := prospectsOf(tab)
	if prospects == 0 || tab.Column("email") == nil || len(run.local.Inputs) != 2 {
		t.Errorf("%d prospects, email column %v, inputs %+v: want prospects, emails and the customers table", prospects, tab.Column("email") != nil, run.local.Inputs)
	}
	checkMembers(t, tab, append([]string{"newsletter_subscriber", "registered_lead"}, groups...))
	if _, err := os.Stat(filepath.Join(run.out, "exports")); err != nil {
		t.Errorf("no exports: %v", err)
	}
}

// prospectsOf counts the prospects of an assignments table.
func prospectsOf(tab *data.Table) int {
	n := 0
	for _, k := range tab.Column("cluster_key").Strings {
		if k == pipeline.ProspectKey {
			n++
		}
	}
	return n
}

// checkMembers fails unless each of the groups has a member in the
// assignments table tab.
func checkMembers(t *testing.T, tab *data.Table, groups []string) {
	t.Helper()
	for _, g := range groups {
		col, members := tab.Column(g), 0
		for i := 0; col != nil && i < len(col.Bools); i++ {
			if col.Bools[i] {
				members++
			}
		}
		if members == 0 {
			t.Errorf("group %s: no member", g)
		}
	}
}

// withCustomerRows writes the customers table customers in row groups of
// 70 rows, with 40 more customers without orders (prospects), two of them
// in a city no customer with orders lives in, and returns it.
func withCustomerRows(t *testing.T, customers string) string {
	t.Helper()
	rows := readCustomerRows(t, customers)
	for i := range 40 {
		city := rows[i%len(rows)].City
		if i < 2 {
			city = "Ulaanbaatar"
		}
		rows = append(rows, customerRow{CustomerID: fmt.Sprintf("P%04d", i), Email: fmt.Sprintf("p%d@example.com", i), City: city,
			Country: "DE", Newsletter: i%2 == 0, AgeBand: "25-34"})
	}
	path := filepath.Join(t.TempDir(), "customers.parquet")
	writeRowGroups(t, path, rows, 70)
	return path
}

// readCustomerRows reads the generated customers table.
func readCustomerRows(t *testing.T, customers string) []customerRow {
	t.Helper()
	tab, err := data.ReadTable(context.Background(), customers)
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) *data.Column {
		c := tab.Column(name)
		if c == nil {
			t.Fatalf("%s: no column %s", customers, name)
		}
		return c
	}
	ids, email, city, country, age := col("customer_id"), col("email"), col("city"), col("country"), col("age_band")
	news, b2b := col("newsletter"), col("b2b")
	rows := make([]customerRow, len(ids.Strings))
	for i := range rows {
		rows[i] = customerRow{ids.Strings[i], email.Strings[i], city.Strings[i], country.Strings[i], news.Bools[i], b2b.Bools[i], age.Strings[i]}
	}
	return rows
}

// customersExport writes the customers table customers as a ';' CSV
// export under other column names (Kunde, Mail, Stadt, Land, Werbung,
// Firma, Seit), without a customer of every 9 (they have orders only),
// with a customer of every 5 in a city padded with spaces, one of every 7
// without a city, one of every 6 without a newsletter flag, one of every 4
// with a signup date, and 30 prospects; with dup, the customer of row 3
// (from 1, the header aside) again on row 12. It returns the file.
func customersExport(t *testing.T, customers string, dup bool) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("Kunde;Mail;Stadt;Land;Werbung;Firma;Seit\n")
	row := func(r customerRow, i int) {
		city, news, since := r.City, fmt.Sprint(r.Newsletter), ""
		switch {
		case i%5 == 1:
			city = "  " + city + " "
		case i%7 == 2:
			city = ""
		}
		if i%6 == 3 {
			news = ""
		}
		if i%4 == 0 {
			since = fmt.Sprintf("2023-%02d-%02d", 1+i%12, 1+i%28)
		}
		fmt.Fprintf(&b, "%s;%s;%s;%s;%s;%v;%s\n", r.CustomerID, r.Email, city, r.Country, news, r.B2B, since)
	}
	n := 0
	for i, r := range readCustomerRows(t, customers) {
		if i%9 == 4 {
			continue
		}
		if n++; dup && n == 12 {
			row(readCustomerRows(t, customers)[2], n)
			n++
		}
		row(r, n)
	}
	for i := range 30 {
		row(customerRow{CustomerID: fmt.Sprintf("Q%04d", i), Email: fmt.Sprintf("q%d@example.com", i), City: "Lyon", Country: "FR"}, n+i)
	}
	path := filepath.Join(t.TempDir(), "customers.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
