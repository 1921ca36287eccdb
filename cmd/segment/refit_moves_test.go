package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefitMoves: a scheduled run counts, of the customers who changed
// cluster, those the previous run's model still puts in their previous
// cluster (the refit moved them). The count equals segment assign's with
// that model on this run's data, customer by customer: an independent
// scoring with the previous transform and centres.
func TestRefitMoves(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join("testdata", "small", "small.yaml")
	first, out, scored := filepath.Join(dir, "first"), filepath.Join(dir, "out"), filepath.Join(dir, "scored")
	mustSegment(t, "run", "-quiet", "-config", small, "-as-of", "2024-10-01", "-out", first)
	if err := os.CopyFS(out, os.DirFS(first)); err != nil {
		t.Fatal(err)
	}
	mustSegment(t, "run", "-quiet", "-config", small, "-out", out)
	mustSegment(t, "assign", "-quiet", "-model", filepath.Join(first, "model.json"), "-config", small, "-as-of", "2024-12-31", "-out", scored)

	assignments := filepath.Join(out, "assignments.csv")
	cluster, key := readCSVColumn(t, assignments, "customer_id", "cluster"), readCSVColumn(t, assignments, "customer_id", "cluster_key")
	prevKey := readCSVColumn(t, assignments, "customer_id", "previous_cluster_key")
	before := readCSVColumn(t, filepath.Join(scored, "assignments.csv"), "customer_id", "cluster_key")
	changes, refit := 0, 0
	for id, prev := range prevKey {
		if cluster[id] == "" || prev == "" || prev == "prospects" || prev == "not_clustered" || prev == key[id] {
			continue
		}
		changes++
		if before[id] == prev {
			refit++
		}
	}
	var m struct {
		Stability struct {
			Changes int  `json:"cluster_changes"`
			Refit   *int `json:"cluster_changes_by_refit"`
		} `json:"stability"`
	}
	readJSON(t, filepath.Join(out, "run.json"), &m)
	if m.Stability.Changes != changes || m.Stability.Refit == nil || *m.Stability.Refit != refit {
		t.Fatalf("run.json: %d changes, %v by the refit; segment assign with the previous model says %d of %d", m.Stability.Changes, m.Stability.Refit, refit, changes)
	}
	if refit == 0 || refit == changes {
		t.Fatalf("the store gives %d of %d: the test would not tell the two kinds of move apart", refit, changes)
	}
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Of those who changed, **%d were moved by the refit**", refit); changes > 0 && !strings.Contains(string(report), want) {
		t.Errorf("the report lacks %q", want)
	}
}
