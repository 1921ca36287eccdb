package pipeline

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// twoPassLoadings is pcLoadings as first written: for each axis and
// column, the means and then the sums, one column at a time.
func twoPassLoadings(x []float64, n, d int, proj []float64) [2][]float64 {
	var out [2][]float64
	for a := range out {
		out[a] = make([]float64, d)
		for j := range d {
			var mx, my float64
			for i := range n {
				mx += x[i*d+j]
				my += proj[2*i+a]
			}
			mx, my = mx/float64(n), my/float64(n)
			var sxy, sxx, syy float64
			for i := range n {
				dx, dy := x[i*d+j]-mx, proj[2*i+a]-my
				sxy += dx * dy
				sxx += dx * dx
				syy += dy * dy
			}
			if sxx > 0 && syy > 0 {
				out[a][j] = sxy / math.Sqrt(sxx*syy)
			}
		}
	}
	return out
}

// TestPCLoadingsBits: the row-by-row loadings are the bits of the
// column-by-column ones, a constant column's 0 included.
func TestPCLoadingsBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct{ n, d int }{{1, 1}, {7, 3}, {1000, 6}, {4099, 13}} {
		x := make([]float64, tc.n*tc.d)
		for i := range x {
			x[i] = rng.NormFloat64() * float64(1+i%tc.d)
			if i%tc.d == tc.d-1 && tc.d > 1 {
				x[i] = 2.5 // a constant column
			}
		}
		proj := make([]float64, 2*tc.n)
		for i := range proj {
			proj[i] = rng.NormFloat64() + x[i/2*tc.d]
		}
		got, want := pcLoadings(x, tc.n, tc.d, proj), twoPassLoadings(x, tc.n, tc.d, proj)
		for a := range got {
			for j := range got[a] {
				if math.Float64bits(got[a][j]) != math.Float64bits(want[a][j]) {
					t.Errorf("n=%d d=%d axis %d column %d: %v, want %v", tc.n, tc.d, a, j, got[a][j], want[a][j])
				}
			}
		}
	}
}

// TestRFMSharesMatchSection: the rfm_share plot's shares are those of the
// report's RFM section (rfmSection), computed as the plot did from it.
func TestRFMSharesMatchSection(t *testing.T) {
	r := smallResult(t)
	sec, err := r.rfmSection()
	if err != nil {
		t.Fatal(err)
	}
	var wantIDs []string
	var wantC, wantR []float64
	var totalC, totalR float64
	for _, g := range sec.Segments {
		totalC += float64(g.Customers)
		totalR += math.Max(g.Revenue, 0)
	}
	for _, g := range sec.Segments {
		if g.Customers == 0 {
			continue
		}
		wantIDs = append(wantIDs, g.ID)
		wantC = append(wantC, float64(g.Customers)/totalC)
		wantR = append(wantR, math.Max(g.Revenue, 0)/totalR)
	}
	tally, err := tallyRFM(context.Background(), r.segmentSource())
	if err != nil {
		t.Fatal(err)
	}
	ids, cust, rev := rfmShares(tally)
	if len(ids) < 2 {
		t.Fatalf("segments %v: want at least two for a meaningful check", ids)
	}
	if !slices.Equal(ids, wantIDs) || !slices.Equal(cust, wantC) || !slices.Equal(rev, wantR) {
		t.Errorf("shares %v %v %v, want %v %v %v", ids, cust, rev, wantIDs, wantC, wantR)
	}
}
