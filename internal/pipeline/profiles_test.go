package pipeline

import (
	"context"
	"errors"
	"math"
	"regexp"
	"slices"
	"testing"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/canceltest"
)

var keyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestProfile(t *testing.T) {
	o := testOptions(t)
	o.K = 2
	ft := twoGroups(t)
	u := upToClusters(t, &Tables{Table: ft}, o)
	p := mustProfile(t, u.b, u.m, u.c, u.s, o)
	if len(p.Clusters) != 2 {
		t.Fatalf("%d clusters, want 2", len(p.Clusters))
	}
	high, low := u.clusterOfID(t, "H1"), u.clusterOfID(t, "L1")
	if high == low {
		t.Fatalf("H1 and L1 are both in cluster %d", high)
	}
	monetary := slices.Index(u.m.Transform.Columns, features.Monetary)
	for _, tc := range []struct {
		name    string
		c       int
		revenue float64
	}{
		{"high", high, sumOf(ft, features.Monetary, "H")},
		{"low", low, sumOf(ft, features.Monetary, "L")},
	} {
		ci := p.Clusters[tc.c]
		if ci.ID != tc.c || ci.Size != 6 || ci.Revenue != tc.revenue {
			t.Errorf("%s cluster: id %d, size %d, revenue %v; want %d, 6, %v", tc.name, ci.ID, ci.Size, ci.Revenue, tc.c, tc.revenue)
		}
		if mean := ci.Mean[monetary]; math.Abs(mean-tc.revenue/6) > 1e-9 {
			t.Errorf("%s cluster: mean monetary %v, want %v", tc.name, mean, tc.revenue/6)
		}
		if ci.Name == "" || ci.Key != slug(ci.Name) || !keyPattern.MatchString(ci.Key) {
			t.Errorf("%s cluster: name %q, key %q; want a key that is the name's slug", tc.name, ci.Name, ci.Key)
		}
		if ci.RFMSegment == "" || !(ci.RFMShare > 0 && ci.RFMShare <= 1) || ci.Action == "" || ci.New {
			t.Errorf("%s cluster: RFM segment %q (share %v), action %q, new %v", tc.name, ci.RFMSegment, ci.RFMShare, ci.Action, ci.New)
		}
	}
	if p.Clusters[0].Key == p.Clusters[1].Key {
		t.Errorf("both clusters have the key %q", p.Clusters[0].Key)
	}
	// The buyers spend (6900 + 195) / 12 on average (X1 is not one).
	if pop := p.PopMean[monetary]; math.Abs(pop-591.25) > 1e-9 {
		t.Errorf("population mean monetary %v, want 591.25", pop)
	}
	if rel := p.Clusters[high].Rel[monetary]; math.Abs(rel-(1150/591.25-1)) > 1e-9 {
		t.Errorf("high cluster relative monetary %v, want %v", rel, 1150/591.25-1)
	}
}

// Scoring with a saved model keeps its clusters' names and keys, and
// their actions when the model has one.
func TestProfileModel(t *testing.T) {
	o := testOptions(t)
	o.K = 2
	in := &Tables{Table: twoGroups(t)}
	u := upToClusters(t, in, o)
	fitted := mustProfile(t, u.b, u.m, u.c, u.s, o)

	o.Model = &Model{Transform: u.m.Transform, RFMCuts: &u.s.Cuts, K: 2,
		Centroids: [][]float64{u.c.Fit.Centroid(0), u.c.Fit.Centroid(1)},
		Clusters: []ModelCluster{
			{ID: 0, Key: "first", Name: "First cluster", Action: "Call them."},
			{ID: 1, Key: "second", Name: "Second cluster"},
		}}
	v := upToClusters(t, in, o)
	p := mustProfile(t, v.b, v.m, v.c, v.s, o)
	if !slices.Equal(v.c.Fit.Labels, u.c.Fit.Labels) {
		t.Fatalf("scored labels %v, fitted %v", v.c.Fit.Labels, u.c.Fit.Labels)
	}
	for c, want := range o.Model.Clusters {
		got := p.Clusters[c]
		if got.Name != want.Name || got.Key != want.Key {
			t.Errorf("cluster %d: %q (%s), want the model's %q (%s)", c, got.Name, got.Key, want.Name, want.Key)
		}
	}
	if p.Clusters[0].Action != "Call them." || p.Clusters[1].Action != fitted.Clusters[1].Action {
		t.Errorf("actions %q, %q; want the model's, then the computed %q", p.Clusters[0].Action, p.Clusters[1].Action, fitted.Clusters[1].Action)
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Recent, frequent big spenders", "recent-frequent-big-spenders"},
		{"  Category specialists (toys, books) ", "category-specialists-toys-books"},
		{"Café clients 2", "cafe-clients-2"}, // transliterated, not dropped
		{"Category specialists (Łódź, Köln)", "category-specialists-lodz-koln"},
		{"Straße buyers", "strasse-buyers"},
		{"", ""},
	} {
		if got := slug(tc.in); got != tc.want {
			t.Errorf("slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestApplyNames(t *testing.T) {
	clusters := []ClusterInfo{
		{ID: 0, Key: "big-spenders", Name: "Big spenders"},
		{ID: 1, Key: "lapsed", Name: "Lapsed customers"},
		{ID: 2, Key: "new", Name: "VIPs"},
	}
	for _, tc := range []struct {
		name  string
		names map[string]string
		want  []string
	}{
		{"none", nil, []string{"Big spenders", "Lapsed customers", "VIPs"}},
		{"by key, trimmed", map[string]string{"lapsed": " Win back ", "absent": "Nobody"}, []string{"Big spenders", "Win back", "VIPs"}},
		{"collision with a computed name", map[string]string{"big-spenders": "VIPs"}, []string{"VIPs", "Lapsed customers", "VIPs, as computed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := slices.Clone(clusters)
			out := ApplyNames(clusters, tc.names)
			var got []string
			for c, ci := range out {
				got = append(got, ci.Name)
				if ci.Key != clusters[c].Key {
					t.Errorf("cluster %d: key %q changed to %q", c, clusters[c].Key, ci.Key)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("names %q, want %q", got, tc.want)
			}
			for c := range clusters {
				if clusters[c].Name != before[c].Name || clusters[c].Key != before[c].Key {
					t.Errorf("ApplyNames modified its input: cluster %d is now %q (%s)", c, clusters[c].Name, clusters[c].Key)
				}
			}
		})
	}
}

// TestUniqueKey: names that differ only in case or punctuation share a
// slug; their keys are told apart in cluster order.
func TestUniqueKey(t *testing.T) {
	used := map[string]bool{}
	var got []string
	for _, name := range []string{"Big spenders", "big spenders!", "Big-spenders", "Lapsed"} {
		got = append(got, uniqueKey(slug(name), used))
	}
	want := []string{"big-spenders", "big-spenders-2", "big-spenders-3", "lapsed"}
	if !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
}

// mustProfile is Profile with a live context, failing t on an error.
func mustProfile(t *testing.T, b *Buyers, m *Matrix, c *Clustering, s *Segments, o *Options) *Profiles {
	t.Helper()
	p, err := Profile(context.Background(), b, m, c, s, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestProfileCancel cancels Profile at each of its checks (one per chunk
// of customers of each pass over them: here one chunk, and at least the
// two passes of the sums and three of the profiles): it returns
// context.Canceled.
func TestProfileCancel(t *testing.T) {
	o := testOptions(t)
	o.K = 2
	u := upToClusters(t, &Tables{Table: twoGroups(t)}, o)
	full := canceltest.AfterChecks(1 << 40)
	if _, err := Profile(full, u.b, u.m, u.c, u.s, o); err != nil {
		t.Fatal(err)
	}
	n := full.Checks()
	if n < 5 {
		t.Fatalf("Profile checked the context %d times, want at least once per pass (5)", n)
	}
	for k := range n {
		ctx := canceltest.AfterChecks(k)
		_, err := Profile(ctx, u.b, u.m, u.c, u.s, o)
		ctx.Cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled after %d of %d checks: error %v, want context.Canceled", k, n, err)
		}
	}
}

// TestCategoryLabels: a mix column whose name cannot say its category
// (letters beyond ASCII, capitals or punctuation, a suffix told it apart)
// is labelled with the category as written; others are not.
func TestCategoryLabels(t *testing.T) {
	cats := []string{"books", "書籍", "Spielzeug & Bücher", "other", "Other ", "Women's Shoes", "GROCERY", "pet food"}
	cols := append(features.MixColumns(cats), features.MixOther, "frequency")
	got := categoryLabels(cols, cats)
	// "other" is mix_other_2 (MixOther is taken), "Other " mix_other_3.
	want := []string{"", "書籍", "Spielzeug & Bücher", "other", "Other", "Women's Shoes", "GROCERY", "", "", ""}
	if !slices.Equal(got, want) {
		t.Errorf("labels %q, want %q", got, want)
	}
	if categoryLabels([]string{"mix_books"}, []string{"books"}) != nil {
		t.Error("ASCII categories labelled")
	}
}

// TestUnusedNames: a key of clustering.names no cluster has is listed.
func TestUnusedNames(t *testing.T) {
	clusters := []ClusterInfo{{Key: "vip"}, {Key: "lapsed"}}
	got := UnusedNames(clusters, map[string]string{"vip": "Best", "lapsd": "Gone", "new": "New"})
	if !slices.Equal(got, []string{"lapsd", "new"}) {
		t.Errorf("unused %q", got)
	}
	if UnusedNames(clusters, nil) != nil {
		t.Error("unused keys without names")
	}
}

// Scoring with a saved model, a cluster's name that holds on the
// customers scored (report.NameHolds) is theirs too; one that does not
// gets the rules' name beside it (RuleName).
func TestProfileRuleName(t *testing.T) {
	o := testOptions(t)
	o.K = 2
	u := upToClusters(t, &Tables{Table: twoGroups(t)}, o)
	fresh := mustProfile(t, u.b, u.m, u.c, u.s, o)
	high, low := u.clusterOfID(t, "H1"), u.clusterOfID(t, "L1")
	// twoGroups' big spenders are recent, high-spend and frequent.
	if got := fresh.Clusters[high].Name; got != "Recent high-spend frequent customers" {
		t.Fatalf("the big spenders are named %q; the cases below assume their traits", got)
	}
	model := &Model{K: 2, Clusters: make([]ModelCluster, 2)}
	model.Clusters[high] = ModelCluster{Key: "h", Name: "Recent high-spend frequent customers"} // the rules' own
	model.Clusters[low] = ModelCluster{Key: "l", Name: "Recent high-spend frequent customers"}  // not theirs
	mo := *o
	mo.Model = model
	p := mustProfile(t, u.b, u.m, u.c, u.s, &mo)
	if c := p.Clusters[high]; c.Name != "Recent high-spend frequent customers" || c.RuleName != "" {
		t.Errorf("a name that holds: name %q, rule name %q; want the model's and none", c.Name, c.RuleName)
	}
	if c := p.Clusters[low]; c.Name != "Recent high-spend frequent customers" || c.RuleName != fresh.Clusters[low].Name {
		t.Errorf("a name that does not hold: name %q, rule name %q; want the model's and %q", c.Name, c.RuleName, fresh.Clusters[low].Name)
	}
}
