package pipeline

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/segment-tool/segment/cluster"
)

// silhouetteSample is the number of clustered customers the silhouette is
// computed on, for every k of the elbow sweep and for the final fit alike
// (the same customers, those of smallest SampleHash: drawn from the seed
// and their ids): the silhouette costs O(m²) distances, so it is bounded
// whatever the store's size. Its standard error at 3,000 is about 0.004
// (the spread of a customer's silhouette is ~0.2 here).
const silhouetteSample = 3000

// Clustering is the clustering of the matrix and its quality.
type Clustering struct {
	Fit   *cluster.Result
	Sweep *cluster.Sweep // the elbow sweep; nil when k was fixed or a model scored
	KNote string         // why k differs from the one asked for, or ""
	// Skipped says why the buyers were not clustered at all, or "": too
	// few distinct buyers in the clustered space (fewer than k_min, or k
	// when fixed, or all alike), or no feature that varies. Fit then has
	// K 0 and no labels, and every customer is left out with reason
	// NotClusteredSkipped.
	Skipped string

	Silhouette, CalinskiHarabasz, DaviesBouldin float64
	// customers is the customer map, nil with fewer than two columns or
	// two clustered customers.
	customers *customerMap
	// match is the match with the previous run's clusters that numbered
	// these (orderLike); nil without a previous run.
	match *centroidMatch
}

// Cluster clusters the matrix: the elbow sweep (o.K 0), one fit (o.K > 0),
// or the nearest of a saved model's centroids (o.Model). No cluster holds
// fewer than o.MinShare of the buyers: k is lowered until none does.
//
// The buyers are not clustered at all (Clustering.Skipped) when the
// clustered space holds fewer distinct rows than the clusters asked for
// (k_min for the sweep, k when fixed) or a single one, or no dimension: a
// k-means fit would leave clusters empty or split identical customers.
// The sweep never asks for more clusters than there are distinct rows.
// Clusters left empty by a fit are dropped (dropEmpty): no empty cluster
// is ever named.
func Cluster(ctx context.Context, m *Matrix, o *Options) (*Clustering, error) {
	return clusterLike(ctx, m, o, nil, nil)
}

// clusterLike is Cluster, numbering the clusters that match a previous
// run's (prev, when not nil) as that run numbered them (orderLike); cats
// are this run's mix categories.
func clusterLike(ctx context.Context, m *Matrix, o *Options, prev *Previous, cats []string) (*Clustering, error) {
	if why := skipReason(m, o); why != "" {
		o.logger().Warn("clustering skipped", "reason", why)
		return &Clustering{Fit: &cluster.Result{}, Skipped: why,
			Silhouette: math.NaN(), CalinskiHarabasz: math.NaN(), DaviesBouldin: math.NaN()}, nil
	}
	if len(m.IDs) != m.N {
		return nil, fmt.Errorf("pipeline: a matrix of %d rows with %d ids", m.N, len(m.IDs))
	}
	c, err := fit(ctx, m, o)
	if err != nil {
		return nil, err
	}
	if o.Model == nil { // a saved model's clusters keep their ids
		dropEmpty(c.Fit)
		if prev != nil && prev.Model.Transform != nil {
			c.match = orderLike(ctx, prev, m, c.Fit, cats)
		}
	}
	// The quality figures, the customer map and the inertia: two passes
	// over the matrix (Quality), ctx checked between them. The inertia is
	// summed exactly, as a scale-out run's finish sums it from job 2's
	// shards, not in the fit's order.
	q, err := m.quality(ctx, c.Fit, o)
	if err != nil {
		return nil, err
	}
	c.Fit.Inertia = q.Inertia()
	mt := q.Metrics()
	c.Silhouette, c.CalinskiHarabasz, c.DaviesBouldin = mt.Silhouette, mt.CalinskiHarabasz, mt.DaviesBouldin
	c.customers = q.customerMap()
	return c, nil
}

func fit(ctx context.Context, m *Matrix, o *Options) (*Clustering, error) {
	n := m.N
	if saved := o.Model; saved != nil {
		return &Clustering{Fit: predict(m.X, n, m.D, saved.Centroids)}, nil
	}
	km := cluster.KMeans{K: o.K, Restarts: o.Restarts, Seed: o.Seed, Workers: o.Workers}
	minSize := int(math.Ceil(o.MinShare * float64(n)))
	// More than n / minSize clusters cannot all hold minSize customers:
	// neither a k given nor the sweep tries them.
	kCeil := n
	if minSize > 1 {
		kCeil = max(1, n/minSize)
	}
	if o.K > 0 {
		if o.K > n {
			return nil, fmt.Errorf("cluster: k=%d but only %d %s clustered: lower -k (clustering.k) or use auto", o.K, n, plural(n, "customer is", "customers are"))
		}
		km.K = min(o.K, kCeil)
		// Beyond a sample's size the restarts run on a sample and the best
		// is refined on every customer, as the sweep fits each k.
		km.SampleSize = cluster.DefaultSampleSize
		f, err := km.FitMinSize(ctx, m.X, n, m.D, nil, minSize)
		if err != nil {
			return nil, err
		}
		c := &Clustering{Fit: f}
		if f.K != o.K {
			c.KNote = fmt.Sprintf("k = %d was asked for, but with more than %d clusters one holds fewer than %d customers (clustering.min_share %s), so k = %d is used.",
				o.K, f.K, minSize, formatShare(o.MinShare), f.K)
			// Said where a scheduled run's log shows it, not only in the report.
			o.logger().Warn("fewer clusters than asked for", "k_asked", o.K, "k", f.K, "why", c.KNote)
		}
		return c, nil
	}
	bar := o.progress()
	kMax := min(o.KMax, distinctRows(m.X, m.N, m.D, o.KMax), max(kCeil, o.KMin))
	// The silhouette of every k on the customers of the final fit's
	// (Quality's sample), so that the sweep's figure at the k chosen is
	// the report's.
	e := cluster.Elbow{KMin: o.KMin, KMax: kMax, KMeans: km, MinSize: minSize, SilhouetteRows: SampleRows(m.IDs, o.Seed, silhouetteSample),
		Progress: func(done, _ int) { bar.Set(done) }}
	bar.Start(int64(min(kMax, n)-o.KMin+1), "elbow sweep", "k")
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
		o.logger().Warn("one cluster: no k of the range is admissible", "why", c.KNote)
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
	for _, l := range labels {
		res.Sizes[l]++
	}
	res.Inertia = cluster.SumInertia(dist2) // the bits of a fit's inertia
	return res
}

// skipReason returns why the matrix is not to be clustered, or "": see
// Cluster. A saved model (segment assign) always scores.
func skipReason(m *Matrix, o *Options) string {
	if o.Model != nil || o.K > m.N { // more clusters than buyers: fit's error
		return ""
	}
	if m.D == 0 && m.N == 1 {
		return "there is only 1 buyer, so there is nothing to tell apart"
	}
	if m.D == 0 {
		return fmt.Sprintf("no feature of clustering.use varies enough between the %d buyers to tell them apart (the features left out, and why, are listed under Who is clustered)", m.N)
	}
	want, what := o.KMin, fmt.Sprintf("k_min = %d", o.KMin)
	if o.K > 0 {
		want, what = o.K, fmt.Sprintf("k = %d", o.K)
	}
	want = max(want, 2)
	switch d := distinctRows(m.X, m.N, m.D, want); {
	case d == 1:
		return fmt.Sprintf("all %d buyers are alike on the clustered features (%s): there is nothing to tell apart",
			m.N, strings.Join(m.Transform.Columns, ", "))
	case d < want:
		return fmt.Sprintf("the %d buyers have only %d distinct profiles on the clustered features (%s), fewer than %s",
			m.N, d, strings.Join(m.Transform.Columns, ", "), what)
	}
	return ""
}

// distinctRows counts the distinct rows of the n×d matrix x, up to limit:
// it stops counting once limit rows differ.
func distinctRows(x []float64, n, d, limit int) int {
	seen := map[string]struct{}{}
	key := make([]byte, 8*d)
	for i := range n {
		for j, v := range x[i*d : (i+1)*d] {
			if v == 0 {
				v = 0 // −0 and +0 are the same point
			}
			binary.LittleEndian.PutUint64(key[8*j:], math.Float64bits(v))
		}
		if _, ok := seen[string(key)]; !ok {
			seen[string(key)] = struct{}{}
			if len(seen) >= limit {
				break
			}
		}
	}
	return len(seen)
}

// dropEmpty removes the clusters of r that hold no row, renumbering the
// others in their order: k-means leaves a cluster empty only when there
// are fewer distinct rows than clusters, and an empty cluster must never
// be named, profiled or given an action.
func dropEmpty(r *cluster.Result) {
	newID := make([]int, r.K)
	k := 0
	for c := range r.K {
		newID[c] = -1
		if r.Sizes[c] > 0 {
			newID[c] = k
			copy(r.Centroids[k*r.D:(k+1)*r.D], r.Centroids[c*r.D:(c+1)*r.D])
			r.Sizes[k] = r.Sizes[c]
			k++
		}
	}
	if k == r.K {
		return
	}
	for i, l := range r.Labels {
		r.Labels[i] = newID[l]
	}
	r.K, r.Sizes, r.Centroids = k, r.Sizes[:k], r.Centroids[:k*r.D]
}

// orderLike numbers the clusters of r as the previous run p numbered the
// clusters they match (matchCentroids, with the fit's own inertia): a
// matched cluster takes its previous number when it is below r.K, and the
// others take the free numbers in r's order (by size). A scheduled run's
// cluster numbers, and the colours of the plots that follow them, then
// stay with the same clusters from run to run where the keys do (a
// previous number at or above r.K, after k fell, is not kept); a first
// run numbers its clusters by size (cluster.KMeans). It returns the match
// in the new numbering, for MatchPrevious.
func orderLike(ctx context.Context, p *Previous, m *Matrix, r *cluster.Result, cats []string) *centroidMatch {
	maxDist2 := r.Inertia / float64(m.N)
	prevOf, dist2 := matchCentroids(ctx, p, m, r, cats, maxDist2)
	order := make([]int, r.K) // order[new] = old
	placed := make([]bool, r.K)
	for c := range order {
		order[c] = -1
	}
	for c, pc := range prevOf {
		if pc >= 0 && pc < r.K {
			order[pc], placed[c] = c, true
		}
	}
	next := 0
	for c := range r.K {
		if placed[c] {
			continue
		}
		for order[next] >= 0 {
			next++
		}
		order[next] = c
	}
	renumber(r, order)
	match := &centroidMatch{prevOf: make([]int, r.K), dist2: make([]float64, r.K), maxDist2: maxDist2}
	for c, old := range order {
		match.prevOf[c], match.dist2[c] = prevOf[old], dist2[old]
	}
	return match
}

// centroidMatch is the match of a run's clusters with the previous run's
// (matchCentroids), made when the clusters were numbered (orderLike) and
// kept, so that MatchPrevious uses the same.
type centroidMatch struct {
	prevOf   []int
	dist2    []float64
	maxDist2 float64
}

// renumber gives cluster order[c] of r the number c.
func renumber(r *cluster.Result, order []int) {
	if slices.IsSorted(order) {
		return
	}
	newID := make([]int, r.K)
	cents := make([]float64, len(r.Centroids))
	sizes := make([]int, r.K)
	for c, old := range order {
		newID[old] = c
		copy(cents[c*r.D:(c+1)*r.D], r.Centroid(old))
		sizes[c] = r.Sizes[old]
	}
	for i, l := range r.Labels {
		r.Labels[i] = newID[l]
	}
	r.Centroids, r.Sizes = cents, sizes
}
