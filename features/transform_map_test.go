package features

import (
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
