package report

import (
	"slices"
	"strings"
	"testing"
)

func TestNameHolds(t *testing.T) {
	none := map[string]float64{GroupLapsed: 0.1, GroupIdle: 0.1, GroupRecent: 0.3, GroupOneTime: 0.3}
	// Recent (0.4), high-spend (0.45), frequent (0.4), big-basket (0.3),
	// discount-driven (0.2): the rules name the strongest three.
	five := cs([]float64{5, 9, 3000, 600, 0.2, 0}, []float64{0.1, 0.9, 0.95, 0.8, 0.7, 0.5}, 0.1, none)
	lapsed := cs([]float64{400, 9, 3000, 600, 0.2, 0}, []float64{0.9, 0.9, 0.95, 0.8, 0.7, 0.5}, 0.1,
		map[string]float64{GroupLapsed: 0.7, GroupIdle: 0.1})
	typical := cs([]float64{30, 2, 600, 300, 0.03, 0}, []float64{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, 0.1, none)
	lowDiscount := cs([]float64{30, 2, 600, 300, 0.01, 0}, []float64{0.5, 0.5, 0.5, 0.5, 0.2, 0.5}, 0.1, none)
	tests := []struct {
		name, prev string
		c          ClusterStats
		want       bool
	}{
		{"the rules' own name", "Recent high-spend frequent customers", five, true},
		// Big-basket is a trait, only weaker than frequent this run.
		{"traits swapped", "Recent high-spend big-basket customers", five, true},
		{"four of its traits", "Recent high-spend frequent discount-driven customers", five, true},
		// The rules name three of its traits now: a name of two says less.
		{"fewer traits", "Recent high-spend customers", five, false},
		{"a word that no longer holds", "Recent low-spend frequent customers", five, false},
		{"a trait it never had", "Recent high-spend coupon-using customers", five, false},
		// The rules' name says recent: a name without it hides that.
		{"without its recency word", "High-spend frequent big-basket customers", five, false},
		{"lapsed since", "Recent high-spend frequent customers", lapsed, false},
		{"lapsed, said", "Lapsed high-spend frequent customers", lapsed, true},
		{"a remark is not kept", "Recent high-spend frequent customers, higher spend", five, false},
		{"typical stays typical", "Typical customers", typical, true},
		{"typical now", "High-spend customers", typical, false},
		// "Full-price" says no discount at all; 1 % is "low-discount".
		{"a floor word off its floor", "Full-price customers", lowDiscount, false},
		{"the floor's other word", "Low-discount customers", lowDiscount, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPop()
			before := slices.Clone(tt.c.Median)
			if got := NameHolds(p, tt.c, tt.prev); got != tt.want {
				t.Errorf("NameHolds(%q) = %v, want %v (the rules' name: %q)", tt.prev, got, tt.want, NameClusters(p, []ClusterStats{tt.c})[0])
			}
			if !slices.Equal(before, tt.c.Median) {
				t.Error("NameHolds modified the cluster's medians")
			}
		})
	}
}

// A trait beyond the maxListed strongest is not in the cluster's
// description, so a name that says it does not hold.
func TestNameHoldsListedTraitsOnly(t *testing.T) {
	var p Population
	var c ClusterStats
	for j, f := range []string{"monetary", "frequency", "aov", "discount_ratio", "coupon_order_share", "return_rate", "peak_season_share"} {
		p.Features = append(p.Features, f)
		p.Median = append(p.Median, 1)
		p.Share = append(p.Share, nan)
		c.Median = append(c.Median, 2)
		c.Pos = append(c.Pos, 0.95-0.02*float64(j)) // strongest first, in this order
		c.Share = append(c.Share, nan)
	}
	if !NameHolds(p, c, "High-spend frequent big-basket customers") {
		t.Error("the rules' own name does not hold")
	}
	if !NameHolds(p, c, "High-spend frequent high-return customers") {
		t.Error("the sixth strongest trait does not hold")
	}
	if NameHolds(p, c, "High-spend frequent seasonal customers") {
		t.Error("the seventh strongest trait holds, but the description does not list it")
	}
}

func TestClusterActions(t *testing.T) {
	none := map[string]float64{GroupLapsed: 0.1, GroupIdle: 0.1, GroupRecent: 0.3, GroupOneTime: 0.3}
	p := testPop()
	// High-spend (0.45), frequent (0.4), big-basket (0.3), each with an action.
	c := cs([]float64{30, 9, 3000, 600, 0.03, 0}, []float64{0.5, 0.9, 0.95, 0.8, 0.5, 0.5}, 0.1, none)
	got := ClusterActions(p, c, "champions", "reward them", nil)
	want := []string{features["monetary"].highAction, features["frequency"].highAction, features["aov"].highAction}
	if len(got) != len(want) {
		t.Fatalf("ClusterActions = %q, want %d actions", got, len(want))
	}
	for i, lead := range want {
		if w := lead + " As champions: reward them."; got[i] != w {
			t.Errorf("action %d = %q, want %q", i, got[i], w)
		}
	}
	if a := ClusterAction(p, c, "champions", "reward them", nil); a != got[0] {
		t.Errorf("ClusterAction = %q, want ClusterActions' first %q", a, got[0])
	}
	// Most of the cluster lapsed: the win-back lead only.
	lapsed := cs([]float64{400, 9, 3000, 600, 0.03, 0}, []float64{0.9, 0.9, 0.95, 0.8, 0.5, 0.5}, 0.1,
		map[string]float64{GroupLapsed: 0.7, GroupIdle: 0.1})
	if got := ClusterActions(p, lapsed, "", "", nil); len(got) != 1 || !strings.HasPrefix(got[0], "Win back") {
		t.Errorf("a lapsed cluster's actions = %q, want one win-back action", got)
	}
}

// A cluster that kept the previous run's name says so in its section, with
// the name the rules would give afresh; a saved model's name that does not
// hold says the rules' name (segment assign).
func TestMarkdownKeptAndRuleNames(t *testing.T) {
	r := fixRun()
	r.Clusters[0].FreshName = "Fresh name here"
	r.Clusters[1].RuleName = "Rule name here"
	got := writeString(t, r)
	for _, want := range []string{
		"This name is the previous run's: every word of it still holds on this run's numbers, so the segment keeps it; " +
			"ranking this run's traits afresh, the naming rules would call it \"Fresh name here\".",
		"on these customers the naming rules give \"Rule name here\"",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

// A slipping cluster's action leads with the nudge back, as the word
// leads its name, whatever its stronger traits, and goes on with the
// strongest other trait's.
func TestClusterActionsSlipping(t *testing.T) {
	none := map[string]float64{GroupLapsed: 0.1, GroupIdle: 0.3, GroupRecent: 0.1, GroupOneTime: 0.3}
	c := cs([]float64{60, 2, 3000, 300, 0.03, 0}, []float64{0.7, 0.5, 0.95, 0.5, 0.5, 0.5}, 0.1, none)
	got := ClusterActions(testPop(), c, "", "", nil)
	if want := "Nudge them back before they go idle, timed to their usual gap between orders — treat as VIPs: early access, " +
		"loyalty rewards and personal service rather than discounts."; len(got) != 1 || got[0] != want {
		t.Errorf("a slipping high-spend cluster's actions = %q, want only %q", got, want)
	}
	// With no other trait, the nudge alone.
	c = cs([]float64{60, 2, 600, 300, 0.03, 0}, []float64{0.7, 0.5, 0.5, 0.5, 0.5, 0.5}, 0.1, none)
	if got := ClusterActions(testPop(), c, "", "", nil); len(got) != 1 || got[0] != slippingAction {
		t.Errorf("a slipping cluster's actions = %q, want only %q", got, slippingAction)
	}
}

// A category the cluster specialises in (a name word) is among what sets
// it apart, even where the whole store spends most in it.
func TestDistinctionsListSpecialists(t *testing.T) {
	r := &Run{Features: []string{"mix_grocery"}, Population: Population{
		Features: []string{"mix_grocery"}, Median: []float64{0.5}, Share: []float64{0.52}}}
	for _, tt := range []struct {
		name   string
		median float64
		pos    float64
		listed bool
	}{
		{"its median customer in the top third", 0.8, 0.9, true},
		{"buying as much as the others", 0.5, 0.5, false},
	} {
		c := Cluster{Stats: ClusterStats{Median: []float64{tt.median}, Pos: []float64{tt.pos}, Share: []float64{0.6}}}
		lines := distinctions(r, c)
		if listed := len(lines) > 0 && strings.Contains(lines[0], "grocery"); listed != tt.listed {
			t.Errorf("%s: lines %q, want the category listed: %v", tt.name, lines, tt.listed)
		}
		if got := NameClusters(r.Population, []ClusterStats{c.Stats})[0]; (got == "Category specialists (grocery)") != tt.listed {
			t.Errorf("%s: named %q", tt.name, got)
		}
	}
}
