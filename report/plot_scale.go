package report

import (
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ramp is a colour scale: colours at evenly spaced stops from t = 0 to
// t = 1, linearly interpolated between them.
type ramp []color.RGBA

// at returns the colour at t, clamped into [0, 1].
func (r ramp) at(t float64) color.RGBA {
	if math.IsNaN(t) {
		return nanColor
	}
	t = math.Max(0, math.Min(1, t))
	x := t * float64(len(r)-1)
	i := min(int(x), len(r)-2)
	return blend(r[i], r[i+1], x-float64(i))
}

// The heat map's two scales. goodBad is ColorBrewer's PiYG (Brewer 2002,
// colour-blind safe): magenta for worse for the business, green for
// better, near white for typical. neutralRamp is a grey ramp for features
// that are neither better nor worse when higher (a category's share of
// spend): darker is higher. Both keep 0.5 light enough for black text.
var (
	goodBadRamp = ramp{
		rgb(0x8e0152), rgb(0xc51b7d), rgb(0xde77ae), rgb(0xf1b6da), rgb(0xf7f7f7),
		rgb(0xb8e186), rgb(0x7fbc41), rgb(0x4d9221), rgb(0x276419),
	}
	neutralRamp = ramp{rgb(0xfbfbfb), rgb(0xd9d9d9), rgb(0xa6a6a6), rgb(0x6e6e6e), rgb(0x3a3a3a)}
)

// nanColor fills cells whose value is undefined.
var nanColor = rgb(0xd9d9d9)

// direction says whether a higher value of a feature is better for the
// business, worse, or neither.
type direction int

// The directions of featureDirection.
const (
	neither      direction = 0
	higherBetter direction = 1
	lowerBetter  direction = -1
)

// featureDirection returns whether a higher value of the named feature is
// better for the business (more orders, more spend), worse (a longer time
// since the last order, more discount or returns: less margin) or neither
// (a category's share of spend, tenure, seasonality, unknown features).
func featureDirection(name string) direction {
	switch name {
	case "frequency", "monetary", "aov", "items_per_order", "distinct_categories",
		"sessions_30d", "cart_adds", "repeat_monetary", "purchase_days",
		"clv", "p_alive", "expected_orders":
		return higherBetter
	case "recency_days", "mean_interorder_days", "discount_ratio", "coupon_order_share",
		"first_order_coupon", "return_rate", "abandoned_carts":
		return lowerBetter
	}
	return neither
}

// scaleTick is one labelled tick of a colour bar at t in [0, 1].
type scaleTick struct {
	t     float64
	label string
}

// colorBar is a vertical colour bar: the scale, its ticks and a caption
// (one or more lines) above it.
type colorBar struct {
	color   func(t float64) color.Color
	ticks   []scaleTick
	caption string
}

// colorBarSteps is the number of colour bands in a colour bar.
const colorBarSteps = 64

// barWidth is the width of the coloured strip of a colour bar.
const barWidth = 14 // points

// width returns the horizontal room the bar needs with its labels.
func (b colorBar) width() vg.Length {
	sty := textStyle(tickSize, color.Black)
	w := vg.Length(0)
	for _, t := range b.ticks {
		w = max(w, sty.Width(t.label))
	}
	for _, l := range strings.Split(b.caption, "\n") {
		w = max(w, sty.Width(l)-barWidth-6)
	}
	return barWidth + 6 + w
}

// captionHeight returns the height of the caption.
func (b colorBar) captionHeight() vg.Length {
	return vg.Length(strings.Count(b.caption, "\n")+1)*vg.Points(tickSize*1.2) + 5
}

// draw draws the bar on c with its strip's left edge at x, from y0 to
// y1, and the caption above y1. It is drawn by hand rather than as a plot
// so that its geometry does not depend on axis label widths; the bands
// are vector polygons, not an image: vgsvg labels embedded PNGs as JPEG,
// which strict SVG renderers refuse to draw.
func (b colorBar) draw(c draw.Canvas, x, y0, y1 vg.Length) {
	band := (y1 - y0) / colorBarSteps
	for i := range colorBarSteps {
		t := (float64(i) + 0.5) / colorBarSteps
		lo, hi := y0+vg.Length(i)*band, y0+vg.Length(i+1)*band
		if i < colorBarSteps-1 {
			hi += band / 4 // overlap the next band: no hairline gaps
		}
		c.FillPolygon(b.color(t), []vg.Point{{X: x, Y: lo}, {X: x + barWidth, Y: lo}, {X: x + barWidth, Y: hi}, {X: x, Y: hi}})
	}
	line := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
	sty := textStyle(tickSize, color.Black)
	sty.XAlign = draw.XLeft
	for _, tk := range b.ticks {
		y := y0 + vg.Length(tk.t)*(y1-y0)
		c.StrokeLine2(line, x+barWidth, y, x+barWidth+4, y)
		c.FillText(sty, vg.Point{X: x + barWidth + 6, Y: y}, tk.label)
	}
	caption := textStyle(tickSize, color.Black)
	caption.XAlign = draw.XLeft
	caption.YAlign = draw.YBottom
	lines := strings.Split(b.caption, "\n")
	for i, l := range lines {
		y := y1 + 5 + vg.Length(len(lines)-1-i)*vg.Points(tickSize*1.2)
		c.FillText(caption, vg.Point{X: x, Y: y}, l)
	}
}

// compactNumber formats a colour bar tick for people, each on its own:
// 392 → "392", 10,000 → "10k", 2,500,000 → "2.5M".
func compactNumber(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return trimFloat(v/1e9, 2) + "G"
	case a >= 1e6:
		return trimFloat(v/1e6, 2) + "M"
	case a >= 1e4:
		return trimFloat(v/1e3, 2) + "k"
	default:
		return formatFixed(v, 0)
	}
}
