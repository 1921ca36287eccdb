package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTableFlagsKeepSections: -customers and -events replace only their
// sections' paths, as -orders does: the sections' columns, time_format and
// timezone still read the files the flags name, in a run and in segment
// assign (the model's sections).
func TestTableFlagsKeepSections(t *testing.T) {
	dir := t.TempDir()
	var orders, customers, events strings.Builder
	orders.WriteString("customer_id,order_id,time,amount\n")
	customers.WriteString("Kunde-Nr;E-Mail;Angemeldet\n")
	events.WriteString("Kunde-Nr;Zeit;Art\n")
	for c := range 40 {
		for o := range 1 + c%3 {
			fmt.Fprintf(&orders, "k%d,b%d-%d,2024-%02d-10 10:00:00,%d.50\n", c, c, o, 1+(c+o)%11, 10+c)
		}
		fmt.Fprintf(&customers, "k%d;k%d@shop.example;%02d.01.2023\n", c, c, 1+c%28)
		fmt.Fprintf(&events, "k%d;%02d.12.2024 09:00;add_to_cart\n", c, 1+c%20)
	}
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	ordersPath := write("orders.csv", orders.String())
	customersPath := write("kunden-heute.csv", customers.String())
	eventsPath := write("ereignisse-heute.csv", events.String())
	cfg := write("segment.yaml", fmt.Sprintf(`orders: {path: %q}
customers:
  path: kunden-gestern.csv
  columns: {customer_id: Kunde-Nr, email: E-Mail, signup_time: Angemeldet}
  time_format: "%%d.%%m.%%Y"
events:
  path: ereignisse-gestern.csv
  columns: {customer_id: Kunde-Nr, time: Zeit, type: Art}
  time_format: "02.01.2006 15:04"
`, ordersPath))
	out := filepath.Join(dir, "out")
	mustSegment(t, "run", "-quiet", "-config", cfg, "-customers", customersPath, "-events", eventsPath, "-k", "2", "-as-of", "2025-01-01", "-out", out)
	scored := filepath.Join(dir, "scored")
	mustSegment(t, "assign", "-quiet", "-model", filepath.Join(out, "model.json"), "-orders", ordersPath,
		"-customers", customersPath, "-events", eventsPath, "-as-of", "2025-01-01", "-out", scored)
	for _, o := range []string{out, scored} {
		checkJoined(t, filepath.Join(o, "assignments.csv"))
	}
}

// checkJoined checks that the assignments at path have the customers' and
// events' columns, with customer k3's values.
func checkJoined(t *testing.T, path string) {
	t.Helper()
	recs := readCSVFile(t, path)
	col := map[string]int{}
	for j, name := range recs[0] {
		col[name] = j
	}
	for _, name := range []string{"email", "signup_time", "cart_adds"} {
		if _, ok := col[name]; !ok {
			t.Fatalf("%s has no column %s: %q", path, name, recs[0])
		}
	}
	for _, row := range recs[1:] {
		if row[col["customer_id"]] == "k3" {
			if row[col["email"]] != "k3@shop.example" || !strings.HasPrefix(row[col["signup_time"]], "2023-01-04") || row[col["cart_adds"]] != "1" {
				t.Errorf("%s: k3: email %q, signup %q, cart adds %q; want k3@shop.example, 2023-01-04, 1", path,
					row[col["email"]], row[col["signup_time"]], row[col["cart_adds"]])
			}
		}
	}
}

// TestProductsWithoutProductIDs: a products table beside order lines
// without a product_id column stops the run (exit 1), naming the table
// and what to map, instead of leaving its groups empty.
func TestProductsWithoutProductIDs(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	products := filepath.Join(dir, "products.csv")
	if err := os.WriteFile(orders, []byte("customer_id,order_id,time,amount\nc1,o1,2024-01-02 10:00:00,5\nc2,o2,2024-01-03 10:00:00,7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(products, []byte("product_id,category\np1,books\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := segment(t, "run", "-quiet", "-orders", orders, "-products", products, "-out", filepath.Join(dir, "out"))
	if code != exitFailed || !strings.Contains(stderr, "products "+products+": the order lines have no product_id column to join it on: map orders.columns.product_id") {
		t.Errorf("exit %d, stderr %q; want 1 and the missing product_id named", code, stderr)
	}
}
