package features

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// table builds a Table from named columns over ids c000, c001, ….
func table(t *testing.T, cols map[string][]float64) *Table {
	t.Helper()
	var names []string
	for name := range cols {
		names = append(names, name)
	}
	slices.Sort(names)
	var n int
	var vals [][]float64
	for _, name := range names {
		n = len(cols[name])
		vals = append(vals, cols[name])
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("c%03d", i)
	}
	tab, err := FromColumns(ids, names, vals)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestInformative(t *testing.T) {
	const n = 200
	varying, constant, nearly, enough := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		varying[i] = float64(i)
		nearly[i] = 0
		enough[i] = 0
	}
	nearly[0] = 1 // 1 of 200 differs: under 1 % (2 customers)
	enough[0], enough[1] = 1, 1
	tab := table(t, map[string][]float64{
		RecencyDays: varying, Frequency: constant, DiscountRatio: constant,
		CouponOrderShare: nearly, AOV: enough,
		MixPrefix + "a": constant, MixOther: constant,
	})
	tab.Absent = []string{"discount"}
	keep, excluded := Informative(tab, []string{RecencyDays, Frequency, DiscountRatio, CouponOrderShare, AOV, CategoryMix, "no_such"}, 0.01)
	if want := []string{RecencyDays, AOV, "no_such"}; !slices.Equal(keep, want) {
		t.Errorf("keep = %q, want %q", keep, want)
	}
	reasons := map[string]string{}
	for _, e := range excluded {
		reasons[e.Feature] = e.Reason
	}
	for name, want := range map[string]string{
		Frequency:        "the same value for all but fewer than 2 of the clustered customers",
		DiscountRatio:    "needs the orders' discount column (orders.columns.discount), which is not mapped",
		CouponOrderShare: "the same value for all but fewer than 2", // coupon is not absent: near-constant
		CategoryMix:      "the same value",
	} {
		if !strings.Contains(reasons[name], want) {
			t.Errorf("%s: reason %q, want %q", name, reasons[name], want)
		}
	}
	// The input is not modified.
	if !slices.Equal(tab.Col(RecencyDays), varying) {
		t.Error("Informative modified the table")
	}
}

func TestSeedGroupsNeedAbsentColumns(t *testing.T) {
	tab := table(t, map[string][]float64{
		Frequency: {1, 2, 3}, Monetary: {10, 20, 30}, RecencyDays: {1, 2, 3}, DiscountRatio: {0, 0, 0},
		FirstOrderCoupon: {0, 0, 0}, MaxOrderValue: {10, 10, 10}, FirstOrderInPeak: {0, 0, 0},
		SaleDayShare: {0, 0, 0}, ReturnedLast: {0, 0, 0},
	})
	tab.Absent = []string{"coupon", "discount"}
	groups, err := SeedGroups(context.Background(), tab, nil, Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		wantNeeds := map[string]string{"coupon_first_order": "the orders' coupon column", "discount_hunter": "the orders' discount column"}[g.ID]
		switch {
		case wantNeeds != "" && (!strings.Contains(g.Needs, wantNeeds) || g.Members != nil):
			t.Errorf("%s: Needs %q, members %v: want not computed, needing %q", g.ID, g.Needs, g.Members, wantNeeds)
		case g.ID == "one_time_buyer" && g.Needs != "":
			t.Errorf("one_time_buyer not computed: %q", g.Needs)
		}
	}
}

func TestNotClusteredAndRows(t *testing.T) {
	tab := table(t, map[string][]float64{
		Frequency: {2, 0, 0, 1, 1},
		Monetary:  {50, 0, -20, 0, -5},
	})
	got := NotClustered(tab)
	want := []string{"", NotClusteredZeroValue, NotClusteredReturnsOnly, NotClusteredReturnsExceed, NotClusteredReturnsExceed}
	if !slices.Equal(got, want) {
		t.Errorf("NotClustered = %q, want %q", got, want)
	}
	sub := tab.Rows([]int{0, 3})
	if !slices.Equal(sub.IDs, []string{"c000", "c003"}) || !slices.Equal(sub.Col(Monetary), []float64{50, 0}) {
		t.Errorf("Rows: ids %q, monetary %v", sub.IDs, sub.Col(Monetary))
	}
	if tab.N() != 5 || tab.Col(Monetary)[3] != 0 {
		t.Error("Rows modified the table")
	}
}

func TestFitTransformClip(t *testing.T) {
	const n = 1000
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(i % 10)
	}
	v[0], v[1] = 1e6, -1e6 // two extreme customers
	tab := table(t, map[string][]float64{AOV: v})
	tr, err := FitTransform(tab, Spec{Use: []string{AOV}, Scale: true, Log1p: []string{}, Clip: 0.005})
	if err != nil {
		t.Fatal(err)
	}
	// The 0.5 % quantiles of 1,000 values: the 6th smallest and largest (index 5).
	if tr.Lo[0] != 0 || tr.Hi[0] != 9 {
		t.Errorf("bounds [%v, %v], want [0, 9]", tr.Lo[0], tr.Hi[0])
	}
	x, err := tr.Apply(tab, nil)
	if err != nil {
		t.Fatal(err)
	}
	if hi := (9 - tr.Center[0]) / tr.Scale[0]; x[0] != hi {
		t.Errorf("the extreme value maps to %v, want the clipped %v", x[0], hi)
	}
	if math.Abs(x[0]) > 3 {
		t.Errorf("the extreme customer is %v standard deviations out after clipping", x[0])
	}
	if got := tr.ClippedRows(tab); got != 2 {
		t.Errorf("ClippedRows = %d, want 2", got)
	}
	// The bounds travel in model.json.
	b, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	var back Transform
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if y, err := back.Apply(tab, nil); err != nil || !slices.Equal(x, y) {
		t.Errorf("a transform read back from JSON gives another matrix (err %v)", err)
	}
	// Without Clip nothing is clipped.
	plain, err := FitTransform(tab, Spec{Use: []string{AOV}, Scale: true, Log1p: []string{}})
	if err != nil || plain.Lo != nil || plain.ClippedRows(tab) != 0 {
		t.Errorf("without Clip: bounds %v, err %v", plain.Lo, err)
	}
}
