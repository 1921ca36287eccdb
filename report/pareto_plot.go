package report

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ParetoPlot writes the revenue concentration curve: customers sorted by
// monetary, highest first, on x (share of customers, 0–100 %) and the
// cumulative share of revenue on y, with the diagonal of an even spread
// for reference and the top 1 %, 5 % and 20 % marked with their revenue
// shares. Negative monetary values count as 0 (see SortRevenue).
//
// ParetoPlot returns an error when there are no customers, the revenue is
// not positive, or the format is unknown.
func ParetoPlot(w io.Writer, f Format, rev *Revenue) error {
	if rev == nil || rev.n == 0 {
		return errors.New("report: Pareto plot: no customers")
	}
	n, total := rev.n, rev.total
	if !(total > 0) || math.IsInf(total, 0) {
		return fmt.Errorf("report: Pareto plot: total revenue %v is not positive", total)
	}
	curve := plotter.XYs{{X: 0, Y: 0}}
	for _, r := range curveRanks(n) {
		curve = append(curve, plotter.XY{X: 100 * float64(r) / float64(n), Y: 100 * rev.top[r] / total})
	}
	p := newPlot("Revenue concentration", "Share of customers, highest spend first (%)", "Share of revenue (%)")
	p.Add(plotter.NewGrid())
	diag, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 100, Y: 100}})
	diag.LineStyle = draw.LineStyle{Color: rgb(0x999999), Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	line, err := plotter.NewLine(curve)
	if err != nil {
		return fmt.Errorf("report: Pareto plot: %w", err)
	}
	line.LineStyle = draw.LineStyle{Color: clusterColor(0), Width: vg.Points(2)}
	p.Add(diag, line)
	p.Legend.Add("customers by spend", line)
	p.Legend.Add("even spread", diag)
	p.Legend.Left, p.Legend.Top = false, false
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(10), vg.Points(10)

	marks := TopShareMarks
	shares := rev.TopShares()
	var pts plotter.XYs
	var labels []string
	for i, s := range marks {
		pts = append(pts, plotter.XY{X: 100 * s, Y: 100 * shares[i]})
		labels = append(labels, fmt.Sprintf("top %s: %s of revenue", trimFloat(100*s, 1)+"%", formatPercent(shares[i])))
	}
	sc, _ := plotter.NewScatter(pts)
	sc.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
	lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
	if err != nil {
		return fmt.Errorf("report: Pareto plot: %w", err)
	}
	for i := range lbl.TextStyle {
		sty := textStyle(tickSize, color.Black)
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
		lbl.TextStyle[i] = sty
	}
	lbl.Offset = vg.Point{X: vg.Points(7), Y: -vg.Points(3)}
	p.Add(sc, lbl)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 100, 0, 100
	c, err := newCanvas(f, defaultWidth, defaultHeight)
	if err != nil {
		return err
	}
	p.Draw(inset(draw.New(c)))
	return writeCanvas(w, c, "Pareto")
}
