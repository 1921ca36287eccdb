package report

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// grid is a table of cells drawn as a heat map on a sequential scale
// (white to dark blue, the ends of ColorBrewer's "Blues"): rows top to
// bottom, columns left to right, each cell with a (possibly two-line)
// annotation in black or white, whichever reads better on its fill.
type grid struct {
	title, xLabel, yLabel string
	rows, cols            []string
	shade                 [][]float64 // in [0, 1]: 0 white, 1 the darkest colour
	labels                [][]string
	minCell               vg.Length // minimal cell width
	bar                   *colorBar // the colour scale beside the grid; nil for none
}

// gridLow and gridHigh are the ends of the sequential scale.
var (
	gridLow  = rgb(0xf7fbff)
	gridHigh = rgb(0x08306b)
)

func blend(a, b color.RGBA, t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + t*(float64(y)-float64(x)))) }
	return color.RGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xff}
}

// draw writes the grid in format f.
func (g grid) draw(w io.Writer, f Format, name string) error {
	nr, nc := len(g.rows), len(g.cols)
	p := newPlot(g.title, g.xLabel, g.yLabel)
	cells := make(rects, 0, nr*nc)
	labels := make([]cellLabel, 0, nr*nc)
	const gap = 0.03
	for i := range g.rows {
		y := float64(nr - 1 - i)
		for j := range g.cols {
			fill := blend(gridLow, gridHigh, g.shade[i][j])
			x := float64(j)
			cells = append(cells, rect{x0: x - 0.5 + gap, x1: x + 0.5 - gap, y0: y - 0.5 + gap, y1: y + 0.5 - gap, fill: fill})
			labels = append(labels, cellLabel{x: x, y: y, text: g.labels[i][j], color: textColorOn(fill)})
		}
	}
	p.Add(cells, cellLabels(labels))
	p.X.Min, p.X.Max = -0.5, float64(nc)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(nr)-0.5
	yNames := make([]string, nr)
	for i, n := range g.rows {
		yNames[nr-1-i] = n
	}
	p.NominalY(yNames...)
	p.NominalX(g.cols...)
	p.Y.Tick.Label.Font = font.From(sans, labelSize)
	p.X.Tick.Label.Font = font.From(sans, labelSize)
	p.Y.Padding, p.X.Padding = 0, 0

	nameW := vg.Length(0)
	for _, n := range g.rows {
		nameW = max(nameW, p.Y.Tick.Label.Width(n))
	}
	barStrip := vg.Length(0)
	if g.bar != nil {
		barStrip = g.bar.width() + 0.35*vg.Inch
	}
	cellW := max(g.minCell, 0.9*vg.Inch)
	width := max(defaultWidth, nameW+0.9*vg.Inch+barStrip+vg.Length(nc)*cellW)
	cellW = (width - nameW - 0.9*vg.Inch - barStrip) / vg.Length(nc)
	for _, n := range g.cols {
		if p.X.Tick.Label.Width(n) > 0.92*cellW {
			rotateTickLabels(&p.X, math.Pi/4)
			break
		}
	}
	xTickH := vg.Length(0)
	for _, n := range g.cols {
		xTickH = max(xTickH, p.X.Tick.Label.Rectangle(n).Size().Y)
	}
	height := max(defaultHeight, 1.3*vg.Inch+xTickH+vg.Length(nr)*0.6*vg.Inch)
	c, err := newCanvas(f, width, height)
	if err != nil {
		return err
	}
	dc := inset(draw.New(c))
	left := draw.Crop(dc, 0, -barStrip, 0, 0)
	p.Draw(left)
	if g.bar != nil {
		data := p.DataCanvas(left)
		g.bar.draw(dc, dc.Max.X-barStrip+0.2*vg.Inch, data.Min.Y, data.Max.Y-g.bar.captionHeight())
	}
	return writeCanvas(w, c, name)
}

// RFMGridPlot writes the R × FM grid: rows R = 5 (most recent, top) to 1,
// columns FM = ⌊(F+M)/2⌋ = 1 to 5, each cell annotated with
// valueLabel(values[5−R][FM−1]) above the cell's segment, segment(R, FM)
// (underscores shown as spaces). It is drawn once for customer counts and
// once for revenue.
//
// Cells are shaded on a log scale (logShade), so that a cell a hundred
// times smaller than the largest is still plainly coloured rather than
// washed out, and every non-empty cell is darker than the empty ones,
// which stay white; a colour bar labels the scale.
//
// RFMGridPlot returns an error for an unknown format or a negative or
// non-finite value; it panics if segment or valueLabel is nil.
func RFMGridPlot(w io.Writer, f Format, title string, values [5][5]float64, segment func(r, fm int) string, valueLabel func(float64) string) error {
	if segment == nil || valueLabel == nil {
		panic("report: RFMGridPlot: nil segment or valueLabel")
	}
	var flat []float64
	for _, row := range values {
		for _, v := range row {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("report: RFM grid plot: cell value %v", v)
			}
			flat = append(flat, v)
		}
	}
	lo, top := logRange(flat)
	g := grid{title: title, xLabel: "FM score = floor((F + M) / 2)", yLabel: "R score (5 = most recent)", minCell: 1.3 * vg.Inch}
	for fm := 1; fm <= 5; fm++ {
		g.cols = append(g.cols, fmt.Sprint(fm))
	}
	for r := 5; r >= 1; r-- {
		g.rows = append(g.rows, fmt.Sprint(r))
		shade, labels := make([]float64, 5), make([]string, 5)
		for fm := 1; fm <= 5; fm++ {
			v := values[5-r][fm-1]
			shade[fm-1] = logShade(v, lo, top)
			labels[fm-1] = valueLabel(v) + "\n" + spaced(segment(r, fm))
		}
		g.shade, g.labels = append(g.shade, shade), append(g.labels, labels)
	}
	if top > 0 {
		bar := colorBar{
			color:   func(t float64) color.Color { return blend(gridLow, gridHigh, minShade+(maxShade-minShade)*t) },
			caption: "Log scale;\nempty cells white",
		}
		for _, v := range logTicks(lo, top) {
			bar.ticks = append(bar.ticks, scaleTick{t: logPos(v, lo, top), label: compactNumber(v)})
		}
		g.bar = &bar
	}
	return g.draw(w, f, "RFM grid")
}

// The shades of a log-scaled grid: the smallest non-empty cell gets
// minShade, the largest maxShade, an empty cell 0 (white).
const (
	minShade = 0.2
	maxShade = 0.9
	// logDecades is how far below the largest value the scale reaches;
	// smaller non-empty values get minShade.
	logDecades = 4
)

// logRange returns the smallest positive value (but at least
// top/10^logDecades) and the largest value of vs; both 0 without a
// positive value.
func logRange(vs []float64) (lo, top float64) {
	for _, v := range vs {
		top = math.Max(top, v)
	}
	lo = top
	for _, v := range vs {
		if v > 0 {
			lo = math.Min(lo, v)
		}
	}
	return math.Max(lo, top/math.Pow(10, logDecades)), top
}

// logPos is the position of v in [lo, top] on a log scale, in [0, 1]; 1
// when lo == top.
func logPos(v, lo, top float64) float64 {
	if top <= lo {
		return 1
	}
	return math.Max(0, math.Min(1, math.Log(v/lo)/math.Log(top/lo)))
}

// logShade is the shade of a cell of value v on the log scale [lo, top]:
// 0 for an empty cell, minShade to maxShade otherwise.
func logShade(v, lo, top float64) float64 {
	if v <= 0 || top <= 0 {
		return 0
	}
	return minShade + (maxShade-minShade)*logPos(v, lo, top)
}

// logTicks returns round values in [lo, top] for a log colour bar: powers
// of ten, with 2× and 5× steps when they span less than two decades, and
// top itself when no tick is close to it.
func logTicks(lo, top float64) []float64 {
	var ts []float64
	mults := []float64{1}
	if top/lo < 100 {
		mults = []float64{1, 2, 5}
	}
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(top)); e++ {
		for _, m := range mults {
			if v := m * math.Pow(10, e); v >= lo*0.999 && v <= top*1.001 {
				ts = append(ts, v)
			}
		}
	}
	if len(ts) == 0 || logPos(ts[len(ts)-1], lo, top) < 0.9 {
		ts = append(ts, top)
	}
	return ts
}

// MigrationPlot writes a migration matrix: rows are the previous run's
// labels (from), columns this run's (to), counts[i][j] customers moved from
// from[i] to to[j]. Cells are shaded by their share of the row and
// annotated with the count and that share.
//
// MigrationPlot returns an error for an empty matrix, a negative count or
// an unknown format, and panics if the shape of counts does not match.
func MigrationPlot(w io.Writer, f Format, title string, from, to []string, counts [][]int) error {
	if len(counts) != len(from) {
		panic("report: MigrationPlot: len(counts) != len(from)")
	}
	for _, row := range counts {
		if len(row) != len(to) {
			panic("report: MigrationPlot: len(counts[i]) != len(to)")
		}
	}
	if len(from) == 0 || len(to) == 0 {
		return errors.New("report: migration plot: empty matrix")
	}
	g := grid{title: title, xLabel: "this run", yLabel: "previous run", rows: plotLabels(from), cols: plotLabels(to), minCell: 0.8 * vg.Inch}
	for _, row := range counts {
		total := 0
		for _, n := range row {
			if n < 0 {
				return fmt.Errorf("report: migration plot: negative count %d", n)
			}
			total += n
		}
		shade, labels := make([]float64, len(row)), make([]string, len(row))
		for j, n := range row {
			share := 0.0
			if total > 0 {
				share = float64(n) / float64(total)
			}
			shade[j] = 0.85 * share
			labels[j] = FormatInt(int64(n)) + "\n" + formatPercent(share)
		}
		g.shade, g.labels = append(g.shade, shade), append(g.labels, labels)
	}
	return g.draw(w, f, "migration")
}

// spaced replaces underscores with spaces (segment ids as words).
func spaced(id string) string {
	b := []byte(id)
	for i, c := range b {
		if c == '_' {
			b[i] = ' '
		}
	}
	return string(b)
}
