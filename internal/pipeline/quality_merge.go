package pipeline

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/segment-tool/segment/internal/exactsum"
	"github.com/segment-tool/segment/report"
)

// Fork returns a search in the same state as q with nothing counted in
// the current round and none of its figures, sharing nothing with it
// that a round changes: what a worker counts its part of the customers
// in, small to send.
func (q *Quality) Fork() *Quality {
	f := &Quality{d: q.d, k: q.k, seed: q.seed, rounds: q.rounds, fork: true, centroids: q.centroids, cent: q.cent, mean: q.mean}
	switch q.rounds {
	case 0:
		f.limit, f.sizes, f.sums = math.MaxUint64, make([]int64, q.k), make([]exactsum.Sum, q.k*q.d)
	case 1:
		f.n, f.sizes, f.scatter = q.n, q.sizes, make([]exactsum.Sum, q.k)
	default: // done: nothing to count
		f.n, f.sizes, f.seen = q.n, q.sizes, q.seen
		f.inertia, f.within = *q.inertia.Clone(), *q.within.Clone()
		f.scatter = make([]exactsum.Sum, q.k)
		for c := range f.scatter {
			f.scatter[c] = *q.scatter[c].Clone()
		}
	}
	return f
}

var errQualityState = errors.New("pipeline: quality: merging searches in different states")

// Merge adds what o counted in the current round to q's counts: o must be
// a Fork of q (or of a search in the same state) given the same round.
// o is not changed.
func (q *Quality) Merge(o *Quality) error {
	if q.d != o.d || q.k != o.k || q.seed != o.seed || q.rounds != o.rounds || !slices.Equal(q.centroids, o.centroids) {
		return errQualityState
	}
	switch q.rounds {
	case 0:
		q.n += o.n
		q.inertia.Merge(&o.inertia)
		for c, s := range o.sizes {
			q.sizes[c] += s
		}
		mergeSums(q.sums, o.sums)
		for _, r := range o.sample { // its rows are never changed: shared
			if r.Hash <= q.limit {
				q.sample = append(q.sample, r)
			}
		}
		if len(q.sample) >= 2*qualitySample {
			q.compact()
		}
	case 1:
		if q.n != o.n || !slices.Equal(q.cent, o.cent) {
			return errQualityState
		}
		q.seen += o.seen
		q.within.Merge(&o.within)
		mergeSums(q.scatter, o.scatter)
	}
	return nil
}

func mergeSums(dst, src []exactsum.Sum) {
	for i := range src {
		dst[i].Merge(&src[i])
	}
}

// qualityState is a Quality with exported fields, for gob: its sums
// encoded (exactsum).
type qualityState struct {
	D, K, Rounds int
	Fork         bool
	Seed, Limit  uint64
	N, Seen      int64
	Sizes        []int64
	Centroids    []float64
	Inertia      []byte
	Sums         [][]byte
	Sample       []qualityRow
	Cent, Mean   []float64
	Silhouette   float64
	Map          *mapState
	Within       []byte
	Scatter      [][]byte
}

// mapState is a customerMap with exported fields.
type mapState struct {
	Points    *report.ScatterPoints
	Explained []float64
	Load      [2][]float64
}

// decodeSums decodes n sums (exactsum.MarshalSums).
func decodeSums(b [][]byte, n int) ([]exactsum.Sum, error) {
	if len(b) != n {
		return nil, errQualityDamaged
	}
	return exactsum.UnmarshalSums(b)
}

var errQualityDamaged = errors.New("pipeline: quality: a damaged search")

// MarshalBinary encodes the search and what the current round counted.
// A sample of more customers than it keeps is compacted first.
func (q *Quality) MarshalBinary() ([]byte, error) {
	if len(q.sample) > qualitySample {
		q.compact()
	}
	st := qualityState{D: q.d, K: q.k, Rounds: q.rounds, Fork: q.fork, Seed: q.seed, Limit: q.limit, N: q.n, Seen: q.seen, Sizes: q.sizes,
		Centroids: q.centroids,
		Sums:      exactsum.MarshalSums(q.sums), Sample: q.sample, Cent: q.cent, Mean: q.mean,
		Silhouette: q.silhouette, Scatter: exactsum.MarshalSums(q.scatter)}
	st.Inertia, _ = q.inertia.MarshalBinary() // never fails
	if q.rounds > 0 {
		st.Within, _ = q.within.MarshalBinary()
	}
	if m := q.cmap; m != nil {
		st.Map = &mapState{Points: m.points, Explained: m.explained, Load: m.load}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(st); err != nil {
		return nil, fmt.Errorf("pipeline: quality: %w", err)
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary decodes what MarshalBinary encoded into q. A state whose
// parts do not fit its shape and round is an error.
func (q *Quality) UnmarshalBinary(b []byte) error {
	var st qualityState
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		return fmt.Errorf("%w: %w", errQualityDamaged, err)
	}
	out, err := st.quality()
	if err != nil {
		return err
	}
	*q = *out
	return nil
}

func allFinite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

func (st *qualityState) quality() (*Quality, error) {
	d, k := st.D, st.K
	if d < 0 || k < 1 || st.Rounds < 0 || st.Rounds > 2 || len(st.Sizes) != k || st.N < 0 {
		return nil, errQualityDamaged
	}
	var total int64
	for _, s := range st.Sizes {
		if s < 0 || s > st.N-total {
			return nil, errQualityDamaged
		}
		total += s
	}
	if total != st.N {
		return nil, errQualityDamaged
	}
	if st.Centroids != nil && (len(st.Centroids) != k*d || !allFinite(st.Centroids...)) {
		return nil, errQualityDamaged
	}
	q := &Quality{d: d, k: k, seed: st.Seed, rounds: st.Rounds, fork: st.Fork, limit: st.Limit, n: st.N, seen: st.Seen, sizes: st.Sizes,
		centroids: st.Centroids}
	if err := q.inertia.UnmarshalBinary(st.Inertia); err != nil {
		return nil, err
	}
	if st.Centroids == nil && q.inertia.Float64() != 0 {
		return nil, errQualityDamaged
	}
	var err error
	if st.Rounds == 0 {
		if q.sums, err = decodeSums(st.Sums, k*d); err != nil {
			return nil, err
		}
		if err := st.checkSample(); err != nil {
			return nil, err
		}
		q.sample = st.Sample
		return q, nil
	}
	if st.N == 0 || len(st.Cent) != k*d || len(st.Mean) != d || !allFinite(st.Cent...) || !allFinite(st.Mean...) ||
		st.Seen < 0 || st.Seen > st.N || st.Rounds == 2 && st.Seen != st.N {
		return nil, errQualityDamaged
	}
	q.cent, q.mean = st.Cent, st.Mean
	if st.Fork {
		if st.Map != nil || st.Silhouette != 0 {
			return nil, errQualityDamaged
		}
	} else {
		if err := st.checkMap(); err != nil {
			return nil, err
		}
		if m := st.Map; m != nil {
			q.cmap = &customerMap{points: m.Points, explained: m.Explained, load: m.Load}
		}
		q.silhouette = st.Silhouette // NaN where undefined
	}
	if q.scatter, err = decodeSums(st.Scatter, k); err != nil {
		return nil, err
	}
	if err := q.within.UnmarshalBinary(st.Within); err != nil {
		return nil, err
	}
	return q, nil
}

// checkSample checks a first round's sample: rows of d finite values and
// a cluster, each id once with its hash, no more of them than customers
// counted or than a sample holds before it is compacted, and, once it has
// been compacted (a limit), at least a full sample, none past the limit.
func (st *qualityState) checkSample() error {
	rows := st.Sample
	if int64(len(rows)) > st.N || len(rows) >= 2*qualitySample {
		return errQualityDamaged
	}
	ids := make(map[string]bool, len(rows))
	for _, r := range rows {
		if len(r.X) != st.D || r.Label < 0 || r.Label >= st.K || !allFinite(r.X...) || ids[r.ID] ||
			r.Hash != SampleHash(st.Seed, r.ID) || r.Hash > st.Limit {
			return errQualityDamaged
		}
		ids[r.ID] = true
	}
	if st.Limit != math.MaxUint64 && len(rows) < qualitySample {
		return errQualityDamaged
	}
	return nil
}

// checkMap checks a search's map, once its first round has ended: there
// is one with at least two columns and customers, its points are the
// sample's (as many as it holds, all finite, in the clusters, counted
// by cluster as the customers), and its fractions and loadings fit.
func (st *qualityState) checkMap() error {
	m := st.Map
	if (m != nil) != (st.D >= 2 && st.N >= 2) {
		return errQualityDamaged
	}
	if m == nil {
		return nil
	}
	p := m.Points
	if p == nil || int64(len(p.Labels)) != min(st.N, qualitySample) || len(p.XY) != 2*len(p.Labels) || p.Total != int(st.N) || p.Step != 0 ||
		len(p.Counts) != st.K || len(m.Explained) != 2 || len(m.Load[0]) != st.D || len(m.Load[1]) != st.D ||
		!allFinite(p.XY...) || !allFinite(m.Explained...) || !allFinite(m.Load[0]...) || !allFinite(m.Load[1]...) {
		return errQualityDamaged
	}
	for c, n := range p.Counts {
		if int64(n) != st.Sizes[c] {
			return errQualityDamaged
		}
	}
	for _, l := range p.Labels {
		if l < 0 || l >= st.K {
			return errQualityDamaged
		}
	}
	return nil
}
