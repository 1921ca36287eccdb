package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// TestReportSumsMerge: the report's sums counted over parts of the
// customers (as job 2 counts a shard each) and merged in any order,
// through their JSON form, are those of one pass over all of them, bit for
// bit: the clusters' sums and spread, the spend and group shares, the RFM
// and group rows and plots. A merged tally of which some parts lack them
// is mixed (the finish refuses it).
func TestReportSumsMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, k = 5000, 3
	cols := []string{"recency_days", "monetary", "mix_food", "mix_toys"}
	ch := buyerChunk{ProfileChunk: report.ProfileChunk{Labels: make([]int, n), Cols: make([][]float64, len(cols)), Weight: make([]float64, n), Groups: [][]bool{make([]bool, n)}},
		RFM: &features.RFM{R: make([]int8, n), F: make([]int8, n), M: make([]int8, n)}}
	for j := range cols {
		ch.Cols[j] = make([]float64, n)
	}
	seg := segmentChunk{N: n, RFM: ch.RFM, Recency: ch.Cols[0], Frequency: make([]float64, n), Monetary: ch.Cols[1], Members: [][]bool{ch.Groups[0], nil}}
	for i := range n {
		ch.Labels[i] = rng.IntN(k)
		ch.Cols[0][i] = float64(rng.IntN(700))
		ch.Cols[1][i] = math.Round(math.Exp(rng.NormFloat64()+4)*100) / 100 // spend in cents: a float sum depends on its order
		ch.Cols[2][i] = rng.Float64()
		ch.Cols[3][i] = 1 - ch.Cols[2][i]
		ch.Weight[i] = ch.Cols[1][i]
		ch.Groups[0][i] = rng.IntN(4) == 0
		ch.RFM.R[i], ch.RFM.F[i], ch.RFM.M[i] = int8(1+rng.IntN(5)), int8(1+rng.IntN(5)), int8(1+rng.IntN(5))
		seg.Frequency[i] = float64(1 + rng.IntN(5))
	}
	count := func(lo, hi int) *reportSums {
		s := &reportSums{cluster: newClusterCounter(k, len(cols)), profile: report.NewProfileSums(cols, 1, k), segments: newSegmentSums(true, 2, true)}
		part := ch.rows(lo, hi)
		if err := s.cluster.add(part); err != nil {
			t.Fatal(err)
		}
		if err := s.profile.Add(part.ProfileChunk); err != nil {
			t.Fatal(err)
		}
		sp := segmentChunk{N: hi - lo, RFM: part.RFM, Recency: seg.Recency[lo:hi], Frequency: seg.Frequency[lo:hi], Monetary: seg.Monetary[lo:hi],
			Members: [][]bool{seg.Members[0][lo:hi], nil}}
		if err := s.segments.add(context.Background(), sp); err != nil {
			t.Fatal(err)
		}
		return s
	}
	encode := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	whole := encode(count(0, n))
	cuts := []int{0, 17, 1800, 1801, 4000, n}
	merged := count(cuts[len(cuts)-2], n).clone()
	for p := len(cuts) - 3; p >= 0; p-- { // the parts backwards, each through JSON
		var back reportSums
		if err := json.Unmarshal(encode(count(cuts[p], cuts[p+1])), &back); err != nil {
			t.Fatal(err)
		}
		if err := merged.merge(&back); err != nil {
			t.Fatal(err)
		}
	}
	if got := encode(merged); !bytes.Equal(got, whole) {
		t.Errorf("merged in parts:\n%s\none pass:\n%s", got, whole)
	}
	merged.cluster.endPass()
	if sd := merged.cluster.t.PopSD; !(sd[0] > 0) || merged.cluster.t.Clusters[0]+merged.cluster.t.Clusters[1]+merged.cluster.t.Clusters[2] != n {
		t.Errorf("merged tally: spread %v, sizes %v", sd, merged.cluster.t.Clusters)
	}
	if err := json.Unmarshal([]byte(`{"K":2,"D":1}`), new(reportSums)); err == nil {
		t.Error("damaged report sums decoded")
	}
	// Parts with and without the sums: mixed.
	shape := &tallyShape{K: k}
	var m CustomerTally
	m.Merge(&CustomerTally{&customerTally{shape: shape, sums: count(0, 10)}})
	m.Merge(&CustomerTally{&customerTally{shape: shape}})
	if !m.t.mixed {
		t.Error("a tally without the report's sums merged into one with them: not mixed")
	}
}
