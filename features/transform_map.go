package features

import "math"

// Raw maps a point of the clustering space (a centroid, say) back to raw
// feature values, by column name: v_j = g⁻¹(x_j·Scale[j] + Center[j]), with
// g⁻¹(y) = sign(y)·expm1(|y|) for log1p columns. It is how a previous
// run's centroids are compared with this run's in this run's space. It
// panics if len(x) differs from the number of columns.
func (tr *Transform) Raw(x []float64) map[string]float64 {
	if len(x) != len(tr.Columns) {
		panic("features: Transform.Raw: len(x) != number of columns")
	}
	raw := make(map[string]float64, len(x))
	for j, name := range tr.Columns {
		y := x[j]*tr.Scale[j] + tr.Center[j]
		if tr.Log1p[j] {
			if y < 0 {
				y = -math.Expm1(-y)
			} else {
				y = math.Expm1(y)
			}
		}
		raw[name] = y
	}
	return raw
}

// Point maps raw feature values, by column name, to a point of the
// clustering space, as Apply does for a table row. A column raw lacks
// counts as 0 (a category the other run did not have).
func (tr *Transform) Point(raw map[string]float64) []float64 {
	x := make([]float64, len(tr.Columns))
	for j, name := range tr.Columns {
		x[j] = (tr.g(j, raw[name]) - tr.Center[j]) / tr.Scale[j]
	}
	return x
}

// PointAt maps raw value v of column j to its coordinate in the
// clustering space, as Point does.
func (tr *Transform) PointAt(j int, v float64) float64 {
	return (tr.g(j, v) - tr.Center[j]) / tr.Scale[j]
}
