package cluster

import (
	"math"
	"slices"
	"testing"
)

// Worked examples and their documented knees. Unless noted, the data and
// expected knees come from kneed's test suite (arvkevi/kneed,
// tests/test_sample.py, which uses kneed/data_generator.py), run there with
// interp_method="interp1d" and online=False, the settings Kneedle ports.
func TestKneedleDocumentedExamples(t *testing.T) {
	ints := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	concaveInc := []float64{0, 60, 80, 85, 90, 95, 96, 97, 98, 99}
	concaveDec := []float64{99, 98, 97, 96, 95, 90, 85, 80, 60, 0}
	convexInc := []float64{1, 2, 3, 4, 5, 10, 15, 20, 40, 100}
	convexDec := []float64{100, 40, 20, 15, 10, 5, 4, 3, 2, 1}
	tenth := func(v []float64) []float64 { // x[:-3]/10 in test_*_truncated
		out := make([]float64, len(v)-3)
		for i := range out {
			out[i] = v[i] / 10
		}
		return out
	}
	// Figure 2 of Satopää et al. 2011 as kneed's DataGenerator.figure2()
	// rebuilds it: y = −1/(x + 0.1) + 5 on 10 points spread over [0, 1].
	// kneed's test_figure2 ("from the kneedle manuscript") expects 0.22 and
	// its README prints 0.2222…: the third point, x = 2/9.
	var figX, figY []float64
	for i := range 10 {
		x := float64(i) / 9
		figX = append(figX, x)
		figY = append(figY, -1/(x+0.1)+5)
	}
	// DataGenerator.bumpy(): a noisy convex decreasing curve; kneed's
	// test_convex_decreasing_bumpy expects 26 with interp1d.
	bumpyY := []float64{7305, 6979, 6666.6, 6463.2, 6326.5, 6048.8, 6032.8, 5762, 5742.8,
		5398.2, 5256.8, 5227, 5001.7, 4942, 4854.2, 4734.6, 4558.7, 4491.1, 4411.6, 4333,
		4234.6, 4139.1, 4056.8, 4022.5, 3868, 3808.3, 3745.3, 3692.3, 3645.6, 3618.3,
		3574.3, 3504.3, 3452.4, 3401.2, 3382.4, 3340.7, 3301.1, 3247.6, 3190.3, 3180,
		3154.2, 3089.5, 3045.6, 2989, 2993.6, 2941.3, 2875.6, 2866.3, 2834.1, 2785.1,
		2759.7, 2763.2, 2720.1, 2660.1, 2690.2, 2635.7, 2632.9, 2574.6, 2556, 2545.7,
		2513.4, 2491.6, 2496, 2466.5, 2442.7, 2420.5, 2381.5, 2388.1, 2340.6, 2335,
		2318.9, 2319, 2308.2, 2262.2, 2235.8, 2259.3, 2221, 2202.7, 2184.3, 2170.1,
		2160, 2127.7, 2134.7, 2102, 2101.4, 2066.4, 2074.3, 2063.7, 2048.1, 2031.9}
	bumpyX := make([]float64, len(bumpyY))
	for i := range bumpyX {
		bumpyX[i] = float64(i)
	}
	// test_flat_maxima: the global maximum of the difference curve is a
	// plateau; S = 0 stops at the first local maximum (x = 1), S = 1 at
	// the global one (x = 8).
	flatX := ints[:0:0]
	for i := range 18 {
		flatX = append(flatX, float64(i))
	}
	flatY := []float64{1, 0.787701317715959, 0.7437774524158126, 0.6559297218155198,
		0.5065885797950219, 0.36749633967789164, 0.2547584187408492, 0.16251830161054173,
		0.10395314787701318, 0.06734992679355783, 0.043923865300146414, 0.027818448023426062,
		0.01903367496339678, 0.013177159590043924, 0.010248901903367497, 0.007320644216691069,
		0.005856515373352855, 0.004392386530014641}

	for _, tc := range []struct {
		name  string
		x, y  []float64
		s     float64
		curve Curve
		dir   Direction
		knee  float64
		idx   int
	}{
		{"figure2", figX, figY, 1, Concave, Increasing, 2.0 / 9, 2},
		{"concave increasing", ints, concaveInc, 1, Concave, Increasing, 2, 2},
		{"concave decreasing", ints, concaveDec, 1, Concave, Decreasing, 7, 7},
		{"convex increasing", ints, convexInc, 1, Convex, Increasing, 7, 7},
		{"convex decreasing", ints, convexDec, 1, Convex, Decreasing, 2, 2},
		{"concave increasing truncated", tenth(ints), tenth(concaveInc), 1, Concave, Increasing, 0.2, 2},
		{"concave decreasing truncated", tenth(ints), tenth(concaveDec), 1, Concave, Decreasing, 0.4, 4},
		{"convex increasing truncated", tenth(ints), tenth(convexInc), 1, Convex, Increasing, 0.4, 4},
		{"convex decreasing truncated", tenth(ints), tenth(convexDec), 1, Convex, Decreasing, 0.2, 2},
		{"bumpy", bumpyX, bumpyY, 1, Convex, Decreasing, 26, 26},
		{"flat maxima S=0", flatX, flatY, 0, Convex, Decreasing, 1, 1},
		{"flat maxima S=1", flatX, flatY, 1, Convex, Decreasing, 8, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x0, y0 := slices.Clone(tc.x), slices.Clone(tc.y)
			knee, idx, ok := Kneedle(tc.x, tc.y, tc.s, tc.curve, tc.dir)
			if !ok || idx != tc.idx || math.Abs(knee-tc.knee) > 1e-12 {
				t.Errorf("Kneedle = (%v, %d, %v), want (%v, %d, true)", knee, idx, ok, tc.knee, tc.idx)
			}
			if !sameBits(tc.x, x0) || !sameBits(tc.y, y0) {
				t.Error("Kneedle modified its input")
			}
		})
	}
}

func TestKneedleNoKnee(t *testing.T) {
	line := func(n int, a, b float64) (x, y []float64) {
		for i := range n {
			x = append(x, float64(i)/10)
			y = append(y, a+b*float64(i)/10)
		}
		return x, y
	}
	// Steps of 0.1 are inexact in binary: D is ±1e-17 instead of 0, which
	// kneed's code (transcribed and run with numpy) reads as a knee at 0.3.
	lx, ly := line(11, 0.3, 0.7)
	dx, dy := line(12, 1e6, -3e3) // falls, like a featureless inertia curve
	for _, tc := range []struct {
		name  string
		x, y  []float64
		curve Curve
		dir   Direction
	}{
		// kneed's test_y_no_knee: three points of e^(−x/10); expects None.
		{"three points", []float64{1, 2, 3}, []float64{0.90483742, 0.81873075, 0.74081822}, Convex, Decreasing},
		// kneed's test_x_equals_y: a flat curve has no local maximum.
		{"flat", []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, Concave, Increasing},
		{"rising line concave", lx, ly, Concave, Increasing},
		{"rising line convex", lx, ly, Convex, Increasing},
		{"falling line convex", dx, dy, Convex, Decreasing},
		{"falling line concave", dx, dy, Concave, Decreasing},
		// A convex curve declared concave lies below its chord.
		{"wrong shape", []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
			[]float64{1, 2, 3, 4, 5, 10, 15, 20, 40, 100}, Concave, Increasing},
		{"two points", []float64{1, 2}, []float64{5, 1}, Convex, Decreasing},
		{"NaN", []float64{1, 2, 3, 4}, []float64{9, math.NaN(), 2, 1}, Convex, Decreasing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if knee, idx, ok := Kneedle(tc.x, tc.y, 1, tc.curve, tc.dir); ok {
				t.Errorf("Kneedle = (%v, %d, true), want no knee", knee, idx)
			}
		})
	}
}

func TestKneedleFirstPointIsNotAKnee(t *testing.T) {
	// The first step falls less than the chord, so with S = 0 the
	// difference curve D = (0, −0.147, 0.232, 0.242, 0.147, 0) drops below
	// 0 right after its first point. kneed would call that point (D = 0, on
	// the chord) a knee; Kneedle requires D > 0 and finds the real elbow at
	// x = 3, where kneed with S = 1 also puts it.
	x := []float64{0, 1, 2, 3, 4, 5}
	y := []float64{10, 9.5, 4, 2, 1, 0.5}
	for _, s := range []float64{0, 1} {
		if knee, _, ok := Kneedle(x, y, s, Convex, Decreasing); !ok || knee != 3 {
			t.Errorf("S=%v: Kneedle = (%v, %v), want (3, true)", s, knee, ok)
		}
	}
}

func TestKneedleMinimumResetsThreshold(t *testing.T) {
	// D = (0, 0.1, −0.05, −0.02, 0.15, 0) with S·mean spacing 0.2: the
	// maximum at x = 1 sets T = −0.1, which D never undercuts, but the
	// local minimum at x = 2 resets T to 0 and D = −0.02 at x = 3 is below
	// it, so the knee is x = 1 (kneed's code gives 1 too). Without the
	// reset the walk would go on to the maximum at x = 4.
	x := []float64{0, 1, 2, 3, 4, 5}
	y := []float64{100, 70, 65, 42, 5, 0}
	if knee, _, ok := Kneedle(x, y, 1, Convex, Decreasing); !ok || knee != 1 {
		t.Errorf("Kneedle = (%v, %v), want (1, true)", knee, ok)
	}
}

func TestKneedleSensitivity(t *testing.T) {
	// Larger S demands a deeper drop after a maximum. For y = 1/x on
	// x = 1..20, x̂ = (x−1)/19 and 1 − ŷ = (1 − 1/x)/0.95, so D is
	// 12/19 at both x = 4 and x = 5 (a plateau: the last maximum, x = 5,
	// sets the threshold) and then 0.614, 0.586, 0.553 at x = 6, 7, 8.
	// S = 1 gives T = 11/19 = 0.579, first undercut at x = 8: knee x = 5.
	// S = 40 gives T = −28/19, below every D ≥ 0: no knee.
	var x, y []float64
	for i := 1; i <= 20; i++ {
		x = append(x, float64(i))
		y = append(y, 1/float64(i))
	}
	if knee, _, ok := Kneedle(x, y, 1, Convex, Decreasing); !ok || knee != 5 {
		t.Errorf("S=1: (%v, %v), want (5, true)", knee, ok)
	}
	if knee, _, ok := Kneedle(x, y, 40, Convex, Decreasing); ok {
		t.Errorf("S=40: knee %v, want none", knee)
	}
}

func TestKneedlePanics(t *testing.T) {
	for _, tc := range []struct {
		name  string
		x, y  []float64
		curve Curve
		dir   Direction
	}{
		{"length mismatch", []float64{1, 2, 3}, []float64{1, 2}, Convex, Decreasing},
		{"x not increasing", []float64{1, 3, 2}, []float64{3, 2, 1}, Convex, Decreasing},
		{"zero curve", []float64{1, 2, 3}, []float64{3, 2, 1}, 0, Decreasing},
		{"zero direction", []float64{1, 2, 3}, []float64{3, 2, 1}, Convex, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mustPanic(t, func() { Kneedle(tc.x, tc.y, 1, tc.curve, tc.dir) })
		})
	}
}
