package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"image"
	"image/color"
	_ "image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var plotsDir = flag.String("plots", "", "also write the test plots to this directory, to look at them")

// Fixture data shaped like a real run: an elbow sweep with a knee at 5,
// seven clusters and a 13-feature profile.
var (
	fixKs      = []int{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	fixInertia = []float64{812345, 560000, 350000, 190000, 170000, 155000, 143000, 135000, 128000, 122000, 117000}
	fixSil     = []float64{0.31, 0.36, 0.41, 0.52, 0.47, 0.44, 0.40, 0.38, 0.37, 0.35, 0.34}
	fixNames   = []string{
		"High-spend frequent customers", "Lapsed infrequent customers", "Discount-driven customers",
		"Recent category specialists (pets)", "Typical customers", "Seasonal customers", "Big-basket customers",
	}
	fixSizes    = []int{1234, 4521, 2210, 870, 10345, 1502, 330}
	fixRevenue  = []float64{412000, 60210, 88000, 51000, 250400, 71000, 39000}
	fixFeatures = []string{
		"recency_days", "tenure_days", "frequency", "monetary", "aov", "discount_ratio",
		"coupon_order_share", "return_rate", "items_per_order", "mean_interorder_days",
		"mix_pets", "mix_home_garden", "mix_other",
	}
)

// fixRel returns a deterministic relative-difference table for
// fixNames × fixFeatures with values from −90 % to +540 % and one NaN.
func fixRel() [][]float64 {
	rel := make([][]float64, len(fixNames))
	for i := range rel {
		rel[i] = make([]float64, len(fixFeatures))
		for j := range rel[i] {
			// A smooth pattern over (i, j) spanning about −0.8 to +1.2.
			rel[i][j] = math.Sin(float64(3*i+j)) + 0.2*math.Cos(float64(i*j))
		}
	}
	rel[0][3] = 5.4
	rel[0][5] = -0.9
	rel[2][7] = math.NaN()
	return rel
}

// fixProfile returns deterministic cluster medians and quantile positions
// for fixNames × fixFeatures, derived from fixRel: positions from 0.03 to
// 0.97 and one NaN.
func fixProfile() (median, pos [][]float64) {
	rel := fixRel()
	median, pos = make([][]float64, len(rel)), make([][]float64, len(rel))
	for i, row := range rel {
		median[i], pos[i] = make([]float64, len(row)), make([]float64, len(row))
		for j, v := range row {
			median[i][j] = 120 * (1 + v)
			pos[i][j] = 0.5 + 0.47*math.Tanh(v)
		}
	}
	return median, pos
}

// fixScatter returns n points in seven groups around a circle.
func fixScatter(n int) (xy []float64, labels []int) {
	xy = make([]float64, 2*n)
	labels = make([]int, n)
	for i := range labels {
		l := (i * 7919) % len(fixNames) // a prime stride mixes the labels
		labels[i] = l
		a := float64(l) * 2 * math.Pi / float64(len(fixNames))
		xy[2*i] = 3*math.Cos(a) + math.Sin(float64(i)*0.37)
		xy[2*i+1] = 3*math.Sin(a) + math.Cos(float64(i)*0.73)
	}
	return xy, labels
}

type plotCase struct {
	name  string
	w, h  int // expected PNG size in pixels
	write func(w io.Writer, f Format) error
}

func plotCases() []plotCase {
	xy, labels := fixScatter(3000)
	median, pos := fixProfile()
	smallMed := [][]float64{median[0][:5], median[1][:5], median[2][:5]}
	smallPos := [][]float64{pos[0][:5], pos[1][:5], pos[2][:5]}
	// 8×5 inches at DPI = 120: 960×600 pixels.
	return []plotCase{
		{"elbow", 960, 600, func(w io.Writer, f Format) error { return ElbowPlot(w, f, fixKs, fixInertia, 5, fixSil) }},
		{"elbow_no_silhouette", 960, 600, func(w io.Writer, f Format) error { return ElbowPlot(w, f, fixKs, fixInertia, 5, nil) }},
		{"sizes", 960, 600, func(w io.Writer, f Format) error { return SizesPlot(w, f, fixNames, fixSizes, fixRevenue) }},
		// Both colour bars (better/worse and neutral columns): 6 inches high.
		{"heatmap_small", 960, 720, func(w io.Writer, f Format) error {
			return HeatmapPlot(w, f, fixNames[:3], fixFeatures[:5], smallMed, smallPos)
		}},
		// 5 inches plus the legend under it: seven names in three columns,
		// 3 rows of 15 pt + 8 pt = 53 pt, 88 pixels at 120 DPI.
		{"scatter", 960, 688, func(w io.Writer, f Format) error {
			return ScatterPlot(w, f, xy, labels, fixNames, "PC1 (41% of variance)", "PC2 (22% of variance)")
		}},
		{"elbow_single_k", 960, 600, func(w io.Writer, f Format) error { return ElbowPlot(w, f, []int{4}, []float64{10}, 4, nil) }},
		{"elbow_nan_silhouette", 960, 600, func(w io.Writer, f Format) error {
			return ElbowPlot(w, f, []int{1, 2, 3}, []float64{30, 12, 10}, 2, []float64{math.NaN(), math.NaN(), math.NaN()})
		}},
		{"sizes_zero", 960, 600, func(w io.Writer, f Format) error { return SizesPlot(w, f, []string{"a", "b"}, []int{0, 0}, nil) }},
		// 15 bars at 26 pt plus 1.4 inch of title and axis: 490.8 pt =
		// 6.817 inch, 818 pixels at 120 DPI.
		{"sizes_many", 960, 818, func(w io.Writer, f Format) error { return SizesPlot(w, f, manyNames, manySizes, nil) }},
		// 15 short names in 8 columns: 2 rows, 38 pt = 63 pixels.
		{"scatter_many", 960, 663, func(w io.Writer, f Format) error {
			return ScatterPlot(w, f, manyXY, manyLabels, manyNames, "PC1", "PC2")
		}},
	}
}

// Fifteen clusters: more than the 12 palette colours.
var (
	manyNames  = []string{"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12", "c13", "c14"}
	manySizes  = []int{5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75}
	manyXY     = func() []float64 { xy, _ := fixScatter(1500); return xy }()
	manyLabels = func() []int {
		l := make([]int, 1500)
		for i := range l {
			l[i] = i % 15
		}
		return l
	}()
)

func render(t *testing.T, name string, f Format, write func(io.Writer, Format) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b, f); err != nil {
		t.Fatalf("%s %s: %v", name, f, err)
	}
	if *plotsDir != "" {
		if err := os.WriteFile(filepath.Join(*plotsDir, name+"."+string(f)), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("image.Decode: %v", err)
	}
	if format != "png" {
		t.Fatalf("decoded format %q, want png", format)
	}
	return img
}

// checkSVG parses data as XML and checks that the root element is svg.
func checkSVG(t *testing.T, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Fatalf("SVG root element is %q, want svg", root)
	}
}

func TestPlotsPNG(t *testing.T) {
	for _, c := range plotCases() {
		t.Run(c.name, func(t *testing.T) {
			a := render(t, c.name, PNG, c.write)
			img := decodePNG(t, a)
			if got := img.Bounds().Size(); got != (image.Point{X: c.w, Y: c.h}) {
				t.Errorf("size = %v, want %dx%d", got, c.w, c.h)
			}
			b := render(t, c.name, PNG, c.write)
			if !bytes.Equal(a, b) {
				t.Error("same input gave different PNG bytes")
			}
		})
	}
}

func TestPlotsSVG(t *testing.T) {
	for _, c := range plotCases() {
		t.Run(c.name, func(t *testing.T) {
			a := render(t, c.name, SVG, c.write)
			checkSVG(t, a)
			if bytes.Contains(a, []byte(svgFontFamily)) || !bytes.Contains(a, []byte(svgFontFallback)) {
				t.Error("SVG text lacks the sans-serif font fallback")
			}
			b := render(t, c.name, SVG, c.write)
			if !bytes.Equal(a, b) {
				t.Error("same input gave different SVG bytes")
			}
		})
	}
}

func TestPlotErrors(t *testing.T) {
	var sink bytes.Buffer
	tests := []struct {
		name string
		err  error
	}{
		{"unknown format", ElbowPlot(&sink, "pdf", fixKs, fixInertia, 5, nil)},
		{"empty sweep", ElbowPlot(&sink, PNG, nil, nil, 5, nil)},
		{"NaN inertia", ElbowPlot(&sink, PNG, []int{2, 3}, []float64{1, math.NaN()}, 2, nil)},
		{"no clusters", SizesPlot(&sink, PNG, nil, nil, nil)},
		{"negative size", SizesPlot(&sink, PNG, []string{"a"}, []int{-1}, nil)},
		{"NaN revenue", SizesPlot(&sink, PNG, []string{"a"}, []int{1}, []float64{math.NaN()})},
		{"empty heat map", HeatmapPlot(&sink, PNG, nil, nil, nil, nil)},
		{"no points", ScatterPlot(&sink, PNG, nil, nil, fixNames, "x", "y")},
		{"label out of range", ScatterPlot(&sink, PNG, []float64{0, 0}, []int{7}, fixNames, "x", "y")},
		{"NaN coordinate", ScatterPlot(&sink, PNG, []float64{math.NaN(), 0}, []int{0}, fixNames, "x", "y")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(tt.err.Error(), "report: ") {
				t.Errorf("error %q lacks the package prefix", tt.err)
			}
		})
	}
}

func TestPlotPanicsOnShapeMismatch(t *testing.T) {
	tests := []struct {
		name string
		call func()
	}{
		{"elbow inertia", func() { _ = ElbowPlot(io.Discard, PNG, []int{2, 3}, []float64{1}, 2, nil) }},
		{"elbow silhouette", func() { _ = ElbowPlot(io.Discard, PNG, []int{2, 3}, []float64{2, 1}, 2, []float64{0.1}) }},
		{"sizes", func() { _ = SizesPlot(io.Discard, PNG, []string{"a", "b"}, []int{1}, nil) }},
		{"sizes revenue", func() { _ = SizesPlot(io.Discard, PNG, []string{"a"}, []int{1}, []float64{1, 2}) }},
		{"heatmap rows", func() {
			_ = HeatmapPlot(io.Discard, PNG, []string{"a", "b"}, []string{"x"}, [][]float64{{1}}, [][]float64{{1}})
		}},
		{"heatmap cols", func() {
			_ = HeatmapPlot(io.Discard, PNG, []string{"a"}, []string{"x", "y"}, [][]float64{{1}}, [][]float64{{1}})
		}},
		{"scatter", func() { _ = ScatterPlot(io.Discard, PNG, []float64{1, 2, 3}, []int{0, 0}, fixNames, "x", "y") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatal("no panic")
				}
				if s, _ := r.(string); !strings.HasPrefix(s, "report: ") {
					t.Errorf("panic %v lacks the package prefix", r)
				}
			}()
			tt.call()
		})
	}
}

// countNear counts the pixels of img within tol (per 8-bit channel) of c.
func countNear(img image.Image, c color.RGBA, tol int) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if abs(int(r>>8)-int(c.R)) <= tol && abs(int(g>>8)-int(c.G)) <= tol && abs(int(bl>>8)-int(c.B)) <= tol {
				n++
			}
		}
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestElbowMarksChosenK(t *testing.T) {
	write := func(k int) image.Image {
		var b bytes.Buffer
		if err := ElbowPlot(&b, PNG, fixKs, fixInertia, k, nil); err != nil {
			t.Fatal(err)
		}
		return decodePNG(t, b.Bytes())
	}
	// The marker (dashed line, ring, "k = 5") is the only thing drawn in
	// chosenColor; a k outside the sweep is not marked.
	marked := countNear(write(5), chosenColor, 40)
	unmarked := countNear(write(99), chosenColor, 40)
	if marked < 200 {
		t.Errorf("chosen k drawn with %d pixels of the marker colour, want ≥ 200", marked)
	}
	if unmarked != 0 {
		t.Errorf("k outside the sweep: %d marker pixels, want 0", unmarked)
	}
	var b bytes.Buffer
	if err := ElbowPlot(&b, SVG, fixKs, fixInertia, 99, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "chosen k = 99, outside the sweep") {
		t.Error("title does not say that the chosen k is outside the sweep")
	}
}

func TestSizesLabels(t *testing.T) {
	svg := string(render(t, "sizes", SVG, func(w io.Writer, f Format) error { return SizesPlot(w, f, fixNames, fixSizes, fixRevenue) }))
	// fixSizes sum to 21,012: 1,234 is 5.87 %, 10,345 is 49.23 %, 330 is 1.57 %.
	// fixRevenue sums to 971,610: 412,000 is 42.40 %, 39,000 is 4.01 %.
	for _, want := range []string{"5.9% of customers (1,234)", "49.2% of customers (10,345)", "1.6% of customers (330)",
		"42.4% of revenue", "4.0% of revenue", "Typical customers", "Customers and revenue per segment"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks label %q", want)
		}
	}
}
