package report

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/segment-tool/segment/internal/exactsum"
)

// ProfileSums are what the profiles count and sum over the clustered
// customers, in one pass: customers by cluster, each mix column's
// spend-weighted sums by cluster (for the spend shares: Σ share·spend over
// Σ spend) and the groups' members by cluster. The sums are exact
// (exactsum), so that sums of parts of the customers merged in any order
// (Merge: the scale-out runner's job 2, a part a shard) equal one pass's
// bit for bit. The zero value is not usable: NewProfileSums.
type ProfileSums struct {
	k, d, groups int
	isMix        []bool
	anyMix       bool
	size         []int64        // customers by cluster; size[k] all
	num          []exactsum.Sum // series c·d+j, mix columns only: Σ share·spend
	den          []exactsum.Sum // by cluster, with mix columns: Σ spend
	members      []int64        // by cluster and group, c·groups+g
}

// NewProfileSums returns the empty sums of the profiles of features, with
// groups groups, in k clusters.
func NewProfileSums(features []string, groups, k int) *ProfileSums {
	d := len(features)
	s := &ProfileSums{k: k, d: d, groups: groups, isMix: make([]bool, d), size: make([]int64, k+1),
		num: make([]exactsum.Sum, k*d), den: make([]exactsum.Sum, k), members: make([]int64, k*groups)}
	for j, name := range features {
		s.isMix[j] = strings.HasPrefix(name, "mix_")
		s.anyMix = s.anyMix || s.isMix[j]
	}
	return s
}

// Add counts and sums a chunk's customers; a chunk of another shape
// (checkChunk) is an error.
func (s *ProfileSums) Add(ch ProfileChunk) error {
	if err := checkChunk(ch, s.d, s.groups, s.k); err != nil {
		return err
	}
	d := s.d
	for j, col := range ch.Cols {
		if !s.isMix[j] {
			continue
		}
		for i, c := range ch.Labels {
			w := 1.0
			if ch.Weight != nil {
				w = ch.Weight[i]
			}
			s.num[c*d+j].Add(col[i] * w)
		}
	}
	for i, c := range ch.Labels {
		if s.anyMix {
			w := 1.0
			if ch.Weight != nil {
				w = ch.Weight[i]
			}
			s.den[c].Add(w)
		}
		s.size[c]++
		for g, in := range ch.Groups {
			if in[i] {
				s.members[c*s.groups+g]++
			}
		}
	}
	s.size[s.k] += int64(len(ch.Labels))
	return nil
}

// Merge adds o's counts and sums to s; o is not changed.
func (s *ProfileSums) Merge(o *ProfileSums) error {
	if o.k != s.k || o.d != s.d || o.groups != s.groups {
		return fmt.Errorf("report: profile sums: merging sums of %d features, %d groups in %d clusters into %d, %d in %d", o.d, o.groups, o.k, s.d, s.groups, s.k)
	}
	for i := range s.size {
		s.size[i] += o.size[i]
	}
	for i := range s.num {
		s.num[i].Merge(&o.num[i])
	}
	for c := range s.den {
		s.den[c].Merge(&o.den[c])
	}
	for i := range s.members {
		s.members[i] += o.members[i]
	}
	return nil
}

// Clusters and Features return the number of clusters and of profiled
// columns the sums are of.
func (s *ProfileSums) Clusters() int { return s.k }
func (s *ProfileSums) Features() int { return s.d }

// Customers returns the customers counted.
func (s *ProfileSums) Customers() int64 { return s.size[s.k] }

// stats returns the population's and the clusters' figures, with the
// median of series s (c·d+j, k·d+j for everyone) given by median; the
// quantile positions are left to positions.
func (s *ProfileSums) stats(features, groups []string, median func(s int) float64) (Population, []ClusterStats) {
	k, d := s.k, s.d
	pop := Population{Features: features, Median: make([]float64, d), Share: make([]float64, d), Groups: map[string]float64{}}
	stats := make([]ClusterStats, k)
	for c := range stats {
		stats[c] = ClusterStats{Median: make([]float64, d), Pos: make([]float64, d), Ties: make([]float64, d), Share: make([]float64, d), Groups: map[string]float64{}}
	}
	share := func(num, den *exactsum.Sum) float64 {
		if w := den.Float64(); w > 0 {
			return num.Float64() / w
		}
		return math.NaN()
	}
	var den exactsum.Sum // everyone's spend: the clusters' merged
	for c := range s.den {
		den.Merge(&s.den[c])
	}
	for j := range d {
		pop.Median[j], pop.Share[j] = median(k*d+j), math.NaN()
		var num exactsum.Sum // everyone's: the clusters' merged
		for c := range stats {
			stats[c].Median[j], stats[c].Share[j] = median(c*d+j), math.NaN()
			if s.isMix[j] {
				stats[c].Share[j] = share(&s.num[c*d+j], &s.den[c])
				num.Merge(&s.num[c*d+j])
			}
		}
		if s.isMix[j] {
			pop.Share[j] = share(&num, &den)
		}
	}
	for g, id := range groups {
		var all int64
		for c := range stats {
			all += s.members[c*s.groups+g]
			if s.size[c] > 0 {
				stats[c].Groups[id] = float64(s.members[c*s.groups+g]) / float64(s.size[c])
			}
		}
		if s.size[k] > 0 {
			pop.Groups[id] = float64(all) / float64(s.size[k])
		}
	}
	return pop, stats
}

// profileSumsJSON is ProfileSums' JSON form.
type profileSumsJSON struct {
	K, D, Groups int
	Mix          []bool
	Size         []int64
	Num, Den     [][]byte // exactsum.MarshalSums
	Members      []int64
}

// MarshalJSON encodes the sums (exactly) for the scale-out runner.
func (s *ProfileSums) MarshalJSON() ([]byte, error) {
	return json.Marshal(profileSumsJSON{K: s.k, D: s.d, Groups: s.groups, Mix: s.isMix, Size: s.size,
		Num: exactsum.MarshalSums(s.num), Den: exactsum.MarshalSums(s.den), Members: s.members})
}

// UnmarshalJSON decodes what MarshalJSON encoded; sums of a damaged or
// inconsistent shape are an error.
func (s *ProfileSums) UnmarshalJSON(b []byte) error {
	var j profileSumsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	if j.K < 0 || j.D < 0 || j.Groups < 0 || len(j.Mix) != j.D || len(j.Size) != j.K+1 || len(j.Num) != j.K*j.D || len(j.Den) != j.K || len(j.Members) != j.K*j.Groups {
		return fmt.Errorf("report: profile sums: a damaged encoding")
	}
	num, err := exactsum.UnmarshalSums(j.Num)
	if err != nil {
		return err
	}
	den, err := exactsum.UnmarshalSums(j.Den)
	if err != nil {
		return err
	}
	if num == nil {
		num = []exactsum.Sum{}
	}
	if den == nil {
		den = []exactsum.Sum{}
	}
	*s = ProfileSums{k: j.K, d: j.D, groups: j.Groups, isMix: j.Mix, size: j.Size, num: num, den: den, members: j.Members}
	for _, m := range j.Mix {
		s.anyMix = s.anyMix || m
	}
	return nil
}

// Empty returns empty sums of s's shape.
func (s *ProfileSums) Empty() *ProfileSums {
	return &ProfileSums{k: s.k, d: s.d, groups: s.groups, isMix: s.isMix, anyMix: s.anyMix, size: make([]int64, s.k+1),
		num: make([]exactsum.Sum, s.k*s.d), den: make([]exactsum.Sum, s.k), members: make([]int64, s.k*s.groups)}
}
