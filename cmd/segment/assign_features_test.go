package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAssignFeatureTable: a model fitted on a feature table scores a
// feature table (the model's, or -features) and reproduces the run's
// assignments; order lines are refused (exit status 2): their features
// are segment's definitions, not the warehouse's.
func TestAssignFeatureTable(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("customer_id,spend,visits\n")
	for i := range 60 {
		fmt.Fprintf(&b, "C%02d,%d,%d\n", i, []int{20, 200, 900}[i%3]+i, []int{1, 5, 20}[i%3])
	}
	table := filepath.Join(dir, "f.csv")
	if err := os.WriteFile(table, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	fit, scored := filepath.Join(dir, "fit"), filepath.Join(dir, "scored")
	mustSegment(t, "run", "-quiet", "-features", table, "-k", "3", "-out", fit)
	mustSegment(t, "assign", "-quiet", "-model", filepath.Join(fit, "model.json"), "-out", scored)
	want, err := os.ReadFile(filepath.Join(fit, "assignments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(scored, "assignments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("assign on the model's feature table: assignments differ from the run's")
	}
	code, _, stderr := segment(t, "assign", "-quiet", "-model", filepath.Join(fit, "model.json"), "-orders", table, "-out", filepath.Join(dir, "o"))
	if code != 2 || !strings.Contains(stderr, "fitted on a feature table") {
		t.Errorf("-orders with a feature-table model: exit %d, %s", code, stderr)
	}
}

// TestAssignSavedRelativePath: a model whose saved input is a relative
// path, scored from another folder, stops naming the input, the folder
// and the way out (it read another file of that name, or failed with a
// bare "no such file").
func TestAssignSavedRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("f.csv", []byte("customer_id,spend,visits\na,1,1\nb,2,1\nc,50,9\nd,60,9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustSegment(t, "run", "-quiet", "-features", "f.csv", "-k", "2", "-out", "fit")
	t.Chdir(t.TempDir())
	code, _, stderr := segment(t, "assign", "-quiet", "-model", filepath.Join(dir, "fit", "model.json"), "-out", "scored")
	if code != 1 || !strings.Contains(stderr, "the model's features input f.csv is not in") || !strings.Contains(stderr, "give -features") {
		t.Errorf("exit %d, %s", code, stderr)
	}
}
