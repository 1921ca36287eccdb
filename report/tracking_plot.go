package report

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// trackingPoints is the most points each tracking line is drawn with.
const trackingPoints = 2000

// TrackingPlot writes the cumulative tracking plot of Fader, Hardie & Lee
// (2005, fig. 4): the cumulative repeat purchases of the calibration
// customers, actual and as the model expects them, day by day from start;
// x is in periods of per days since start (the end of day d is at
// (d + 1) / per), and a vertical line marks the end of day calEnd, the last
// calibration day. actual and expected have one value per day.
//
// TrackingPlot returns an error when the series are empty, of different
// lengths or not finite, or the format is unknown.
func TrackingPlot(w io.Writer, f Format, start time.Time, per float64, actual, expected []float64, calEnd int) error {
	n := len(actual)
	if n == 0 || len(expected) != n {
		return fmt.Errorf("report: tracking plot: %d actual and %d expected values", n, len(expected))
	}
	if !(per > 0) {
		return errors.New("report: tracking plot: the period is not positive")
	}
	step := max(1, (n+trackingPoints-1)/trackingPoints)
	act, exp := plotter.XYs{{X: 0, Y: 0}}, plotter.XYs{{X: 0, Y: 0}}
	top := 0.0
	for d := 0; d < n; d++ {
		if (d+1)%step != 0 && d != n-1 {
			continue
		}
		if math.IsNaN(actual[d]+expected[d]) || math.IsInf(actual[d]+expected[d], 0) {
			return fmt.Errorf("report: tracking plot: day %d is not finite", d)
		}
		x := float64(d+1) / per
		act = append(act, plotter.XY{X: x, Y: actual[d]})
		exp = append(exp, plotter.XY{X: x, Y: expected[d]})
		top = math.Max(top, math.Max(actual[d], expected[d]))
	}
	unit := "Days"
	if per == 7 {
		unit = "Weeks"
	}
	p := newPlot("Cumulative repeat purchases: actual and BG/NBD",
		fmt.Sprintf("%s since %s", unit, start.Format(time.DateOnly)), "Cumulative repeat purchases")
	p.Add(plotter.NewGrid())
	la, err := plotter.NewLine(act)
	if err != nil {
		return fmt.Errorf("report: tracking plot: %w", err)
	}
	la.LineStyle = draw.LineStyle{Color: rgb(0x222222), Width: vg.Points(2)}
	le, err := plotter.NewLine(exp)
	if err != nil {
		return fmt.Errorf("report: tracking plot: %w", err)
	}
	le.LineStyle = draw.LineStyle{Color: clusterColor(0), Width: vg.Points(2), Dashes: []vg.Length{vg.Points(6), vg.Points(3)}}
	p.Add(la, le)
	p.Legend.Add("actual", la)
	p.Legend.Add("BG/NBD expected", le)
	p.Legend.Top = true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(10), -vg.Points(10)
	p.Legend.Left = true
	if calEnd >= 0 && calEnd < n {
		x := float64(calEnd+1) / per
		v, _ := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: math.Max(top, 1)}})
		v.LineStyle = draw.LineStyle{Color: rgb(0x999999), Width: vg.Points(1), Dashes: []vg.Length{vg.Points(2), vg.Points(3)}}
		p.Add(v)
		p.Legend.Add("end of calibration", v)
	}
	p.X.Min, p.Y.Min = 0, 0
	p.X.Tick.Marker, p.Y.Tick.Marker = humanTicks{}, humanTicks{}
	c, err := newCanvas(f, defaultWidth, defaultHeight)
	if err != nil {
		return err
	}
	p.Draw(inset(draw.New(c)))
	return writeCanvas(w, c, "tracking")
}
