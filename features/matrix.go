package features

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync/atomic"

	"github.com/segment-tool/segment/internal/selectk"
)

// CategoryMix is the name, in Spec.Use and Spec.Log1p, of all the mix_
// columns of a table taken together as one block.
const CategoryMix = "category_mix"

// defaultLog1p are the heavy-tailed features transformed by log1p when
// Spec.Log1p is nil.
var defaultLog1p = []string{
	RecencyDays, TenureDays, Frequency, Monetary, AOV, ItemsPerOrder, MeanInterorderDays,
}

// DefaultLog1p returns the features that get log1p when Spec.Log1p is nil.
func DefaultLog1p() []string { return slices.Clone(defaultLog1p) }

// Spec says which features are clustered and how they are transformed.
type Spec struct {
	// Use lists the clustered features, in matrix column order. The name
	// CategoryMix stands for every mix_ column of the table, as one block.
	Use []string `json:"use"`

	// Log1p lists the features transformed by signed log1p before scaling.
	// nil means DefaultLog1p (those of them that are used); an empty,
	// non-nil slice means none.
	Log1p []string `json:"log1p"`

	// Scale, when true, z-scores every column, with the category-mix block
	// scaled to a total variance of 1. When false the columns are neither
	// centred nor scaled (-scale none).
	Scale bool `json:"scale"`

	// Clip, when in (0, 0.5) and Scale is true, winsorises every column
	// before centring: values below the Clip quantile or above the 1 − Clip
	// quantile (after log1p) are clipped to them, so that a handful of
	// extreme customers cannot pull a centre of their own. 0 clips nothing.
	Clip float64 `json:"clip,omitempty"`
}

// Transform maps table columns to the clustering matrix. Column j of the
// matrix is
//
//	x[i][j] = (g(v) − Center[j]) / Scale[j],  v = Cols[Columns[j]][i],
//
// where g is the signed log1p, sign(v)·log1p(|v|), when Log1p[j], and the
// identity otherwise. It is saved in model.json and re-applied to new data.
type Transform struct {
	Columns []string  `json:"columns"` // table column names, CategoryMix expanded
	Log1p   []bool    `json:"log1p"`
	Center  []float64 `json:"center"`
	Scale   []float64 `json:"scale"` // divisor, > 0
	// Lo and Hi, when not nil, are the winsorising bounds of each column
	// in the g space (Spec.Clip): g(v) is clipped to [Lo[j], Hi[j]] before
	// centring.
	Lo []float64 `json:"lo,omitempty"`
	Hi []float64 `json:"hi,omitempty"`
}

// FitTransform fits the transform that Spec s describes to table t.
//
// With s.Scale, Center[j] is the mean of g(v) and Scale[j] its population
// standard deviation (1 for a constant column), both from exact sums
// (ExactSum), so that they do not depend on the order of the rows. The m_v mix columns of the
// CategoryMix block that are not constant have Scale[j] multiplied by
// √m_v, so that after scaling each has variance 1/m_v and the block a total
// variance of 1: it weighs as much as one feature, however many categories
// it has. (Constant columns are 0 after centring and add no variance, so
// they are not counted.) Without s.Scale, Center is 0 and Scale is 1.
//
// It fails, wrapping ErrUnknownFeature, for a name in s.Use or s.Log1p that
// t does not have, and for an empty or repeated s.Use.
func FitTransform(t *Table, s Spec) (*Transform, error) {
	if t == nil || t.N() == 0 {
		return nil, ErrNoCustomers
	}
	tr, block, err := TransformColumns(t.Names, s)
	if err != nil {
		return nil, err
	}
	if !s.Scale {
		return tr, nil
	}
	// Each column on its own, a column per worker at a time, with the
	// worker's two buffers: the results do not depend on the workers.
	moments := make([]ColumnMoments, len(tr.Columns))
	bufs := make(chan *[2][]float64, max(1, min(transformWorkers(), len(tr.Columns)))) // no buffer a worker would not use
	for range cap(bufs) {
		b := &[2][]float64{make([]float64, 0, t.N())}
		if s.clips() {
			b[1] = make([]float64, 0, t.N())
		}
		bufs <- b
	}
	forEach(len(tr.Columns), cap(bufs), func(j int) {
		b := <-bufs
		defer func() { bufs <- b }()
		buf, sorted := b[0][:0], b[1][:0]
		for _, v := range t.Col(tr.Columns[j]) {
			buf = append(buf, tr.logOf(j, v))
		}
		if s.clips() {
			sorted = append(sorted, buf...) // the two order statistics, without a sort
			lo, hi := ClipRanks(len(sorted), s.Clip)
			tr.Lo[j] = selectk.Select(sorted, lo)
			tr.Hi[j] = selectk.Select(sorted, hi)
			for i, v := range buf {
				buf[i] = min(max(v, tr.Lo[j]), tr.Hi[j])
			}
		}
		moments[j] = MomentsOf(buf)
		b[0], b[1] = buf, sorted
	})
	tr.SetMoments(s, block, moments)
	return tr, nil
}

// transformWorkers is the number of columns FitTransform and Apply work
// on at once: one per CPU the runtime may use.
func transformWorkers() int { return runtime.GOMAXPROCS(0) }

// g applies column j's value transform: signed log1p or the identity.
func (tr *Transform) g(j int, v float64) float64 {
	v = tr.logOf(j, v)
	if tr.Lo != nil {
		v = min(max(v, tr.Lo[j]), tr.Hi[j])
	}
	return v
}

// logOf applies column j's signed log1p, if any, without clipping.
func (tr *Transform) logOf(j int, v float64) float64 {
	if !tr.Log1p[j] {
		return v
	}
	if v < 0 {
		return -math.Log1p(-v)
	}
	return math.Log1p(v)
}

// ClippedRows returns the number of rows of t with at least one value
// outside the winsorising bounds (0 without bounds or when t lacks a
// column).
func (tr *Transform) ClippedRows(t *Table) int {
	if tr.Lo == nil {
		return 0
	}
	clipped := make([]bool, t.N())
	for j, name := range tr.Columns {
		col := t.Col(name)
		if col == nil {
			return 0
		}
		for i, v := range col {
			if v = tr.logOf(j, v); v < tr.Lo[j] || v > tr.Hi[j] {
				clipped[i] = true
			}
		}
	}
	n := 0
	for _, c := range clipped {
		if c {
			n++
		}
	}
	return n
}

// Apply writes the transformed n×d matrix of t, row-major (row i is customer
// t.IDs[i]), into dst and returns it; dst is reused when its capacity is at
// least n·d and allocated otherwise (nil is fine). t is not modified. It
// fails when the transform is malformed (lengths differ, a centre that is
// not finite, a scale that is not finite and positive), when t lacks a
// column (wrapping ErrUnknownFeature) or when a result is not finite.
func (tr *Transform) Apply(t *Table, dst []float64) ([]float64, error) {
	d := len(tr.Columns)
	if d == 0 || len(tr.Log1p) != d || len(tr.Center) != d || len(tr.Scale) != d ||
		(tr.Lo != nil || tr.Hi != nil) && (len(tr.Lo) != d || len(tr.Hi) != d) {
		bounds := ""
		if tr.Lo != nil || tr.Hi != nil {
			bounds = fmt.Sprintf(", %d lower and %d upper bounds", len(tr.Lo), len(tr.Hi))
		}
		return nil, fmt.Errorf("features: malformed transform: %d columns, %d log1p flags, %d centres, %d scales%s",
			d, len(tr.Log1p), len(tr.Center), len(tr.Scale), bounds)
	}
	cols := make([][]float64, d)
	for j, name := range tr.Columns {
		c, s := tr.Center[j], tr.Scale[j]
		if math.IsNaN(c) || math.IsInf(c, 0) || !(s > 0) || math.IsInf(s, 0) {
			return nil, fmt.Errorf("features: malformed transform: column %q has centre %v and scale %v", name, c, s)
		}
		if cols[j] = t.Col(name); cols[j] == nil {
			return nil, fmt.Errorf("%w: the table has no column %q", ErrUnknownFeature, name)
		}
	}
	n := t.N()
	for j, col := range cols {
		if len(col) != n {
			return nil, fmt.Errorf("features: column %q has %d values for %d customers", tr.Columns[j], len(col), n)
		}
	}
	if cap(dst) >= n*d {
		dst = dst[:n*d]
	} else {
		dst = make([]float64, n*d)
	}
	// Blocks of rows, a block per worker at a time: each row's values are
	// written by one worker into memory of its own, and do not depend on
	// the workers. A value that does not transform to a finite number
	// stops the workers; the error is then found in column order.
	var bad atomic.Bool
	blocks := (n + applyRows - 1) / applyRows
	forEach(blocks, transformWorkers(), func(b int) {
		lo, hi := b*applyRows, min((b+1)*applyRows, n)
		for j, col := range cols {
			if bad.Load() || !tr.applyColumn(j, col[lo:hi], dst[lo*d+j:], d) {
				bad.Store(true)
				return
			}
		}
	})
	if bad.Load() {
		return nil, tr.applyError(t, cols)
	}
	return dst, nil
}

// applyRows is the number of rows Apply transforms as one block: the
// block's rows of the matrix stay in a core's cache while each of its
// columns is written.
const applyRows = 2048

// applyColumn writes column j's transform of col into dst[0], dst[d],
// dst[2d]…; false, at the first value that does not transform to a finite
// number.
func (tr *Transform) applyColumn(j int, col, dst []float64, d int) bool {
	c, s := tr.Center[j], tr.Scale[j]
	for i, v := range col {
		x := (tr.g(j, v) - c) / s
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
		dst[i*d] = x
	}
	return true
}

// applyError returns the error of the first column, in column order, with
// a value that does not transform to a finite number (at its first such
// row).
func (tr *Transform) applyError(t *Table, cols [][]float64) error {
	for j, col := range cols {
		c, s := tr.Center[j], tr.Scale[j]
		for i, v := range col {
			if x := (tr.g(j, v) - c) / s; math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("features: customer %q, column %q: value %v transforms to %v", t.IDs[i], tr.Columns[j], v, x)
			}
		}
	}
	return errors.New("features: a value transforms to a number that is not finite")
}
