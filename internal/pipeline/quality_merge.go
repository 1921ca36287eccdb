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
// the current round, sharing nothing with it that a round changes: what
// a worker counts its part of the customers in.
func (q *Quality) Fork() *Quality {
	f := &Quality{d: q.d, k: q.k, seed: q.seed, rounds: q.rounds, cent: q.cent, mean: q.mean,
		silhouette: q.silhouette, cmap: q.cmap}
	if q.rounds == 0 {
		f.limit, f.sizes, f.sums = math.MaxUint64, make([]int64, q.k), make([]exactsum.Sum, q.k*q.d)
		return f
	}
	f.n, f.sizes = q.n, q.sizes
	if q.rounds == 1 {
		f.scatter = make([]exactsum.Sum, q.k)
	} else {
		f.scatter = q.scatter
	}
	return f
}

var errQualityState = errors.New("pipeline: quality: merging searches in different states")

// Merge adds what o counted in the current round to q's counts: o must be
// a Fork of q (or of a search in the same state) given the same round.
// o is not changed.
func (q *Quality) Merge(o *Quality) error {
	if q.d != o.d || q.k != o.k || q.seed != o.seed || q.rounds != o.rounds {
		return errQualityState
	}
	switch q.rounds {
	case 0:
		q.n += o.n
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
	Seed, Limit  uint64
	N            int64
	Sizes        []int64
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

func encodeSums(s []exactsum.Sum) [][]byte {
	if s == nil {
		return nil
	}
	out := make([][]byte, len(s))
	for i := range s {
		out[i], _ = s[i].MarshalBinary() // never fails
	}
	return out
}

func decodeSums(b [][]byte, n int) ([]exactsum.Sum, error) {
	if len(b) != n {
		return nil, errQualityDamaged
	}
	out := make([]exactsum.Sum, n)
	for i := range b {
		if err := out[i].UnmarshalBinary(b[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

var errQualityDamaged = errors.New("pipeline: quality: a damaged search")

// MarshalBinary encodes the search and what the current round counted.
func (q *Quality) MarshalBinary() ([]byte, error) {
	st := qualityState{D: q.d, K: q.k, Rounds: q.rounds, Seed: q.seed, Limit: q.limit, N: q.n, Sizes: q.sizes,
		Sums: encodeSums(q.sums), Sample: q.sample, Cent: q.cent, Mean: q.mean,
		Silhouette: q.silhouette, Scatter: encodeSums(q.scatter)}
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

func (st *qualityState) quality() (*Quality, error) {
	d, k := st.D, st.K
	if d < 0 || k < 1 || st.Rounds < 0 || st.Rounds > 2 || len(st.Sizes) != k || st.N < 0 {
		return nil, errQualityDamaged
	}
	var total int64
	for _, s := range st.Sizes {
		if s < 0 {
			return nil, errQualityDamaged
		}
		total += s
	}
	if total != st.N {
		return nil, errQualityDamaged
	}
	q := &Quality{d: d, k: k, seed: st.Seed, rounds: st.Rounds, limit: st.Limit, n: st.N, sizes: st.Sizes}
	var err error
	if st.Rounds == 0 {
		if q.sums, err = decodeSums(st.Sums, k*d); err != nil {
			return nil, err
		}
		for _, r := range st.Sample {
			if len(r.X) != d || r.Label < 0 || r.Label >= k {
				return nil, errQualityDamaged
			}
		}
		q.sample = st.Sample
		return q, nil
	}
	if st.N == 0 || len(st.Cent) != k*d || len(st.Mean) != d {
		return nil, errQualityDamaged
	}
	q.cent, q.mean, q.silhouette = st.Cent, st.Mean, st.Silhouette
	if (st.Map != nil) != (d >= 2 && st.N >= 2) {
		return nil, errQualityDamaged
	}
	if m := st.Map; m != nil {
		p := m.Points
		if p == nil || len(p.Labels) == 0 || len(p.XY) != 2*len(p.Labels) || p.Total != int(st.N) || !slices.Equal(p.Counts, q.sizeInts()) ||
			len(m.Explained) != 2 || len(m.Load[0]) != d || len(m.Load[1]) != d {
			return nil, errQualityDamaged
		}
		for _, l := range p.Labels {
			if l < 0 || l >= k {
				return nil, errQualityDamaged
			}
		}
		q.cmap = &customerMap{points: p, explained: m.Explained, load: m.Load}
	}
	if q.scatter, err = decodeSums(st.Scatter, k); err != nil {
		return nil, err
	}
	if err := q.within.UnmarshalBinary(st.Within); err != nil {
		return nil, err
	}
	return q, nil
}
