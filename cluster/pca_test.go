package cluster

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestProjectKnownAxes(t *testing.T) {
	// A cross: spread ±2 along x and ±1 along y, centred at (3, 5). The
	// sample variances are 8/3 and 2/3, so the components are the axes
	// and explain 0.8 and 0.2 of the variance.
	x := []float64{1, 5, 5, 5, 3, 4, 3, 6}
	x0 := slices.Clone(x)
	proj, explained, err := Project(x, 4, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(x, x0) {
		t.Error("Project modified x")
	}
	want := []float64{-2, 0, 2, 0, 0, -1, 0, 1}
	for i := range want {
		if math.Abs(proj[i]-want[i]) > 1e-12 {
			t.Fatalf("proj = %v, want %v", proj, want)
		}
	}
	if math.Abs(explained[0]-0.8) > 1e-12 || math.Abs(explained[1]-0.2) > 1e-12 {
		t.Errorf("explained = %v, want [0.8 0.2]", explained)
	}
}

func TestProjectLine(t *testing.T) {
	// Rows on the line m + t·v in 3-D, with more rows than the fit uses.
	for _, n := range []int{7, pcaFitRows + 1234} {
		m, v := []float64{1, -2, 5}, []float64{-2, 1, 2} // ‖v‖ = 3
		x := make([]float64, 0, 3*n)
		var mean float64
		for i := range n {
			tt := float64(i%97) / 10
			mean += tt
			for j := range 3 {
				x = append(x, m[j]+tt*v[j])
			}
		}
		mean /= float64(n)
		proj, explained, err := Project(x, n, 3, 1)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(explained[0]-1) > 1e-9 {
			t.Errorf("n=%d: explained %v, want 1", n, explained)
		}
		// The largest loading (|−2|, on the first column) is made
		// positive, so the score is −3·(t − mean t).
		for i := range n {
			want := -3 * (float64(i%97)/10 - mean)
			if math.Abs(proj[i]-want) > 1e-9 {
				t.Fatalf("n=%d: proj[%d] = %v, want %v", n, i, proj[i], want)
			}
		}
	}
}

func TestProjectNoVariance(t *testing.T) {
	proj, explained, err := Project([]float64{2, 2, 2, 2, 2, 2}, 3, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range append(proj, explained...) {
		if v != 0 {
			t.Fatalf("proj %v explained %v, want zeros", proj, explained)
		}
	}
}

func TestProjectErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		x       []float64
		n, d, k int
		want    error
	}{
		{"one row", []float64{1, 2}, 1, 2, 1, ErrNoRows},
		{"dims 0", []float64{1, 2, 3, 4}, 2, 2, 0, ErrSettings},
		{"dims > d", []float64{1, 2, 3, 4}, 2, 2, 3, ErrSettings},
		{"NaN", []float64{1, 2, math.NaN(), 4}, 2, 2, 1, ErrNonFinite},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := Project(tc.x, tc.n, tc.d, tc.k); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	mustPanic(t, func() { _, _, _ = Project([]float64{1, 2, 3}, 2, 2, 1) })
}
