package report

import (
	"io"
	"math"
	"strings"
	"testing"
)

func TestHeatmapAnnotationsComeFromData(t *testing.T) {
	median, pos := fixProfile()
	median[2][7] = math.NaN()
	svg := string(render(t, "heatmap", SVG, func(w io.Writer, f Format) error {
		return HeatmapPlot(w, f, fixNames, fixFeatures, median, pos)
	}))
	// Every cell shows the cluster's median in the feature's unit.
	for i, row := range median {
		for j, v := range row {
			want := ">" + formatFeature(fixFeatures[j], v, false) + "<"
			if math.IsNaN(v) {
				want = ">n/a<"
			}
			if !strings.Contains(svg, want) {
				t.Errorf("cell (%d, %d) = %v: SVG lacks annotation %q", i, j, v, want)
			}
		}
	}
	for _, n := range append(append([]string{}, fixNames...), fixFeatures...) {
		if !strings.Contains(svg, ">"+n+"<") {
			t.Errorf("SVG lacks axis label %q", n)
		}
	}
	// fixFeatures hold both kinds of columns: both colour bars, labelled.
	for _, want := range []string{">better than 75%<", ">worse than 75%<", ">best<", ">worst<", ">typical<",
		">higher<", ">lower<", ">For the business,<", ">Neither better nor<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("colour bars lack %q", want)
		}
	}
}

func TestHeatmapLegendFollowsColumns(t *testing.T) {
	tests := []struct {
		name             string
		cols             []string
		goodBad, neutral bool
	}{
		{"rfm only", []string{"recency_days", "frequency", "monetary"}, true, false},
		{"categories only", []string{"mix_pets", "mix_other"}, false, true},
		{"both", []string{"monetary", "mix_pets"}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			med := [][]float64{make([]float64, len(tt.cols))}
			pos := [][]float64{make([]float64, len(tt.cols))}
			svg := string(render(t, "heatmap_"+tt.name, SVG, func(w io.Writer, f Format) error {
				return HeatmapPlot(w, f, []string{"a"}, tt.cols, med, pos)
			}))
			if got := strings.Contains(svg, ">better than 75%<"); got != tt.goodBad {
				t.Errorf("better/worse bar drawn = %v, want %v", got, tt.goodBad)
			}
			if got := strings.Contains(svg, ">higher<"); got != tt.neutral {
				t.Errorf("neutral bar drawn = %v, want %v", got, tt.neutral)
			}
		})
	}
}

func TestHeatmapGrowsWithColumns(t *testing.T) {
	median, pos := fixProfile()
	data := render(t, "heatmap", PNG, func(w io.Writer, f Format) error {
		return HeatmapPlot(w, f, fixNames, fixFeatures, median, pos)
	})
	img := decodePNG(t, data)
	// 13 columns at ≥ 0.6 inch each do not fit the default 8 inches
	// (960 pixels at 120 DPI).
	if w := img.Bounds().Dx(); w <= 960 {
		t.Errorf("width = %d pixels for 13 columns, want > 960", w)
	}
}

// greenness is g − (r + b)/2 of c, in [−1, 1]: positive for green (better
// for the business), negative for magenta (worse).
func greenness(name string, pos float64) float64 {
	r, g, b, _ := heatColor(name, pos).RGBA()
	return (float64(g) - (float64(r)+float64(b))/2) / 0xffff
}

func TestHeatColorMeaning(t *testing.T) {
	tests := []struct {
		name    string
		feature string
		pos     float64
		better  bool
	}{
		// A recent median customer (low recency) is good news.
		{"recent", "recency_days", 0.05, true},
		{"lapsed", "recency_days", 0.95, false},
		{"high spend", "monetary", 0.9, true},
		{"low spend", "monetary", 0.1, false},
		{"discount-driven", "discount_ratio", 0.9, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := greenness(tt.feature, tt.pos)
			if tt.better && g <= 0.1 || !tt.better && g >= -0.1 {
				t.Errorf("%s at position %v: greenness %.2f, want %s", tt.feature, tt.pos, g, map[bool]string{true: "green", false: "magenta"}[tt.better])
			}
		})
	}
	// Typical is light; magnitude keeps growing to the ends of the scale
	// (no cap at ±100 % any more): 0.8 and 0.97 differ.
	if l := luminance(heatColor("monetary", 0.5)); l < 0.85 {
		t.Errorf("typical cell luminance %.2f, want a light neutral", l)
	}
	if heatColor("monetary", 0.8) == heatColor("monetary", 0.97) {
		t.Error("positions 0.8 and 0.97 have the same colour")
	}
	// Features that are neither better nor worse are grey, darker when higher.
	r, g, b, _ := heatColor("mix_pets", 0.9).RGBA()
	if r != g || g != b {
		t.Errorf("neutral feature colour (%d, %d, %d) is not grey", r, g, b)
	}
	if luminance(heatColor("mix_pets", 0.9)) >= luminance(heatColor("mix_pets", 0.2)) {
		t.Error("neutral scale: a higher position is not darker")
	}
	if heatColor("monetary", math.NaN()) != nanColor {
		t.Error("NaN cell is not grey")
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
