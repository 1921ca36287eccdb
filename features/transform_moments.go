package features

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// The transform in pieces, so that a runner that never holds a whole
// column (the Beam runner) fits the same transform as FitTransform, bit for
// bit: TransformColumns resolves the spec against the table's columns,
// ClipRanks says which order statistics are the winsorising bounds, and
// SetMoments turns each column's moments (exact sums, see ExactSum) into
// the centres and scales.

// TransformColumns returns the transform of spec s on a table with the
// given column names, before fitting: its columns (CategoryMix expanded),
// log1p flags, Center 0 and Scale 1, and Lo and Hi allocated when s clips;
// block[j] tells whether column j is in the CategoryMix block. Its errors
// are FitTransform's.
func TransformColumns(names []string, s Spec) (tr *Transform, block []bool, err error) {
	if len(s.Use) == 0 {
		return nil, nil, fmt.Errorf("features: no features to use")
	}
	var mixCols []string
	for _, name := range names {
		if strings.HasPrefix(name, MixPrefix) {
			mixCols = append(mixCols, name)
		}
	}
	has := func(name string) bool { return slices.Contains(names, name) }
	tr = &Transform{}
	seen := make(map[string]bool)
	for _, u := range s.Use {
		cols := []string{u}
		switch {
		case u == CategoryMix && len(mixCols) == 0:
			return nil, nil, fmt.Errorf("%w: %s: the table has no %s columns", ErrUnknownFeature, CategoryMix, MixPrefix)
		case u == CategoryMix:
			cols = mixCols
		case !has(u):
			return nil, nil, fmt.Errorf("%w: %q", ErrUnknownFeature, u)
		}
		for _, c := range cols {
			if seen[c] {
				return nil, nil, fmt.Errorf("features: feature %q used twice", c)
			}
			seen[c] = true
			block = append(block, u == CategoryMix)
			tr.Columns = append(tr.Columns, c)
		}
	}
	logSet := make(map[string]bool)
	if s.Log1p == nil {
		for _, name := range defaultLog1p {
			logSet[name] = true
		}
	}
	for _, name := range s.Log1p {
		switch {
		case name == CategoryMix:
			for _, c := range mixCols {
				logSet[c] = true
			}
		case !has(name):
			return nil, nil, fmt.Errorf("%w: %q in log1p", ErrUnknownFeature, name)
		default:
			logSet[name] = true
		}
	}
	d := len(tr.Columns)
	tr.Log1p, tr.Center, tr.Scale = make([]bool, d), make([]float64, d), make([]float64, d)
	for j, name := range tr.Columns {
		tr.Log1p[j], tr.Scale[j] = logSet[name], 1
	}
	if s.clips() {
		tr.Lo, tr.Hi = make([]float64, d), make([]float64, d)
	}
	return tr, block, nil
}

// clips tells whether the spec winsorises.
func (s Spec) clips() bool { return s.Scale && s.Clip > 0 && s.Clip < 0.5 }

// MinClipRows is the fewest values from which ClipRanks clips at least the
// most extreme one at either end: below it (3 customers, say) clipping one
// of each end would leave little but the median.
const MinClipRows = 20

// ClipRanks returns the 0-based ranks, among a column's n sorted values,
// of the winsorising bounds Lo and Hi for Spec.Clip clip (n > 0):
// ⌊clip·n⌋, but at least 1 from MinClipRows values on (a store of 150
// customers and one who spent a million: ⌊0.005·150⌋ = 0 would leave that
// one to stretch the scale and own a cluster), and n − 1 − that.
func ClipRanks(n int, clip float64) (lo, hi int) {
	cut := min(int(clip*float64(n)), n-1)
	if cut == 0 && clip > 0 && n >= MinClipRows {
		cut = 1
	}
	return cut, n - 1 - cut
}

// Log returns column j's value after the signed log1p, if the column has
// one, and before winsorising. It is increasing in v, so the winsorising
// bounds are Log of the values at ClipRanks.
func (tr *Transform) Log(j int, v float64) float64 { return tr.logOf(j, v) }

// Clipped returns column j's value after log1p and winsorising, g(v): the
// value the moments are taken of.
func (tr *Transform) Clipped(j int, v float64) float64 { return tr.g(j, v) }

// ColumnMoments are the moments of one column's n values g(v) that the
// centre and scale are fitted from.
type ColumnMoments struct {
	N        int
	Min, Max float64
	// Mean is ExactSum(g)/N and SumSq the ExactSum of (g − Mean)², each
	// square rounded to float64 before the exact sum.
	Mean, SumSq float64
}

// MomentsOf returns the moments of the values x (not empty) in two exact
// passes.
func MomentsOf(x []float64) ColumnMoments {
	m := ColumnMoments{N: len(x), Min: slices.Min(x), Max: slices.Max(x)}
	var sum ExactSum
	for _, v := range x {
		sum.Add(v)
	}
	m.Mean = sum.Float64() / float64(len(x))
	var ss ExactSum
	for _, v := range x {
		ss.Add((v - m.Mean) * (v - m.Mean))
	}
	m.SumSq = ss.Float64()
	return m
}

// SetMoments sets the centres and scales of tr (from TransformColumns,
// with Lo and Hi set when it clips) from its columns' moments, as
// FitTransform documents: Center the mean (the value of a constant
// column), Scale the population standard deviation √(SumSq/N), 1 for a
// constant column, times √m_v for the m_v varying columns of the mix
// block. Without spec.Scale it changes nothing.
func (tr *Transform) SetMoments(s Spec, block []bool, m []ColumnMoments) {
	if !s.Scale {
		return
	}
	varying := make([]bool, len(tr.Columns))
	count := 0
	for j := range tr.Columns {
		tr.Scale[j] = 1
		if m[j].Min == m[j].Max {
			tr.Center[j] = m[j].Min
			continue
		}
		tr.Center[j] = m[j].Mean
		std := math.Sqrt(m[j].SumSq / float64(m[j].N))
		if std == 0 || math.IsInf(std, 0) {
			continue
		}
		tr.Scale[j] = std
		if block[j] {
			varying[j] = true
			count++
		}
	}
	for j := range varying {
		if varying[j] {
			tr.Scale[j] *= math.Sqrt(float64(count))
		}
	}
}
