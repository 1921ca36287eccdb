package data

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// storeTables is a generated store read back.
type storeTables struct {
	Orders, Customers, Products, Events, Truth *Table
}

// generateTables writes the store o describes into a temporary directory
// and reads its tables back.
func generateTables(t *testing.T, o GenOptions) *storeTables {
	t.Helper()
	dir := t.TempDir()
	if err := WriteGeneratedStore(context.Background(), dir, o); err != nil {
		t.Fatal(err)
	}
	var s storeTables
	for _, f := range []struct {
		name string
		t    **Table
	}{{"orders", &s.Orders}, {"customers", &s.Customers}, {"products", &s.Products}, {"events", &s.Events}, {"truth", &s.Truth}} {
		tab, err := ReadTable(context.Background(), filepath.Join(dir, f.name+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		*f.t = tab
	}
	return &s
}

// readStore returns the bytes of the store's files in dir.
func readStore(t *testing.T, dir string) [][]byte {
	t.Helper()
	var files [][]byte
	for _, name := range storeFiles {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b)
	}
	return files
}

func TestWriteGeneratedStoreDeterministic(t *testing.T) {
	write := func(seed uint64) [][]byte {
		dir := t.TempDir()
		if err := WriteGeneratedStore(context.Background(), dir, GenOptions{Customers: 500, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		return readStore(t, dir)
	}
	a, b, c := write(4), write(4), write(5)
	for i, name := range storeFiles {
		if !bytes.Equal(a[i], b[i]) {
			t.Errorf("%s: the same seed gave different bytes", name)
		}
		if name != "products.parquet" && bytes.Equal(a[i], c[i]) {
			t.Errorf("%s: different seeds gave identical files", name)
		}
	}
}

// TestGeneratedPersonas checks the planted behaviour the pipeline's
// acceptance test relies on: persona shares, one-order personas, the
// seasonal first-timers' single order in last year's peak season, and
// category specialists buying one category only.
func TestGeneratedPersonas(t *testing.T) {
	const n = 20000
	s := generateTables(t, GenOptions{Customers: n, Seed: 9})
	truth := s.Truth
	persona := map[string]string{}
	count := map[string]int{}
	for i, id := range truth.Column("customer_id").Strings {
		p := truth.Column("persona").Strings[i]
		persona[id] = p
		count[p]++
	}
	for _, p := range personas {
		got := float64(count[p.Name]) / n
		// Binomial standard error at n = 20,000 is below 0.003; allow 4 of them.
		if math.Abs(got-p.Share) > 0.012 {
			t.Errorf("persona %s: share %.3f, planted %.3f", p.Name, got, p.Share)
		}
	}
	o := s.Orders
	orders := map[string]map[string]bool{}
	cats := map[string]map[string]bool{}
	cust, ord, cat := o.Column("customer_id").Strings, o.Column("order_id").Strings, o.Column("category").Strings
	times := o.Column("time").Times
	for i, c := range cust {
		if orders[c] == nil {
			orders[c], cats[c] = map[string]bool{}, map[string]bool{}
		}
		if !strings.HasPrefix(ord[i], "R") { // "R…" orders are returns
			orders[c][ord[i]] = true
			cats[c][cat[i]] = true
		}
		if persona[c] == "seasonal_first_timers" && (times[i].Before(peakStart) || times[i].After(peakEnd.Add(24*time.Hour))) {
			t.Fatalf("seasonal first-timer %s ordered at %v, outside last year's peak season", c, times[i])
		}
		if times[i].After(StoreEnd.Add(24 * time.Hour)) {
			t.Fatalf("order line at %v after the store's last day", times[i])
		}
	}
	for c, p := range persona {
		switch p {
		case "one_time", "seasonal_first_timers":
			if len(orders[c]) != 1 {
				t.Fatalf("%s customer %s has %d orders", p, c, len(orders[c]))
			}
		case "category_specialists":
			if len(cats[c]) != 1 || !cats[c]["pets"] {
				t.Fatalf("category specialist %s bought %v", c, cats[c])
			}
		}
	}
}
