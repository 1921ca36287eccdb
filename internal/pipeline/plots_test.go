package pipeline

import (
	"context"
	"math"
	"slices"
	"testing"
)

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
