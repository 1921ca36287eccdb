package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/pipeline"
)

// TestAssignReproducesRun: scoring the data a model was fitted on gives
// segment run's assignments byte for byte, in every format.
func TestAssignReproducesRun(t *testing.T) {
	dir := t.TempDir()
	store, fitted, scored := filepath.Join(dir, "store"), filepath.Join(dir, "fitted"), filepath.Join(dir, "scored")
	mustSegment(t, "gen", "-customers", "3000", "-seed", "4", "-out", store)
	mustSegment(t, "run", "-quiet", "-orders", filepath.Join(store, "orders.parquet"),
		"-customers", filepath.Join(store, "customers.parquet"), "-k", "auto", "-k-max", "9", "-out", fitted)
	// The model names its inputs: no -orders needed.
	mustSegment(t, "assign", "-quiet", "-model", filepath.Join(fitted, "model.json"), "-out", scored)
	for _, f := range []string{"assignments.parquet", "assignments.csv", "assignments.arrow"} {
		a, errA := os.ReadFile(filepath.Join(fitted, f))
		b, errB := os.ReadFile(filepath.Join(scored, f))
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v, %v", f, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: assign differs from run", f)
		}
	}
	if _, err := os.Stat(filepath.Join(scored, "model.json")); !os.IsNotExist(err) {
		t.Errorf("assign wrote a model.json (err %v)", err)
	}
	var m pipeline.Manifest
	readJSON(t, filepath.Join(scored, "run.json"), &m)
	if m.KMethod != "model" {
		t.Errorf("run.json k_method = %q, want model", m.KMethod)
	}
	const ruleNote = "This name is the saved model's"
	if md := readFile(t, filepath.Join(scored, "report.md")); strings.Contains(md, ruleNote) {
		t.Errorf("report.md of the model's own data says a name differs from the rules':\n%s", md)
	}

	// A year later every customer has aged: the model's names no longer
	// fit, and the report says what the rules call each such cluster.
	later := filepath.Join(dir, "later")
	mustSegment(t, "assign", "-quiet", "-model", filepath.Join(fitted, "model.json"), "-as-of", "2026-11-01", "-out", later)
	md := readFile(t, filepath.Join(later, "report.md"))
	if !strings.Contains(md, ruleNote) || !strings.Contains(md, "Lapsed") {
		t.Errorf("report.md a year later gives no rule name (want a note with a \"Lapsed\" name):\n%s", md)
	}

	// New data (another store) is scored into the model's clusters.
	other, scored2 := filepath.Join(dir, "other"), filepath.Join(dir, "scored2")
	mustSegment(t, "gen", "-customers", "1000", "-seed", "9", "-out", other)
	mustSegment(t, "assign", "-quiet", "-model", filepath.Join(fitted, "model.json"),
		"-orders", filepath.Join(other, "orders.parquet"), "-customers", filepath.Join(other, "customers.parquet"), "-out", scored2)
	keys := map[string]bool{"prospects": true}
	var fm pipeline.Model
	readJSON(t, filepath.Join(fitted, "model.json"), &fm)
	for _, c := range fm.Clusters {
		keys[c.Key] = true
	}
	for id, key := range readColumn(t, filepath.Join(scored2, "assignments.parquet"), "customer_id", "cluster_key") {
		if !keys[key] {
			t.Fatalf("customer %s: cluster_key %q is not one of the model's", id, key)
		}
	}

	// Orders without a column a clustered feature is made of (the
	// discount, the category) are refused: every customer would have 0.
	bare := filepath.Join(dir, "bare.csv")
	if err := os.WriteFile(bare, []byte("customer_id,order_id,time,amount\nc1,o1,2024-01-02,10\nc2,o2,2024-01-03,20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := segment(t, "assign", "-quiet", "-model", filepath.Join(fitted, "model.json"), "-orders", bare, "-out", filepath.Join(dir, "scored3"))
	if code != exitFailed || !strings.Contains(stderr, "which needs the orders'") || !strings.Contains(stderr, "these orders have none") {
		t.Errorf("orders without the model's columns: exit %d, %s", code, stderr)
	}
}

func TestAssignErrors(t *testing.T) {
	dir := t.TempDir()
	notModel := filepath.Join(dir, "model.json")
	if err := os.WriteFile(notModel, []byte(`{"version": "x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no model", []string{"assign", "-orders", "x.parquet"}, exitUsage, "-model is required"},
		{"missing model", []string{"assign", "-model", filepath.Join(dir, "none.json")}, exitFailed, "none.json"},
		{"not a model", []string{"assign", "-model", notModel, "-orders", "x.parquet"}, exitFailed, "not a model.json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := segment(t, append(c.args, "-out", filepath.Join(dir, "out"))...)
			if code != c.code || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, stderr, c.code, c.want)
			}
		})
	}
}

// TestAssignTeamNames: a cluster renamed by clustering.names keeps the
// team's name when assign scores the data it was fitted on, and the
// report says nothing of the rules' name, which is the one of the fit
// (model.json's computed_name).
func TestAssignTeamNames(t *testing.T) {
	dir := t.TempDir()
	store, first, fitted, scored := filepath.Join(dir, "store"), filepath.Join(dir, "first"), filepath.Join(dir, "fitted"), filepath.Join(dir, "scored")
	mustSegment(t, "gen", "-customers", "1500", "-seed", "6", "-out", store)
	orders := filepath.Join(store, "orders.parquet")
	mustSegment(t, "run", "-quiet", "-orders", orders, "-k", "4", "-out", first)
	var m pipeline.Model
	readJSON(t, filepath.Join(first, "model.json"), &m)
	cfg := filepath.Join(dir, "segment.yaml")
	if err := os.WriteFile(cfg, []byte("clustering:\n  names: {"+m.Clusters[0].Key+": Our favourites}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustSegment(t, "run", "-quiet", "-config", cfg, "-orders", orders, "-k", "4", "-previous", "none", "-out", fitted)
	var fm pipeline.Model
	readJSON(t, filepath.Join(fitted, "model.json"), &fm)
	if fm.Clusters[0].Name != "Our favourites" || fm.Clusters[0].ComputedName != m.Clusters[0].Name {
		t.Fatalf("cluster 0: name %q, computed %q; want the team's name and %q", fm.Clusters[0].Name, fm.Clusters[0].ComputedName, m.Clusters[0].Name)
	}
	mustSegment(t, "assign", "-quiet", "-model", filepath.Join(fitted, "model.json"), "-out", scored)
	md := readFile(t, filepath.Join(scored, "report.md"))
	if !strings.Contains(md, "Our favourites") || strings.Contains(md, "This name is the saved model's") {
		t.Errorf("report.md: want the team's name and no rule-name note:\n%s", md)
	}
}
