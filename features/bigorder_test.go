package features

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
)

// bigOrderTable builds buyers c01, c02, … with the given largest orders
// (frequency 1) and one prospect whose max_order_value is huge, so that a
// cut or a membership that counted prospects would show.
func bigOrderTable(t *testing.T, maxOrders []float64) *Table {
	t.Helper()
	rows := map[string]map[string]float64{"zz-prospect": {MaxOrderValue: 1e9}}
	for i, v := range maxOrders {
		rows[fmt.Sprintf("c%02d", i+1)] = map[string]float64{Frequency: 1, Monetary: v, MaxOrderValue: v}
	}
	return groupTable(t, BaseColumns(), rows)
}

func TestBigOrderCut(t *testing.T) {
	oneTo20 := make([]float64, 20)
	for i := range oneTo20 {
		oneTo20[i] = float64(i + 1)
	}
	// 1..17 then three buyers tied at 50.
	tied := append(oneTo20[:17:17], 50, 50, 50)
	for _, c := range []struct {
		name    string
		values  []float64
		share   float64
		cut     float64
		members string
	}{
		// Q(0.95) = x_⌈0.95·20⌉ = x_19 = 19: only the buyer at 20.
		{"default share", oneTo20, 0, 19, "c20"},
		// Q(0.9) = x_18 = 18.
		{"share 0.1", oneTo20, 0.1, 18, "c19,c20"},
		// Q(0.95) = x_19 = 50: the three tied buyers are not above it.
		{"ties at the cut stay out", tied, 0.05, 50, ""},
		// Q(0.85) = x_17 = 17: the three tied buyers, 15 % of 20.
		{"ties above the cut", tied, 0.15, 17, "c18,c19,c20"},
		// Q(0.8) = x_16 = 16: four buyers, exactly the share.
		{"share 0.2", tied, 0.2, 16, "c17,c18,c19,c20"},
		// Everyone equal: nobody stands out.
		{"all equal", []float64{7, 7, 7, 7}, 0.5, 7, ""},
		// n = 3, Q(0.95) = x_⌈2.85⌉ = x_3: the top buyer is never above.
		{"fewer buyers than 1/share", []float64{5, 9, 100}, 0.05, 100, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			tab := bigOrderTable(t, c.values)
			th := Thresholds{BigOrderShare: c.share}
			cut, ok := BigOrderCut(tab, th)
			if !ok || cut != c.cut {
				t.Errorf("BigOrderCut = %v, %v; want %v", cut, ok, c.cut)
			}
			groups, err := SeedGroups(context.Background(), tab, nil, th)
			if err != nil {
				t.Fatal(err)
			}
			if got := members(tab, groups, "big_order"); got != c.members {
				t.Errorf("big_order = %q, want %q", got, c.members)
			}
		})
	}
}

// TestBigOrderCappedBySpend: a buyer whose largest order was returned in
// a document of its own (spend far below the order) is ranked by the
// spend, so it neither joins big_order nor moves the cut.
func TestBigOrderCappedBySpend(t *testing.T) {
	rows := map[string]map[string]float64{}
	for i := range 19 {
		v := float64(i + 1)
		rows[fmt.Sprintf("c%02d", i+1)] = map[string]float64{Frequency: 1, Monetary: v, MaxOrderValue: v}
	}
	// 168,000 ordered, cancelled in full by another invoice: 2.90 kept.
	rows["c20"] = map[string]float64{Frequency: 2, Monetary: 2.9, MaxOrderValue: 168000}
	tab := groupTable(t, BaseColumns(), rows)
	cut, _ := BigOrderCut(tab, Thresholds{})
	groups, err := SeedGroups(context.Background(), tab, nil, Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	// Ranked by min(largest order, spend): 1..19 and 2.9; Q(0.95) = x_19 = 18.
	if got := members(tab, groups, "big_order"); cut != 18 || got != "c19" {
		t.Errorf("cut %v, big_order %q; want 18 and c19 (c20's returned order not counted)", cut, got)
	}
}

func TestBigOrderDefinition(t *testing.T) {
	tab := bigOrderTable(t, []float64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100})
	tab.MedianOrder = 20
	groups, err := SeedGroups(context.Background(), tab, nil, Thresholds{BigOrderShare: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	// Q(0.8) = x_8 = 80 = 4 × the median order 20.
	def := groupDefinition(groups, "big_order")
	for _, want := range []string{"top 20 %", "80 % quantile", "here above 80", "4 × the store's median order (20)"} {
		if !strings.Contains(def, want) {
			t.Errorf("definition %q lacks %q", def, want)
		}
	}
	// Without a median order (a feature file) the amount alone.
	tab.MedianOrder = 0
	groups, _ = SeedGroups(context.Background(), tab, nil, Thresholds{BigOrderShare: 0.2})
	if def := groupDefinition(groups, "big_order"); !strings.HasSuffix(def, "here above 80") {
		t.Errorf("definition without a median order: %q", def)
	}
}

func TestBigOrderNeedsMaxOrderValue(t *testing.T) {
	tab := rfmTable(t, []string{"a"}, []float64{3}, []float64{1}, []float64{10})
	if _, ok := BigOrderCut(tab, Thresholds{}); ok {
		t.Error("BigOrderCut without max_order_value: ok")
	}
	groups, err := SeedGroups(context.Background(), tab, nil, Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	if got := members(tab, groups, "big_order"); got != "not computed: needs the feature max_order_value" {
		t.Errorf("big_order = %q", got)
	}
	noBuyer := bigOrderTable(t, nil)
	if cut, _ := BigOrderCut(noBuyer, Thresholds{}); !math.IsInf(cut, 1) {
		t.Errorf("no buyer: cut %v, want +Inf", cut)
	}
}

// groupDefinition returns the definition of the group with the given id.
func groupDefinition(groups []Group, id string) string {
	for _, g := range groups {
		if g.ID == id {
			return g.Definition
		}
	}
	return ""
}
