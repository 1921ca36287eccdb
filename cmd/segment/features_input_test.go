package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/internal/exactsum"
	"github.com/segment-tool/segment/internal/pipeline"
)

// TestFeaturesScaleNone: "-features PATH -scale none -k N" clusters the
// numeric table exactly as given: run.json's k, inertia and iterations and
// the assignments equal package cluster's fit on the same matrix with the
// same settings.
func TestFeaturesScaleNone(t *testing.T) {
	const n, d, k = 600, 3, 4
	rng := rand.New(rand.NewPCG(5, 6))
	x := make([]float64, n*d)
	var b strings.Builder
	b.WriteString("customer_id,f1,f2,f3\n")
	for i := range n {
		fmt.Fprintf(&b, "c%04d", i)
		for j := range d {
			x[i*d+j] = float64(i%k)*4 + rng.NormFloat64() + float64(j)
			fmt.Fprintf(&b, ",%s", strconv.FormatFloat(x[i*d+j], 'g', -1, 64))
		}
		b.WriteString("\n")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "features.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	mustSegment(t, "run", "-quiet", "-features", path, "-scale", "none", "-k", strconv.Itoa(k), "-seed", "7", "-out", out)

	want, err := cluster.KMeans{K: k, Restarts: 10, Seed: 7}.Fit(context.Background(), x, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	var m pipeline.Manifest
	readJSON(t, filepath.Join(out, "run.json"), &m)
	// The inertia is the fit's, summed exactly (as a scale-out run's
	// finish sums it): each row's squared distance to its centroid over
	// the columns in order, the rows' exactly.
	var inertia exactsum.Sum
	for i, l := range want.Labels {
		dist := 0.0
		for j := range d {
			t := x[i*d+j] - want.Centroids[l*d+j]
			dist += t * t
		}
		inertia.Add(dist)
	}
	if m.K != k || m.Inertia != inertia.Float64() || m.Iterations != want.Iterations || math.Abs(m.Inertia-want.Inertia) > 1e-9*want.Inertia {
		t.Errorf("run.json k %d inertia %v iterations %d; cluster.Fit gives %d, %v (%v summed exactly), %d", m.K, m.Inertia, m.Iterations, k, want.Inertia, inertia.Float64(), want.Iterations)
	}
	for _, stage := range []string{"cluster", "profiles"} {
		if _, ok := m.TimingsMS[stage]; !ok {
			t.Errorf("run.json timings_ms lacks the %s stage: %v", stage, m.TimingsMS)
		}
	}
	labels := readColumn(t, filepath.Join(out, "assignments.parquet"), "customer_id", "cluster_key")
	keyOf := map[int]string{}
	for _, c := range m.Clusters {
		keyOf[c.ID] = c.Key
	}
	for i := range n {
		id := fmt.Sprintf("c%04d", i)
		if labels[id] != keyOf[want.Labels[i]] {
			t.Fatalf("%s: cluster %q, cluster.Fit says %q", id, labels[id], keyOf[want.Labels[i]])
		}
	}
	if math.IsNaN(m.Inertia) {
		t.Error("inertia is NaN")
	}
}
