package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// previousOf returns a previous run whose model has the given centroids
// (in u's clustering space, with u's transform) and keys, and in which
// every buyer had the key of their cluster in u.
func previousOf(t *testing.T, in *Tables, u upstream, centroids [][]float64, keys []string) *Previous {
	t.Helper()
	p := &Previous{Dir: "prev", Model: &Model{AsOf: "2024-06-01", K: len(centroids), Transform: u.m.Transform, Centroids: centroids},
		Customers: map[string]PreviousCustomer{}}
	for c, key := range keys {
		p.Model.Clusters = append(p.Model.Clusters, ModelCluster{ID: c, Key: key, Name: key})
	}
	for i, id := range in.Table.IDs {
		if l := u.b.Label(u.c.Fit, i); l >= 0 {
			p.Customers[id] = PreviousCustomer{Key: keys[l]}
		} else {
			p.Customers[id] = PreviousCustomer{Key: NotClusteredKey}
		}
	}
	return p
}

// compared returns st with the keys compared on every customer, as the
// outputs count them (tallyCustomers), out the matched clusters.
func compared(t *testing.T, o *Options, in *Tables, u upstream, prev *Previous, out []ClusterInfo, st *Stability) *Stability {
	t.Helper()
	r := &Result{Options: o, Tables: in, Segments: u.s, Buyers: u.b, Matrix: u.m, Clustering: u.c, Profiles: &Profiles{Clusters: out},
		Previous: prev, Stability: st}
	var err error
	if r.history, err = alignPrevious(context.Background(), prev, u.s.All.IDs, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := r.tallyCustomers(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestMatchPrevious(t *testing.T) {
	o := testOptions(t)
	o.K = 2
	in := &Tables{Table: twoGroups(t)}
	u := upToClusters(t, in, o)
	clusters := mustProfile(t, u.b, u.m, u.c, u.s, o).Clusters
	before := slices.Clone(clusters)
	c0, c1 := slices.Clone(u.c.Fit.Centroid(0)), slices.Clone(u.c.Fit.Centroid(1))

	t.Run("same centroids", func(t *testing.T) {
		prev := previousOf(t, in, u, [][]float64{c0, c1}, []string{"old-a", "old-b"})
		out, st := MatchPrevious(prev, in, u.b, u.m, u.c, clusters, report.Population{})
		compared(t, o, in, u, prev, out, st)
		for c, ci := range out {
			if ci.Key != prev.Model.Clusters[c].Key || ci.New || st.PrevOf[c] != c {
				t.Errorf("cluster %d: key %q (new %v, previous %d), want the previous key %q", c, ci.Key, ci.New, st.PrevOf[c], prev.Model.Clusters[c].Key)
			}
			if ci.Name != clusters[c].Name {
				t.Errorf("cluster %d: name %q changed to %q", c, clusters[c].Name, ci.Name)
			}
		}
		if st.ARI != 1 || st.Common != 12 || st.KeyChanges != 0 || len(st.Vanished) != 0 {
			t.Errorf("ARI %v, common %d, key changes %d, vanished %v; want 1, 12 buyers, 0, none", st.ARI, st.Common, st.KeyChanges, st.Vanished)
		}
	})
	t.Run("a centroid moved away, its customers were elsewhere", func(t *testing.T) {
		far := farFrom(c1, 50)
		// The vanished cluster's key is the one the current cluster 1
		// computed: a new cluster may not take it.
		prev := previousOf(t, in, u, [][]float64{c0, far}, []string{"old-a", clusters[1].Key})
		// Cluster 1's customers were in cluster 0 then, which cluster 0
		// matched by its centre: cluster 1 is new.
		for id, c := range prev.Customers {
			if c.Key == clusters[1].Key {
				prev.Customers[id] = PreviousCustomer{Key: "old-a"}
			}
		}
		out, st := MatchPrevious(prev, in, u.b, u.m, u.c, clusters, report.Population{})
		compared(t, o, in, u, prev, out, st)
		if out[0].Key != "old-a" || out[0].New {
			t.Errorf("cluster 0: key %q, new %v; want old-a, matched", out[0].Key, out[0].New)
		}
		if want := clusters[1].Key + "-2"; out[1].Key != want || !out[1].New || st.PrevOf[1] != -1 {
			t.Errorf("cluster 1: key %q, new %v, previous %d; want %q, new", out[1].Key, out[1].New, st.PrevOf[1], want)
		}
		if !slices.Equal(st.Vanished, []int{1}) || !slices.Equal(st.vanishedKeys(), []string{clusters[1].Key}) {
			t.Errorf("vanished %v (%v), want previous cluster 1", st.Vanished, st.vanishedKeys())
		}
		// Cluster 1's six buyers changed key (they were all in old-a),
		// cluster 0's six kept theirs.
		if st.Common != 12 || st.KeyChanges != 6 {
			t.Errorf("common %d, key changes %d; want 12, 6", st.Common, st.KeyChanges)
		}
	})
	t.Run("a centroid moved away, its customers kept together", func(t *testing.T) {
		// The previous centroid 1 moved too far for the match by centres,
		// but cluster 1 holds all of that cluster's customers: it keeps its
		// key (a split's larger part keeps it so), matched by its customers.
		prev := previousOf(t, in, u, [][]float64{c0, farFrom(c1, 50)}, []string{"old-a", "old-b"})
		out, st := MatchPrevious(prev, in, u.b, u.m, u.c, clusters, report.Population{})
		compared(t, o, in, u, prev, out, st)
		if out[1].Key != "old-b" || out[1].New || st.PrevOf[1] != 1 || len(st.Vanished) != 0 {
			t.Errorf("cluster 1: key %q, new %v, previous %d, vanished %v; want old-b kept", out[1].Key, out[1].New, st.PrevOf[1], st.Vanished)
		}
		if !(st.Dist2[1] > st.MaxDist2) || st.KeyChanges != 0 || st.ARI != 1 {
			t.Errorf("distance² %v (threshold %v), key changes %d, ARI %v; want a match beyond the threshold, no key changed", st.Dist2[1], st.MaxDist2, st.KeyChanges, st.ARI)
		}
	})
	t.Run("previous run in another space", func(t *testing.T) {
		// The previous run clustered raw values (-scale none): its
		// centroids are the clusters' raw means, mapped back to raw values
		// and into this run's space before they are compared.
		raw := &features.Transform{Columns: u.m.Transform.Columns, Log1p: make([]bool, u.m.D),
			Center: make([]float64, u.m.D), Scale: []float64{1, 1, 1}}
		prev := previousOf(t, in, u, [][]float64{clusters[0].Mean, clusters[1].Mean}, []string{"old-a", "old-b"})
		prev.Model.Transform = raw
		out, st := MatchPrevious(prev, in, u.b, u.m, u.c, clusters, report.Population{})
		compared(t, o, in, u, prev, out, st)
		if out[0].Key != "old-a" || out[1].Key != "old-b" || len(st.Vanished) != 0 || st.KeyChanges != 0 {
			t.Errorf("keys %q, %q, vanished %v, key changes %d; want old-a, old-b, none, 0", out[0].Key, out[1].Key, st.Vanished, st.KeyChanges)
		}
	})
	t.Run("prospects and new customers are not compared", func(t *testing.T) {
		prev := previousOf(t, in, u, [][]float64{c0, c1}, []string{"old-a", "old-b"})
		delete(prev.Customers, "H1")
		prev.Customers["L1"] = PreviousCustomer{Key: ProspectKey}
		out, st := MatchPrevious(prev, in, u.b, u.m, u.c, clusters, report.Population{})
		compared(t, o, in, u, prev, out, st)
		if st.Common != 10 {
			t.Errorf("common %d, want 10", st.Common)
		}
	})
	if !slices.EqualFunc(clusters, before, func(a, b ClusterInfo) bool { return a.Key == b.Key && a.New == b.New }) {
		t.Errorf("MatchPrevious modified its input clusters")
	}
}

// TestWarnFeaturesChanged: a run clustering on other features than the
// previous run (a category entering the top categories) warns, naming
// them; the same features say nothing.
func TestWarnFeaturesChanged(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	prev := &Previous{Model: &Model{Transform: &features.Transform{Columns: []string{"monetary", "mix_miscellaneous"}}}}
	warnFeaturesChanged(log, prev, &Matrix{Transform: &features.Transform{Columns: []string{"monetary", "mix_pastry"}}})
	if got := buf.String(); !strings.Contains(got, "level=WARN") || !strings.Contains(got, "added=mix_pastry dropped=mix_miscellaneous") {
		t.Errorf("log %q, want a warning naming mix_pastry and mix_miscellaneous", got)
	}
	buf.Reset()
	warnFeaturesChanged(log, prev, &Matrix{Transform: &features.Transform{Columns: []string{"mix_miscellaneous", "monetary"}}})
	if buf.Len() > 0 {
		t.Errorf("the same features, in another order: %q", buf.String())
	}
}

// TestMatchByFormer: the clusters the centres left unmatched take a
// previous cluster by their customers only when most of theirs were in it
// and no cluster holds more of its customers.
func TestMatchByFormer(t *testing.T) {
	dist := func(c, pc int) float64 { return float64(10*c + pc) }
	for _, tt := range []struct {
		name   string
		prevOf []int   // from the centres
		former [][]int // cluster × previous cluster: customers
		want   []int
	}{
		// Previous cluster 1 split into clusters 1 (324 of its customers)
		// and 2 (286): the larger part keeps it, the other is new.
		{"a split", []int{0, -1, -1}, [][]int{{500, 0}, {0, 324}, {20, 286}}, []int{0, 1, -1}},
		// A cluster of several previous clusters' customers, none more
		// than half of it, is new.
		{"mixed", []int{0, -1}, [][]int{{500, 0}, {60, 50}}, []int{0, -1}},
		// Most of previous cluster 1's customers are in cluster 0, matched
		// by its centre to previous cluster 0: cluster 1, a fragment of it,
		// stays new.
		{"a fragment", []int{0, -1}, [][]int{{300, 400}, {0, 100}}, []int{0, -1}},
		// A previous cluster the centres matched is not given again.
		{"taken", []int{1, -1}, [][]int{{0, 300}, {10, 200}}, []int{1, -1}},
		// Cluster 1 holds the most of previous cluster 1's customers, but
		// the centres gave that cluster to cluster 0: no second key.
		{"taken, the most of its customers here", []int{1, -1}, [][]int{{0, 100}, {10, 300}}, []int{1, -1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			prevOf := slices.Clone(tt.prevOf)
			dist2 := make([]float64, len(prevOf))
			sizes := make([]int, len(tt.former))
			for c, row := range tt.former {
				for _, n := range row {
					sizes[c] += n
				}
			}
			matchByFormer(prevOf, dist2, tt.former, sizes, dist)
			if !slices.Equal(prevOf, tt.want) {
				t.Fatalf("prevOf %v, want %v", prevOf, tt.want)
			}
			for c, pc := range prevOf {
				if pc >= 0 && tt.prevOf[c] < 0 && dist2[c] != dist(c, pc) {
					t.Errorf("cluster %d: distance² %v, want its centres' %v", c, dist2[c], dist(c, pc))
				}
			}
		})
	}
}
