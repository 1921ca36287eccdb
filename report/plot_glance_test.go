package report

import (
	"image"
	"image/color"
	"io"
	"math"
	"strings"
	"testing"
)

// Plots that read at a glance (issue 16): outliers clipped and marked,
// every non-empty grid cell visible, labels not clipped, one colour per
// cluster in every plot.

func TestSnakeClipsOutliers(t *testing.T) {
	features := []string{"recency_days", "frequency", "monetary", "aov"}
	clusters := []string{"a", "b", "c", "d", "e"}
	calm := [][]float64{{-1, 0.5, 0.2, 0.1}, {0.8, -0.4, -0.6, 0.3}, {0.2, 0.9, -0.3, -0.7}, {-0.5, -0.2, 0.4, 0.6}, {0.3, -0.6, 0.1, -0.2}}
	outlier := [][]float64{{-1, 0.5, 0.2, 0.1}, {0.8, -0.4, -0.6, 0.3}, {0.2, 0.9, 9.2, -0.7}, {-0.5, -0.2, 0.4, 0.6}, {0.3, -0.6, 0.1, -0.2}}
	tests := []struct {
		name    string
		z       [][]float64
		clipped bool
	}{
		{"no outlier", calm, false},
		{"one outlier", outlier, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi, clipped := snakeRange(tt.z)
			if clipped != tt.clipped {
				t.Fatalf("clipped = %v, want %v", clipped, tt.clipped)
			}
			if tt.clipped && (hi >= 9.2 || hi > 3) {
				t.Errorf("axis top %v includes the outlier 9.2", hi)
			}
			if !tt.clipped && (lo > -1 || hi < 0.9) {
				t.Errorf("range [%v, %v] does not hold every value", lo, hi)
			}
			svg := string(render(t, "snake_"+strings.ReplaceAll(tt.name, " ", "_"), SVG, func(w io.Writer, f Format) error {
				return SnakePlot(w, f, features, clusters, tt.z)
			}))
			// The clipped value is printed beside its marker, with the note.
			if got := strings.Contains(svg, ">+9.2<"); got != tt.clipped {
				t.Errorf("clip label +9.2 drawn = %v, want %v", got, tt.clipped)
			}
			if got := strings.Contains(svg, "Arrow heads on the top or bottom edge:"); got != tt.clipped {
				t.Errorf("clip note drawn = %v, want %v", got, tt.clipped)
			}
			// Zero is labelled on the axis and on the line.
			for _, want := range []string{">0<", ">average customer<"} {
				if !strings.Contains(svg, want) {
					t.Errorf("SVG lacks %q", want)
				}
			}
		})
	}
}

func TestSDTicks(t *testing.T) {
	tests := []struct {
		min, max float64
		want     string
	}{
		{-1.1, 1.9, "-1 -0.5 0 +0.5 +1 +1.5"},
		{-0.6, 0.6, "-0.5 -0.25 0 +0.25 +0.5"},
		{-2.2, 3.2, "-2 -1 0 +1 +2 +3"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			var got []string
			for _, tk := range (sdTicks{}).Ticks(tt.min, tt.max) {
				got = append(got, tk.Label)
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("ticks on [%v, %v] = %q, want %q", tt.min, tt.max, s, tt.want)
			}
		})
	}
}

func TestRFMGridLogScale(t *testing.T) {
	// Revenue as in CDNOW: one cell of 98,987, others down to 380, and
	// empty cells. On a linear scale 380 would be 0.3 % of the darkest.
	var v [5][5]float64
	v[0] = [5]float64{0, 380, 3612, 20587, 98987}
	v[2] = [5]float64{4432, 5637, 4934, 3044, 7006}
	lo, top := logRange(v[0][:])
	empty := blend(gridLow, gridHigh, logShade(0, lo, top))
	smallest := blend(gridLow, gridHigh, logShade(380, lo, top))
	if d := luminance(empty) - luminance(smallest); d < 0.1 {
		t.Errorf("smallest non-empty cell %v vs empty %v: luminance difference %.3f, want ≥ 0.1", smallest, empty, d)
	}
	if math.Abs(logShade(98987, lo, top)-maxShade) > 1e-9 || math.Abs(logShade(380, lo, top)-minShade) > 1e-9 {
		t.Errorf("ends of the scale: %v, %v, want %v, %v", logShade(380, lo, top), logShade(98987, lo, top), minShade, maxShade)
	}
	// A cell 10× smaller than the largest sits well inside the scale, not
	// at its white end.
	if s := logShade(9898.7, lo, top); s < 0.5 {
		t.Errorf("shade of a tenth of the largest = %.2f, want ≥ 0.5", s)
	}
	svg := string(render(t, "rfm_grid_log", SVG, func(w io.Writer, f Format) error {
		return RFMGridPlot(w, f, "Revenue", v, testSegment, func(v float64) string { return FormatInt(int64(v)) })
	}))
	for _, want := range []string{">Log scale;<", ">1,000<", ">10k<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("colour bar lacks %q", want)
		}
	}
}

func TestRotatedLabelsHangBelowTheAxis(t *testing.T) {
	// A rotated label must not reach above its tick, into the cells that
	// would cover it ("lost", "potential_loyalist" were cut).
	p := newPlot("", "", "")
	rotateTickLabels(&p.X, math.Pi/4)
	for _, s := range []string{"lost", "potential_loyalist"} {
		if r := p.X.Tick.Label.Rectangle(s); r.Max.Y > 0.01 {
			t.Errorf("label %q reaches %v above its tick", s, r.Max.Y)
		}
	}
	rotateTickLabels(&p.X, math.Pi/5)
	if r := p.X.Tick.Label.Rectangle("potential_loyalist"); r.Max.Y > 0.01 {
		t.Errorf("label at π/5 reaches %v above its tick", r.Max.Y)
	}
}

// TestClusterColorsAgree checks that cluster i is drawn in clusterColor(i)
// in the sizes, snake, scatter and heat map plots (exact, opaque pixels of
// each colour), so that a reader can follow a segment from plot to plot.
func TestClusterColorsAgree(t *testing.T) {
	const k = 5
	names := fixNames[:k]
	xy, labels := fixScatter(2000)
	for i := range labels {
		labels[i] %= k
	}
	median, pos := fixProfile()
	z := [][]float64{{-1, 2, 2.5, 1}, {1.8, -0.7, -0.4, 0.2}, {-0.2, 0.1, -0.6, -0.8}, {0.5, 0.5, 0.5, 0.5}, {-0.5, -1, 0, 1}}
	plots := map[string]func(w io.Writer, f Format) error{
		"sizes":   func(w io.Writer, f Format) error { return SizesPlot(w, f, names, fixSizes[:k], fixRevenue[:k]) },
		"snake":   func(w io.Writer, f Format) error { return SnakePlot(w, f, fixFeatures[:4], names, z) },
		"scatter": func(w io.Writer, f Format) error { return ScatterPlot(w, f, xy, labels, names, "x", "y") },
		"heatmap": func(w io.Writer, f Format) error { return HeatmapPlot(w, f, names, fixFeatures, median[:k], pos[:k]) },
	}
	for name, write := range plots {
		t.Run(name, func(t *testing.T) {
			img := decodePNG(t, render(t, "colors_"+name, PNG, write))
			for i := range k {
				c := clusterColor(i).(color.RGBA)
				if n := countNear(img, c, 0); n < 15 {
					t.Errorf("cluster %d: %d pixels of its colour %v, want ≥ 15", i, n, c)
				}
			}
		})
	}
}

func TestScatterLegendUnderTheData(t *testing.T) {
	xy, labels := fixScatter(3000)
	img := decodePNG(t, render(t, "scatter_legend_place", PNG, func(w io.Writer, f Format) error {
		return ScatterPlot(w, f, xy, labels, fixNames, "x", "y")
	}))
	// The image is the 8×5 inch plot (600 pixels high) plus the legend
	// under it: each cluster's opaque legend glyph is there, so the points
	// keep the full width.
	b := img.Bounds()
	if b.Dy() <= 600 {
		t.Fatalf("height %d: no room for a legend under the plot", b.Dy())
	}
	for i := range fixNames {
		c := clusterColor(i).(color.RGBA)
		n := 0
		for y := 600; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if sameRGB(img, x, y, c) {
					n++
				}
			}
		}
		if n < 15 {
			t.Errorf("cluster %d: %d legend pixels under the plot, want ≥ 15", i, n)
		}
	}
}

func sameRGB(img image.Image, x, y int, c color.RGBA) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(b>>8) == c.B
}

func TestPCAxisLabel(t *testing.T) {
	tests := []struct {
		name     string
		loadings []float64
		want     string
	}{
		{"two up one down", []float64{-0.7, 0.9, 0.8, 0.2}, "→ more frequency, monetary; less recency days (68% of the differences)"},
		{"category share", []float64{0.1, 0.2, 0.3, 0.4, -0.6}, "→ less pets share (68% of the differences)"},
		{"only the strongest", []float64{0.1, 0.2, -0.3, 0.4}, "→ more aov (68% of the differences)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			features := []string{"recency_days", "frequency", "monetary", "aov", "mix_pets"}[:len(tt.loadings)]
			if got := PCAxisLabel(0.68, features, tt.loadings); got != tt.want {
				t.Errorf("PCAxisLabel = %q, want %q", got, tt.want)
			}
		})
	}
}
