package report

import (
	"errors"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colour scale limits of the heat map: the scale is symmetric around 0
// and spans the largest |rel|, but at least ±10 % (so that noise is not
// painted as a strong difference) and at most ±100 % (so that one extreme
// cell does not wash out the others; cells beyond take the end colour and
// keep their exact value as annotation).
const (
	heatMinScale = 0.10
	heatMaxScale = 1.00
)

// nanColor fills heat map cells whose relative value is undefined.
var nanColor = rgb(0xd9d9d9)

// HeatmapPlot writes the profile heat map: one row per cluster (rowNames,
// first at the top), one column per feature (colNames), each cell
// coloured by rel[i][j] = cluster i's mean of feature j / population mean
// − 1 on a diverging blue–white–red scale centred at 0 (Moreland 2009)
// and annotated with the value as a signed percentage ("+45%", "-12%").
// NaN cells (undefined ratio) are grey and read "n/a". A colour bar on
// the right gives the scale. The image grows beyond 8×5 inches with many
// rows or columns so that the annotations stay legible.
//
// HeatmapPlot returns an error for an empty table or an unknown format,
// and panics if len(rel) != len(rowNames) or a row's length differs from
// len(colNames).
func HeatmapPlot(w io.Writer, f Format, rowNames, colNames []string, rel [][]float64) error {
	if len(rel) != len(rowNames) {
		panic("report: HeatmapPlot: len(rel) != len(rowNames)")
	}
	for _, row := range rel {
		if len(row) != len(colNames) {
			panic("report: HeatmapPlot: len(rel[i]) != len(colNames)")
		}
	}
	if len(rowNames) == 0 || len(colNames) == 0 {
		return errors.New("report: heatmap plot: empty table")
	}
	nr, nc := len(rowNames), len(colNames)

	scale := heatScale(rel)
	cmap := moreland.SmoothBlueRed()
	cmap.SetMin(-scale)
	cmap.SetMax(scale)

	p := newPlot("Segment profiles: difference from the average customer", "", "")
	cells := make(rects, 0, nr*nc)
	labels := make([]cellLabel, 0, nr*nc)
	const gap = 0.03 // white margin between cells, in cell units
	for i, row := range rel {
		y := float64(nr - 1 - i)
		for j, v := range row {
			fill := heatColor(cmap, v, scale)
			x := float64(j)
			cells = append(cells, rect{x0: x - 0.5 + gap, x1: x + 0.5 - gap, y0: y - 0.5 + gap, y1: y + 0.5 - gap, fill: fill})
			labels = append(labels, cellLabel{x: x, y: y, text: formatSignedPercent(v), color: textColorOn(fill)})
		}
	}
	p.Add(cells, cellLabels(labels))
	p.X.Min, p.X.Max = -0.5, float64(nc)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(nr)-0.5

	yNames := make([]string, nr)
	for i, n := range rowNames {
		yNames[nr-1-i] = n
	}
	p.NominalY(yNames...)
	p.Y.Tick.Label.Font = font.From(sans, labelSize)
	p.NominalX(colNames...)
	p.Y.Padding, p.X.Padding = 0, 0

	const barStrip = 1.15 * vg.Inch
	nameW := vg.Length(0)
	for _, n := range rowNames {
		nameW = max(nameW, p.Y.Tick.Label.Width(n))
	}
	// At least 0.6 inch per column, enough for "+100%" at 10 pt.
	width := max(defaultWidth, nameW+barStrip+2*margin+0.1*vg.Inch+vg.Length(nc)*0.6*vg.Inch)
	cellW := (width - barStrip - nameW - 2*margin - 0.1*vg.Inch) / vg.Length(nc)
	rotated := false
	for _, n := range colNames {
		if p.X.Tick.Label.Width(n) > 0.92*cellW {
			rotated = true
			break
		}
	}
	if rotated {
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	xTickH := vg.Length(0)
	for _, n := range colNames {
		xTickH = max(xTickH, p.X.Tick.Label.Rectangle(n).Size().Y)
	}
	height := max(defaultHeight, 1.1*vg.Inch+xTickH+vg.Length(nr)*0.45*vg.Inch)

	c, err := newCanvas(f, width, height)
	if err != nil {
		return err
	}
	dc := inset(draw.New(c))
	left := draw.Crop(dc, 0, -barStrip, 0, 0)
	p.Draw(left)

	// The colour bar spans the same height as the cells.
	data := p.DataCanvas(left)
	drawColorBar(dc, cmap, scale, dc.Max.X-barStrip+0.2*vg.Inch, data.Min.Y, data.Max.Y)
	return writeCanvas(w, c, "heatmap")
}

// heatScale returns the half-width of the colour scale for rel.
func heatScale(rel [][]float64) float64 {
	m := 0.0
	for _, row := range rel {
		for _, v := range row {
			if !math.IsNaN(v) {
				m = math.Max(m, math.Abs(v))
			}
		}
	}
	return math.Min(math.Max(m, heatMinScale), heatMaxScale)
}

// heatColor returns the fill of a cell with value v on a scale of ±scale.
func heatColor(cmap palette.ColorMap, v, scale float64) color.Color {
	if math.IsNaN(v) {
		return nanColor
	}
	c, err := cmap.At(math.Max(-scale, math.Min(scale, v)))
	if err != nil {
		// Unreachable: v is clamped into the map's range.
		panic("report: heatmap colour: " + err.Error())
	}
	return c
}

// colorBarSteps is the number of colour bands in the colour bar.
const colorBarSteps = 64

// drawColorBar draws the vertical colour bar of cmap on c with its left
// edge at x, from y0 to y1: a gradient, five ticks labelled with signed
// percentages (the ends read "≥"/"≤" when the scale is capped) and a
// caption above. It is drawn by hand rather than as a plot so that its
// geometry does not depend on axis label widths.
func drawColorBar(c draw.Canvas, cmap palette.ColorMap, scale float64, x, y0, y1 vg.Length) {
	const barW = 14 // points
	// Vector bands, not an image: vgsvg labels embedded PNGs as JPEG,
	// which strict SVG renderers refuse to draw.
	band := (y1 - y0) / colorBarSteps
	for i := range colorBarSteps {
		v := -scale + (float64(i)+0.5)*2*scale/colorBarSteps
		lo, hi := y0+vg.Length(i)*band, y0+vg.Length(i+1)*band
		if i < colorBarSteps-1 {
			hi += band / 4 // overlap the next band: no hairline gaps
		}
		c.FillPolygon(heatColor(cmap, v, scale), []vg.Point{{X: x, Y: lo}, {X: x + barW, Y: lo}, {X: x + barW, Y: hi}, {X: x, Y: hi}})
	}

	line := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
	sty := textStyle(tickSize, color.Black)
	sty.XAlign = draw.XLeft
	capped := scale >= heatMaxScale
	for _, f := range []float64{-1, -0.5, 0, 0.5, 1} {
		v := f * scale
		y := y0 + vg.Length((f+1)/2)*(y1-y0)
		c.StrokeLine2(line, x+barW, y, x+barW+4, y)
		label := formatSignedPercent(v)
		switch {
		case capped && f == 1:
			label = "≥" + label
		case capped && f == -1:
			label = "≤" + label
		}
		c.FillText(sty, vg.Point{X: x + barW + 6, Y: y}, label)
	}
	caption := textStyle(tickSize, color.Black)
	caption.XAlign = draw.XLeft
	caption.YAlign = draw.YBottom
	c.FillText(caption, vg.Point{X: x, Y: y1 + 5}, "vs average")
}

// cellLabel is one heat map annotation, centred on (x, y) in data units.
type cellLabel struct {
	x, y  float64
	text  string
	color color.Color
}

// cellLabels is a plot.Plotter drawing the heat map annotations with one
// font size, the largest up to 10 pt at which every label fits its cell.
type cellLabels []cellLabel

// Plot implements plot.Plotter.
func (ls cellLabels) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	cellW := tx(1) - tx(0)
	cellH := ty(1) - ty(0)
	size := vg.Length(tickSize)
	for ; size > 5; size -= 0.5 {
		sty := textStyle(size, color.Black)
		fits := true
		for _, l := range ls {
			r := sty.Rectangle(l.text).Size()
			if r.X > 0.9*cellW || r.Y > 0.8*cellH {
				fits = false
				break
			}
		}
		if fits {
			break
		}
	}
	for _, l := range ls {
		c.FillText(textStyle(size, l.color), vg.Point{X: tx(l.x), Y: ty(l.y)}, l.text)
	}
}
