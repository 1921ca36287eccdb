package features

import (
	"fmt"
	"math"
	"testing"
)

func TestTransformRawPointRoundTrip(t *testing.T) {
	tr := &Transform{
		Columns: []string{Monetary, DiscountRatio, "mix_toys"},
		Log1p:   []bool{true, false, false},
		Center:  []float64{4.5, 0.1, 0.3},
		Scale:   []float64{1.2, 0.05, 0.4},
	}
	x := []float64{0.7, -1.5, 2}
	raw := tr.Raw(x)
	// monetary: expm1(0.7·1.2 + 4.5) = expm1(5.34).
	if got, want := raw[Monetary], math.Expm1(5.34); math.Abs(got-want) > 1e-9 {
		t.Errorf("raw monetary %v, want %v", got, want)
	}
	back := tr.Point(raw)
	for j := range x {
		if math.Abs(back[j]-x[j]) > 1e-12 {
			t.Errorf("column %d: %v → %v → %v", j, x[j], raw[tr.Columns[j]], back[j])
		}
	}
	// A column the raw values lack counts as 0.
	if p := tr.Point(map[string]float64{}); math.Abs(p[2]-(0-0.3)/0.4) > 1e-15 {
		t.Errorf("missing column: %v", p[2])
	}
}

// TestClipRanks: the winsorising ranks are ⌊clip·n⌋ from either end, but
// at least one from MinClipRows values on, so that in a small store the
// single most extreme customer is clipped too; no clipping without a clip
// share, nor among 3 values, which it would make alike.
func TestClipRanks(t *testing.T) {
	for _, c := range []struct {
		n      int
		clip   float64
		lo, hi int
	}{
		{1, 0.005, 0, 0},
		{2, 0.005, 0, 1},
		{3, 0.005, 0, 2},
		{19, 0.005, 0, 18},
		{20, 0.005, 1, 18},
		{151, 0.005, 1, 149},
		{200, 0.005, 1, 198},
		{1000, 0.005, 5, 994},
		{1000, 0, 0, 999},
	} {
		if lo, hi := ClipRanks(c.n, c.clip); lo != c.lo || hi != c.hi {
			t.Errorf("ClipRanks(%d, %v) = %d, %d; want %d, %d", c.n, c.clip, lo, hi, c.lo, c.hi)
		}
	}
}

// TestFitTransformClipsAWhale: among 150 customers, one who spent a
// million is clipped to the next largest spend, so that the scale is not
// stretched by one customer.
func TestFitTransformClipsAWhale(t *testing.T) {
	n := 151
	spend := make([]float64, n)
	for i := range spend {
		spend[i] = float64(10 + i)
	}
	spend[n-1] = 1e6
	tab := &Table{IDs: make([]string, n), Names: []string{Monetary}, Cols: [][]float64{spend}}
	for i := range tab.IDs {
		tab.IDs[i] = fmt.Sprintf("c%03d", i)
	}
	tr, err := FitTransform(tab, Spec{Use: []string{Monetary}, Scale: true, Clip: 0.005})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tr.Clipped(0, 1e6), tr.Log(0, spend[n-2]); got != want {
		t.Errorf("the whale's clipped value %v, want the next spend's %v", got, want)
	}
}
