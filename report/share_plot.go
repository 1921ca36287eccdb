package report

import (
	"errors"
	"fmt"
	"io"
	"math"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SharePlot writes, for each segment (the first at the top), two
// horizontal bars: its share of customers and its share of revenue, in
// percent, so that segments worth more (or less) than their size stand out.
//
// SharePlot returns an error for no segments, a share outside [0, 1] (NaN
// included) or an unknown format, and panics if the slices' lengths
// differ.
func SharePlot(w io.Writer, f Format, segments []string, customerShare, revenueShare []float64) error {
	if len(customerShare) != len(segments) || len(revenueShare) != len(segments) {
		panic("report: SharePlot: slices of different lengths")
	}
	if len(segments) == 0 {
		return errors.New("report: share plot: no segments")
	}
	segments = plotLabels(segments)
	top := 0.0
	for i := range segments {
		for _, v := range []float64{customerShare[i], revenueShare[i]} {
			if !(v >= -1e-9 && v <= 1+1e-9) {
				return fmt.Errorf("report: share plot: segment %q has share %v", segments[i], v)
			}
			top = math.Max(top, v)
		}
	}
	k := len(segments)
	p := newPlot("Share of customers and of revenue by segment", "Share (%)", "")
	p.Add(plotter.NewGrid())
	custColor, revColor := rgb(0x9ecae1), rgb(0x08519c)
	var bars rects
	names := make([]string, k)
	for i := range segments {
		y := float64(k - 1 - i)
		names[k-1-i] = spaced(segments[i])
		bars = append(bars,
			rect{x0: 0, x1: 100 * customerShare[i], y0: y + 0.02, y1: y + 0.38, fill: custColor},
			rect{x0: 0, x1: 100 * revenueShare[i], y0: y - 0.38, y1: y - 0.02, fill: revColor})
	}
	p.Add(bars)
	p.Legend.Add("customers", legendSwatch{custColor})
	p.Legend.Add("revenue", legendSwatch{revColor})
	p.Legend.Top = true
	p.NominalY(names...)
	p.Y.Tick.Label.Font = font.From(sans, labelSize)
	p.X.Min, p.X.Max = 0, math.Max(10, 100*top*1.1)
	p.X.Tick.Marker = humanTicks{} // 25, not 25.00
	// A band above the first segment holds the legend, so that it never
	// covers the longest bars, which are often the first segment's.
	p.Y.Min, p.Y.Max = -0.6, float64(k)+0.3
	h := max(defaultHeight, vg.Length(k)*vg.Points(34)+1.4*vg.Inch)
	c, err := newCanvas(f, defaultWidth, h)
	if err != nil {
		return err
	}
	p.Draw(inset(draw.New(c)))
	return writeCanvas(w, c, "share")
}

// legendSwatch is a filled square for a legend entry.
type legendSwatch struct {
	fill interface{ RGBA() (r, g, b, a uint32) }
}

// Thumbnail implements plot.Thumbnailer.
func (s legendSwatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.fill, []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}})
}
