package report

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SizesPlot writes a horizontal bar chart of the clusters, names[i] with
// sizes[i] customers and revenue[i] of net revenue, the first cluster at
// the top. Each cluster has two bars in its colour, the same as in every
// other plot: its share of all customers (light) and its share of all
// revenue (full colour, negative revenue counted as 0), each labelled, so
// that segments worth more than their size stand out. With nil revenue, or
// none, only the customer bars are drawn.
//
// SizesPlot returns an error for no clusters, a negative size, a
// non-finite revenue or an unknown format, and panics if len(names) !=
// len(sizes) or revenue is not nil and len(revenue) != len(sizes).
func SizesPlot(w io.Writer, f Format, names []string, sizes []int, revenue []float64) error {
	if len(names) != len(sizes) || revenue != nil && len(revenue) != len(sizes) {
		panic("report: SizesPlot: len(names), len(sizes) and len(revenue) differ")
	}
	if len(sizes) == 0 {
		return errors.New("report: sizes plot: no clusters")
	}
	names = plotLabels(names)
	var total int64
	var totalRev float64
	for i, s := range sizes {
		if s < 0 {
			return fmt.Errorf("report: sizes plot: cluster %q has negative size %d", names[i], s)
		}
		total += int64(s)
		if revenue != nil {
			if math.IsNaN(revenue[i]) || math.IsInf(revenue[i], 0) {
				return fmt.Errorf("report: sizes plot: cluster %q has revenue %v", names[i], revenue[i])
			}
			totalRev += math.Max(revenue[i], 0)
		}
	}
	withRev := totalRev > 0

	k := len(sizes)
	title, xLabel := "Customers per segment", "Share of customers (%)"
	if withRev {
		title, xLabel = "Customers and revenue per segment", "Share (%)"
	}
	p := newPlot(title, xLabel, "")
	p.X.Tick.Marker = humanTicks{}
	p.Add(plotter.NewGrid())
	var bars rects
	var xys plotter.XYs
	var labels []string
	top := 0.0
	// Cluster 0 at the top: row i is drawn at y = k-1-i.
	tickNames := make([]string, k)
	for i, s := range sizes {
		y := float64(k - 1 - i)
		share := 0.0
		if total > 0 {
			share = float64(s) / float64(total)
		}
		top = math.Max(top, share)
		cy0, cy1 := y-0.36, y+0.36
		if withRev {
			cy0 = y + 0.02
			rs := math.Max(revenue[i], 0) / totalRev
			top = math.Max(top, rs)
			bars = append(bars, rect{x0: 0, x1: 100 * rs, y0: y - 0.38, y1: y - 0.02, fill: clusterColor(i)})
			xys = append(xys, plotter.XY{X: 100 * rs, Y: y - 0.2})
			labels = append(labels, formatPercent(rs)+" of revenue")
		}
		fill := clusterColor(i)
		if withRev {
			fill = lighten(clusterColor(i))
		}
		bars = append(bars, rect{x0: 0, x1: 100 * share, y0: cy0, y1: cy1, fill: fill})
		xys = append(xys, plotter.XY{X: 100 * share, Y: (cy0 + cy1) / 2})
		if withRev {
			labels = append(labels, fmt.Sprintf("%s of customers (%s)", formatPercent(share), FormatInt(int64(s))))
		} else {
			labels = append(labels, fmt.Sprintf("%s (%s)", FormatInt(int64(s)), formatPercent(share)))
		}
		tickNames[k-1-i] = names[i]
	}
	p.Add(bars)
	lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return fmt.Errorf("report: sizes plot: %w", err)
	}
	for i := range lbl.TextStyle {
		size := vg.Length(tickSize)
		if withRev {
			size = noteSize
		}
		sty := textStyle(size, color.Black)
		sty.XAlign = draw.XLeft
		lbl.TextStyle[i] = sty
	}
	lbl.Offset = vg.Point{X: vg.Points(5)}
	p.Add(lbl)
	p.NominalY(tickNames...)
	p.Y.Tick.Label.Font = font.From(sans, labelSize)
	p.X.Min = 0
	// Leave room on the right for the longest label: about 40 % of the
	// axis at the default size.
	p.X.Max = 100 * math.Max(top, 0.01) * 1.6
	p.Y.Min, p.Y.Max = -0.6, float64(k)-0.4

	perBar := vg.Points(26)
	if withRev {
		perBar = vg.Points(36)
	}
	h := max(defaultHeight, vg.Length(k)*perBar+1.4*vg.Inch)
	c, err := newCanvas(f, defaultWidth, h)
	if err != nil {
		return err
	}
	p.Draw(inset(draw.New(c)))
	return writeCanvas(w, c, "sizes")
}

// lighten returns c mixed half-way with white: the customer bar beside a
// cluster's full-colour revenue bar.
func lighten(c color.Color) color.RGBA {
	r, g, b, _ := c.RGBA()
	return blend(color.RGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0xff}, rgb(0xffffff), 0.55)
}
