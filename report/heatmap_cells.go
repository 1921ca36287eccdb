package report

import (
	"math"
	"strings"
)

// HeatmapCells returns the heat map's cells for the clusters' profiles
// stats against the population pop, over the profiled columns cols: each
// cell's value and its colour position in [0, 1] (HeatmapPlot's median and
// pos). A column is the cluster's median customer and that median's
// quantile position among all clustered customers (ClusterStats.Median,
// Pos), but a category's share (mix_…), whose median customer is often at
// 0: there the value is the cluster's share of its spend in the category
// (ClusterStats.Share, as the report's tables give it) and the position
// compares it with all clustered customers' share p,
//
//	s / (s + p),
//
// 0.5 for the same share, towards 1 for a larger one (0.75 for three
// times it), towards 0 for a smaller one, 0 for none. NaN where a share is
// unknown (no spend) or below 0 (net refunds).
func HeatmapCells(pop Population, stats []ClusterStats, cols []string) (value, pos [][]float64) {
	value, pos = make([][]float64, len(stats)), make([][]float64, len(stats))
	for i, st := range stats {
		value[i], pos[i] = make([]float64, len(cols)), make([]float64, len(cols))
		for j, col := range cols {
			value[i][j], pos[i][j] = st.Median[j], st.Pos[j]
			if !strings.HasPrefix(col, "mix_") || j >= len(st.Share) || j >= len(pop.Share) {
				continue
			}
			s, p := st.Share[j], pop.Share[j]
			value[i][j] = s
			switch {
			case math.IsNaN(s) || math.IsNaN(p):
				pos[i][j] = math.NaN()
			case s == 0 && p == 0:
				pos[i][j] = 0.5 // nobody spends in it
			case s < 0 || p < 0: // net refunds in the category: no comparison
				pos[i][j] = math.NaN()
			default:
				pos[i][j] = s / (s + p)
			}
		}
	}
	return value, pos
}
