// Command samplefit measures what fitting on a sample costs a scale-out
// run (issue 18) at sizes Prism cannot hold: it aggregates a store's order
// lines locally, fits the clusters on every buyer (what a local run does)
// and on the sample a scale-out run fits on (the buyers of smallest
// pipeline.SampleHash, pipeline.FitSample with the store-wide transform
// and cut points, as beam/featurejob's fit step does), and prints each
// fit's k and the k-means objective over every buyer (Σ squared distance
// to the nearest centroid, in the store's transform), their ratio, and
// how many buyers have the same cluster key in both.
//
// Usage: go run ./bench/samplefit -orders orders.parquet [-sample 100000] [-k 0]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

func main() {
	orders := flag.String("orders", "", "the store's order lines")
	sample := flag.Int("sample", 100_000, "the buyers the scale-out fit uses (segment-beam's -sample-size)")
	k := flag.Int("k", 0, "clusters; 0: the elbow sweep")
	flag.Parse()
	if err := run(*orders, *sample, *k); err != nil {
		fmt.Fprintln(os.Stderr, "samplefit:", err)
		os.Exit(1)
	}
}

func run(orders string, sample, k int) error {
	ctx := context.Background()
	o := pipeline.DefaultOptions()
	o.Orders, o.K = orders, k
	start := time.Now()
	in, err := pipeline.AggregateOrders(ctx, &o, func(data.Reject) {})
	if err != nil {
		return err
	}
	buyers, err := pipeline.SelectBuyers(in.Table, nil)
	if err != nil {
		return err
	}
	m, err := pipeline.BuildMatrix(ctx, buyers.Table, &o)
	if err != nil {
		return err
	}
	seg, err := pipeline.Segment(ctx, in, &o)
	if err != nil {
		return err
	}
	cuts := features.GroupCutsOf(seg.All, seg.Attrs.WithCity(nil), o.Thresholds)
	fit := pipeline.SampleFit{Transform: m.Transform, Excluded: m.Excluded, Clipped: m.Clipped,
		RFMCuts: features.FitRFMCuts(in.Table), GroupCuts: &cuts}
	fmt.Printf("store: %d customers, %d buyers, %d features (%.1f s)\n", in.Table.N(), buyers.Table.N(), m.D, time.Since(start).Seconds())
	models := make([]*pipeline.Model, 2)
	for i, t := range []*features.Table{buyers.Table, buyers.Table.Rows(pipeline.SampleRows(buyers.Table.IDs, o.Seed, sample))} {
		start := time.Now()
		r, err := pipeline.FitSample(ctx, t, fit, &o)
		if err != nil {
			return err
		}
		models[i] = r.Model()
		fmt.Printf("%s: %d buyers, k = %d (%.1f s)\n", []string{"full fit", "sample fit"}[i], t.N(), len(models[i].Centroids), time.Since(start).Seconds())
	}
	var obj [2]float64
	same := 0
	for r := range m.N {
		x := m.X[r*m.D : (r+1)*m.D]
		var keys [2]string
		for i, md := range models {
			c, d2 := nearest(x, md.Centroids)
			obj[i] += d2
			keys[i] = md.Clusters[c].Key
		}
		if keys[0] == keys[1] {
			same++
		}
	}
	fmt.Printf("k-means objective over every buyer: full %.1f, sample %.1f, ratio %.4f\n", obj[0], obj[1], obj[1]/obj[0])
	fmt.Printf("same cluster key: %d of %d buyers (%.2f %%)\n", same, m.N, 100*float64(same)/float64(m.N))
	return nil
}

// nearest returns the index of the centroid nearest x and the squared
// distance to it.
func nearest(x []float64, centroids [][]float64) (int, float64) {
	best, bestD := 0, -1.0
	for c, mu := range centroids {
		var d float64
		for j, v := range x {
			d += (v - mu[j]) * (v - mu[j])
		}
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	return best, bestD
}
