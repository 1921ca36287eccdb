package report

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SnakePlot writes a snake plot: one line with markers per cluster across
// the features (x), at the cluster's standardized mean z[i][j] (the mean
// of feature j over cluster i's customers in population standard
// deviations from the population mean), with a labelled zero line for the
// average customer. Clusters keep their colours of the other plots and get
// distinct dash patterns, so that lines stay apart in grey print.
//
// One outlying cluster does not squash the others: the y axis is clipped
// at snakeLimit(z), values beyond it are drawn on the edge as an arrow
// head pointing out, in the cluster's colour, with the true value printed
// beside it, and a note under the legend says so.
//
// SnakePlot returns an error for no clusters or features, a non-finite
// value or an unknown format, and panics if a row of z is not
// len(features) long or len(z) != len(clusters).
func SnakePlot(w io.Writer, f Format, features, clusters []string, z [][]float64) error {
	if len(z) != len(clusters) {
		panic("report: SnakePlot: len(z) != len(clusters)")
	}
	for _, row := range z {
		if len(row) != len(features) {
			panic("report: SnakePlot: len(z[i]) != len(features)")
		}
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errors.New("report: snake plot: a value is not finite")
			}
		}
	}
	if len(clusters) == 0 || len(features) == 0 {
		return errors.New("report: snake plot: no clusters or no features")
	}
	features, clusters = plotLabels(features), plotLabels(clusters)
	lo, hi, clipped := snakeRange(z)
	p := newPlot("Snake plot: cluster means in standard deviations from the average customer", "", "Standard deviations from the average customer")
	p.Add(plotter.NewGrid())
	xMin, xMax := -0.3, float64(len(features))-0.6
	zero, _ := plotter.NewLine(plotter.XYs{{X: xMin, Y: 0}, {X: xMax, Y: 0}})
	zero.LineStyle = draw.LineStyle{Color: rgb(0x333333), Width: vg.Points(1.2)}
	p.Add(zero)
	legend := plot.NewLegend()
	legend.TextStyle.Font = font.From(sans, tickSize)
	legend.Top, legend.Left = true, true
	dashes := [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}}
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PlusGlyph{}, draw.CrossGlyph{}, draw.RingGlyph{}}
	var marks clipMarks
	for i, row := range z {
		pts := make(plotter.XYs, len(row))
		var inside plotter.XYs
		for j, v := range row {
			y := math.Max(lo, math.Min(hi, v))
			pts[j] = plotter.XY{X: float64(j), Y: y}
			if y != v {
				marks = append(marks, clipMark{x: float64(j), y: y, up: v > hi, value: v, color: clusterColor(i)})
			} else {
				inside = append(inside, pts[j])
			}
		}
		line, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("report: snake plot: %w", err)
		}
		line.LineStyle = draw.LineStyle{Color: clusterColor(i), Width: vg.Points(2), Dashes: dashes[i%len(dashes)]}
		glyph := draw.GlyphStyle{Color: clusterColor(i), Radius: vg.Points(3.5), Shape: shapes[i%len(shapes)]}
		p.Add(line)
		if len(inside) > 0 {
			sc, err := plotter.NewScatter(inside)
			if err != nil {
				return fmt.Errorf("report: snake plot: %w", err)
			}
			sc.GlyphStyle = glyph
			p.Add(sc)
		}
		legend.Add(clusters[i], line, legendGlyph{glyph})
	}
	p.Add(marks)
	zl := zeroLabel{x: xMin}
	p.Add(zl)
	p.NominalX(features...)
	rotateTickLabels(&p.X, math.Pi/5)
	p.X.Min, p.X.Max = xMin, xMax
	pad := 0.06 * (hi - lo)
	p.Y.Min, p.Y.Max = lo-pad, hi+pad
	p.Y.Tick.Marker = sdTicks{}
	// The legend goes beside the plot: widen the image by its width.
	legendW := vg.Length(0)
	for _, n := range clusters {
		legendW = max(legendW, legend.TextStyle.Width(n))
	}
	note := ""
	if clipped {
		note = "Arrow heads on the top or bottom edge:\nmeans beyond the axis, true value beside."
		for _, l := range strings.Split(note, "\n") {
			legendW = max(legendW, textStyle(noteSize, color.Black).Width(l)-legend.ThumbnailWidth)
		}
	}
	width := max(defaultWidth, 6*vg.Inch+legendW+0.6*vg.Inch+vg.Length(len(features))*0.35*vg.Inch)
	c, err := newCanvas(f, width, max(defaultHeight, 5.5*vg.Inch))
	if err != nil {
		return err
	}
	dc := inset(draw.New(c))
	legendArea := legendW + 0.6*vg.Inch
	plotArea := draw.Crop(dc, 0, -legendArea, 0, 0)
	p.Draw(plotArea)
	legendCanvas := draw.Crop(dc, dc.Max.X-dc.Min.X-legendArea+0.1*vg.Inch, 0, 0, -0.6*vg.Inch)
	legend.Draw(legendCanvas)
	if note != "" {
		sty := textStyle(noteSize, color.Black)
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
		y := legendCanvas.Max.Y - vg.Length(len(clusters)+1)*legend.TextStyle.Height("Xg")
		for _, l := range strings.Split(note, "\n") {
			legendCanvas.FillText(sty, vg.Point{X: legendCanvas.Min.X, Y: y}, l)
			y -= sty.Height(l)
		}
	}
	return writeCanvas(w, c, "snake")
}

// snakeRange returns the y range of the snake plot: all values, with 0,
// unless the largest |z| is beyond max(3, 2 × the 90th percentile of
// |z|), rounded up to a multiple of 0.5: then the range stops there
// (clipped is true), so that one outlying cluster does not squash the
// lines of the others. Within ±3 standard deviations nothing is clipped.
func snakeRange(z [][]float64) (lo, hi float64, clipped bool) {
	var abs []float64
	for _, row := range z {
		for _, v := range row {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			abs = append(abs, math.Abs(v))
		}
	}
	slices.Sort(abs)
	limit := math.Max(3, 2*abs[int(0.9*float64(len(abs)-1))])
	limit = math.Ceil(limit*2) / 2 // a multiple of 0.5
	if hi > limit {
		hi, clipped = limit, true
	}
	if lo < -limit {
		lo, clipped = -limit, true
	}
	if hi-lo < 1 { // a flat plot still spans one standard deviation
		hi, lo = math.Max(hi, 0.5), math.Min(lo, -0.5)
	}
	return lo, hi, clipped
}

// sdTicks labels the snake plot's y axis at round steps of standard
// deviations (0.25, 0.5, 1, 2 or 5: at most 8 labels), signed, with 0
// always labelled.
type sdTicks struct{}

// Ticks implements plot.Ticker.
func (sdTicks) Ticks(min, max float64) []plot.Tick {
	step := 5.0
	for _, s := range []float64{0.25, 0.5, 1, 2} {
		if (max-min)/s <= 8 {
			step = s
			break
		}
	}
	var ts []plot.Tick
	for k := math.Ceil(min / step); k*step <= max; k++ {
		v := k * step
		label := "0"
		if k != 0 {
			label = trimFloat(v, 2)
			if v > 0 {
				label = "+" + label
			}
		}
		ts = append(ts, plot.Tick{Value: v, Label: label})
	}
	return ts
}

// clipMark is a snake plot value beyond the axis: an arrow head on the
// edge at (x, y) pointing up or down, with the true value beside it.
type clipMark struct {
	x, y  float64
	up    bool
	value float64
	color color.Color
}

// clipMarks is a plot.Plotter drawing clipMark values.
type clipMarks []clipMark

// Plot implements plot.Plotter.
func (ms clipMarks) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	const s = 6 // half-width of the arrow head, points
	for _, m := range ms {
		x, y := tx(m.x), ty(m.y)
		dir := vg.Length(1)
		if !m.up {
			dir = -1
		}
		c.FillPolygon(m.color, []vg.Point{{X: x - s, Y: y - dir*s}, {X: x + s, Y: y - dir*s}, {X: x, Y: y + dir*s}})
		c.StrokeLines(draw.LineStyle{Color: color.Black, Width: vg.Points(0.6)},
			[]vg.Point{{X: x - s, Y: y - dir*s}, {X: x + s, Y: y - dir*s}, {X: x, Y: y + dir*s}, {X: x - s, Y: y - dir*s}})
		sty := textStyle(noteSize, color.Black)
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
		label := strconv.FormatFloat(m.value, 'f', 1, 64)
		if m.value > 0 {
			label = "+" + label
		}
		c.FillText(sty, vg.Point{X: x + s + 2, Y: y - dir*s}, label)
	}
}

// zeroLabel writes "average customer" just above the zero line at x.
type zeroLabel struct{ x float64 }

// Plot implements plot.Plotter.
func (z zeroLabel) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	sty := textStyle(noteSize, rgb(0x333333))
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
	c.FillText(sty, vg.Point{X: tx(z.x) + 3, Y: ty(0) + 2}, "average customer")
}
