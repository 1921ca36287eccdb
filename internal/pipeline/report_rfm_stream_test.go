package pipeline

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/exactsum"
)

// TestRFMRowsInChunks: rfmRows, tallyRFM and groupCounts over chunks of any size
// give what the former in-memory code gave (exact sums, medians of sorted
// values), bit for bit: prospects counted without
// medians, an empty segment left with NaN medians, a group not computed
// with no members.
func TestRFMRowsInChunks(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const n = 20000
	segs := make([]string, n)
	scores := &features.RFM{R: make([]int8, n), F: make([]int8, n), M: make([]int8, n)}
	rec, freq, mon := make([]float64, n), make([]float64, n), make([]float64, n)
	vip, lapsed := make([]bool, n), make([]bool, n)
	for i := range n {
		if rng.IntN(10) == 0 { // a prospect: scores 0
			rec[i], freq[i], mon[i] = math.NaN(), math.NaN(), math.NaN()
		} else {
			scores.R[i], scores.F[i], scores.M[i] = int8(1+rng.IntN(5)), int8(1+rng.IntN(4)), int8(1+rng.IntN(4))
			rec[i], freq[i], mon[i] = float64(rng.IntN(900)), float64(1+rng.IntN(6)), math.Round(math.Exp(rng.NormFloat64()+4)*100)/100
		}
		segs[i] = scores.Segment(i)
		vip[i], lapsed[i] = rng.IntN(20) == 0, rng.IntN(3) == 0
	}
	// The former code: one pass appending each segment's values, medians
	// of the sorted values.
	infos := features.RFMSegments()
	var want []string
	for _, info := range infos {
		var customers int
		var orders, revenue exactsum.Sum
		var rv, fv, mv []float64
		for i := range n {
			if segs[i] != info.ID {
				continue
			}
			customers++
			orders.Add(freq[i])
			revenue.Add(mon[i])
			rv, fv, mv = append(rv, rec[i]), append(fv, freq[i]), append(mv, mon[i])
		}
		if info.ID == features.Prospects {
			if customers == 0 {
				continue
			}
			rv, fv, mv = nil, nil, nil
		}
		want = append(want, fmt.Sprintf("%s %d %x %x %x %x %x", info.ID, customers, math.Float64bits(orders.Float64()), math.Float64bits(revenue.Float64()),
			bitsOrNaN(median(rv)), bitsOrNaN(median(fv)), bitsOrNaN(median(mv))))
	}
	var wantMembers [2]int
	var wantSums [2]exactsum.Sum
	for i := range n {
		for g, in := range [][]bool{vip, lapsed} {
			if in[i] {
				wantMembers[g]++
				wantSums[g].Add(mon[i])
			}
		}
	}
	wantRevenue := [2]float64{wantSums[0].Float64(), wantSums[1].Float64()}
	prospects, repeatBuyers := 0, 0
	for i := range n {
		switch {
		case math.IsNaN(freq[i]):
			prospects++
		case freq[i] >= 2:
			repeatBuyers++
		}
	}
	var wantTally *rfmTally
	for _, size := range []int{n, 1, 7, 5000} {
		pass := func(yield func(segmentChunk) error) error {
			for lo := 0; lo < n; lo += size {
				hi := min(lo+size, n)
				ch := segmentChunk{N: hi - lo, RFM: &features.RFM{R: scores.R[lo:hi], F: scores.F[lo:hi], M: scores.M[lo:hi]},
					Recency: rec[lo:hi], Frequency: freq[lo:hi], Monetary: mon[lo:hi], Members: [][]bool{vip[lo:hi], nil, lapsed[lo:hi]}}
				if err := yield(ch); err != nil {
					return err
				}
			}
			return nil
		}
		rowsPasses := 0
		rows, err := rfmRows(context.Background(), func(yield func(segmentChunk) error) error { rowsPasses++; return pass(yield) })
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(want) {
			t.Fatalf("chunks of %d: %d rows, want %d", size, len(rows), len(want))
		}
		for j, row := range rows {
			got := fmt.Sprintf("%s %d %x %x %x %x %x", row.ID, row.Customers, math.Float64bits(row.Orders), math.Float64bits(row.Revenue),
				bitsOrNaN(row.MedianRecency), bitsOrNaN(row.MedianFrequency), bitsOrNaN(row.MedianMonetary))
			if got != want[j] {
				t.Errorf("chunks of %d: row %q, want %q", size, got, want[j])
			}
		}
		tally, err := tallyRFM(context.Background(), pass)
		if err != nil {
			t.Fatal(err)
		}
		if wantTally == nil { // one chunk: the former code's sums, in customer order
			wantTally = tally
		} else if fmt.Sprintf("%x", *tally) != fmt.Sprintf("%x", *wantTally) {
			t.Errorf("chunks of %d: RFM tally %v, want %v", size, *tally, *wantTally)
		}
		members, revenue, err := groupCounts(context.Background(), 3, pass)
		if err != nil {
			t.Fatal(err)
		}
		if members[0] != wantMembers[0] || members[1] != 0 || members[2] != wantMembers[1] ||
			math.Float64bits(revenue[0]) != math.Float64bits(wantRevenue[0]) || math.Float64bits(revenue[2]) != math.Float64bits(wantRevenue[1]) {
			t.Errorf("chunks of %d: groups %v %v, want %v %v", size, members, revenue, wantMembers, wantRevenue)
		}
		// The plots' and the report's shared pass counts the same figures
		// in the passes the RFM rows alone take.
		var f segmentFigures
		shared := 0
		if err := f.count(context.Background(), func(yield func(segmentChunk) error) error { shared++; return pass(yield) }, true, nil, 3, true, nil); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%x %x %v %x", f.rfmRows, *f.rfm, f.members, f.groupRevenue) != fmt.Sprintf("%x %x %v %x", rows, *tally, members, revenue) {
			t.Errorf("chunks of %d: the shared pass's figures differ from each figure's own passes", size)
		}
		if shared != rowsPasses || f.repeat == nil || f.repeat.buyers != n-prospects || f.repeat.repeat != repeatBuyers {
			t.Errorf("chunks of %d: %d shared passes (the RFM rows alone take %d), repeat %+v, want %d buyers, %d repeat", size, shared, rowsPasses, f.repeat, n-prospects, repeatBuyers)
		}
	}
}

// bitsOrNaN is v's bits, one value for every NaN.
func bitsOrNaN(v float64) uint64 {
	if math.IsNaN(v) {
		return math.Float64bits(math.NaN())
	}
	return math.Float64bits(v)
}
