package report

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestTopShares(t *testing.T) {
	// 100 customers: one spends 100, 4 spend 25 each, 95 spend 1, and one
	// refund (−50) counts as 0. Revenue 100 + 100 + 94 = 294 (the refund
	// customer replaces one of the 95).
	m := []float64{100, 25, 25, 25, 25, -50}
	for range 94 {
		m = append(m, 1)
	}
	got := SortRevenue(m).TopShares()                        // TopShareMarks: 1, 5, 20 %
	want := []float64{100.0 / 294, 200.0 / 294, 215.0 / 294} // top 20: 100 + 4·25 + 15·1
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("share %d: %v, want %v", i, got[i], want[i])
		}
	}
	if counts, n := SortRevenue(m).TopCounts(); n != 100 || !slices.Equal(counts, []int{1, 5, 20}) {
		t.Errorf("top counts %v of %d, want [1 5 20] of 100", counts, n)
	}
	if counts, _ := SortRevenue(m[:99]).TopCounts(); !slices.Equal(counts, []int{1, 5, 20}) { // ⌈0.99⌉, ⌈4.95⌉, ⌈19.8⌉
		t.Errorf("top counts of 99: %v, want [1 5 20]", counts)
	}
	var b strings.Builder
	writeConcentration(&b, &Run{Concentration: &Concentration{Buyers: 99, RepeatRate: 0.5, TopShares: []TopShare{
		{Share: 0.01, RevenueShare: 0.146, Customers: 24, Of: 2357}, {Share: 0.2, RevenueShare: 0.675, Customers: 472, Of: 2357}}}})
	if want := "the top 1% of the 2,357 customers by spend (24 customers) bring 14.6% of revenue, the top 20% (472) bring 67.5% of revenue."; !strings.Contains(b.String(), want) {
		t.Errorf("concentration %q lacks %q", b.String(), want)
	}
	if s := SortRevenue([]float64{0, 0}).TopShares(); !math.IsNaN(s[0]) {
		t.Errorf("no revenue: %v, want NaN", s[0])
	}
	if m[0] != 100 || m[5] != -50 {
		t.Error("SortRevenue changed its argument")
	}
}

func TestSummaryPlots(t *testing.T) {
	dir := os.Getenv("SEGMENT_PLOT_DIR")
	monetary := make([]float64, 5000)
	for i := range monetary {
		monetary[i] = math.Pow(float64(i%97+1), 2.2)
	}
	plots := map[string]func(f Format, b *bytes.Buffer) error{
		"pareto": func(f Format, b *bytes.Buffer) error { return ParetoPlot(b, f, SortRevenue(monetary)) },
		"share": func(f Format, b *bytes.Buffer) error {
			return SharePlot(b, f, []string{"champions", "loyal_customers", "at_risk", "lost"}, []float64{0.1, 0.3, 0.2, 0.4}, []float64{0.6, 0.25, 0.1, 0.05})
		},
		"snake": func(f Format, b *bytes.Buffer) error {
			return SnakePlot(b, f, []string{"recency_days", "frequency", "monetary", "aov", "discount_ratio", "mix_toys"},
				[]string{"High-spend frequent customers", "Lapsed customers", "Discount-driven customers"},
				[][]float64{{-1, 2, 2.5, 1, -0.5, 0}, {1.8, -0.7, -0.4, 0.2, -0.3, 0.1}, {-0.2, 0.1, -0.6, -0.8, 2.1, -0.2}})
		},
	}
	for name, mk := range plots {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := mk(PNG, &b); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if sz := img.Bounds().Size(); sz.X < 960 || sz.Y < 600 {
				t.Errorf("image %v smaller than 960×600", sz)
			}
			var s1, s2 bytes.Buffer
			if mk(SVG, &s1) != nil || mk(SVG, &s2) != nil || !bytes.Equal(s1.Bytes(), s2.Bytes()) {
				t.Error("SVG not deterministic")
			}
			if dir != "" {
				os.WriteFile(filepath.Join(dir, name+".png"), b.Bytes(), 0o644)
			}
		})
	}
	var b bytes.Buffer
	if ParetoPlot(&b, PNG, nil) == nil || ParetoPlot(&b, PNG, SortRevenue(nil)) == nil || ParetoPlot(&b, PNG, SortRevenue([]float64{-1, 0})) == nil {
		t.Error("Pareto plot without revenue: no error")
	}
	if SharePlot(&b, PNG, []string{"a"}, []float64{1.5}, []float64{0}) == nil {
		t.Error("share above 1: no error")
	}
	if SnakePlot(&b, PNG, []string{"x"}, []string{"a"}, [][]float64{{math.NaN()}}) == nil {
		t.Error("NaN in snake plot: no error")
	}
	mustPanicReport(t, func() { SnakePlot(&b, PNG, []string{"x", "y"}, []string{"a"}, [][]float64{{1}}) })
}
