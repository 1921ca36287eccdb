package report

import (
	"bytes"
	"image/png"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPlotLabel(t *testing.T) {
	long := strings.Repeat("é", maxLabelRunes+1)
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"Recent high-spend frequent customers", "Recent high-spend frequent customers"},
		{strings.Repeat("x", maxLabelRunes), strings.Repeat("x", maxLabelRunes)},
		{long, strings.Repeat("é", maxLabelRunes/2) + "…" + strings.Repeat("é", maxLabelRunes-maxLabelRunes/2-1)},
		// Names that differ at their end stay apart.
		{"Inactive low-spend one-time small-basket customers, relatively bigger baskets",
			"Inactive low-spend one-time smal…mers, relatively bigger baskets"},
	} {
		got := plotLabel(c.in)
		if got != c.want || utf8.RuneCountInString(got) > maxLabelRunes || !utf8.ValidString(got) {
			t.Errorf("plotLabel(%.20q…) = %.20q… (%d runes), want %.20q…", c.in, got, utf8.RuneCountInString(got), c.want)
		}
	}
}

// TestPlotsBoundLongNames draws the plots that show names from the data
// (categories, clusters, groups) with a name of a million characters: each
// image keeps the size it has with the name cut to maxLabelRunes (a
// category name of that length once asked for a canvas of hundreds of
// gigabytes).
func TestPlotsBoundLongNames(t *testing.T) {
	huge := "mix_" + strings.Repeat("x", 1_000_000)
	plots := map[string]func(w io.Writer, name string) error{
		"heatmap": func(w io.Writer, name string) error {
			return HeatmapPlot(w, PNG, []string{name, "b"}, []string{"frequency", name}, [][]float64{{1, 0.5}, {2, 0.1}}, [][]float64{{0.5, 0.6}, {0.7, 0.2}})
		},
		"snake": func(w io.Writer, name string) error {
			return SnakePlot(w, PNG, []string{"frequency", name}, []string{name, "b"}, [][]float64{{1, -1}, {0.5, 0.2}})
		},
		"sizes": func(w io.Writer, name string) error {
			return SizesPlot(w, PNG, []string{name, "b"}, []int{3, 4}, []float64{10, 20})
		},
		"share": func(w io.Writer, name string) error {
			return SharePlot(w, PNG, []string{name, "b"}, []float64{0.4, 0.6}, []float64{0.7, 0.3})
		},
		"scatter": func(w io.Writer, name string) error {
			return ScatterPlot(w, PNG, []float64{0, 0, 1, 1, 2, 0}, []int{0, 1, 0}, []string{name, "b"}, "PC1", "PC2")
		},
		"migration": func(w io.Writer, name string) error {
			return MigrationPlot(w, PNG, "moves", []string{name, "b"}, []string{"c", name}, [][]int{{1, 2}, {3, 4}})
		},
	}
	for name, draw := range plots {
		t.Run(name, func(t *testing.T) {
			size := func(label string) (int, int) {
				var buf bytes.Buffer
				if err := draw(&buf, label); err != nil {
					t.Fatal(err)
				}
				cfg, err := png.DecodeConfig(&buf)
				if err != nil {
					t.Fatal(err)
				}
				return cfg.Width, cfg.Height
			}
			w, h := size(huge)
			cw, ch := size(plotLabel(huge))
			if w != cw || h != ch || w > 4000 || h > 4000 {
				t.Errorf("a name of a million characters: %d×%d pixels, want %d×%d as with its first %d runes", w, h, cw, ch, maxLabelRunes)
			}
		})
	}
}
