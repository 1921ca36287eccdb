package main

import (
	"fmt"
	"path/filepath"
	"testing"
)

func TestZZCrosstab(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	out := filepath.Join(dir, "out")
	mustSegment(t, "gen", "-customers", "12000", "-seed", "7", "-out", store)
	mustSegment(t, "run", "-quiet", "-orders", filepath.Join(store, "orders.parquet"), "-k", "6", "-out", out)
	truth := readColumn(t, filepath.Join(store, "truth.parquet"), "customer_id", "persona")
	got := readColumn(t, filepath.Join(out, "assignments.parquet"), "customer_id", "cluster_name")
	ct := map[string]map[string]int{}
	for id, p := range truth {
		if ct[p] == nil {
			ct[p] = map[string]int{}
		}
		ct[p][got[id]]++
	}
	for p, m := range ct {
		fmt.Println(p, m)
	}
}
