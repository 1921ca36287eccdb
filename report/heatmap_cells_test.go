package report

import (
	"math"
	"testing"
)

// TestHeatmapCells: a category's share cell gives the cluster's spend
// share, coloured by s / (s + p) against all customers' share p; other
// cells keep the median and its position.
func TestHeatmapCells(t *testing.T) {
	cols := []string{"monetary", "mix_food", "mix_toys", "mix_fuel", "mix_none", "mix_refunds"}
	pop := Population{Median: []float64{50, 0, 0, 0, 0, 0}, Share: []float64{math.NaN(), 0.25, 0.3, 0, math.NaN(), 0.1}}
	stats := []ClusterStats{{Median: []float64{80, 0, 0.5, 0, 0, 0}, Pos: []float64{0.7, 0.4, 0.6, 0.5, 0.5, 0.5}, Share: []float64{math.NaN(), 0.75, 0.3, 0, 0, -0.1}}}
	value, pos := HeatmapCells(pop, stats, cols)
	want := []struct{ value, pos float64 }{{80, 0.7}, {0.75, 0.75}, {0.3, 0.5}, {0, 0.5}, {0, math.NaN()}, {-0.1, math.NaN()}}
	for j, w := range want {
		if value[0][j] != w.value || !(pos[0][j] == w.pos || math.IsNaN(w.pos) && math.IsNaN(pos[0][j])) {
			t.Errorf("%s: value %v at %v, want %v at %v", cols[j], value[0][j], pos[0][j], w.value, w.pos)
		}
	}
	if stats[0].Median[1] != 0 {
		t.Error("HeatmapCells changed the stats")
	}
}
