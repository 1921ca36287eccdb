package data

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestReadStatsAbsent: the optional columns no file had are listed, a
// column one file of several has is not.
func TestReadStatsAbsent(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.csv", "customer_id,order_id,time,amount\nc1,o1,2024-01-02,10\n")
	write("b.csv", "customer_id,order_id,time,amount,coupon\nc2,o2,2024-01-03,20,SAVE\n")
	_, _, stats, err := readAll(t, OrderSource{Path: filepath.Join(dir, "*.csv"), TimeFormat: "2006-01-02"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"quantity", "unit_price", "discount", "category", "product_id", "status", "city", "country", "channel"}
	if !slices.Equal(stats.Absent, want) {
		t.Errorf("Absent = %q, want %q", stats.Absent, want)
	}
}
