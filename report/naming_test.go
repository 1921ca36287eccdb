package report

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// cs builds the stats of one cluster over the features recency_days,
// frequency, monetary, aov, discount_ratio, mix_pets (no category share
// unless given).
func cs(median, pos []float64, petShare float64, groups map[string]float64) ClusterStats {
	share := []float64{nan, nan, nan, nan, nan, petShare}
	return ClusterStats{Median: median, Pos: pos, Share: share, Groups: groups}
}

// testPop is a population over the features of cs: median 30 days, 2
// orders, 600 spent, 300 per order, 3 % discount, pets 10 % of spend.
func testPop() Population {
	return Population{
		Features: []string{"recency_days", "frequency", "monetary", "aov", "discount_ratio", "mix_pets"},
		Median:   []float64{30, 2, 600, 300, 0.03, 0},
		Share:    []float64{nan, nan, nan, nan, nan, 0.1},
		Groups:   map[string]float64{GroupLapsed: 0.2, GroupIdle: 0.2, GroupRecent: 0.3, GroupOneTime: 0.4},
	}
}

func TestNameClusters(t *testing.T) {
	mid := []float64{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}
	med := []float64{30, 2, 600, 300, 0.03, 0}
	none := map[string]float64{GroupLapsed: 0.1, GroupIdle: 0.1, GroupRecent: 0.3, GroupOneTime: 0.3}
	with := func(base []float64, j int, v float64) []float64 {
		c := slices.Clone(base)
		c[j] = v
		return c
	}
	tests := []struct {
		name string
		c    ClusterStats
		want string
	}{
		{"typical", cs(med, mid, 0.1, none), "Typical customers"},
		{"high spend in the top third", cs(with(med, 2, 900), with(mid, 2, 0.7), 0.1, none), "High-spend customers"},
		// The top third needs a median above the population's as well.
		{"position without a higher median", cs(med, with(mid, 2, 0.7), 0.1, none), "Typical customers"},
		{"just below the bar", cs(with(med, 2, 800), with(mid, 2, 0.66), 0.1, none), "Typical customers"},
		{"low spend", cs(with(med, 2, 100), with(mid, 2, 0.2), 0.1, none), "Low-spend customers"},
		// Lapsed needs most of the cluster in the lapsed group, whatever the
		// position; among the least recent third it is slipping.
		{"old but not lapsed", cs(with(med, 0, 200), with(mid, 0, 0.9), 0.1, none), "Slipping customers"},
		{"old, a minority idle", cs(with(med, 0, 200), with(mid, 0, 0.8), 0.1, map[string]float64{GroupLapsed: 0.1, GroupIdle: 0.3}), "Slipping customers"},
		{"old, just below the bar", cs(with(med, 0, 200), with(mid, 0, 0.66), 0.1, map[string]float64{GroupIdle: 0.3}), "Typical customers"},
		{"lapsed", cs(with(med, 0, 400), with(mid, 0, 0.9), 0.1, map[string]float64{GroupLapsed: 0.6, GroupIdle: 0.2}), "Lapsed customers"},
		{"idle or lapsed", cs(with(med, 0, 200), with(mid, 0, 0.8), 0.1, map[string]float64{GroupLapsed: 0.3, GroupIdle: 0.3}), "Inactive customers"},
		{"recent by group", cs(med, mid, 0.1, map[string]float64{GroupRecent: 0.7}), "Recent customers"},
		{"recent by position", cs(with(med, 0, 5), with(mid, 0, 0.1), 0.1, none), "Recent customers"},
		{"one-time", cs(with(med, 1, 1), with(mid, 1, 0.2), 0.1, map[string]float64{GroupOneTime: 0.9}), "One-time customers"},
		{"frequent", cs(with(med, 1, 9), with(mid, 1, 0.9), 0.1, none), "Frequent customers"},
		// "Full-price" only when the median customer had no discount at all.
		{"less discount than most", cs(with(med, 4, 0.01), with(mid, 4, 0.2), 0.1, none), "Low-discount customers"},
		{"no discount", cs(with(med, 4, 0), with(mid, 4, 0.2), 0.1, none), "Full-price customers"},
		{"pets specialist", cs(with(med, 5, 0.8), with(mid, 5, 0.9), 0.8, none), "Category specialists (pets)"},
		// Most of its spend, but its median customer is not in the top third on
		// the pets share: others buy as much of it.
		{"pets not above the other customers", cs(with(med, 5, 0.6), with(mid, 5, 0.6), 0.8, none), "Typical customers"},
		// Pets at 40 % of spend is four times the average but not most of it.
		{"pets not most of the spend", cs(med, mid, 0.4, none), "Typical customers"},
		{"three traits at most", cs([]float64{5, 9, 3000, 600, 0.2, 0}, []float64{0.1, 0.9, 0.95, 0.8, 0.7, 0.5}, 0.1, none),
			"Recent high-spend frequent customers"},
		// Recency makes the name even where three other traits are stronger.
		{"slipping, its weakest trait", cs([]float64{60, 9, 3000, 600, 0.2, 0}, []float64{0.7, 0.9, 0.95, 0.85, 0.8, 0.5}, 0.1, none),
			"Slipping high-spend frequent customers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPop()
			before := slices.Clone(tt.c.Median)
			got := NameClusters(p, []ClusterStats{tt.c})
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("NameClusters = %q, want %q", got, tt.want)
			}
			if !slices.Equal(before, tt.c.Median) {
				t.Error("NameClusters modified its input")
			}
		})
	}
}

var suffixRE = regexp.MustCompile(` \d+$`)

func TestNameClustersUniqueWithoutNumbers(t *testing.T) {
	none := map[string]float64{}
	// Three lapsed clusters that differ in spend and basket, two typical
	// ones that differ only in discount, and two identical ones.
	clusters := []ClusterStats{
		cs([]float64{400, 2, 900, 300, 0.03, 0}, []float64{0.9, 0.5, 0.6, 0.5, 0.5, 0.5}, 0.1, map[string]float64{GroupLapsed: 0.8}),
		cs([]float64{400, 2, 500, 300, 0.03, 0}, []float64{0.9, 0.5, 0.4, 0.5, 0.5, 0.5}, 0.1, map[string]float64{GroupLapsed: 0.8}),
		cs([]float64{400, 2, 600, 300, 0.03, 0}, []float64{0.9, 0.5, 0.5, 0.5, 0.5, 0.5}, 0.1, map[string]float64{GroupLapsed: 0.8}),
		cs([]float64{30, 2, 600, 300, 0.04, 0}, []float64{0.5, 0.5, 0.5, 0.5, 0.6, 0.5}, 0.1, none),
		cs([]float64{30, 2, 600, 300, 0.02, 0}, []float64{0.5, 0.5, 0.5, 0.5, 0.4, 0.5}, 0.1, none),
		cs([]float64{30, 5, 600, 300, 0.03, 0}, []float64{0.5, 0.9, 0.5, 0.5, 0.5, 0.5}, 0.1, none),
		cs([]float64{30, 5, 600, 300, 0.03, 0}, []float64{0.5, 0.9, 0.5, 0.5, 0.5, 0.5}, 0.1, none),
	}
	got := NameClusters(testPop(), clusters)
	want := []string{
		"Lapsed customers, highest spend", "Lapsed customers, lowest spend", "Lapsed customers",
		"Typical customers, more discount", "Typical customers, less discount",
		"Frequent customers", "Frequent customers, second group",
	}
	if !slices.Equal(got, want) {
		t.Errorf("NameClusters = %q\nwant %q", got, want)
	}
	seen := map[string]bool{}
	for _, n := range got {
		if seen[n] || suffixRE.MatchString(n) {
			t.Errorf("name %q is repeated or has a numeric suffix", n)
		}
		seen[n] = true
	}
}

func TestNameClustersPanicsOnShape(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a cluster shorter than features")
		}
	}()
	NameClusters(testPop(), []ClusterStats{{Median: []float64{1}}})
}

func TestClusterActionFollowsGroups(t *testing.T) {
	p := testPop()
	groupActions := map[string]string{GroupLapsed: "win them back", GroupIdle: "re-engage", GroupRecent: "post-purchase care"}
	// Champions by RFM, but most of them lapsed: no reward-the-champions.
	lapsed := cs([]float64{400, 9, 3000, 300, 0.03, 0}, []float64{0.9, 0.9, 0.9, 0.5, 0.5, 0.5}, 0.1, map[string]float64{GroupLapsed: 0.7})
	got := ClusterAction(p, lapsed, "champions", "reward them", groupActions)
	if want := "As most of them are in the lapsed group: win them back."; !containsText(got, want) || containsText(got, "reward them") {
		t.Errorf("action %q: want %q and no champions' action", got, want)
	}
	// Mostly recent: no win-back.
	recent := cs([]float64{3, 2, 600, 300, 0.03, 0}, []float64{0.1, 0.5, 0.5, 0.5, 0.5, 0.5}, 0.1, map[string]float64{GroupRecent: 0.9})
	got = ClusterAction(p, recent, "at_risk", "personalised win-back emails", groupActions)
	if containsText(got, "win-back") || !containsText(got, "post-purchase care") {
		t.Errorf("action %q of a recent cluster", got)
	}
}

func containsText(s, sub string) bool {
	return regexp.MustCompile(regexp.QuoteMeta(sub)).MatchString(s)
}

func ExampleNameClusters() {
	pop := Population{
		Features: []string{"recency_days", "frequency", "monetary"},
		Median:   []float64{60, 2, 150},
		Share:    []float64{math.NaN(), math.NaN(), math.NaN()},
	}
	clusters := []ClusterStats{
		{Median: []float64{10, 8, 900}, Pos: []float64{0.15, 0.9, 0.92}, Share: pop.Share,
			Groups: map[string]float64{GroupRecent: 0.7}},
		{Median: []float64{400, 1, 40}, Pos: []float64{0.9, 0.2, 0.1}, Share: pop.Share,
			Groups: map[string]float64{GroupLapsed: 0.8, GroupOneTime: 0.9}},
		{Median: []float64{55, 2, 160}, Pos: []float64{0.45, 0.5, 0.55}, Share: pop.Share,
			Groups: map[string]float64{}},
	}
	for _, n := range NameClusters(pop, clusters) {
		fmt.Println(n)
	}
	// Output:
	// Recent high-spend frequent customers
	// Lapsed low-spend one-time customers
	// Typical customers
}

func TestClusterActionLeadsWithWinBack(t *testing.T) {
	// Lapsed, with big baskets that stand out more than the recency: the
	// win-back action still comes first.
	c := cs([]float64{400, 2, 900, 2000, 0.03, 0}, []float64{0.7, 0.5, 0.6, 0.99, 0.5, 0.5}, 0.1, map[string]float64{GroupLapsed: 0.8})
	got := ClusterAction(testPop(), c, "need_attention", "limited-time offers", nil)
	if !strings.HasPrefix(got, "Win back") {
		t.Errorf("action %q does not lead with the win-back", got)
	}
}

// TestClusterActionWinBackByValue: win-back clusters are told apart by
// what they are worth: a lapsed cluster that spent a lot gets personal
// outreach, one that spent little cheap automated messages, a typical
// one neither; a cluster mostly idle but not lapsed is re-engaged rather
// than won back.
func TestClusterActionWinBackByValue(t *testing.T) {
	lapsed := map[string]float64{GroupLapsed: 0.8}
	for _, tt := range []struct {
		name     string
		spend    float64 // the cluster's median monetary…
		pos      float64 // …and its quantile position
		groups   map[string]float64
		lead, no string
	}{
		{"lapsed, high spend", 2000, 0.9, lapsed, winBackActions[1], winBackActions[2]},
		{"lapsed, low spend", 100, 0.1, lapsed, winBackActions[2], winBackActions[1]},
		{"lapsed, typical spend", 600, 0.5, lapsed, winBackAction, "big spenders"},
		{"idle, not lapsed", 2000, 0.9, map[string]float64{GroupIdle: 0.6, GroupLapsed: 0.1}, reengageActions[1], "Win back"},
		{"idle, low spend", 100, 0.1, map[string]float64{GroupIdle: 0.6, GroupLapsed: 0.1}, reengageActions[2], "Win back"},
	} {
		c := cs([]float64{400, 2, tt.spend, 300, 0.03, 0}, []float64{0.9, 0.5, tt.pos, 0.5, 0.5, 0.5}, 0.1, tt.groups)
		got := ClusterAction(testPop(), c, "", "", nil)
		if !strings.HasPrefix(got, tt.lead) || strings.Contains(got, tt.no) {
			t.Errorf("%s: action %q, want it to start %q without %q", tt.name, got, tt.lead, tt.no)
		}
	}
}

func TestNameClustersContrastOnRecency(t *testing.T) {
	// Three typical clusters that differ only in recency.
	none := map[string]float64{}
	clusters := []ClusterStats{
		cs([]float64{40, 2, 600, 300, 0.03, 0}, []float64{0.6, 0.5, 0.5, 0.5, 0.5, 0.5}, 0.1, none),
		cs([]float64{20, 2, 600, 300, 0.03, 0}, []float64{0.4, 0.5, 0.5, 0.5, 0.5, 0.5}, 0.1, none),
		cs([]float64{30, 2, 600, 300, 0.03, 0}, []float64{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, 0.1, none),
	}
	got := NameClusters(testPop(), clusters)
	want := []string{"Typical customers, least recent", "Typical customers, most recent", "Typical customers"}
	if !slices.Equal(got, want) {
		t.Errorf("NameClusters = %q, want %q", got, want)
	}
}

// TestNameClustersContrastNotOnTheirTrait: two small-basket clusters that
// differ most in basket are told apart on another feature, not as
// "small-basket customers, bigger baskets", which reads as a
// contradiction; only when no other feature differs is the trait's own
// used.
func TestNameClustersContrastNotOnTheirTrait(t *testing.T) {
	none := map[string]float64{}
	clusters := []ClusterStats{
		cs([]float64{30, 2, 700, 100, 0.03, 0}, []float64{0.5, 0.5, 0.55, 0.25, 0.5, 0.5}, 0.1, none),
		cs([]float64{30, 2, 500, 30, 0.03, 0}, []float64{0.5, 0.5, 0.45, 0.05, 0.5, 0.5}, 0.1, none),
	}
	got := NameClusters(testPop(), clusters)
	want := []string{"Small-basket customers, higher spend", "Small-basket customers, lower spend"}
	if !slices.Equal(got, want) {
		t.Errorf("NameClusters = %q, want %q", got, want)
	}
	// Spend that barely differs (positions 0.51 and 0.49, against 0.25 and
	// 0.05 in basket) is noise: basket tells them apart, "relatively".
	clusters[0].Pos[2], clusters[1].Pos[2] = 0.51, 0.49
	got = NameClusters(testPop(), clusters)
	if want := []string{"Small-basket customers, relatively bigger baskets", "Small-basket customers, relatively smaller baskets"}; !slices.Equal(got, want) {
		t.Errorf("NameClusters = %q, want %q", got, want)
	}
	clusters[0].Pos[2], clusters[1].Pos[2] = 0.55, 0.45
	// The same clusters with equal spend: basket is all that tells them apart.
	clusters[1].Median[2], clusters[1].Pos[2] = 700, 0.55
	got = NameClusters(testPop(), clusters)
	if want := []string{"Small-basket customers, relatively bigger baskets", "Small-basket customers, relatively smaller baskets"}; !slices.Equal(got, want) {
		t.Errorf("NameClusters = %q, want %q", got, want)
	}
}
