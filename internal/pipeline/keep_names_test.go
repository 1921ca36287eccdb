package pipeline

import (
	"math"
	"testing"

	"github.com/segment-tool/segment/report"
)

func TestKeepNames(t *testing.T) {
	nan := math.NaN()
	pop := report.Population{
		Features: []string{"recency_days", "frequency", "monetary", "aov"},
		Median:   []float64{30, 2, 600, 300},
		Share:    []float64{nan, nan, nan, nan},
		Groups:   map[string]float64{report.GroupLapsed: 0.2, report.GroupIdle: 0.2, report.GroupRecent: 0.3},
	}
	groups := map[string]float64{report.GroupLapsed: 0.1, report.GroupIdle: 0.1, report.GroupRecent: 0.3}
	stats := func(median, pos []float64) report.ClusterStats {
		return report.ClusterStats{Median: median, Pos: pos, Share: []float64{nan, nan, nan, nan}, Groups: groups}
	}
	// Recent (0.4), high-spend (0.45), frequent (0.4), big-basket (0.35):
	// the rules name the strongest three.
	strong := stats([]float64{5, 9, 3000, 600}, []float64{0.1, 0.9, 0.95, 0.85})
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
			{Name: "Recent high-spend big-basket customers"}, {Name: "Recent high-spend big-basket customers"}}}}
		// Cluster 1 is new (−1); cluster 2 would keep a name cluster 0
		// already took.
		out := []ClusterInfo{{Name: fresh[0], Stats: strong}, {Name: "Another", Stats: strong}, {Name: "Third", Stats: strong}}
		keepNames(p, pop, out, []int{0, -1, 1})
		want := []string{"Recent high-spend big-basket customers", "Another", "Third"}
		for c := range out {
			if out[c].Name != want[c] {
				t.Errorf("cluster %d: name %q, want %q", c, out[c].Name, want[c])
			}
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
