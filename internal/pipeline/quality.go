package pipeline

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/internal/exactsum"
	"github.com/segment-tool/segment/report"
)

// qualitySample is the number of clustered customers the customer map's
// components are fitted on and draws: those of smallest (SampleHash, id).
// The first silhouetteSample of them are the silhouette's sample: samples
// nested in one another, drawn from the seed and the ids, not from the
// customers' order. Two components of at most a few dozen features are
// fitted as well on 20,000 customers as on all.
const qualitySample = report.MaxScatterPoints

// Quality finds a clustering's quality figures (the silhouette on a
// sample, Calinski–Harabasz, Davies–Bouldin), the customer map the
// pca_scatter plot draws and, given the clustering's centroids
// (WithCentroids), its inertia, in two rounds over the clustered
// customers: Add every customer, EndRound, until Done. The first round
// counts and sums each cluster's rows, sums the rows' squared distances
// to their centroids and keeps the sample; its end computes the silhouette
// and the map from the sample (the components of the sample's covariance,
// the sample's places on them about every customer's mean, and the
// features each follows). The second sums the rows' distances to their
// clusters' means.
//
// Every sum is exact (exactsum) and every sample is chosen by the ids'
// hashes, so a round's counts can be made on parts of the customers apart
// and merged in any order (Fork, Merge, MarshalBinary): the figures do
// not depend on how the customers are ordered or split. The scale-out
// runner's job 2 runs the rounds over its own assignment shards; a local
// run over its matrix, split among its workers.
type Quality struct {
	d, k   int
	seed   uint64
	rounds int  // rounds ended: 2 is done
	fork   bool // a Fork: it counts, and holds no figure

	// centroids are the clustering's (k×d), nil for none: the inertia is
	// the rows' squared distances to them.
	centroids []float64

	// The first round.
	n       int64
	sizes   []int64
	sums    []exactsum.Sum // the clusters' rows summed, k×d
	inertia exactsum.Sum   // every row's squared distance to its cluster's centroid
	sample  []qualityRow   // the customers of smallest (hash, id) so far: at most qualitySample once compacted
	limit   uint64         // no customer of a larger hash enters the sample (once it is full)

	// Made when the first round ends.
	cent, mean []float64
	silhouette float64
	cmap       *customerMap // nil with fewer than two columns or customers

	// The second round.
	seen    int64          // the customers counted, to check they are the first round's
	within  exactsum.Sum   // every row's squared distance to its cluster's mean
	scatter []exactsum.Sum // each cluster's rows' distances to its mean
}

// qualityRow is a customer of the sample.
type qualityRow struct {
	Hash  uint64
	ID    string
	X     []float64
	Label int
}

// NewQuality returns the search over customers of d columns in k
// clusters, its sample drawn from seed. It panics when d < 0 or k < 1.
func NewQuality(d, k int, seed uint64) *Quality {
	if d < 0 || k < 1 {
		panic(fmt.Sprintf("pipeline: NewQuality: %d columns, %d clusters", d, k))
	}
	return &Quality{d: d, k: k, seed: seed, limit: math.MaxUint64,
		sizes: make([]int64, k), sums: make([]exactsum.Sum, k*d)}
}

// WithCentroids sets the centroids of q's clustering, k rows of d
// (cluster c's at [c*d, (c+1)*d)), from which the first round sums the
// inertia (Inertia), and returns q. It panics unless q has counted nobody
// yet or with centroids of another shape or not finite.
func (q *Quality) WithCentroids(centroids []float64) *Quality {
	if q.rounds > 0 || q.n > 0 || q.fork || len(centroids) != q.k*q.d || !allFinite(centroids...) {
		panic(fmt.Sprintf("pipeline: Quality.WithCentroids: %d values for %d clusters of %d columns, or after counting", len(centroids), q.k, q.d))
	}
	q.centroids = slices.Clone(centroids)
	return q
}

// Add counts customers in the current round: ids[i] is customer i's id,
// x[i*d:(i+1)*d] its row, labels[i] its cluster. A label outside [0, k),
// a value that is not finite or a row of another width is an error.
func (q *Quality) Add(ids []string, x []float64, labels []int) error {
	d := q.d
	if len(ids) != len(labels) || len(x) != len(labels)*d {
		return fmt.Errorf("pipeline: quality: %d ids, %d values for %d rows of %d", len(ids), len(x), len(labels), d)
	}
	for i, l := range labels {
		if l < 0 || l >= q.k {
			return fmt.Errorf("pipeline: quality: customer %s: cluster %d outside [0, %d)", ids[i], l, q.k)
		}
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("pipeline: quality: customer %s: column %d is %v", ids[i/d], i%d, v)
		}
	}
	switch q.rounds {
	case 0:
		q.addFirst(ids, x, labels)
	case 1:
		q.addSecond(x, labels)
	default:
		return errors.New("pipeline: quality: a customer added after the last round")
	}
	return nil
}

func (q *Quality) addFirst(ids []string, x []float64, labels []int) {
	d := q.d
	for i, l := range labels {
		row := x[i*d : (i+1)*d]
		q.sizes[l]++
		for j, v := range row {
			q.sums[l*d+j].Add(v)
		}
		if q.centroids != nil {
			q.inertia.Add(dist2(row, q.centroids[l*d:(l+1)*d]))
		}
		if h := SampleHash(q.seed, ids[i]); h <= q.limit {
			if q.sample == nil {
				q.sample = make([]qualityRow, 0, min(2*qualitySample, len(labels)))
			}
			q.sample = append(q.sample, qualityRow{Hash: h, ID: strings.Clone(ids[i]), X: slices.Clone(row), Label: l})
			if len(q.sample) >= 2*qualitySample {
				q.compact()
			}
		}
	}
	q.n += int64(len(labels))
}

// compact keeps the sample's qualitySample customers of smallest (hash,
// id), sorted so, and sets the limit once it is full.
func (q *Quality) compact() {
	slices.SortFunc(q.sample, func(a, b qualityRow) int {
		return cmp.Or(cmp.Compare(a.Hash, b.Hash), strings.Compare(a.ID, b.ID))
	})
	if len(q.sample) >= qualitySample {
		clear(q.sample[qualitySample:])
		q.sample = q.sample[:qualitySample]
		q.limit = q.sample[qualitySample-1].Hash
	}
}

// dist2 returns the squared distance between rows a and b, summed in
// column order.
func dist2(a, b []float64) float64 {
	dist := 0.0
	for j, v := range a {
		t := v - b[j]
		dist += t * t
	}
	return dist
}

func (q *Quality) addSecond(x []float64, labels []int) {
	d := q.d
	for i, l := range labels {
		dist := dist2(x[i*d:(i+1)*d], q.cent[l*d:(l+1)*d])
		q.within.Add(dist)
		q.scatter[l].Add(math.Sqrt(dist))
	}
	q.seen += int64(len(labels))
}

// EndRound ends the current round. A first round that counted nobody or
// a customer of the sample twice, a second round that did not count as
// many customers as the first, is an error.
func (q *Quality) EndRound() error {
	switch q.rounds {
	case 0:
		if err := q.endFirst(); err != nil {
			return err
		}
	case 1:
		if q.seen != q.n {
			return fmt.Errorf("pipeline: quality: %d customers in the second round, %d in the first", q.seen, q.n)
		}
	default:
		return errors.New("pipeline: quality: a round ended after the last")
	}
	q.rounds++
	return nil
}

func (q *Quality) endFirst() error {
	if q.n == 0 {
		return errors.New("pipeline: quality: no clustered customers")
	}
	d, k := q.d, q.k
	q.compact()
	for i := 1; i < len(q.sample); i++ {
		if q.sample[i].ID == q.sample[i-1].ID {
			return fmt.Errorf("pipeline: quality: customer %s counted twice", q.sample[i].ID)
		}
	}
	// The clusters' means, and every customer's: the clusters' sums
	// merged.
	q.cent, q.mean = make([]float64, k*d), make([]float64, d)
	for j := range d {
		var all exactsum.Sum
		for c, size := range q.sizes {
			if size > 0 {
				q.cent[c*d+j] = q.sums[c*d+j].Float64() / float64(size)
			}
			all.Merge(&q.sums[c*d+j])
		}
		q.mean[j] = all.Float64() / float64(q.n)
	}
	// The silhouette's customers, then the map's, in the order of their
	// ids (the figures' sums run in that order).
	byID := func(rows []qualityRow) []qualityRow {
		return slices.SortedFunc(slices.Values(rows), func(a, b qualityRow) int { return strings.Compare(a.ID, b.ID) })
	}
	sil := byID(q.sample[:min(len(q.sample), silhouetteSample)])
	xs, ls := make([]float64, 0, len(sil)*d), make([]int, len(sil))
	for i, r := range sil {
		xs, ls[i] = append(xs, r.X...), r.Label
	}
	q.silhouette = cluster.SilhouetteOf(xs, len(sil), d, ls, k)
	if d >= 2 && q.n >= 2 {
		var err error
		if q.cmap, err = q.mapOf(byID(q.sample)); err != nil {
			return err
		}
	}
	// The first round's sums are read; the sample is drawn.
	q.scatter = make([]exactsum.Sum, k)
	q.sums, q.sample = nil, nil
	return nil
}

// mapOf returns the customer map of the sample (in id order): the
// components of its covariance, its customers as the points (placed
// about every customer's mean), and each column's correlation with each
// axis over it.
func (q *Quality) mapOf(sample []qualityRow) (*customerMap, error) {
	d, m := q.d, len(sample)
	rows := make([]float64, 0, m*d)
	points := &report.ScatterPoints{Counts: q.sizeInts(), Total: int(q.n), Labels: make([]int, m), XY: make([]float64, 2*m)}
	for i, r := range sample {
		rows, points.Labels[i] = append(rows, r.X...), r.Label
	}
	p, err := cluster.NewProjector(rows, m, d, 2, q.mean)
	if err != nil {
		return nil, fmt.Errorf("pipeline: the customer map: %w", err)
	}
	for i := range m {
		p.Project(points.XY[2*i:2*i+2], rows[i*d:(i+1)*d])
	}
	for i, v := range points.XY {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("pipeline: the customer map: customer %s's place is not finite (%v)", sample[i/2].ID, v)
		}
	}
	return &customerMap{points: points, explained: p.Explained, load: loadings(rows, points.XY, m, d)}, nil
}

// loadings returns the correlation of each of the d columns of the m
// rows with each of their two places y (m×2, row-major): which features
// an axis follows (0 for a constant column).
func loadings(rows, y []float64, m, d int) [2][]float64 {
	mx := make([]float64, d)
	var my [2]float64
	for i := range m {
		for j, v := range rows[i*d : (i+1)*d] {
			mx[j] += v
		}
		my[0] += y[2*i]
		my[1] += y[2*i+1]
	}
	for j := range mx {
		mx[j] /= float64(m)
	}
	my[0], my[1] = my[0]/float64(m), my[1]/float64(m)
	sxx := make([]float64, d)
	sxy := [2][]float64{make([]float64, d), make([]float64, d)}
	var syy [2]float64
	for i := range m {
		dy0, dy1 := y[2*i]-my[0], y[2*i+1]-my[1]
		syy[0] += dy0 * dy0
		syy[1] += dy1 * dy1
		for j, v := range rows[i*d : (i+1)*d] {
			dx := v - mx[j]
			sxx[j] += dx * dx
			sxy[0][j] += dx * dy0
			sxy[1][j] += dx * dy1
		}
	}
	var load [2][]float64
	for a := range load {
		load[a] = make([]float64, d)
		for j := range d {
			if sxx[j] > 0 && syy[a] > 0 {
				load[a][j] = sxy[a][j] / math.Sqrt(sxx[j]*syy[a])
			}
		}
	}
	return load
}

func (q *Quality) sizeInts() []int {
	out := make([]int, len(q.sizes))
	for c, s := range q.sizes {
		out[c] = int(s)
	}
	return out
}

// Of reports whether q is the search over customers of d columns in k
// clusters with its sample drawn from seed and the inertia to centroids
// (nil: none).
func (q *Quality) Of(d, k int, seed uint64, centroids []float64) bool {
	return q.d == d && q.k == k && q.seed == seed && slices.Equal(q.centroids, centroids)
}

// Done reports whether every figure is found.
func (q *Quality) Done() bool { return q.rounds == 2 }

// Rounds returns the number of rounds ended.
func (q *Quality) Rounds() int { return q.rounds }

// Customers returns the number of customers counted, after the first round.
func (q *Quality) Customers() int64 { return q.n }

// Sizes returns the number of customers counted in each cluster, after
// the first round.
func (q *Quality) Sizes() []int { return q.sizeInts() }

// Inertia returns the sum of the customers' squared distances to their
// clusters' centroids (WithCentroids; 0 without them), after the first
// round. Each customer's distance is summed over the columns in their
// order, and the customers' exactly: the same bits however the customers
// are ordered or split.
func (q *Quality) Inertia() float64 { return q.inertia.Float64() }

// Metrics returns the quality figures, once Done.
func (q *Quality) Metrics() cluster.Metrics {
	scatter := make([]float64, q.k)
	for c := range scatter {
		scatter[c] = q.scatter[c].Float64()
	}
	sizes := q.sizeInts()
	return cluster.Metrics{
		Silhouette:       q.silhouette,
		CalinskiHarabasz: cluster.CalinskiHarabaszOf(q.cent, sizes, q.mean, q.within.Float64(), int(q.n), q.d),
		DaviesBouldin:    cluster.DaviesBouldinOf(q.cent, sizes, scatter, q.d),
	}
}

// customerMap returns the customer map, once the first round has ended:
// nil with fewer than two columns or two customers.
func (q *Quality) customerMap() *customerMap { return q.cmap }

// ModelQuality returns the search over the customers clustered by the
// model's centroids, its sample drawn from seed: NewQuality of the
// model's columns and clusters, WithCentroids its centroids.
func ModelQuality(m *Model, seed uint64) *Quality {
	return NewQuality(len(m.Transform.Columns), len(m.Centroids), seed).WithCentroids(m.flatCentroids())
}

// flatCentroids returns the model's centroids as one k×d slice, row-major.
func (m *Model) flatCentroids() []float64 {
	var flat []float64
	for _, c := range m.Centroids {
		flat = append(flat, c...)
	}
	return flat
}
