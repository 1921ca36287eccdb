package report

import (
	"strings"
	"testing"
	"time"
)

func TestWriteClustering(t *testing.T) {
	var b strings.Builder
	writeClustering(&b, &Run{Clustering: &Clustering{
		Customers: 1000, Clustered: 950,
		NotClustered: []ReasonCount{{ID: "prospect", About: "no order yet", Customers: 40}, {ID: "returns_only", About: "only returns", Customers: 10}},
		Excluded:     []ExcludedFeature{{Name: "discount_ratio", Reason: "needs the orders' discount column"}},
		ClipShare:    0.005, Clipped: 19, MinShare: 0.01, MinSize: 10,
		KNote: "k = 8 was asked for, but … so k = 6 is used.",
	}})
	got := b.String()
	for _, want := range []string{
		"**950 of the 1,000 customers** (95.0%) are clustered",
		"| `prospect`: no order yet | 40 | 4.0% |",
		"| `returns_only`: only returns | 10 | 1.0% |",
		"- `discount_ratio`: needs the orders' discount column.",
		"no segment may hold fewer than 1.0% of the clustered customers (10 customers, `clustering.min_share`)",
		"beyond its 0.5% and 99.5% quantiles were clipped",
		"19 customers (2.0% of the clustered customers) had at least one value clipped",
		"k = 8 was asked for",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("section lacks %q:\n%s", want, got)
		}
	}
	b.Reset()
	writeClustering(&b, &Run{})
	if b.Len() != 0 {
		t.Errorf("a run without clustering details wrote %q", b.String())
	}
}

// TestClusterRFMSentence: "most of its customers" only for a majority of
// the cluster; a plurality is its most common RFM segment.
func TestClusterRFMSentence(t *testing.T) {
	for share, want := range map[float64]string{
		0.621: "Most of its customers (62.1%) are in the RFM segment `champions`.",
		0.5:   "Its most common RFM segment is `champions` (50.0% of its customers).",
		0.375: "Its most common RFM segment is `champions` (37.5% of its customers).",
	} {
		var b strings.Builder
		writeCluster(&b, &Run{}, Cluster{Name: "A", Size: 10, Action: "Act.", RFMSegment: "champions", RFMShare: share}, 100, 1000)
		if !strings.Contains(b.String(), want) {
			t.Errorf("RFM share %v: got\n%s\nwant %q", share, b.String(), want)
		}
	}
}

// TestClusteringWindow: with features.window_days the section says that
// buyers are those with a purchase in the window.
func TestClusteringWindow(t *testing.T) {
	var b strings.Builder
	writeClustering(&b, &Run{Clustering: &Clustering{Customers: 10, Clustered: 8, WindowDays: 90,
		NotClustered: []ReasonCount{{ID: "no_purchase_in_window", About: "purchases only before the window", Customers: 2}}}})
	if !strings.Contains(b.String(), "a positive net spend in the window (the last 90 days: `features.window_days`).") {
		t.Errorf("section:\n%s", b.String())
	}
}

// TestGlanceWindow: with features.window_days the summary says its
// revenue and orders are the window's, and the segment table's spend too.
func TestGlanceWindow(t *testing.T) {
	r := &Run{AsOf: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), WindowDays: 90, Quality: Quality{Customers: 3, Orders: 4, Revenue: 100},
		Features: []string{"monetary"}, Clusters: []Cluster{{Name: "a", Size: 3, Revenue: 100, Stats: ClusterStats{Median: []float64{30}}}}}
	var b strings.Builder
	writeGlance(&b, r)
	writeOverview(&b, r)
	writeSummary(&b, r)
	for _, want := range []string{"in the last 90 days before 2024-03-01 (`features.window_days`", "Typical spend (over the last 90 days)",
		"Orders and revenue are those of the last 90 days before 2024-03-01"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %q in:\n%s", want, b.String())
		}
	}
}
