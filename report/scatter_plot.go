package report

import (
	"cmp"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MaxScatterPoints is the number of points above which ScatterPlot draws
// only every s-th point, s = ⌈n / MaxScatterPoints⌉; more points add
// file size and overdraw, not information.
const MaxScatterPoints = 20000

// scatterGlyphs are the point shapes; clusters beyond the palette's
// length change shape so that no two share colour and shape.
var scatterGlyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.CrossGlyph{},
}

// ScatterPlot writes a scatter plot of n points coloured by cluster, as
// for the first two principal components: xy is n×2 row-major (point i
// at xy[2i], xy[2i+1]), labels[i] in [0, len(names)) its cluster, and
// names the legend entries, shown with each cluster's point count in
// compact columns under the data (the points keep the whole width). Above
// MaxScatterPoints points, every s-th point is drawn (a deterministic
// subsample; the title says so). Larger clusters are drawn first so that
// small ones stay visible.
//
// ScatterPlot returns an error for no points, a non-finite coordinate, a
// label outside [0, len(names)) or an unknown format, and panics if
// len(xy) != 2*len(labels).
func ScatterPlot(w io.Writer, f Format, xy []float64, labels []int, names []string, xLabel, yLabel string) error {
	pts, err := SampleScatter(xy, labels, len(names))
	if err != nil {
		return err
	}
	return pts.Plot(w, f, names, xLabel, yLabel)
}

// ScatterPoints are the points a scatter plot draws, kept without the
// others: every Step-th of Total points (SampleScatter), or with Step 0
// a random sample of them (the caller's), and every point's count by
// cluster for the legend.
type ScatterPoints struct {
	XY          []float64 // the drawn points, row-major (x, y)
	Labels      []int     // their clusters
	Counts      []int     // every point by cluster
	Total, Step int
}

// SampleScatter returns the points ScatterPlot draws of xy and labels,
// with k clusters, checked as ScatterPlot checks them: a caller that keeps
// them rather than xy holds at most MaxScatterPoints points.
func SampleScatter(xy []float64, labels []int, k int) (*ScatterPoints, error) {
	if len(xy) != 2*len(labels) {
		panic("report: ScatterPlot: len(xy) != 2*len(labels)")
	}
	s := NewScatterSampler(len(labels), k)
	for i, l := range labels {
		if err := s.Add(xy[2*i], xy[2*i+1], l); err != nil {
			return nil, err
		}
	}
	return s.Points()
}

// ScatterSampler is SampleScatter a point at a time, for points that are
// not held together: NewScatterSampler(n, k), Add each of the n points in
// order, then Points.
type ScatterSampler struct {
	p ScatterPoints
	i int // points added
}

// NewScatterSampler returns the sampler of n points of k clusters.
func NewScatterSampler(n, k int) *ScatterSampler {
	step := 1
	if n > MaxScatterPoints {
		step = (n + MaxScatterPoints - 1) / MaxScatterPoints
	}
	return &ScatterSampler{p: ScatterPoints{Counts: make([]int, k), Total: n, Step: step}}
}

// Add adds the next point: its coordinates and cluster. A label outside
// [0, k) or a coordinate that is not finite is an error.
func (s *ScatterSampler) Add(x, y float64, label int) error {
	i := s.i
	if label < 0 || label >= len(s.p.Counts) {
		return fmt.Errorf("report: scatter plot: point %d has label %d outside [0, %d)", i, label, len(s.p.Counts))
	}
	if math.IsNaN(x+y) || math.IsInf(x+y, 0) {
		return fmt.Errorf("report: scatter plot: point %d has non-finite coordinates (%v, %v)", i, x, y)
	}
	s.p.Counts[label]++
	if i%s.p.Step == 0 {
		s.p.XY = append(s.p.XY, x, y)
		s.p.Labels = append(s.p.Labels, label)
	}
	s.i++
	return nil
}

// Points returns the points kept, once the n points are added; no
// points, or fewer than n, is an error.
func (s *ScatterSampler) Points() (*ScatterPoints, error) {
	if s.p.Total == 0 {
		return nil, errors.New("report: scatter plot: no points")
	}
	if s.i != s.p.Total {
		return nil, fmt.Errorf("report: scatter plot: %d points of %d", s.i, s.p.Total)
	}
	return &s.p, nil
}

// Plot writes the scatter plot of pts (see ScatterPlot); names are the
// clusters', as many as p.Counts.
func (pts *ScatterPoints) Plot(w io.Writer, f Format, names []string, xLabel, yLabel string) error {
	if len(names) != len(pts.Counts) {
		return fmt.Errorf("report: scatter plot: %d names for %d clusters", len(names), len(pts.Counts))
	}
	names = plotLabels(names)
	k, n, step, counts := len(names), pts.Total, pts.Step, pts.Counts
	groups := make([]plotter.XYs, k)
	for i, l := range pts.Labels {
		groups[l] = append(groups[l], plotter.XY{X: pts.XY[2*i], Y: pts.XY[2*i+1]})
	}

	title := "Map of the customers: similar customers are close together"
	switch shown := len(pts.Labels); {
	case step > 1:
		title += fmt.Sprintf("\nevery %s customer shown (%s of %s)",
			ordinal(step), FormatInt(int64(shown)), FormatInt(int64(n)))
	case shown < n:
		title += fmt.Sprintf("\n%s customers of %s shown, drawn at random", FormatInt(int64(shown)), FormatInt(int64(n)))
	}
	p := newPlot(title, xLabel, yLabel)
	p.X.Tick.Marker = humanTicks{}
	p.Y.Tick.Marker = humanTicks{}
	p.Add(plotter.NewGrid())

	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(counts[b], counts[a]) })
	var entries []legendEntry
	sc := make([]*plotter.Scatter, k)
	for _, l := range order {
		if len(groups[l]) == 0 {
			continue
		}
		s, err := plotter.NewScatter(groups[l])
		if err != nil {
			return fmt.Errorf("report: scatter plot: %w", err)
		}
		s.Color = withAlpha(clusterColor(l), 0xb0)
		s.Shape = scatterGlyphs[(l/len(clusterColors))%len(scatterGlyphs)]
		s.Radius = vg.Points(1.8)
		p.Add(s)
		sc[l] = s
	}
	for l, s := range sc {
		e := legendEntry{text: fmt.Sprintf("%s (%s)", names[l], FormatInt(int64(counts[l])))}
		if s != nil {
			// A bigger, opaque copy of the glyph so that the key is legible.
			e.glyph = &draw.GlyphStyle{Color: clusterColor(l), Shape: s.Shape, Radius: vg.Points(4)}
		}
		entries = append(entries, e)
	}

	// The legend goes under the data, in as many columns as fit, so that
	// the points keep the whole width.
	sty := textStyle(noteSize, color.Black)
	sty.XAlign = draw.XLeft
	entryW := vg.Length(0)
	for _, e := range entries {
		entryW = max(entryW, sty.Width(e.text))
	}
	entryW += vg.Points(26)
	inner := defaultWidth - 2*margin
	cols := max(1, min(len(entries), int(inner/entryW)))
	rows := (len(entries) + cols - 1) / cols
	rowH := vg.Points(15)
	legendH := vg.Length(rows)*rowH + vg.Points(8)
	c, err := newCanvas(f, defaultWidth, defaultHeight+legendH)
	if err != nil {
		return err
	}
	dc := inset(draw.New(c))
	p.Draw(draw.Crop(dc, 0, 0, legendH, 0))
	colW := inner / vg.Length(cols)
	for i, e := range entries {
		// Column-major, like a printed list: down the first column first.
		col, row := i/rows, i%rows
		x := dc.Min.X + vg.Length(col)*colW + vg.Points(8)
		y := dc.Min.Y + legendH - vg.Points(8) - vg.Length(row)*rowH - rowH/2
		if e.glyph != nil {
			dc.DrawGlyph(*e.glyph, vg.Point{X: x, Y: y})
		}
		dc.FillText(sty, vg.Point{X: x + vg.Points(10), Y: y}, e.text)
	}
	return writeCanvas(w, c, "scatter")
}

// legendEntry is one entry of the scatter plot's legend: a glyph (nil for
// a cluster with no point drawn) and its text.
type legendEntry struct {
	glyph *draw.GlyphStyle
	text  string
}

// PCAxisLabel returns a plain-language label for the axis of a principal
// component that carries the share explained of the spread:
// the features it follows most, from loadings[j], the correlation of
// feature j (features[j]) with the component. Features with |loading| ≥
// 0.5 are named, at most three, strongest first (at least the strongest
// one; a category-mix column mix_c as "c share"), as "more" for a
// positive loading and "less" for a negative one:
// "→ more frequency, monetary; less recency days (68% of the differences)"
// (on the y axis the text turns with the axis and the arrow points up).
// It panics if len(loadings) != len(features).
func PCAxisLabel(explained float64, features []string, loadings []float64) string {
	if len(loadings) != len(features) {
		panic("report: PCAxisLabel: len(loadings) != len(features)")
	}
	idx := make([]int, len(features))
	for j := range idx {
		idx[j] = j
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(math.Abs(loadings[b]), math.Abs(loadings[a])) })
	var more, less []string
	for n, j := range idx {
		if n >= 3 || n > 0 && math.Abs(loadings[j]) < 0.5 || math.IsNaN(loadings[j]) {
			break
		}
		name := spaced(features[j])
		if cat, ok := strings.CutPrefix(features[j], "mix_"); ok {
			name = spaced(cat) + " share" // mix_pets: "pets share"
		}
		if loadings[j] >= 0 {
			more = append(more, name)
		} else {
			less = append(less, name)
		}
	}
	var parts []string
	if len(more) > 0 {
		parts = append(parts, "more "+strings.Join(more, ", "))
	}
	if len(less) > 0 {
		parts = append(parts, "less "+strings.Join(less, ", "))
	}
	return fmt.Sprintf("→ %s (%s of the differences)", strings.Join(parts, "; "), formatFixed(100*explained, 0)+"%")
}

// withAlpha returns c with alpha a, premultiplied as color.RGBA requires.
func withAlpha(c color.Color, a uint8) color.RGBA {
	r, g, b, _ := c.RGBA()
	s := uint32(a)
	return color.RGBA{R: uint8(r >> 8 * s / 0xff), G: uint8(g >> 8 * s / 0xff), B: uint8(b >> 8 * s / 0xff), A: a}
}

// legendGlyph is a legend thumbnail showing one glyph.
type legendGlyph struct{ draw.GlyphStyle }

// Thumbnail implements plot.Thumbnailer.
func (g legendGlyph) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(g.GlyphStyle, c.Center())
}

// ordinal returns "2nd", "3rd", "11th", … for n ≥ 1.
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}
