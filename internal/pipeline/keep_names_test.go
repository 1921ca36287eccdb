package pipeline

import (
	"math"
	"slices"
	"testing"

	"github.com/segment-tool/segment/report"
)

// namingPop is a clustered population over recency, frequency, spend and
// basket size (median 30 days, 2 orders, 600 spent, 300 an order), for
// naming tests; namingStats describes a cluster of it, namingStrong one
// that is recent (0.4 from the middle), high-spend (0.45), frequent (0.4)
// and big-basket (0.35): the rules name the strongest three.
func namingPop() report.Population {
	nan := math.NaN()
	return report.Population{
		Features: []string{"recency_days", "frequency", "monetary", "aov"},
		Median:   []float64{30, 2, 600, 300},
		Share:    []float64{nan, nan, nan, nan},
		Groups:   map[string]float64{report.GroupLapsed: 0.2, report.GroupIdle: 0.2, report.GroupRecent: 0.3},
	}
}

func namingStats(median, pos []float64) report.ClusterStats {
	nan := math.NaN()
	groups := map[string]float64{report.GroupLapsed: 0.1, report.GroupIdle: 0.1, report.GroupRecent: 0.3}
	return report.ClusterStats{Median: median, Pos: pos, Share: []float64{nan, nan, nan, nan}, Groups: groups}
}

func namingStrong() report.ClusterStats {
	return namingStats([]float64{5, 9, 3000, 600}, []float64{0.1, 0.9, 0.95, 0.85})
}

func TestKeepNames(t *testing.T) {
	pop, stats, strong := namingPop(), namingStats, namingStrong()
	fresh := report.NameClusters(pop, []report.ClusterStats{strong})
	tests := []struct {
		name     string
		prev     ModelCluster
		stats    report.ClusterStats
		want     string
		freshSet bool
	}{
		{"traits swapped: kept", ModelCluster{Name: "Recent high-spend big-basket customers"}, strong, "Recent high-spend big-basket customers", true},
		{"a word no longer holds: renamed", ModelCluster{Name: "Recent low-spend customers"}, strong, fresh[0], false},
		{"the same name", ModelCluster{Name: fresh[0]}, strong, fresh[0], false},
		// The rules' name of that run, not the team's (applied by key later).
		{"a team's name", ModelCluster{Name: "VIPs", ComputedName: "Recent high-spend big-basket customers"}, strong, "Recent high-spend big-basket customers", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Previous{Model: &Model{Clusters: []ModelCluster{tt.prev}}}
			out := []ClusterInfo{{Name: report.NameClusters(pop, []report.ClusterStats{tt.stats})[0], Stats: tt.stats}}
			keepNames(p, pop, out, []int{0})
			if out[0].Name != tt.want || (out[0].FreshName != "") != tt.freshSet {
				t.Errorf("name %q, fresh name %q; want %q (fresh name set: %v)", out[0].Name, out[0].FreshName, tt.want, tt.freshSet)
			}
			if tt.freshSet && out[0].FreshName != fresh[0] {
				t.Errorf("fresh name %q, want the rules' %q", out[0].FreshName, fresh[0])
			}
		})
	}

	t.Run("unmatched and taken names", func(t *testing.T) {
		p := &Previous{Model: &Model{Clusters: []ModelCluster{
			{Name: "Recent high-spend big-basket customers"}, {Name: "Another"}}}}
		// Cluster 1 is new (−1) and keeps its name; cluster 2 would keep a
		// name cluster 1 has, cluster 0 one that holds on cluster 2 as well.
		plain := stats([]float64{30, 2, 600, 300}, []float64{0.5, 0.5, 0.5, 0.5})
		out := []ClusterInfo{{Name: fresh[0], Stats: strong}, {Name: "Another", Stats: plain}, {Name: "Third", Stats: strong}}
		keepNames(p, pop, out, []int{0, -1, 1})
		want := []string{fresh[0], "Another", "Third"}
		for c := range out {
			if out[c].Name != want[c] {
				t.Errorf("cluster %d: name %q, want %q", c, out[c].Name, want[c])
			}
		}
		out[2].Stats = plain // no longer holds there: kept
		keepNames(p, pop, out, []int{0, -1, 1})
		if out[0].Name != "Recent high-spend big-basket customers" {
			t.Errorf("cluster 0: name %q, want its previous name", out[0].Name)
		}
	})

	t.Run("actions", func(t *testing.T) {
		actions := report.ClusterActions(pop, strong, "", "", nil)
		if len(actions) < 2 {
			t.Fatalf("ClusterActions gave %d actions, want one per trait with an action", len(actions))
		}
		for _, tt := range []struct {
			name, prev, want string
		}{
			{"another trait's: kept", actions[1], actions[1]},
			{"one the rules do not give: replaced", "Send them flowers.", actions[0]},
			{"none saved", "", actions[0]},
		} {
			p := &Previous{Model: &Model{Clusters: []ModelCluster{{Name: fresh[0], Action: tt.prev}}}}
			out := []ClusterInfo{{Name: fresh[0], Stats: strong, Action: actions[0], actions: actions}}
			keepNames(p, pop, out, []int{0})
			if out[0].Action != tt.want {
				t.Errorf("%s: action %q, want %q", tt.name, out[0].Action, tt.want)
			}
		}
	})
}

// The cluster migration reads in the report's order: this run's clusters
// by number, the previous run's vanished ones, the customers not
// clustered, then any other key; not by key.
func TestClusterMigrationOrder(t *testing.T) {
	r := &Result{Profiles: &Profiles{Clusters: []ClusterInfo{{Key: "zeta"}, {Key: "alpha"}}},
		Stability: &Stability{Prev: &Previous{Model: &Model{Clusters: []ModelCluster{{Key: "alpha"}, {Key: "gone"}, {Key: "zeta"}}}}}}
	counts := map[[2]string]int{
		{"alpha", "alpha"}: 3, {"zeta", "zeta"}: 2, {"gone", "alpha"}: 1, {NotClusteredKey, "zeta"}: 1, {"older", "alpha"}: 1,
	}
	x := crosstab(counts, r.keyOrder())
	if want := []string{"zeta", "alpha", "gone", NotClusteredKey, "older"}; !slices.Equal(x.Rows, want) {
		t.Errorf("rows %q, want %q", x.Rows, want)
	}
	if want := []string{"zeta", "alpha"}; !slices.Equal(x.Cols, want) {
		t.Errorf("columns %q, want %q", x.Cols, want)
	}
	if x.Counts[0][0] != 2 || x.Counts[1][1] != 3 || x.Counts[2][1] != 1 {
		t.Errorf("counts %v", x.Counts)
	}
}

// A previous name that would also describe another cluster of this run is
// not kept: the rules had added a trait to tell the two apart.
func TestKeepNamesNotAnothersName(t *testing.T) {
	nan := math.NaN()
	pop := report.Population{
		Features: []string{"recency_days", "frequency", "monetary", "aov", "discount_ratio"},
		Median:   []float64{30, 2, 600, 300, 0.03},
		Share:    []float64{nan, nan, nan, nan, nan},
		Groups:   map[string]float64{report.GroupLapsed: 0.2, report.GroupIdle: 0.2, report.GroupRecent: 0.3},
	}
	groups := map[string]float64{report.GroupLapsed: 0.1, report.GroupIdle: 0.1, report.GroupRecent: 0.3}
	st := func(median, pos []float64) report.ClusterStats {
		return report.ClusterStats{Median: median, Pos: pos, Share: []float64{nan, nan, nan, nan, nan}, Groups: groups}
	}
	a := st([]float64{5, 9, 3000, 600, 0.03}, []float64{0.1, 0.9, 0.95, 0.8, 0.5}) // and big-basket
	b := st([]float64{5, 9, 3000, 300, 0.2}, []float64{0.1, 0.9, 0.95, 0.5, 0.75}) // and discount-driven
	names := report.NameClusters(pop, []report.ClusterStats{a, b})
	p := &Previous{Model: &Model{Clusters: []ModelCluster{{Name: "Recent high-spend frequent customers"}}}}
	out := []ClusterInfo{{Name: names[0], Stats: a}, {Name: names[1], Stats: b}}
	keepNames(p, pop, out, []int{0, -1})
	if out[0].Name != names[0] || out[0].FreshName != "" {
		t.Errorf("cluster 0 named %q (fresh name %q), want the rules' %q: its previous name holds on cluster 1 too", out[0].Name, out[0].FreshName, names[0])
	}
}

// A kept name that a team gives another cluster (clustering.names) gives
// way to the rules' own name.
func TestApplyNamesKeptName(t *testing.T) {
	out := ApplyNames([]ClusterInfo{
		{Key: "a", Name: "Recent customers", FreshName: "Recent small-basket customers"},
		{Key: "b", Name: "Lapsed customers"},
	}, map[string]string{"b": "Recent customers"})
	if out[0].Name != "Recent small-basket customers" || out[0].FreshName != "" {
		t.Errorf("cluster a named %q (fresh name %q), want the rules' own name", out[0].Name, out[0].FreshName)
	}
	if out[1].Name != "Recent customers" {
		t.Errorf("cluster b named %q, want the team's", out[1].Name)
	}
}

// MatchPrevious keeps a matched cluster's previous name that still holds.
func TestMatchPreviousKeepsName(t *testing.T) {
	o := testOptions(t)
	o.K = 2
	in := &Tables{Table: twoGroups(t)}
	u := upToClusters(t, in, o)
	fit := u.c.Fit
	// The clusters' profiles as the report would describe stores with more
	// features: the big spenders are also big-basket.
	pop, strong := namingPop(), namingStrong()
	plain := namingStats([]float64{30, 2, 600, 300}, []float64{0.5, 0.5, 0.5, 0.5})
	high := u.clusterOfID(t, "H1")
	clusters := make([]ClusterInfo, 2)
	for c := range clusters {
		clusters[c] = ClusterInfo{ID: c, Size: fit.Sizes[c], Stats: plain, Name: "Typical customers", Key: "typical-customers"}
	}
	clusters[high].Stats = strong
	clusters[high].Name = report.NameClusters(pop, []report.ClusterStats{strong})[0]
	clusters[high].Key = slug(clusters[high].Name)
	prev := previousOf(t, in, u, [][]float64{slices.Clone(fit.Centroid(0)), slices.Clone(fit.Centroid(1))}, []string{"a", "b"})
	prev.Model.Clusters[high].Name = "Recent high-spend big-basket customers"
	out, _ := MatchPrevious(prev, in, u.b, u.m, u.c, clusters, pop)
	if c := out[high]; c.Name != "Recent high-spend big-basket customers" || c.FreshName != clusters[high].Name {
		t.Errorf("the big spenders are named %q (fresh name %q); want their previous name kept, the rules' %q as the fresh name",
			c.Name, c.FreshName, clusters[high].Name)
	}
}

// segment assign gives the rules' name beside a saved model's only where
// the model's name no longer holds on the customers scored.
func TestRuleName(t *testing.T) {
	pop, strong := namingPop(), namingStrong()
	fresh := report.NameClusters(pop, []report.ClusterStats{strong})[0]
	for _, tt := range []struct {
		name string
		mc   ModelCluster
		want string
	}{
		{"the rules' own", ModelCluster{Name: fresh}, ""},
		{"another that holds", ModelCluster{Name: "Recent high-spend big-basket customers"}, ""},
		{"one that does not hold", ModelCluster{Name: "Lapsed low-spend customers"}, fresh},
		{"a team's name over one that holds", ModelCluster{Name: "VIPs", ComputedName: "Recent high-spend big-basket customers"}, ""},
		{"a team's name over one that does not", ModelCluster{Name: "VIPs", ComputedName: "Lapsed customers"}, fresh},
	} {
		if got := ruleName(pop, strong, fresh, tt.mc); got != tt.want {
			t.Errorf("%s: rule name %q, want %q", tt.name, got, tt.want)
		}
	}
}
