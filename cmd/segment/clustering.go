package main

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/features"
)

// The clustering stage: who is clustered (the buyers), the transform of
// the informative features, the fit (elbow or fixed k, no cluster under
// clustering.min_share, or a saved model's centroids) and its quality.

// prepareMatrix fits the transform and builds the clustered matrix.
func (r *result) prepareMatrix() error {
	if m := r.opts.Model; m != nil {
		x, err := m.Transform.Apply(r.clustered, nil)
		if err != nil {
			return fmt.Errorf("model %s: %w", r.opts.ModelPath, err)
		}
		r.transform, r.x, r.d = m.Transform, x, len(m.Transform.Columns)
		return nil
	}
	use, excluded := features.Informative(r.clustered, r.opts.Use, r.opts.MinShare)
	r.excluded = excluded
	if len(use) == 0 {
		return fmt.Errorf("cluster: no informative feature to cluster on: %s", describeExcluded(excluded))
	}
	spec := features.Spec{Use: use, Scale: r.opts.Scale != "none", Clip: r.opts.MinShare / 2}
	if r.opts.Scale == "none" {
		spec.Log1p = []string{}
	}
	tr, err := features.FitTransform(r.clustered, spec)
	if err != nil {
		return err
	}
	x, err := tr.Apply(r.clustered, nil)
	if err != nil {
		return err
	}
	r.transform, r.x, r.d = tr, x, len(tr.Columns)
	r.clipped = tr.ClippedRows(r.clustered)
	return nil
}

// cluster runs the elbow sweep (k auto) or one fit (k fixed).
func (r *result) cluster(ctx context.Context) error {
	o := r.opts
	n := r.clustered.N()
	if m := o.Model; m != nil {
		r.fit = predict(r.x, n, r.d, m.Centroids)
		return nil
	}
	km := cluster.KMeans{K: o.K, Restarts: o.Restarts, Seed: o.Seed, Workers: o.Workers}
	minSize := int(math.Ceil(o.MinShare * float64(n)))
	if o.K > 0 {
		if o.K > n {
			return fmt.Errorf("cluster: k=%d but only %d customers", o.K, n)
		}
		fit, err := km.FitMinSize(ctx, r.x, n, r.d, nil, minSize)
		if err != nil {
			return err
		}
		if fit.K != o.K {
			r.kNote = fmt.Sprintf("k = %d was asked for, but with more than %d clusters one holds fewer than %d customers (clustering.min_share %s), so k = %d is used.",
				o.K, fit.K, minSize, formatShare(o.MinShare), fit.K)
		}
		r.fit = fit
		return nil
	}
	e := cluster.Elbow{KMin: o.KMin, KMax: o.KMax, KMeans: km, MinSize: minSize, Progress: func(done, _ int) { o.Progress.set(done) }}
	o.Progress.start(int64(min(o.KMax, n)-o.KMin+1), "elbow sweep", "k")
	sw, err := e.Sweep(ctx, r.x, n, r.d, nil)
	o.Progress.done()
	if err != nil {
		return err
	}
	r.sweep, r.fit = sw, sw.Fit()
	if !sw.Admissible[slices.Index(sw.Ks, sw.K)] {
		// No k of the range keeps every cluster above the minimum size.
		km.K = 1
		if r.fit, err = km.Fit(ctx, r.x, n, r.d, nil); err != nil {
			return err
		}
		r.kNote = fmt.Sprintf("No k from %d to %d gives every segment at least %d customers (clustering.min_share %s), so all clustered customers form one segment.",
			sw.Ks[0], sw.Ks[len(sw.Ks)-1], minSize, formatShare(o.MinShare))
	}
	o.Log.Info("k chosen", "k", sw.K, "reason", sw.Reason)
	return nil
}

// measure computes the quality metrics of the final fit.
func (r *result) measure() {
	n, k := r.clustered.N(), r.fit.K
	r.silhouette = cluster.Silhouette(r.x, n, r.d, r.fit.Labels, k, silhouetteSample, r.opts.Seed)
	r.ch = cluster.CalinskiHarabasz(r.x, n, r.d, r.fit.Labels, k)
	r.db = cluster.DaviesBouldin(r.x, n, r.d, r.fit.Labels, k)
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

// selectBuyers splits the customers with orders into the buyers, who are
// clustered, and the others, who keep their RFM scores and groups but get
// cluster −1 and a not_clustered reason.
func (r *result) selectBuyers() error {
	r.notClustered = features.NotClustered(r.table)
	r.clusterRow = make([]int, r.table.N())
	var rows []int
	for i, why := range r.notClustered {
		r.clusterRow[i] = -1
		if why == "" {
			r.clusterRow[i] = len(rows)
			rows = append(rows, i)
		}
	}
	if len(rows) == 0 {
		return fmt.Errorf("cluster: none of the %d customers is a buyer (an order of positive net value and a positive net spend): nothing to cluster", r.table.N())
	}
	r.clustered = r.table.Rows(rows)
	if n := r.table.N() - len(rows); n > 0 {
		r.opts.Log.Info("customers not clustered", "customers", n, "clustered", len(rows))
	}
	return nil
}

// label returns the cluster of row i of the table, or −1 when the customer
// is not clustered.
func (r *result) label(i int) int {
	if c := r.clusterRow[i]; c >= 0 {
		return r.fit.Labels[c]
	}
	return -1
}
