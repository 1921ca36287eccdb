package report

import (
	"io"
	"strings"
	"testing"
)

func TestScatterSubsample(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		drawn     int
		titleNote string
	}{
		// At most MaxScatterPoints: every point.
		{"all points", 3000, 3000, ""},
		// 50,000 > 20,000: step ⌈50,000/20,000⌉ = 3, ⌈50,000/3⌉ = 16,667 drawn.
		{"every 3rd", 50000, 16667, "every 3rd customer shown (16,667 of 50,000)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xy, labels := fixScatter(tt.n)
			svg := string(render(t, "scatter_"+tt.name, SVG, func(w io.Writer, f Format) error {
				return ScatterPlot(w, f, xy, labels, fixNames, "PC1", "PC2")
			}))
			// Each data point is a circle of radius 1.8 pt, written by
			// vgsvg as two arcs "A1.8,1.8 …"; legend glyphs are larger.
			if got := strings.Count(svg, "A1.8,1.8 ") / 2; got != tt.drawn {
				t.Errorf("drew %d points, want %d", got, tt.drawn)
			}
			if tt.titleNote != "" && !strings.Contains(svg, tt.titleNote) {
				t.Errorf("title lacks %q", tt.titleNote)
			}
			if tt.titleNote == "" && strings.Contains(svg, "shown (") {
				t.Error("title mentions a subsample that was not taken")
			}
		})
	}
}

func TestScatterLegendCounts(t *testing.T) {
	// Labels (i·7919) mod 7 over 700 points: 100 per cluster.
	xy, labels := fixScatter(700)
	svg := string(render(t, "scatter_legend", SVG, func(w io.Writer, f Format) error {
		return ScatterPlot(w, f, xy, labels, fixNames, "PC1", "PC2")
	}))
	for _, n := range fixNames {
		if want := n + " (100)"; !strings.Contains(svg, want) {
			t.Errorf("legend lacks %q", want)
		}
	}
}

func TestOrdinal(t *testing.T) {
	tests := map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 102: "102nd"}
	for n, want := range tests {
		t.Run(want, func(t *testing.T) {
			if got := ordinal(n); got != want {
				t.Errorf("ordinal(%d) = %q, want %q", n, got, want)
			}
		})
	}
}

// TestSampleScatter: above MaxScatterPoints points the sample keeps every
// step-th point, at most MaxScatterPoints, with the clusters' counts over
// every point; below it keeps them all.
func TestSampleScatter(t *testing.T) {
	for _, n := range []int{3, MaxScatterPoints, 2*MaxScatterPoints + 5} {
		xy, labels := make([]float64, 2*n), make([]int, n)
		for i := range n {
			xy[2*i], xy[2*i+1], labels[i] = float64(i), float64(-i), i%3
		}
		p, err := SampleScatter(xy, labels, 3)
		if err != nil {
			t.Fatal(err)
		}
		step := (n + MaxScatterPoints - 1) / MaxScatterPoints
		if p.Step != step || p.Total != n || len(p.Labels) > MaxScatterPoints || len(p.XY) != 2*len(p.Labels) {
			t.Fatalf("%d points: step %d, total %d, %d kept; want step %d, at most %d", n, p.Step, p.Total, len(p.Labels), step, MaxScatterPoints)
		}
		for j, l := range p.Labels {
			if i := j * step; p.XY[2*j] != float64(i) || l != i%3 {
				t.Fatalf("%d points: kept point %d is (%v, %d), want point %d", n, j, p.XY[2*j], l, i)
			}
		}
		if got, want := p.Counts[0]+p.Counts[1]+p.Counts[2], n; got != want || p.Counts[0] != (n+2)/3 {
			t.Errorf("%d points: counts %v, want every point counted", n, p.Counts)
		}
	}
}
