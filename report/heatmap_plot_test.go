package report

import (
	"io"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/palette/moreland"
)

func TestHeatmapAnnotationsComeFromData(t *testing.T) {
	rel := fixRel()
	svg := string(render(t, "heatmap", SVG, func(w io.Writer, f Format) error {
		return HeatmapPlot(w, f, fixNames, fixFeatures, rel)
	}))
	// Every cell's value is written in the plot, formatted from rel.
	for i, row := range rel {
		for j, v := range row {
			want := ">" + formatSignedPercent(v) + "<"
			if !strings.Contains(svg, want) {
				t.Errorf("cell (%d, %d) = %v: SVG lacks annotation %q", i, j, v, want)
			}
		}
	}
	// Spot checks of the formatting on values planted in fixRel.
	for _, want := range []string{">+540%<", ">-90%<", ">n/a<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	// All axis names are drawn.
	for _, n := range append(append([]string{}, fixNames...), fixFeatures...) {
		if !strings.Contains(svg, ">"+n+"<") {
			t.Errorf("SVG lacks axis label %q", n)
		}
	}
	// The colour bar is capped at ±100 % because a cell is +540 %.
	for _, want := range []string{">≥+100%<", ">≤-100%<", ">0%<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("colour bar lacks tick %q", want)
		}
	}
}

func TestHeatmapGrowsWithColumns(t *testing.T) {
	data := render(t, "heatmap", PNG, func(w io.Writer, f Format) error {
		return HeatmapPlot(w, f, fixNames, fixFeatures, fixRel())
	})
	img := decodePNG(t, data)
	// 13 columns at ≥ 0.6 inch each do not fit the default 8 inches
	// (960 pixels at 120 DPI).
	if w := img.Bounds().Dx(); w <= 960 {
		t.Errorf("width = %d pixels for 13 columns, want > 960", w)
	}
}

func TestFormatSignedPercent(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0.45, "+45%"},
		{-0.12, "-12%"},
		{0.004, "0%"},  // rounds to zero: no sign
		{-0.004, "0%"}, // no "-0%"
		{0.005, "+1%"}, // half rounds away from zero
		{-1, "-100%"},  // cluster mean 0
		{12.345, "+1,235%"},
		{math.NaN(), "n/a"},
		{math.Inf(1), "+∞"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := formatSignedPercent(tt.in); got != tt.want {
				t.Errorf("formatSignedPercent(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHeatColorDivergesAtZero(t *testing.T) {
	cmap := moreland.SmoothBlueRed()
	const scale = 0.5
	cmap.SetMin(-scale)
	cmap.SetMax(scale)
	rgbOf := func(v float64) (r, g, b float64) {
		R, G, B, _ := heatColor(cmap, v, scale).RGBA()
		return float64(R) / 0xffff, float64(G) / 0xffff, float64(B) / 0xffff
	}
	r, g, b := rgbOf(0)
	if math.Abs(r-b) > 0.1 || math.Abs(r-g) > 0.1 || luminance(heatColor(cmap, 0, scale)) < 0.75 {
		t.Errorf("colour at 0 = (%.2f, %.2f, %.2f), want a light neutral", r, g, b)
	}
	if r, _, b := rgbOf(0.4); r <= b {
		t.Errorf("colour at +40%% is not red-dominant: r=%.2f b=%.2f", r, b)
	}
	if r, _, b := rgbOf(-0.4); b <= r {
		t.Errorf("colour at -40%% is not blue-dominant: r=%.2f b=%.2f", r, b)
	}
	// Values beyond the scale take the end colours instead of failing.
	if heatColor(cmap, 9, scale) != heatColor(cmap, scale, scale) {
		t.Error("value above the scale does not take the end colour")
	}
	if heatColor(cmap, math.NaN(), scale) != nanColor {
		t.Error("NaN cell is not grey")
	}
}

func TestHeatScale(t *testing.T) {
	tests := []struct {
		name string
		rel  [][]float64
		want float64
	}{
		{"largest magnitude", [][]float64{{0.2, -0.6}, {0.4, math.NaN()}}, 0.6},
		{"floor", [][]float64{{0.01, -0.02}}, heatMinScale},
		{"cap", [][]float64{{5.4, -0.3}}, heatMaxScale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := heatScale(tt.rel); got != tt.want {
				t.Errorf("heatScale = %v, want %v", got, tt.want)
			}
		})
	}
}
