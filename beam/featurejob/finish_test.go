package featurejob

import (
	"strings"
	"testing"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

// TestCheckAssignSummary: the finish's figures and job 2's summary agree,
// or the finish fails naming what differs: the customers, a cluster's
// size, an RFM segment (on either side), a reason not clustered, a
// group's members. A group not computed, and job 2's counts of other
// boolean columns (the customers table's newsletter), are not compared.
func TestCheckAssignSummary(t *testing.T) {
	two, zero := 2, 0
	manifest := func() *pipeline.Manifest {
		m := &pipeline.Manifest{Customers: 5, Clusters: []pipeline.ModelCluster{{Key: "a", Size: 3}, {Key: "b", Size: 1}},
			RFMSegments: map[string]int{"champions": 4, "prospects": 2, "hibernating": 0},
			Groups:      map[string]*int{"vip_top5": &two, "lapsed": &zero, "churn_risk": nil}}
		m.Clustering.NotClustered = map[string]int{features.NotClusteredProspect: 2, "returns_only": 1}
		return m
	}
	summary := func() *AssignSummary {
		return &AssignSummary{Customers: 7, Clusters: map[string]int64{"a": 3, "b": 1, "not_clustered": 3},
			RFMSegments:  map[string]int64{"champions": 4, "prospects": 2},
			NotClustered: map[string]int64{features.NotClusteredProspect: 2, "returns_only": 1},
			Groups:       map[string]int64{"vip_top5": 2, "newsletter": 3}}
	}
	if err := checkAssignSummary(manifest(), summary()); err != nil {
		t.Fatalf("agreeing figures: %v", err)
	}
	for _, c := range []struct {
		name   string
		change func(m *pipeline.Manifest, s *AssignSummary)
		want   string
	}{
		{"customers", func(m *pipeline.Manifest, _ *AssignSummary) { m.Customers-- }, "6 customers, job 2 assigned 7"},
		{"a cluster", func(_ *pipeline.Manifest, s *AssignSummary) { s.Clusters["b"] = 2 }, "cluster b: 1 customers, job 2 assigned 2"},
		{"an RFM segment", func(_ *pipeline.Manifest, s *AssignSummary) { s.RFMSegments["hibernating"] = 1 }, "RFM segment hibernating: 0 customers, job 2 counted 1"},
		{"an RFM segment job 2 alone has", func(_ *pipeline.Manifest, s *AssignSummary) { s.RFMSegments["unknown"] = 1 }, "RFM segment unknown: no customer, job 2 counted 1"},
		{"a reason", func(m *pipeline.Manifest, _ *AssignSummary) { m.Clustering.NotClustered["returns_only"] = 2 }, "not clustered as returns_only: 2 customers"},
		{"a group", func(_ *pipeline.Manifest, s *AssignSummary) { s.Groups["lapsed"] = 1 }, "group lapsed: 0 members, job 2 counted 1"},
	} {
		m, s := manifest(), summary()
		c.change(m, s)
		if err := checkAssignSummary(m, s); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}
