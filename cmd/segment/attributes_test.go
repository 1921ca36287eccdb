package main

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// attrOrdersCSV is a store whose order lines carry a city, country and
// sales channel under shop-export names. Per customer, by orders (the
// number of lines does not matter):
//
//	u1: Berlin/DE/web twice (one order of three lines), Paris/FR/app once → Berlin, DE, web
//	u2: Paris/FR/app, Munich/DE/web once each: ties → Munich, DE, app
//	u3, u4, u5: Paris/FR/web; u6: Berlin/DE/web; u7: Lyon/FR/store
//	u8: no city, country or channel on any line
//	u0: one order of zero value (not clustered), Oslo/NO/fax; it sorts
//	first, so looking clusters up by the wrong row shifts every customer
//
// Customers by city: Paris 3, Berlin 2, Lyon 1, Munich 1.
const attrOrdersCSV = "order_id,customer_id,time,amount,ShipCity,ShipCountry,SalesChannel\n" +
	"A1,u1,2024-01-05 10:00:00,20,Berlin,DE,web\n" +
	"A1,u1,2024-01-05 10:00:00,5,Berlin,DE,web\n" +
	"A1,u1,2024-01-05 10:00:00,5,Berlin,DE,web\n" +
	"A2,u1,2024-02-05 10:00:00,40,Berlin,DE,web\n" +
	"A3,u1,2024-03-05 10:00:00,30,Paris,FR,app\n" +
	"B1,u2,2024-01-10 10:00:00,15,Paris,FR,app\n" +
	"B2,u2,2024-03-10 10:00:00,25,Munich,DE,web\n" +
	"C1,u3,2024-02-01 10:00:00,80,Paris,FR,web\n" +
	"D1,u4,2024-02-11 10:00:00,90,Paris,FR,web\n" +
	"D2,u4,2024-03-11 10:00:00,70,Paris,FR,web\n" +
	"E1,u5,2024-01-21 10:00:00,10,Paris,FR,web\n" +
	"F1,u6,2024-03-01 10:00:00,300,Berlin,DE,web\n" +
	"F2,u6,2024-03-20 10:00:00,200,Berlin,DE,web\n" +
	"G1,u7,2024-01-30 10:00:00,12,Lyon,FR,store\n" +
	"H1,u8,2024-02-15 10:00:00,60,,,\n" +
	"Z1,u0,2024-01-02 10:00:00,0,Oslo,NO,fax\n"

// attrConfig maps the attributes and defines custom groups on them.
const attrConfig = `as_of: 2024-04-01
orders:
  path: ORDERS
  columns: {city: ShipCity, country: ShipCountry, channel: SalesChannel}
  time_format: "2006-01-02 15:04:05"
thresholds: {top_cities: 2}
groups:
  - {name: de_web, when: 'country == "DE" && channel == "web"'}
  - {name: fr_not_paris, when: 'country == "FR" && city != "Paris"'}
clustering: {k: 2, use: [recency_days, frequency, monetary]}
`

// attrStore writes the orders (as CSV, or as Parquet when parquet is set)
// and the config into a temporary directory and returns the config path.
func attrStore(t *testing.T, parquet bool) string {
	t.Helper()
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(orders, []byte(attrOrdersCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	if parquet {
		orders = filepath.Join(dir, "orders.parquet")
		writeOrdersParquet(t, orders, attrOrdersCSV)
	}
	cfg := filepath.Join(dir, "segment.yaml")
	if err := os.WriteFile(cfg, []byte(strings.Replace(attrConfig, "ORDERS", orders, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// writeOrdersParquet writes the CSV text as a Parquet file: time as a
// timestamp, amount as a double, every other column as a string (empty
// strings as nulls).
func writeOrdersParquet(t *testing.T, path, text string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var tab data.Table
	for j, name := range recs[0] {
		c := data.Column{Name: name, Kind: data.KindString}
		for _, rec := range recs[1:] {
			v := rec[j]
			switch name {
			case "time":
				c.Kind = data.KindTime
				ts, err := time.Parse(time.DateTime, v)
				if err != nil {
					t.Fatal(err)
				}
				c.Times = append(c.Times, ts)
			case "amount":
				c.Kind = data.KindFloat64
				x, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatal(err)
				}
				c.Floats = append(c.Floats, x)
			default:
				c.Strings = append(c.Strings, v)
				c.Nulls = append(c.Nulls, v == "")
			}
		}
		if c.Kind != data.KindString {
			c.Nulls = nil
		}
		tab.Columns = append(tab.Columns, c)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := data.WriteParquet(f, &tab); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// assignmentsByID reads assignments.csv as customer_id → column → value.
func assignmentsByID(t *testing.T, out string) map[string]map[string]string {
	t.Helper()
	recs := readCSVFile(t, filepath.Join(out, "assignments.csv"))
	m := map[string]map[string]string{}
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for j, name := range recs[0] {
			row[name] = rec[j]
		}
		m[row["customer_id"]] = row
	}
	return m
}

// checkColumn compares one column of the assignments with want, by
// customer.
func checkColumn(t *testing.T, rows map[string]map[string]string, column string, want map[string]string) {
	t.Helper()
	for id, w := range want {
		row, ok := rows[id]
		if !ok {
			t.Errorf("customer %s missing from the assignments", id)
			continue
		}
		got, ok := row[column]
		if !ok {
			t.Fatalf("assignments have no column %q", column)
		}
		if got != w {
			t.Errorf("%s of %s = %q, want %q", column, id, got, w)
		}
	}
}

// TestOrderAttributes runs on order lines that carry city, country and
// channel, without a customers table, from CSV and from Parquet: each
// customer gets the value of most of their orders; the city groups come
// from the orders' cities; custom groups read country, city and channel;
// the report profiles the clusters' most common values.
func TestOrderAttributes(t *testing.T) {
	for _, format := range []string{"csv", "parquet"} {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			mustSegment(t, "run", "-quiet", "-config", attrStore(t, format == "parquet"), "-out", out)
			rows := assignmentsByID(t, out)
			checkColumn(t, rows, "city", map[string]string{"u1": "Berlin", "u2": "Munich", "u3": "Paris", "u6": "Berlin", "u7": "Lyon", "u8": ""})
			checkColumn(t, rows, "country", map[string]string{"u1": "DE", "u2": "DE", "u3": "FR", "u7": "FR", "u8": ""})
			checkColumn(t, rows, "channel", map[string]string{"u1": "web", "u2": "app", "u5": "web", "u7": "store", "u8": ""})
			// top_cities: 2 → Paris (3 customers) and Berlin (2); not Lyon.
			checkColumn(t, rows, "city_paris", map[string]string{"u1": "false", "u3": "true", "u4": "true", "u5": "true", "u7": "false"})
			checkColumn(t, rows, "city_berlin", map[string]string{"u1": "true", "u6": "true", "u2": "false"})
			if _, ok := rows["u1"]["city_lyon"]; ok {
				t.Errorf("city_lyon computed: only the top 2 cities get a group")
			}
			checkColumn(t, rows, "de_web", map[string]string{"u1": "true", "u2": "false", "u6": "true", "u3": "false", "u8": "false"})
			checkColumn(t, rows, "fr_not_paris", map[string]string{"u7": "true", "u3": "false", "u2": "false"})

			report, err := os.ReadFile(filepath.Join(out, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			checkCommonValues(t, string(report), rows)
		})
	}
}

// TestOrderAttributesCustomersTable checks that a customers table's city
// and country win for the customers it has a value for, and the orders'
// values fill in the others.
func TestOrderAttributesCustomersTable(t *testing.T) {
	cfg := attrStore(t, false)
	customers := filepath.Join(filepath.Dir(cfg), "customers.csv")
	if err := os.WriteFile(customers, []byte("customer_id,city,country\n"+
		"u1,Hamburg,\n"+ // city from the table, country from the orders
		"u2,,AT\n"+ // city from the orders
		"p1,Paris,FR\n"), 0o644); err != nil { // a prospect
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	mustSegment(t, "run", "-quiet", "-config", cfg, "-customers", customers, "-out", out)
	rows := assignmentsByID(t, out)
	checkColumn(t, rows, "city", map[string]string{"u1": "Hamburg", "u2": "Munich", "u3": "Paris", "p1": "Paris"})
	checkColumn(t, rows, "country", map[string]string{"u1": "DE", "u2": "AT", "u3": "FR", "p1": "FR"})
	checkColumn(t, rows, "channel", map[string]string{"u1": "web", "u2": "app", "p1": ""})
	// Paris: u3, u4, u5, p1; then Berlin (u6) ties with Hamburg and
	// Munich at one customer each and comes first by name.
	checkColumn(t, rows, "city_paris", map[string]string{"p1": "true", "u3": "true", "u1": "false"})
	checkColumn(t, rows, "city_berlin", map[string]string{"u6": "true", "u1": "false"})
	checkColumn(t, rows, "de_web", map[string]string{"u1": "true", "u2": "false"})
}

// TestOrderAttributesMissingColumn checks that mapping a column the file
// lacks fails the run, naming the column.
func TestOrderAttributesMissingColumn(t *testing.T) {
	cfg := attrStore(t, false)
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), "channel: SalesChannel", "channel: Channel", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := segment(t, "run", "-quiet", "-config", cfg, "-out", filepath.Join(t.TempDir(), "out"))
	if code != 1 || !strings.Contains(stderr, `"Channel"`) || !strings.Contains(stderr, "channel") {
		t.Errorf("exit %d, stderr %q: want 1 and a message naming the missing column", code, stderr)
	}
}

// checkCommonValues checks the report's table of each cluster's most
// common city, country and channel against the assignments: the value
// most of the cluster's customers have (ties to the first by name) and its
// share of the cluster.
func checkCommonValues(t *testing.T, report string, rows map[string]map[string]string) {
	t.Helper()
	const heading = "### City, country and channel by segment"
	i := strings.Index(report, heading)
	if i < 0 {
		t.Fatalf("report lacks %q:\n%s", heading, report)
	}
	section := report[i:]
	if j := strings.Index(section[len(heading):], "\n#"); j >= 0 {
		section = section[:len(heading)+j]
	}
	if !strings.Contains(section, "| Cluster | Segment | City | Country | Channel |") {
		t.Fatalf("table heading missing:\n%s", section)
	}
	size := map[string]int{}
	counts := map[string]map[string]int{} // cluster/attribute → value → customers
	for _, row := range rows {
		c := row["cluster"]
		if c == "-1" { // not clustered
			continue
		}
		size[c]++
		for _, a := range []string{"city", "country", "channel"} {
			if v := row[a]; v != "" {
				if counts[c+"/"+a] == nil {
					counts[c+"/"+a] = map[string]int{}
				}
				counts[c+"/"+a][v]++
			}
		}
	}
	for c, n := range size {
		line := ""
		for _, l := range strings.Split(section, "\n") {
			if strings.HasPrefix(l, "| "+c+" | ") {
				line = l
			}
		}
		if line == "" {
			t.Errorf("no row for cluster %s:\n%s", c, section)
			continue
		}
		cells := strings.Split(line, " | ")
		for k, a := range []string{"city", "country", "channel"} {
			want := "–"
			best, m := "", 0
			for v, x := range counts[c+"/"+a] {
				if x > m || x == m && cmp.Less(v, best) {
					best, m = v, x
				}
			}
			if m > 0 {
				want = fmt.Sprintf("%s (%.1f%%)", best, 100*float64(m)/float64(n))
			}
			if got := strings.TrimSuffix(cells[2+k], " |"); got != want {
				t.Errorf("cluster %s %s: report says %q, assignments give %q", c, a, got, want)
			}
		}
	}
}

// TestInspectMapsOrderAttributes checks that the starter config of
// inspect -write maps a file's city, country and channel columns, and that
// a run from it uses them.
func TestInspectMapsOrderAttributes(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	text := strings.Replace(attrOrdersCSV, "ShipCity,ShipCountry,SalesChannel", "City,Country,Channel", 1)
	if err := os.WriteFile(orders, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "starter.yaml")
	if code, _, stderr := segment(t, "inspect", "-write", cfg, orders); code != 0 {
		t.Fatalf("inspect: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`city: "City"`, `country: "Country"`, `channel: "Channel"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("starter config lacks %s:\n%s", want, b)
		}
	}
	out := filepath.Join(dir, "out")
	mustSegment(t, "run", "-quiet", "-config", cfg, "-k", "2", "-out", out)
	checkColumn(t, assignmentsByID(t, out), "country", map[string]string{"u1": "DE", "u2": "DE", "u7": "FR"})
}
