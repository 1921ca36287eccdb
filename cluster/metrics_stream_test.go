package cluster

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestStreamMetrics: the figures over runs of rows of any size are those
// of Silhouette, CalinskiHarabasz and DaviesBouldin over the whole matrix,
// bit for bit: a sample smaller than the rows, every row, an empty
// cluster, one cluster (NaN).
func TestStreamMetrics(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	const d = 3
	for _, tc := range []struct{ n, k, sample int }{{500, 4, 100}, {500, 4, 0}, {37, 5, 1000}, {20, 1, 10}} {
		x := make([]float64, tc.n*d)
		labels := make([]int, tc.n)
		for i := range labels {
			labels[i] = rng.IntN(tc.k)
			if tc.k > 2 && labels[i] == 2 {
				labels[i] = 0 // cluster 2 stays empty
			}
			for j := range d {
				x[i*d+j] = rng.NormFloat64() + float64(labels[i]*j)
			}
		}
		want := Metrics{
			Silhouette:       Silhouette(x, tc.n, d, labels, tc.k, tc.sample, 7),
			CalinskiHarabasz: CalinskiHarabasz(x, tc.n, d, labels, tc.k),
			DaviesBouldin:    DaviesBouldin(x, tc.n, d, labels, tc.k),
		}
		for _, size := range []int{tc.n, 1, 9} {
			got, err := StreamMetrics(d, tc.k, tc.sample, 7, func(yield func([]float64, []int) error) error {
				for lo := 0; lo < tc.n; lo += size {
					hi := min(lo+size, tc.n)
					if err := yield(x[lo*d:hi*d], labels[lo:hi]); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct {
				name      string
				got, want float64
			}{{"silhouette", got.Silhouette, want.Silhouette}, {"Calinski–Harabasz", got.CalinskiHarabasz, want.CalinskiHarabasz},
				{"Davies–Bouldin", got.DaviesBouldin, want.DaviesBouldin}} {
				if math.Float64bits(f.got) != math.Float64bits(f.want) && !(math.IsNaN(f.got) && math.IsNaN(f.want)) {
					t.Errorf("n=%d k=%d sample %d, runs of %d: %s %v, want %v", tc.n, tc.k, tc.sample, size, f.name, f.got, f.want)
				}
			}
		}
	}
	_, err := StreamMetrics(2, 2, 0, 1, func(yield func([]float64, []int) error) error { return yield([]float64{1, 2}, []int{2}) })
	if err == nil || !strings.Contains(err.Error(), "label 2 out of [0, 2)") {
		t.Errorf("a label out of range: %v", err)
	}
}
