package report

import (
	"errors"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SnakePlot writes a snake plot: one line with markers per cluster across
// the features (x), at the cluster's standardized mean z[i][j] (the mean
// of feature j over cluster i's customers in population standard
// deviations from the population mean), with a zero line for the average
// customer. Clusters keep their colours of the other plots and get distinct
// dash patterns, so that lines stay apart in grey print.
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
	p := newPlot("Snake plot: standardized cluster means", "", "Standard deviations from the average customer")
	p.Add(plotter.NewGrid())
	zero, _ := plotter.NewLine(plotter.XYs{{X: -0.3, Y: 0}, {X: float64(len(features)) - 0.7, Y: 0}})
	zero.LineStyle = draw.LineStyle{Color: rgb(0x555555), Width: vg.Points(1)}
	p.Add(zero)
	legend := plot.NewLegend()
	legend.TextStyle.Font = font.From(sans, tickSize)
	legend.Top, legend.Left = true, true
	dashes := [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}}
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PlusGlyph{}, draw.CrossGlyph{}, draw.RingGlyph{}}
	for i, row := range z {
		pts := make(plotter.XYs, len(row))
		for j, v := range row {
			pts[j] = plotter.XY{X: float64(j), Y: v}
		}
		line, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return err
		}
		line.LineStyle = draw.LineStyle{Color: clusterColor(i), Width: vg.Points(2), Dashes: dashes[i%len(dashes)]}
		sc.GlyphStyle = draw.GlyphStyle{Color: clusterColor(i), Radius: vg.Points(3.5), Shape: shapes[i%len(shapes)]}
		p.Add(line, sc)
		legend.Add(clusters[i], line, sc)
	}
	p.NominalX(features...)
	p.X.Tick.Label.Rotation = math.Pi / 5
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.X.Min, p.X.Max = -0.3, float64(len(features))-0.7
	// The legend goes beside the plot: widen the image by its width.
	legendW := vg.Length(0)
	for _, n := range clusters {
		legendW = max(legendW, legend.TextStyle.Width(n))
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
	return writeCanvas(w, c, "snake")
}
