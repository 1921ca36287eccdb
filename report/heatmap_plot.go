package report

import (
	"errors"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatmapPlot writes the profile heat map: one row per cluster (rowNames,
// first at the top, marked with the cluster's colour), one column per
// feature (colNames). Cell (i, j) is annotated with median[i][j], cluster
// i's median of feature j, and coloured by pos[i][j], the quantile
// position of that median among all clustered customers (0 lowest, 0.5
// typical, 1 highest; ClusterStats.Pos), the measure the report's tables
// and names use. Unlike a cluster mean over the population mean, it is
// not inflated by a few very large customers and needs no cap. A
// category's share is better shown as the cluster's share of spend,
// placed against everyone's: HeatmapCells makes both.
//
// Where a higher value is better or worse for the business
// (featureDirection) the colour says so: green better, magenta worse,
// white typical (ColorBrewer PiYG); other features are grey, darker when
// higher. A colour bar for each kind of column says what the colours
// mean. NaN positions are light grey and read "n/a". The image grows
// beyond 8×5 inches with many rows or columns so that the annotations
// stay legible.
//
// HeatmapPlot returns an error for an empty table or an unknown format,
// and panics if median or pos does not have len(rowNames) rows of
// len(colNames) values.
func HeatmapPlot(w io.Writer, f Format, rowNames, colNames []string, median, pos [][]float64) error {
	if len(median) != len(rowNames) || len(pos) != len(rowNames) {
		panic("report: HeatmapPlot: len(median) or len(pos) != len(rowNames)")
	}
	for i := range pos {
		if len(pos[i]) != len(colNames) || len(median[i]) != len(colNames) {
			panic("report: HeatmapPlot: a row's length != len(colNames)")
		}
	}
	if len(rowNames) == 0 || len(colNames) == 0 {
		return errors.New("report: heatmap plot: empty table")
	}
	nr, nc := len(rowNames), len(colNames)
	rowNames, colLabels := plotLabels(rowNames), plotLabels(colNames)

	p := newPlot("Segment profiles vs all customers", "", "")
	cells := make(rects, 0, nr*(nc+1))
	labels := make([]cellLabel, 0, nr*nc)
	const gap = 0.03 // white margin between cells, in cell units
	var directed, neutral bool
	for j := range colNames {
		if featureDirection(colNames[j]) == neither {
			neutral = true
		} else {
			directed = true
		}
	}
	for i := range pos {
		y := float64(nr - 1 - i)
		// The cluster's colour, as in the other plots, left of its row.
		cells = append(cells, rect{x0: -0.78, x1: -0.58, y0: y - 0.3, y1: y + 0.3, fill: clusterColor(i)})
		for j, v := range pos[i] {
			fill := heatColor(colNames[j], v)
			x := float64(j)
			text := formatFeature(colNames[j], median[i][j], false)
			if math.IsNaN(v) || math.IsNaN(median[i][j]) {
				fill, text = nanColor, "n/a"
			}
			cells = append(cells, rect{x0: x - 0.5 + gap, x1: x + 0.5 - gap, y0: y - 0.5 + gap, y1: y + 0.5 - gap, fill: fill})
			labels = append(labels, cellLabel{x: x, y: y, text: text, color: textColorOn(fill)})
		}
	}
	p.Add(cells, cellLabels(labels))
	p.X.Min, p.X.Max = -0.8, float64(nc)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(nr)-0.5

	yNames := make([]string, nr)
	for i, n := range rowNames {
		yNames[nr-1-i] = n
	}
	p.NominalY(yNames...)
	p.Y.Tick.Label.Font = font.From(sans, labelSize)
	p.NominalX(colLabels...)
	p.Y.Padding, p.X.Padding = 0, 0

	var bars []colorBar
	if directed {
		bars = append(bars, colorBar{
			color:   func(t float64) color.Color { return goodBadRamp.at(t) },
			ticks:   []scaleTick{{0, "worst"}, {0.25, "worse than 75%"}, {0.5, "typical"}, {0.75, "better than 75%"}, {1, "best"}},
			caption: "For the business,\nbetter or worse than\nother customers",
		})
	}
	if neutral {
		bars = append(bars, colorBar{
			color:   func(t float64) color.Color { return neutralRamp.at(t) },
			ticks:   []scaleTick{{0, "lowest"}, {0.25, "lower"}, {0.5, "typical"}, {0.75, "higher"}, {1, "highest"}},
			caption: "Neither better nor\nworse: higher or\nlower than others",
		})
	}
	barStrip := vg.Length(0)
	for _, b := range bars {
		barStrip = max(barStrip, b.width())
	}
	barStrip += 0.35 * vg.Inch

	nameW := vg.Length(0)
	for _, n := range rowNames {
		nameW = max(nameW, p.Y.Tick.Label.Width(n))
	}
	// At least 0.6 inch per column, enough for "12,345" at 10 pt.
	const swatchW = 0.3 * 0.6 * vg.Inch
	width := max(defaultWidth, nameW+barStrip+2*margin+0.1*vg.Inch+swatchW+vg.Length(nc)*0.6*vg.Inch)
	// The title is centred over the cells and their names: keep it whole.
	width = max(width, p.Title.TextStyle.Width(p.Title.Text)+barStrip+2*margin+0.2*vg.Inch)
	cellW := (width - barStrip - nameW - 2*margin - 0.1*vg.Inch - swatchW) / vg.Length(nc)
	rotated := false
	for _, n := range colLabels {
		if p.X.Tick.Label.Width(n) > 0.92*cellW {
			rotated = true
			break
		}
	}
	if rotated {
		rotateTickLabels(&p.X, math.Pi/4)
	}
	xTickH := vg.Length(0)
	for _, n := range colLabels {
		xTickH = max(xTickH, p.X.Tick.Label.Rectangle(n).Size().Y)
	}
	// Two stacked colour bars need room for both captions.
	minH := defaultHeight
	if len(bars) == 2 {
		minH = 6 * vg.Inch
	}
	height := max(minH, 1.1*vg.Inch+xTickH+vg.Length(nr)*0.45*vg.Inch)

	c, err := newCanvas(f, width, height)
	if err != nil {
		return err
	}
	dc := inset(draw.New(c))
	left := draw.Crop(dc, 0, -barStrip, 0, 0)
	p.Draw(left)

	// The colour bars share the height of the cells, top to bottom.
	data := p.DataCanvas(left)
	// Each bar's caption sits above it, inside the height of the cells.
	x := dc.Max.X - barStrip + 0.2*vg.Inch
	var capH vg.Length
	for _, b := range bars {
		capH = max(capH, b.captionHeight())
	}
	top := data.Max.Y - capH
	each := (data.Max.Y - data.Min.Y - vg.Length(len(bars))*capH - vg.Length(len(bars)-1)*0.15*vg.Inch) / vg.Length(len(bars))
	for _, b := range bars {
		b.draw(dc, x, top-each, top)
		top -= each + capH + 0.15*vg.Inch
	}
	return writeCanvas(w, c, "heatmap")
}

// heatColor returns the fill of a cell of feature name whose median sits
// at quantile position pos: on the better/worse scale when a higher value
// is better or worse for the business, on the grey scale otherwise.
func heatColor(name string, pos float64) color.Color {
	if math.IsNaN(pos) {
		return nanColor
	}
	switch featureDirection(name) {
	case higherBetter:
		return goodBadRamp.at(pos)
	case lowerBetter:
		return goodBadRamp.at(1 - pos)
	default:
		return neutralRamp.at(pos)
	}
}

// rotateTickLabels turns an axis' tick labels by angle (counter-clockwise)
// and hangs them below their tick, so that no label reaches up into the
// data area, where cells would cover it.
func rotateTickLabels(a *plot.Axis, angle float64) {
	a.Tick.Label.Rotation = angle
	a.Tick.Label.XAlign = draw.XRight
	a.Tick.Label.YAlign = draw.YTop
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
