package report

import (
	"cmp"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
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
// names the legend entries, shown with each cluster's point count. Above
// MaxScatterPoints points, every s-th point is drawn (a deterministic
// subsample; the title says so). Larger clusters are drawn first so that
// small ones stay visible.
//
// ScatterPlot returns an error for no points, a non-finite coordinate, a
// label outside [0, len(names)) or an unknown format, and panics if
// len(xy) != 2*len(labels).
func ScatterPlot(w io.Writer, f Format, xy []float64, labels []int, names []string, xLabel, yLabel string) error {
	if len(xy) != 2*len(labels) {
		panic("report: ScatterPlot: len(xy) != 2*len(labels)")
	}
	n := len(labels)
	if n == 0 {
		return errors.New("report: scatter plot: no points")
	}
	k := len(names)
	counts := make([]int, k)
	for i, l := range labels {
		if l < 0 || l >= k {
			return fmt.Errorf("report: scatter plot: point %d has label %d outside [0, %d)", i, l, k)
		}
		if x, y := xy[2*i], xy[2*i+1]; math.IsNaN(x+y) || math.IsInf(x+y, 0) {
			return fmt.Errorf("report: scatter plot: point %d has non-finite coordinates (%v, %v)", i, x, y)
		}
		counts[l]++
	}

	step := 1
	if n > MaxScatterPoints {
		step = (n + MaxScatterPoints - 1) / MaxScatterPoints
	}
	groups := make([]plotter.XYs, k)
	for i := 0; i < n; i += step {
		l := labels[i]
		groups[l] = append(groups[l], plotter.XY{X: xy[2*i], Y: xy[2*i+1]})
	}

	title := "Customers in the first two principal components"
	if step > 1 {
		shown := (n + step - 1) / step
		title += fmt.Sprintf("\nevery %s customer shown (%s of %s)",
			ordinal(step), FormatInt(int64(shown)), FormatInt(int64(n)))
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
	legend := plot.NewLegend()
	legend.TextStyle.Font = font.From(sans, tickSize)
	legend.Top, legend.Left = true, true
	legend.Padding = vg.Points(2)
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
		thumb := plot.Thumbnailer(blankThumb{})
		if s != nil {
			// A bigger, opaque copy of the glyph so that the key is legible.
			thumb = legendGlyph{draw.GlyphStyle{Color: clusterColor(l), Shape: s.Shape, Radius: vg.Points(4)}}
		}
		legend.Add(fmt.Sprintf("%s (%s)", names[l], FormatInt(int64(counts[l]))), thumb)
	}

	c, err := newCanvas(f, defaultWidth, defaultHeight)
	if err != nil {
		return err
	}
	dc := inset(draw.New(c))
	// The legend sits in its own column right of the data area.
	lw := legend.Rectangle(dc).Size().X + vg.Points(12)
	p.Draw(draw.Crop(dc, 0, -lw, 0, 0))
	lc := p.DataCanvas(draw.Crop(dc, 0, -lw, 0, 0))
	legend.Draw(draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: dc.Max.X - lw + vg.Points(8), Y: dc.Min.Y},
		Max: vg.Point{X: dc.Max.X, Y: lc.Max.Y},
	}})
	return writeCanvas(w, c, "scatter")
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

// blankThumb is the legend thumbnail of a cluster with no point drawn.
type blankThumb struct{}

// Thumbnail implements plot.Thumbnailer.
func (blankThumb) Thumbnail(*draw.Canvas) {}

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
