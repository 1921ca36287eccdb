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
	if r.history, err = alignPrevious(context.Background(), prev, u.s.All.IDs); err != nil {
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
	t.Run("a centroid moved away", func(t *testing.T) {
		far := slices.Clone(c1)
		for j := range far {
			far[j] += 50
		}
		// The vanished cluster's key is the one the current cluster 1
		// computed: a new cluster may not take it.
		prev := previousOf(t, in, u, [][]float64{c0, far}, []string{"old-a", clusters[1].Key})
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
		// Cluster 1's six buyers changed key, cluster 0's six kept theirs.
		if st.Common != 12 || st.KeyChanges != 6 || st.ARI != 1 {
			t.Errorf("common %d, key changes %d, ARI %v; want 12, 6, 1 (same partition, other names)", st.Common, st.KeyChanges, st.ARI)
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
