package report

import (
	"bufio"
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Format is the image format a plot is written in.
type Format string

// The formats the plot functions write.
const (
	PNG Format = "png" // raster, DPI dots per inch
	SVG Format = "svg" // vector; fonts referenced by name, not embedded
)

// DPI is the resolution of PNG plots. A default 8×5 inch plot is
// 960×600 pixels.
const DPI = 120

// Default plot size. Plots with many rows or columns (heat map, bar
// chart) grow beyond it so that their labels stay readable.
const (
	defaultWidth  = 8 * vg.Inch
	defaultHeight = 5 * vg.Inch
)

// Font sizes used by every plot.
const (
	titleSize = 13
	labelSize = 11
	tickSize  = 10
	noteSize  = 9
)

// sans is the face of all plot text: Liberation Sans, bundled with
// gonum/plot (metric-compatible with Arial), easier to read at small
// sizes than the library's default serif face.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newCanvas returns an empty canvas of size w×h for format f.
func newCanvas(f Format, w, h vg.Length) (vg.CanvasWriterTo, error) {
	switch f {
	case PNG:
		return vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))}, nil
	case SVG:
		// Embedding the font would add about 0.5 MB to every file; the
		// SVG names Liberation Sans with metric-compatible fallbacks
		// (see writeCanvas).
		return vgsvg.NewWith(vgsvg.UseWH(w, h)), nil
	default:
		return nil, fmt.Errorf("report: unknown plot format %q (want %q or %q)", string(f), PNG, SVG)
	}
}

// svgFontFamily is how vgsvg names the plot font, and svgFontFallback
// what replaces it: viewers without Liberation Sans use Arial or
// Helvetica (same metrics), then any sans-serif, not a serif default.
const (
	svgFontFamily   = "font-family:Liberation Sans;"
	svgFontFallback = "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"
)

// writeCanvas writes c to w, naming plot in the error.
func writeCanvas(w io.Writer, c vg.CanvasWriterTo, plotName string) error {
	if _, ok := c.(*vgsvg.Canvas); ok {
		var b bytes.Buffer
		if _, err := c.WriteTo(&b); err != nil {
			return fmt.Errorf("report: write %s plot: %w", plotName, err)
		}
		out := bytes.ReplaceAll(b.Bytes(), []byte(svgFontFamily), []byte(svgFontFallback))
		if _, err := w.Write(out); err != nil {
			return fmt.Errorf("report: write %s plot: %w", plotName, err)
		}
		return nil
	}
	if p, ok := c.(vgimg.PngCanvas); ok {
		// png.Encode's default level spent half of the plots' CPU on a
		// million customers (its deflate, 0.35 of 0.7 s a run); the
		// fastest level spends about half of that for files 3 % larger
		// (BENCHMARKS.md, "The outputs' codecs").
		bw := bufio.NewWriter(w)
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(bw, p.Image()); err != nil {
			return fmt.Errorf("report: write %s plot: %w", plotName, err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("report: write %s plot: %w", plotName, err)
		}
		return nil
	}
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("report: write %s plot: %w", plotName, err)
	}
	return nil
}

// margin is the blank border around every plot.
const margin = 0.08 * vg.Inch

// inset returns the canvas of c less the margin on every side.
func inset(c draw.Canvas) draw.Canvas {
	return draw.Crop(c, margin, -margin, margin, -margin)
}

// newPlot returns a plot with the package's title and axis styling.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, titleSize)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Tick.Label.Font = font.From(sans, tickSize)
		a.Label.Padding = vg.Points(4)
	}
	p.Legend.TextStyle.Font = font.From(sans, tickSize)
	return p
}

// textStyle returns a plain text style of the given size and colour.
func textStyle(size vg.Length, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(sans, size),
		XAlign:  draw.XCenter,
		YAlign:  draw.YCenter,
		Handler: plot.DefaultTextHandler,
	}
}

// clusterColors is the categorical palette for clusters: Tableau 10
// (Stone 2016, colour-blind aware) followed by two darker tones. Cluster i
// has the same colour in every plot.
var clusterColors = []color.Color{
	rgb(0x4e79a7), rgb(0xf28e2b), rgb(0xe15759), rgb(0x76b7b2),
	rgb(0x59a14f), rgb(0xedc948), rgb(0xb07aa1), rgb(0xff9da7),
	rgb(0x9c755f), rgb(0xbab0ac), rgb(0x1f4e79), rgb(0x8c564b),
}

// clusterColor returns the colour of cluster i; colours repeat after
// len(clusterColors) clusters (the scatter plot then changes the glyph).
func clusterColor(i int) color.Color {
	return clusterColors[i%len(clusterColors)]
}

// rgb returns the opaque colour 0xRRGGBB.
func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// luminance returns the relative luminance of c in [0, 1] (ITU-R BT.709
// weights on the non-linear components, enough to pick a text colour).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

// textColorOn returns black or white, whichever reads better on bg.
func textColorOn(bg color.Color) color.Color {
	if luminance(bg) < 0.5 {
		return color.White
	}
	return color.Black
}

// rect is an axis-aligned rectangle in data coordinates.
type rect struct {
	x0, x1, y0, y1 float64
	fill           color.Color
}

// rects is a plot.Plotter filling rectangles given in data coordinates,
// so that bars and cells scale with the data area.
type rects []rect

// Plot implements plot.Plotter.
func (rs rects) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for _, r := range rs {
		x0, x1, y0, y1 := tx(r.x0), tx(r.x1), ty(r.y0), ty(r.y1)
		c.FillPolygon(r.fill, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	}
}

// DataRange implements plot.DataRanger.
func (rs rects) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, r := range rs {
		xmin = math.Min(xmin, math.Min(r.x0, r.x1))
		xmax = math.Max(xmax, math.Max(r.x0, r.x1))
		ymin = math.Min(ymin, math.Min(r.y0, r.y1))
		ymax = math.Max(ymax, math.Max(r.y0, r.y1))
	}
	return xmin, xmax, ymin, ymax
}

// humanTicks is a plot.Ticker that places ticks like plot.DefaultTicks
// and labels them for people: one unit suffix for the whole axis (k, M,
// G), thousands separators, no exponent notation.
type humanTicks struct{}

// Ticks implements plot.Ticker.
func (humanTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	top := 0.0
	for _, t := range ts {
		if t.Label != "" {
			top = math.Max(top, math.Abs(t.Value))
		}
	}
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = formatTick(ts[i].Value, top)
		}
	}
	return ts
}

// formatTick formats the tick value v on an axis whose largest labelled
// |value| is top: with top ≥ 10,000 in k, M or G (1,500 → "1.5k"),
// otherwise plainly with separators (2,500 → "2,500", 0.25 → "0.25").
func formatTick(v, top float64) string {
	switch {
	case v == 0:
		return "0"
	case top >= 1e10:
		return trimFloat(v/1e9, 2) + "G"
	case top >= 1e7:
		return trimFloat(v/1e6, 2) + "M"
	case top >= 1e4:
		return trimFloat(v/1e3, 2) + "k"
	case top >= 1000:
		return formatFixed(v, 0)
	default:
		return trimFloat(v, 3)
	}
}

// integerTicks is a plot.Ticker with a labelled tick at each of the given
// integers (every other one when there are more than 20).
type integerTicks []int

// Ticks implements plot.Ticker.
func (ks integerTicks) Ticks(min, max float64) []plot.Tick {
	step := 1
	if len(ks) > 20 {
		step = 2
	}
	var ts []plot.Tick
	for i, k := range ks {
		v := float64(k)
		if v < min || v > max {
			continue
		}
		t := plot.Tick{Value: v}
		if i%step == 0 {
			t.Label = fmt.Sprint(k)
		}
		ts = append(ts, t)
	}
	return ts
}

// maxLabelRunes bounds a name drawn in a plot (a cluster, a feature with
// its category, a group): the plots are sized to their longest label, so a
// category name of a million characters in the data would otherwise ask
// for an image of hundreds of gigabytes. The longest names segment makes
// itself (a cluster's traits) are about 55 characters.
const maxLabelRunes = 64

// plotLabel returns s cut to maxLabelRunes runes when it is longer: its
// start and its end with "…" between them, since names that differ only
// at the end ("…, relatively bigger baskets", "…, relatively smaller
// baskets") must stay apart.
func plotLabel(s string) string {
	r := []rune(s)
	if len(r) <= maxLabelRunes {
		return s
	}
	head := maxLabelRunes / 2
	return string(r[:head]) + "…" + string(r[len(r)-(maxLabelRunes-head-1):])
}

// plotLabels returns a copy of names, each cut by plotLabel.
func plotLabels(names []string) []string {
	out := make([]string, len(names))
	for i, s := range names {
		out[i] = plotLabel(s)
	}
	return out
}
