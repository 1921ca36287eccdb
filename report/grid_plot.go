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
	cellW := max(g.minCell, 0.9*vg.Inch)
	width := max(defaultWidth, nameW+0.9*vg.Inch+vg.Length(nc)*cellW)
	cellW = (width - nameW - 0.9*vg.Inch) / vg.Length(nc)
	for _, n := range g.cols {
		if p.X.Tick.Label.Width(n) > 0.92*cellW {
			p.X.Tick.Label.Rotation = math.Pi / 4
			p.X.Tick.Label.XAlign = draw.XRight
			p.X.Tick.Label.YAlign = draw.YCenter
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
	p.Draw(inset(draw.New(c)))
	return writeCanvas(w, c, name)
}

// RFMGridPlot writes the R × FM grid: rows R = 5 (most recent, top) to 1,
// columns FM = ⌊(F+M)/2⌋ = 1 to 5, each cell shaded by values[5−R][FM−1]
// relative to the largest cell and annotated with valueLabel(value) above
// the cell's segment, segment(R, FM) (underscores shown as spaces). It is
// drawn once for customer counts and once for revenue.
//
// RFMGridPlot returns an error for an unknown format or a negative or
// non-finite value; it panics if segment or valueLabel is nil.
func RFMGridPlot(w io.Writer, f Format, title string, values [5][5]float64, segment func(r, fm int) string, valueLabel func(float64) string) error {
	if segment == nil || valueLabel == nil {
		panic("report: RFMGridPlot: nil segment or valueLabel")
	}
	top := 0.0
	for _, row := range values {
		for _, v := range row {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("report: RFM grid plot: cell value %v", v)
			}
			top = math.Max(top, v)
		}
	}
	g := grid{title: title, xLabel: "FM score = floor((F + M) / 2)", yLabel: "R score (5 = most recent)", minCell: 1.3 * vg.Inch}
	for fm := 1; fm <= 5; fm++ {
		g.cols = append(g.cols, fmt.Sprint(fm))
	}
	for r := 5; r >= 1; r-- {
		g.rows = append(g.rows, fmt.Sprint(r))
		shade, labels := make([]float64, 5), make([]string, 5)
		for fm := 1; fm <= 5; fm++ {
			v := values[5-r][fm-1]
			if top > 0 {
				shade[fm-1] = 0.85 * v / top
			}
			labels[fm-1] = valueLabel(v) + "\n" + spaced(segment(r, fm))
		}
		g.shade, g.labels = append(g.shade, shade), append(g.labels, labels)
	}
	return g.draw(w, f, "RFM grid")
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
	g := grid{title: title, xLabel: "this run", yLabel: "previous run", rows: from, cols: to, minCell: 0.8 * vg.Inch}
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
