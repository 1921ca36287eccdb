package main

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/pipeline"
)

// sharedData returns the path of a file under ../shared/data, skipping the
// test when the shared data set is not beside the checkout.
func sharedData(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("skipping: %s not found (the shared data set is expected beside the repository): %v", p, err)
	}
	return p
}

// TestCompleteJourneyExample runs the example config on the Complete Journey
// sample end to end and checks customers, orders and revenue against an
// independent computation over the CSV.
func TestCompleteJourneyExample(t *testing.T) {
	csvPath := sharedData(t, "completejourney/transactions_sample.csv")
	out := filepath.Join(t.TempDir(), "out")
	mustSegment(t, "run", "-quiet", "-config", "testdata/examples/completejourney.yaml", "-out", out)

	// Independent computation: customers = distinct household_id; orders =
	// distinct (household_id, basket_id) with positive net; revenue = Σ sales_value.
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	department := readProducts(t, sharedData(t, "completejourney/products.csv"))
	households := map[string]bool{}
	baskets := map[[2]string]float64{}
	deptGross := map[string]float64{}
	var revenue float64
	unmatched := 0
	num := func(r []string, name string) float64 {
		v, err := strconv.ParseFloat(r[col[name]], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, r := range recs[1:] {
		v := num(r, "sales_value")
		households[r[col["household_id"]]] = true
		baskets[[2]string{r[col["household_id"]], r[col["basket_id"]]}] += v
		revenue += v
		dept, ok := department[r[col["product_id"]]]
		if !ok {
			unmatched++
		}
		if num(r, "quantity") >= 0 && ok {
			deptGross[dept] += v + num(r, "retail_disc") + num(r, "coupon_disc") + num(r, "coupon_match_disc")
		}
	}
	// The top 8 departments by gross revenue (net + the three discounts).
	depts := make([]string, 0, len(deptGross))
	for d := range deptGross {
		depts = append(depts, d)
	}
	sort.Slice(depts, func(i, j int) bool { return deptGross[depts[i]] > deptGross[depts[j]] })
	top := depts[:8]
	orders := 0
	for _, net := range baskets {
		if net > 0 {
			orders++
		}
	}
	// Published counts for this sample (../shared/data/README.md).
	if len(households) != 2377 || len(recs)-1 != 75000 {
		t.Fatalf("independent count: %d households, %d lines; the data README says 2,377 and 75,000", len(households), len(recs)-1)
	}

	var m pipeline.Manifest
	readJSON(t, filepath.Join(out, "run.json"), &m)
	if m.Customers != len(households) {
		t.Errorf("customers = %d, want %d", m.Customers, len(households))
	}
	if m.Orders != orders {
		t.Errorf("orders = %d, want %d", m.Orders, orders)
	}
	if math.Abs(m.Revenue-revenue) > 0.005 {
		t.Errorf("revenue = %.2f, want %.2f", m.Revenue, revenue)
	}
	if m.Rows.Read != 75000 || m.Rows.Rejected != 0 {
		t.Errorf("rows read %d, rejected %d; want 75000 and 0", m.Rows.Read, m.Rows.Rejected)
	}
	if m.Rows.UnmatchedProducts != int64(unmatched) || unmatched == 0 {
		t.Errorf("unmatched_products = %d, want %d (> 0: the data README says 5 product ids lack a row)", m.Rows.UnmatchedProducts, unmatched)
	}
	var mod pipeline.Model
	readJSON(t, filepath.Join(out, "model.json"), &mod)
	if !slices.Equal(mod.Categories, top) {
		t.Errorf("category mix columns %v, want the top departments by gross revenue %v", mod.Categories, top)
	}

	// demographics.csv is the customers table, joined on household_id:
	// its households without transactions are prospects, and its age band
	// reaches the assignments of the households it describes.
	demo := readCSVColumn(t, sharedData(t, "completejourney/demographics.csv"), "household_id", "age")
	prospects, described := 0, 0
	for id := range demo {
		if households[id] {
			described++
		} else {
			prospects++
		}
	}
	if m.Rows.Prospects != prospects {
		t.Errorf("prospects = %d, want %d (demographics households without transactions)", m.Rows.Prospects, prospects)
	}
	tab, err := data.ReadTable(context.Background(), filepath.Join(out, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	ids, age := tab.Column("customer_id"), tab.Column("age_band")
	if age == nil {
		t.Fatal("assignments lack age_band from demographics.csv")
	}
	withAge := 0
	for i, id := range ids.Strings {
		if age.IsNull(i) {
			continue
		}
		withAge++
		if age.Strings[i] != demo[id] {
			t.Errorf("household %s: age_band %q, demographics.csv says %q", id, age.Strings[i], demo[id])
			break
		}
	}
	if withAge != described+prospects || described == 0 {
		t.Errorf("%d customers have an age band, want %d (demographics households)", withAge, described+prospects)
	}
}

// readCSVColumn maps a CSV file's key column to its value column.
func readCSVColumn(t *testing.T, path, key, value string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	k, v := slices.Index(recs[0], key), slices.Index(recs[0], value)
	if k < 0 || v < 0 {
		t.Fatalf("%s lacks %s or %s: %v", path, key, value, recs[0])
	}
	m := map[string]string{}
	for _, r := range recs[1:] {
		m[r[k]] = r[v]
	}
	return m
}

// readProducts maps product_id to department from products.csv.
func readProducts(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range recs[1:] {
		m[r[0]] = r[2] // product_id, manufacturer_id, department, ...
	}
	return m
}

// TestCDNOWExample runs the CDNOW sample through its example config: one
// order per customer and day (the file has no order id), checked against an
// independent count.
func TestCDNOWExample(t *testing.T) {
	csvPath := sharedData(t, "cdnow/cdnow_sample.csv")
	out := filepath.Join(t.TempDir(), "out")
	mustSegment(t, "run", "-quiet", "-config", "testdata/examples/cdnow.yaml", "-out", out)

	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	customers := map[string]bool{}
	days := map[[2]string]float64{}
	var revenue float64
	for _, r := range recs[1:] { // master_customer_id, sample_customer_id, date, cds, dollars
		v, err := strconv.ParseFloat(r[4], 64)
		if err != nil {
			t.Fatal(err)
		}
		customers[r[0]] = true
		days[[2]string{r[0], r[2]}] += v
		revenue += v
	}
	orders := 0
	for _, v := range days {
		if v > 0 {
			orders++
		}
	}
	// 2,357 customers and 6,919 records: ../shared/data/README.md.
	if len(customers) != 2357 || len(recs)-1 != 6919 {
		t.Fatalf("independent count: %d customers, %d records", len(customers), len(recs)-1)
	}
	var m pipeline.Manifest
	readJSON(t, filepath.Join(out, "run.json"), &m)
	if m.Customers != len(customers) || m.Orders != orders || math.Abs(m.Revenue-revenue) > 0.005 {
		t.Errorf("customers %d, orders %d, revenue %.2f; want %d, %d, %.2f", m.Customers, m.Orders, m.Revenue, len(customers), orders, revenue)
	}
}
