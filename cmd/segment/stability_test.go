package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/pipeline"
)

// TestRefitKeepsKeys: a refit with another seed on the same data keeps
// every cluster key (and name), with ARI ≥ 0.99 against the previous run,
// and the assignments carry the history columns.
func TestRefitKeepsKeys(t *testing.T) {
	dir := t.TempDir()
	store, out := filepath.Join(dir, "store"), filepath.Join(dir, "out")
	mustSegment(t, "gen", "-customers", "4000", "-seed", "6", "-out", store)
	orders := filepath.Join(store, "orders.parquet")
	mustSegment(t, "run", "-quiet", "-orders", orders, "-k", "7", "-seed", "1", "-out", out)
	var first pipeline.Manifest
	readJSON(t, filepath.Join(out, "run.json"), &first)
	if first.Stability != nil {
		t.Fatalf("first run reports stability %+v", first.Stability)
	}
	// No -previous: the model already in -out is the previous run.
	mustSegment(t, "run", "-quiet", "-orders", orders, "-k", "7", "-seed", "99", "-out", out)
	var second pipeline.Manifest
	readJSON(t, filepath.Join(out, "run.json"), &second)
	s := second.Stability
	if s == nil {
		t.Fatal("second run reports no stability")
	}
	if s.ARI == nil || *s.ARI < 0.99 || len(s.NewClusters) != 0 || len(s.Vanished) != 0 {
		t.Errorf("stability %+v: want ARI ≥ 0.99, no new or vanished cluster", s)
	}
	if !slices.Equal(clusterKeys(first), clusterKeys(second)) {
		t.Errorf("keys changed: %v → %v", clusterKeys(first), clusterKeys(second))
	}
	tab, err := data.ReadTable(context.Background(), filepath.Join(out, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"previous_segment", "previous_cluster_key", "segment_changed_at"} {
		if tab.Column(name) == nil {
			t.Errorf("assignments lack %s", name)
		}
	}
	key, prev := tab.Column("cluster_key"), tab.Column("previous_cluster_key")
	same := 0
	for i := range key.Strings {
		if key.Strings[i] == prev.Strings[i] {
			same++
		}
	}
	if same < len(key.Strings)*99/100 {
		t.Errorf("only %d of %d customers kept their cluster key", same, len(key.Strings))
	}
}

// TestRefitNewAndVanishedClusters: removing a planted persona from the data
// makes its cluster vanish; adding it back gives it a new key, flagged for
// review, while every other cluster keeps its key.
func TestRefitNewAndVanishedClusters(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	mustSegment(t, "gen", "-customers", "4000", "-seed", "6", "-out", store)
	full := filepath.Join(store, "orders.parquet")
	without := filepath.Join(dir, "without.parquet")
	dropPersona(t, full, filepath.Join(store, "truth.parquet"), "category_specialists", without)

	// All seven personas, then the store without the specialists.
	out := filepath.Join(dir, "out")
	mustSegment(t, "run", "-quiet", "-orders", full, "-k", "7", "-out", out)
	var all pipeline.Manifest
	readJSON(t, filepath.Join(out, "run.json"), &all)
	mustSegment(t, "run", "-quiet", "-orders", without, "-k", "6", "-out", out)
	var fewer pipeline.Manifest
	readJSON(t, filepath.Join(out, "run.json"), &fewer)
	if s := fewer.Stability; s == nil || len(s.Vanished) != 1 || len(s.NewClusters) != 0 {
		t.Fatalf("persona removed: stability %+v, want exactly one vanished cluster", fewer.Stability)
	}
	vanished := fewer.Stability.Vanished[0]
	if want := specialistKey(t, all); vanished != want {
		t.Errorf("vanished %q, want the specialists' cluster %q", vanished, want)
	}

	// Back to all seven: the specialists come back as a new cluster.
	mustSegment(t, "run", "-quiet", "-orders", full, "-k", "7", "-out", out)
	var back pipeline.Manifest
	readJSON(t, filepath.Join(out, "run.json"), &back)
	s := back.Stability
	if s == nil || len(s.NewClusters) != 1 || len(s.Vanished) != 0 {
		t.Fatalf("persona added: stability %+v, want exactly one new cluster", s)
	}
	for _, k := range clusterKeys(fewer) {
		if !slices.Contains(clusterKeys(back), k) {
			t.Errorf("cluster %q lost its key when a persona was added", k)
		}
	}
	if slices.Contains(clusterKeys(fewer), s.NewClusters[0]) {
		t.Errorf("the new cluster reuses the key %q", s.NewClusters[0])
	}
	report, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !bytesContains(report, "new: review it") {
		t.Error("the report does not flag the new cluster for review")
	}
}

func clusterKeys(m pipeline.Manifest) []string {
	var keys []string
	for _, c := range m.Clusters {
		keys = append(keys, c.Key)
	}
	slices.Sort(keys)
	return keys
}

// specialistKey returns the key of the cluster named after the pets
// specialists.
func specialistKey(t *testing.T, m pipeline.Manifest) string {
	t.Helper()
	for _, c := range m.Clusters {
		if containsWord(c.Name, "pets") {
			return c.Key
		}
	}
	t.Fatalf("no pets cluster among %+v", m.Clusters)
	return ""
}

// dropPersona writes the order lines of every customer whose persona is
// not drop to dst.
func dropPersona(t *testing.T, orders, truth, drop, dst string) {
	t.Helper()
	persona := readColumn(t, truth, "customer_id", "persona")
	tab, err := data.ReadTable(context.Background(), orders)
	if err != nil {
		t.Fatal(err)
	}
	ids := tab.Column("customer_id").Strings
	var keep []int
	for i, id := range ids {
		if persona[id] != drop {
			keep = append(keep, i)
		}
	}
	out := tab.Take(keep)
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if err := data.WriteParquet(f, out); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func bytesContains(b []byte, s string) bool { return strings.Contains(string(b), s) }

func containsWord(s, w string) bool { return strings.Contains(strings.ToLower(s), w) }
