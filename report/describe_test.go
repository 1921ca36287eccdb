package report

import (
	"strings"
	"testing"
)

// TestDistinctionsTies: "higher than X % of clustered customers" counts
// only the customers strictly below the median, not half of those equal
// to it (the quantile position does, for naming): with 6.3 % of them at 4
// orders and a position of 80.65 %, 77.5 % have fewer.
func TestDistinctionsTies(t *testing.T) {
	p := testPop()
	st := ClusterStats{
		Median: []float64{30, 4, 600, 300, 0.03, 0},
		Pos:    []float64{0.5, 0.8065, 0.5, 0.5, 0.5, 0.5},
		Ties:   []float64{0.1, 0.063, 0.01, 0.01, 0.2, 0.3},
		Share:  p.Share,
		Groups: map[string]float64{},
	}
	r := &Run{Features: p.Features, Population: p}
	lines := distinctions(r, Cluster{Stats: st})
	if len(lines) != 1 || !strings.Contains(lines[0], "median 4, higher than 77.5% of clustered customers") {
		t.Errorf("distinctions %q, want the share strictly below the median (77.5%%)", lines)
	}
	st.Median[1], st.Pos[1], st.Ties[1] = 1, 0.2, 0.064 // lower: the share strictly above, 1 − 0.2 − 0.032
	lines = distinctions(r, Cluster{Stats: st})
	if len(lines) != 1 || !strings.Contains(lines[0], "lower than 76.8% of clustered customers") {
		t.Errorf("distinctions %q, want the share strictly above the median (76.8%%)", lines)
	}
}
