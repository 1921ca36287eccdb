package report

import (
	"strings"
	"testing"
)

// The profile table gives a category column's share of the segment's
// spend (and of all clustered customers'), not the median customer's
// share, which is 0 for most categories; other columns give the median.
func TestProfileTableCategoryShares(t *testing.T) {
	r := &Run{Features: []string{"monetary", "mix_pets"},
		Population: Population{Features: []string{"monetary", "mix_pets"}, Median: []float64{100, 0}, Share: []float64{nan, 0.07}},
		Clusters: []Cluster{{ID: 0, Name: "Typical customers", Size: 3, Revenue: 300,
			Stats: ClusterStats{Median: []float64{120, 0}, Pos: []float64{0.5, 0.5}, Share: []float64{nan, 0.123}}}},
	}
	var b strings.Builder
	writeProfiles(&b, r)
	got := b.String()
	for _, want := range []string{"| 0 | Typical customers | 3 | 100.0% | 100.0% | 120 | 12.3% |", "| 100 | 7.0% |"} {
		if !strings.Contains(got, want) {
			t.Errorf("the profile table lacks %q:\n%s", want, got)
		}
	}
}
