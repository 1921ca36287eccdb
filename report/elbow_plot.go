package report

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

var (
	lineColor   = rgb(0x4e79a7)
	chosenColor = rgb(0xe15759)
)

// ElbowPlot writes the elbow curve: inertia (within-cluster sum of
// squares) against the number of clusters ks[i], with chosenK marked by
// a dashed vertical line, a ring and "k = N". If silhouette is not nil it
// is drawn on a second panel below, aligned on the same k axis; NaN
// silhouette values (k where it was not computed) are left out, and an
// all-NaN silhouette is treated as nil.
//
// ElbowPlot returns an error for an empty sweep, a non-finite inertia or
// an unknown format, and panics if len(inertia) or a non-nil
// len(silhouette) differs from len(ks). A chosenK outside ks is named in
// the title but not marked.
func ElbowPlot(w io.Writer, f Format, ks []int, inertia []float64, chosenK int, silhouette []float64) error {
	if len(inertia) != len(ks) {
		panic("report: ElbowPlot: len(inertia) != len(ks)")
	}
	if silhouette != nil && len(silhouette) != len(ks) {
		panic("report: ElbowPlot: len(silhouette) != len(ks)")
	}
	if len(ks) == 0 {
		return errors.New("report: elbow plot: no k values")
	}
	for i, v := range inertia {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("report: elbow plot: inertia for k=%d is %v", ks[i], v)
		}
	}
	if silhouette != nil && !slices.ContainsFunc(silhouette, func(v float64) bool { return !math.IsNaN(v) }) {
		silhouette = nil
	}

	title := fmt.Sprintf("Elbow: inertia by number of clusters (chosen k = %d)", chosenK)
	if !slices.Contains(ks, chosenK) {
		title = fmt.Sprintf("Elbow: inertia by number of clusters (chosen k = %d, outside the sweep)", chosenK)
	}
	xLabel := "Number of clusters k"
	top := newPlot(title, xLabel, "Inertia (within-cluster sum of squares)")
	if err := addCurve(top, ks, inertia, chosenK); err != nil {
		return err
	}
	top.Y.Tick.Marker = humanTicks{}

	c, err := newCanvas(f, defaultWidth, defaultHeight)
	if err != nil {
		return err
	}
	dc := inset(draw.New(c))
	if silhouette == nil {
		top.Draw(dc)
		return writeCanvas(w, c, "elbow")
	}

	// Two panels of equal height under one title; short axis labels so
	// that each fits beside its own panel.
	title = fmt.Sprintf("Elbow: inertia and silhouette by number of clusters (chosen k = %d)", chosenK)
	if !slices.Contains(ks, chosenK) {
		title = fmt.Sprintf("Elbow: inertia and silhouette by number of clusters (chosen k = %d, outside the sweep)", chosenK)
	}
	sty := top.Title.TextStyle
	dc.FillText(sty, vg.Point{X: dc.Center().X, Y: dc.Max.Y}, title)
	body := draw.Crop(dc, 0, 0, 0, -(sty.Height(title) + top.Title.Padding))
	top.Title.Text = ""
	top.X.Label.Text = ""
	top.Y.Label.Text = "Inertia"
	bottom := newPlot("", xLabel, "Silhouette")
	if err := addCurve(bottom, ks, silhouette, chosenK); err != nil {
		return err
	}
	bottom.Y.Tick.Marker = humanTicks{}
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadY: vg.Points(10)}
	cs := plot.Align([][]*plot.Plot{{top}, {bottom}}, tiles, body)
	top.Draw(cs[0][0])
	bottom.Draw(cs[1][0])
	return writeCanvas(w, c, "elbow")
}

// addCurve adds the line ys over ks to p, the chosen-k marker and an
// integer k axis. NaN values in ys are skipped.
func addCurve(p *plot.Plot, ks []int, ys []float64, chosenK int) error {
	pts := make(plotter.XYs, 0, len(ks))
	chosen := -1
	for i, k := range ks {
		if math.IsNaN(ys[i]) {
			continue
		}
		if k == chosenK {
			chosen = len(pts)
		}
		pts = append(pts, plotter.XY{X: float64(k), Y: ys[i]})
	}
	line, points, err := plotter.NewLinePoints(pts)
	if err != nil {
		return fmt.Errorf("report: elbow plot: %w", err)
	}
	line.Color = lineColor
	line.Width = vg.Points(2)
	points.Shape = draw.CircleGlyph{}
	points.Color = lineColor
	points.Radius = vg.Points(3)
	p.Add(plotter.NewGrid(), line, points)

	sorted := slices.Sorted(slices.Values(ks))
	p.X.Tick.Marker = integerTicks(sorted)
	p.X.Min = float64(sorted[0]) - 0.5
	p.X.Max = float64(sorted[len(sorted)-1]) + 0.5

	if chosen < 0 {
		return nil
	}
	ymin, ymax := p.Y.Min, p.Y.Max
	// Leave a margin so the marker and its label are not on the frame.
	pad := 0.12 * (ymax - ymin)
	if pad == 0 {
		pad = math.Max(math.Abs(ymax)*0.1, 1)
	}
	p.Y.Min, p.Y.Max = ymin-pad, ymax+pad

	vline, err := plotter.NewLine(plotter.XYs{{X: float64(chosenK), Y: p.Y.Min}, {X: float64(chosenK), Y: p.Y.Max}})
	if err != nil {
		return fmt.Errorf("report: elbow plot: %w", err)
	}
	vline.Color = chosenColor
	vline.Width = vg.Points(1.2)
	vline.Dashes = []vg.Length{vg.Points(5), vg.Points(4)}

	mark, err := plotter.NewScatter(plotter.XYs{pts[chosen]})
	if err != nil {
		return fmt.Errorf("report: elbow plot: %w", err)
	}
	mark.Shape = draw.RingGlyph{}
	mark.Radius = vg.Points(7)
	mark.Color = chosenColor

	lbl, err := plotter.NewLabels(plotter.XYLabels{
		XYs:    plotter.XYs{pts[chosen]},
		Labels: []string{fmt.Sprintf("k = %d", chosenK)},
	})
	if err != nil {
		return fmt.Errorf("report: elbow plot: %w", err)
	}
	sty := textStyle(tickSize, chosenColor)
	sty.XAlign = draw.XLeft
	sty.YAlign = draw.YBottom
	lbl.TextStyle[0] = sty
	lbl.Offset = vg.Point{X: vg.Points(8), Y: vg.Points(6)}

	p.Add(vline, mark, lbl)
	return nil
}
