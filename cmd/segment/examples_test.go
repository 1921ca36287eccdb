package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
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
	households := map[string]bool{}
	baskets := map[[2]string]float64{}
	var revenue float64
	for _, r := range recs[1:] {
		v, err := strconv.ParseFloat(r[col["sales_value"]], 64)
		if err != nil {
			t.Fatal(err)
		}
		households[r[col["household_id"]]] = true
		baskets[[2]string{r[col["household_id"]], r[col["basket_id"]]}] += v
		revenue += v
	}
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

	var m runManifest
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
}
