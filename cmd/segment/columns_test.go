package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestAssignmentsColumnOrder: the assignments have the same columns in the
// same order on a first run and on a refit, the history columns empty on
// the first run, so that loaders reading columns by position keep working.
func TestAssignmentsColumnOrder(t *testing.T) {
	dir := t.TempDir()
	store, out := filepath.Join(dir, "store"), filepath.Join(dir, "out")
	mustSegment(t, "gen", "-customers", "400", "-seed", "3", "-out", store)
	args := []string{"run", "-quiet", "-orders", filepath.Join(store, "orders.parquet"),
		"-customers", filepath.Join(store, "customers.parquet"), "-k", "3", "-out", out}
	mustSegment(t, append(args, "-as-of", "2025-06-01")...)
	first := readCSVFile(t, filepath.Join(out, "assignments.csv"))
	mustSegment(t, args...)
	second := readCSVFile(t, filepath.Join(out, "assignments.csv"))
	if !slices.Equal(first[0], second[0]) {
		t.Fatalf("columns differ between a first run and a refit:\nfirst %q\nrefit %q", first[0], second[0])
	}
	for _, name := range []string{"previous_segment", "previous_cluster_key", "segment_changed_at"} {
		j := slices.Index(first[0], name)
		if j < 0 {
			t.Errorf("first run has no %s column", name)
			continue
		}
		for _, row := range first[1:] {
			if row[j] != "" {
				t.Errorf("first run: %s = %q, want empty", name, row[j])
				break
			}
		}
		filled := false
		for _, row := range second[1:] {
			filled = filled || row[j] != ""
		}
		if !filled {
			t.Errorf("refit: %s is empty in every row", name)
		}
	}
}

// TestExcelBOM: with -excel every CSV output starts with a UTF-8 byte order
// mark; without it none does (the default outputs are unchanged).
func TestExcelBOM(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	mustSegment(t, "gen", "-customers", "300", "-seed", "4", "-out", store)
	for _, excel := range []bool{false, true} {
		out := filepath.Join(dir, fmt.Sprint("out-", excel))
		args := []string{"run", "-quiet", "-orders", filepath.Join(store, "orders.parquet"),
			"-customers", filepath.Join(store, "customers.parquet"), "-k", "3", "-out", out}
		if excel {
			args = append(args, "-excel")
		}
		mustSegment(t, args...)
		csvs, _ := filepath.Glob(filepath.Join(out, "*.csv"))
		more, _ := filepath.Glob(filepath.Join(out, "exports", "*.csv"))
		csvs = append(csvs, more...)
		if len(csvs) < 8 {
			t.Fatalf("only %d CSV outputs: %v", len(csvs), csvs)
		}
		for _, path := range csvs {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.HasPrefix(b, []byte("\ufeff")); got != excel {
				t.Errorf("-excel=%v: %s starts with a BOM: %v", excel, path, got)
			}
		}

	}
}
