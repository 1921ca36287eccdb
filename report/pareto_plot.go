package report

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// paretoPoints is the most points the Pareto curve is drawn with, so that
// the SVG stays small for millions of customers.
const paretoPoints = 1000

// Revenue is the customers' monetary values clamped at 0 and sorted,
// highest first: what the revenue concentration figures (TopShares and
// ParetoPlot) are made of, sorted once for all of them.
type Revenue struct {
	sorted []float64 // descending, NaN last
	total  float64
}

// SortRevenue returns the revenue of customers with the given monetary
// values. Negative values (net refunds) count as 0, in the numerator and
// denominator alike. monetary is not modified.
//
// It sorts ascending and reverses: the same order as a descending sort,
// since equal values are the same bits (the clamp turns −0 into 0), in a
// third of the time of a sort with a comparison function.
func SortRevenue(monetary []float64) *Revenue {
	v := make([]float64, len(monetary))
	var total float64
	for i, m := range monetary {
		v[i] = math.Max(m, 0)
		total += v[i]
	}
	slices.Sort(v)
	slices.Reverse(v)
	return &Revenue{sorted: v, total: total}
}

// TopShares returns, for each customer share s (0.05 for the top 5 %), the
// share of revenue that the ⌈s·n⌉ customers with the highest monetary
// bring; NaN shares when the revenue is 0.
func (r *Revenue) TopShares(shares []float64) []float64 {
	out := make([]float64, len(shares))
	for i, s := range shares {
		k := min(len(r.sorted), int(math.Ceil(s*float64(len(r.sorted))-1e-9)))
		var sum float64
		for _, v := range r.sorted[:max(k, 0)] {
			sum += v
		}
		out[i] = math.NaN()
		if r.total > 0 {
			out[i] = sum / r.total
		}
	}
	return out
}

// ParetoPlot writes the revenue concentration curve: customers sorted by
// monetary, highest first, on x (share of customers, 0–100 %) and the
// cumulative share of revenue on y, with the diagonal of an even spread
// for reference and the top 1 %, 5 % and 20 % marked with their revenue
// shares. Negative monetary values count as 0 (see SortRevenue).
//
// ParetoPlot returns an error when there are no customers, the revenue is
// not positive, or the format is unknown.
func ParetoPlot(w io.Writer, f Format, rev *Revenue) error {
	if rev == nil || len(rev.sorted) == 0 {
		return errors.New("report: Pareto plot: no customers")
	}
	sorted, total := rev.sorted, rev.total
	if !(total > 0) || math.IsInf(total, 0) {
		return fmt.Errorf("report: Pareto plot: total revenue %v is not positive", total)
	}
	n := len(sorted)
	step := max(1, n/paretoPoints)
	curve := plotter.XYs{{X: 0, Y: 0}}
	var cum float64
	for i, v := range sorted {
		cum += v
		if (i+1)%step == 0 || i == n-1 {
			curve = append(curve, plotter.XY{X: 100 * float64(i+1) / float64(n), Y: 100 * cum / total})
		}
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

	marks := []float64{0.01, 0.05, 0.20}
	shares := rev.TopShares(marks)
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
