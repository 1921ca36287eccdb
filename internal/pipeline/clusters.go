package pipeline

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/segment-tool/segment/cluster"
)

// silhouetteSample is the number of clustered customers the silhouette is
// computed on, for every k of the elbow sweep and for the final fit alike
// (the same rows, drawn from the seed): the silhouette costs O(m²) distances,
// so it is bounded whatever the store's size. Its standard error at 3,000 is
// about 0.004 (the spread of a customer's silhouette is ~0.2 here).
const silhouetteSample = 3000

// Clustering is the clustering of the matrix and its quality.
type Clustering struct {
	Fit   *cluster.Result
	Sweep *cluster.Sweep // the elbow sweep; nil when k was fixed or a model scored
	KNote string         // why k differs from the one asked for, or ""

	Silhouette, CalinskiHarabasz, DaviesBouldin float64
}

// Cluster clusters the matrix: the elbow sweep (o.K 0), one fit (o.K > 0),
// or the nearest of a saved model's centroids (o.Model). No cluster holds
// fewer than o.MinShare of the buyers: k is lowered until none does.
func Cluster(ctx context.Context, m *Matrix, o *Options) (*Clustering, error) {
	c, err := fit(ctx, m, o)
	if err != nil {
		return nil, err
	}
	// The metrics are each a pass or two over the matrix (the silhouette
	// over a bounded sample): ctx is checked between them.
	n, k := m.N, c.Fit.K
	for _, metric := range []func(){
		func() { c.Silhouette = cluster.Silhouette(m.X, n, m.D, c.Fit.Labels, k, silhouetteSample, o.Seed) },
		func() { c.CalinskiHarabasz = cluster.CalinskiHarabasz(m.X, n, m.D, c.Fit.Labels, k) },
		func() { c.DaviesBouldin = cluster.DaviesBouldin(m.X, n, m.D, c.Fit.Labels, k) },
	} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		metric()
	}
	return c, nil
}

func fit(ctx context.Context, m *Matrix, o *Options) (*Clustering, error) {
	n := m.N
	if saved := o.Model; saved != nil {
		return &Clustering{Fit: predict(m.X, n, m.D, saved.Centroids)}, nil
	}
	km := cluster.KMeans{K: o.K, Restarts: o.Restarts, Seed: o.Seed, Workers: o.Workers}
	minSize := int(math.Ceil(o.MinShare * float64(n)))
	if o.K > 0 {
		if o.K > n {
			return nil, fmt.Errorf("cluster: k=%d but only %d customers", o.K, n)
		}
		f, err := km.FitMinSize(ctx, m.X, n, m.D, nil, minSize)
		if err != nil {
			return nil, err
		}
		c := &Clustering{Fit: f}
		if f.K != o.K {
			c.KNote = fmt.Sprintf("k = %d was asked for, but with more than %d clusters one holds fewer than %d customers (clustering.min_share %s), so k = %d is used.",
				o.K, f.K, minSize, formatShare(o.MinShare), f.K)
		}
		return c, nil
	}
	bar := o.progress()
	e := cluster.Elbow{KMin: o.KMin, KMax: o.KMax, KMeans: km, MinSize: minSize, SilhouetteSample: silhouetteSample,
		Progress: func(done, _ int) { bar.Set(done) }}
	bar.Start(int64(min(o.KMax, n)-o.KMin+1), "elbow sweep", "k")
	sw, err := e.Sweep(ctx, m.X, n, m.D, nil)
	bar.Done()
	if err != nil {
		return nil, err
	}
	c := &Clustering{Sweep: sw, Fit: sw.Fit()}
	if !sw.Admissible[slices.Index(sw.Ks, sw.K)] {
		// No k of the range keeps every cluster above the minimum size.
		km.K = 1
		if c.Fit, err = km.Fit(ctx, m.X, n, m.D, nil); err != nil {
			return nil, err
		}
		c.KNote = fmt.Sprintf("No k from %d to %d gives every segment at least %d customers (clustering.min_share %s), so all clustered customers form one segment.",
			sw.Ks[0], sw.Ks[len(sw.Ks)-1], minSize, formatShare(o.MinShare))
	}
	o.logger().Info("k chosen", "k", sw.K, "reason", sw.Reason)
	return c, nil
}

// predict scores the matrix against a saved model's centroids.
func predict(x []float64, n, d int, centroids [][]float64) *cluster.Result {
	k := len(centroids)
	flat := make([]float64, 0, k*d)
	for _, c := range centroids {
		flat = append(flat, c...)
	}
	labels, dist2 := cluster.Predict(x, n, d, flat, k, nil, nil)
	res := &cluster.Result{K: k, D: d, Centroids: flat, Labels: labels, Dist2: dist2, Sizes: make([]int, k), Converged: true}
	for i, l := range labels {
		res.Sizes[l]++
		res.Inertia += dist2[i]
	}
	return res
}
