package pipeline

import (
	"context"
	"fmt"
	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/report"
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

// TestCustomerMapInRuns: the customer map of rows given in runs of any
// size is that of the whole matrix: the scores of cluster.Project, the
// points of report.SampleScatter and loadings with the bits of the
// column-by-column ones, a constant column's 0 included.
func TestCustomerMapInRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct{ n, d int }{{2, 2}, {7, 3}, {1000, 6}, {4099, 13}} {
		x := make([]float64, tc.n*tc.d)
		labels := make([]int, tc.n)
		for i := range x {
			x[i] = rng.NormFloat64() * float64(1+i%tc.d)
			if i%tc.d == tc.d-1 {
				x[i] = 2.5 // a constant column
			}
		}
		for i := range labels {
			labels[i] = rng.IntN(3)
		}
		proj, explained, err := cluster.Project(x, tc.n, tc.d, 2)
		if err != nil {
			t.Fatal(err)
		}
		points, err := report.SampleScatter(proj, labels, 3)
		if err != nil {
			t.Fatal(err)
		}
		want := &customerMap{points: points, explained: explained, load: twoPassLoadings(x, tc.n, tc.d, proj)}
		for _, size := range []int{tc.n, 1, 7} {
			got, err := customerMapOf(tc.n, tc.d, 3, func(yield func([]float64, []int) error) error {
				for lo := 0; lo < tc.n; lo += size {
					hi := min(lo+size, tc.n)
					if err := yield(x[lo*tc.d:hi*tc.d], labels[lo:hi]); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%x", *got.points) != fmt.Sprintf("%x", *want.points) || fmt.Sprintf("%x", got.explained) != fmt.Sprintf("%x", want.explained) ||
				fmt.Sprintf("%x", got.load) != fmt.Sprintf("%x", want.load) {
				t.Errorf("n=%d d=%d, runs of %d: map %v %v %v, want %v %v %v", tc.n, tc.d, size, *got.points, got.explained, got.load, *want.points, want.explained, want.load)
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
