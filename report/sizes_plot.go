package report

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"slices"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SizesPlot writes a horizontal bar chart of the number of customers in
// each cluster, names[i] with sizes[i] customers, the first cluster at the
// top. Each bar is labelled with its count and share of all customers and
// has the cluster's colour, the same as in ScatterPlot.
//
// SizesPlot returns an error for no clusters, a negative size or an
// unknown format, and panics if len(names) != len(sizes).
func SizesPlot(w io.Writer, f Format, names []string, sizes []int) error {
	if len(names) != len(sizes) {
		panic("report: SizesPlot: len(names) != len(sizes)")
	}
	if len(sizes) == 0 {
		return errors.New("report: sizes plot: no clusters")
	}
	var total int64
	for i, s := range sizes {
		if s < 0 {
			return fmt.Errorf("report: sizes plot: cluster %q has negative size %d", names[i], s)
		}
		total += int64(s)
	}
	maxSize := slices.Max(sizes)

	k := len(sizes)
	p := newPlot("Customers per segment", "Customers", "")
	p.X.Tick.Marker = humanTicks{}
	p.Add(plotter.NewGrid())
	bars := make(rects, k)
	xys := make(plotter.XYs, k)
	labels := make([]string, k)
	// Cluster 0 at the top: row i is drawn at y = k-1-i.
	tickNames := make([]string, k)
	for i, s := range sizes {
		y := float64(k - 1 - i)
		bars[i] = rect{x0: 0, x1: float64(s), y0: y - 0.36, y1: y + 0.36, fill: clusterColor(i)}
		xys[i] = plotter.XY{X: float64(s), Y: y}
		share := 0.0
		if total > 0 {
			share = float64(s) / float64(total)
		}
		labels[i] = fmt.Sprintf("%s (%s)", FormatInt(int64(s)), formatPercent(share))
		tickNames[k-1-i] = names[i]
	}
	p.Add(bars)
	lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return fmt.Errorf("report: sizes plot: %w", err)
	}
	for i := range lbl.TextStyle {
		sty := textStyle(tickSize, color.Black)
		sty.XAlign = draw.XLeft
		lbl.TextStyle[i] = sty
	}
	lbl.Offset = vg.Point{X: vg.Points(5)}
	p.Add(lbl)
	p.NominalY(tickNames...)
	p.Y.Tick.Label.Font = font.From(sans, labelSize)
	p.X.Min = 0
	// Leave room on the right for the longest count label: about a
	// quarter of the axis at the default size.
	p.X.Max = 1.28 * float64(max(maxSize, 4))
	p.Y.Min, p.Y.Max = -0.6, float64(k)-0.4

	h := defaultHeight
	if perBar := vg.Points(26); vg.Length(k)*perBar+1.4*vg.Inch > h {
		h = vg.Length(k)*perBar + 1.4*vg.Inch
	}
	c, err := newCanvas(f, defaultWidth, h)
	if err != nil {
		return err
	}
	p.Draw(inset(draw.New(c)))
	return writeCanvas(w, c, "sizes")
}
