package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/selectk"
)

// profilesReference is ProfilesContext as it was before StreamProfiles:
// every value in memory, medians by quickselect, positions by counting.
// StreamProfiles must give its results bit for bit.
func profilesReference(ctx context.Context, features []string, cols [][]float64, labels []int, k int, weight []float64, groups map[string][]bool) (Population, []ClusterStats, error) {
	n := len(labels)
	if len(cols) != len(features) || weight != nil && len(weight) != n {
		panic("report: Profiles: shape mismatch")
	}
	members := make([][]int, k)
	for i, l := range labels {
		members[l] = append(members[l], i)
	}
	d := len(features)
	pop := Population{Features: features, Median: make([]float64, d), Share: make([]float64, d), Groups: map[string]float64{}}
	stats := make([]ClusterStats, k)
	for c := range stats {
		stats[c] = ClusterStats{Median: make([]float64, d), Pos: make([]float64, d), Share: make([]float64, d), Groups: map[string]float64{}}
	}
	sorted := make([]float64, n)
	buf := make([]float64, 0, n)
	for j, name := range features {
		if err := ctx.Err(); err != nil {
			return Population{}, nil, err
		}
		v := cols[j]
		if len(v) != n {
			panic("report: Profiles: shape mismatch")
		}
		copy(sorted, v)
		pop.Median[j] = median(sorted)
		isMix := strings.HasPrefix(name, "mix_")
		pop.Share[j] = math.NaN()
		if isMix {
			pop.Share[j] = spendShare(v, weight, nil)
		}
		for c := range stats {
			buf = buf[:0]
			for _, i := range members[c] {
				buf = append(buf, v[i])
			}
			stats[c].Median[j] = median(buf)
			stats[c].Pos[j] = quantilePosition(v, stats[c].Median[j])
			stats[c].Share[j] = math.NaN()
			if isMix && len(members[c]) > 0 { // (an empty cluster's share was the population's before: no spend, no share)
				stats[c].Share[j] = spendShare(v, weight, members[c])
			}
		}
	}
	for id, in := range groups {
		if err := ctx.Err(); err != nil {
			return Population{}, nil, err
		}
		if len(in) != n {
			panic("report: Profiles: shape mismatch")
		}
		total := 0
		for c := range stats {
			m := 0
			for _, i := range members[c] {
				if in[i] {
					m++
				}
			}
			total += m
			if len(members[c]) > 0 {
				stats[c].Groups[id] = float64(m) / float64(len(members[c]))
			}
		}
		if n > 0 {
			pop.Groups[id] = float64(total) / float64(n)
		}
	}
	return pop, stats, nil
}

// median is the median of the values (the mean of the middle two for an
// even count), NaN for none; it reorders them.
func median(s []float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	return selectk.Median(s)
}

// quantilePosition is the position of v among the values: the share below
// it plus half the share equal to it.
func quantilePosition(values []float64, v float64) float64 {
	if len(values) == 0 || math.IsNaN(v) {
		return math.NaN()
	}
	below, equal := 0, 0
	for _, x := range values {
		if x < v {
			below++
		} else if x == v {
			equal++
		}
	}
	return (float64(below) + float64(equal)/2) / float64(len(values))
}

// spendShare is Σ v·w / Σ w over the given rows (all rows when rows is
// nil): a category's share of the spend when v is each customer's share
// of spend in it and w their spend. Without weights every customer counts
// once. The sums are exact, each rounded once (ProfileSums).
func spendShare(v, w []float64, rows []int) float64 {
	num, den := new(big.Float).SetPrec(4096), new(big.Float).SetPrec(4096) // exact sums, each rounded once
	add := func(i int) {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		num.Add(num, new(big.Float).SetFloat64(v[i]*wi))
		den.Add(den, new(big.Float).SetFloat64(wi))
	}
	if rows == nil {
		for i := range v {
			add(i)
		}
	} else {
		for _, i := range rows {
			add(i)
		}
	}
	n, _ := num.Float64()
	d, _ := den.Float64()
	if d <= 0 {
		return math.NaN()
	}
	return n / d
}

// TestStreamProfilesMatchesReference: StreamProfiles over chunks of any
// size, and ChunkProfiles over one, give the reference's results bit for bit (medians, positions,
// spend shares, group shares), on clusters of one, of two and of many
// customers, an empty cluster, ties, signed zeros, and more values per
// cluster than selectk.CollectMax (narrowing passes).
func TestStreamProfilesMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct {
		n, k     int
		weighted bool
	}{{1, 1, true}, {2, 3, false}, {9, 4, true}, {3000, 5, true}, {40000, 6, true}} {
		features := []string{"recency_days", "frequency", "monetary", "mix_food", "mix_toys", "signed"}
		cols := make([][]float64, len(features))
		for j := range cols {
			cols[j] = make([]float64, tc.n)
		}
		labels, weight := make([]int, tc.n), make([]float64, tc.n)
		groups := map[string][]bool{"vip_top5": make([]bool, tc.n), "lapsed": make([]bool, tc.n)}
		for i := range tc.n {
			labels[i] = rng.IntN(tc.k)
			if tc.k > 2 && labels[i] == 1 {
				labels[i] = 0 // cluster 1 stays empty
			}
			cols[0][i] = float64(rng.IntN(400))
			cols[1][i] = float64(1 + rng.IntN(3))
			cols[2][i] = math.Exp(rng.NormFloat64()*1.5 + 4)
			cols[3][i] = rng.Float64()
			cols[4][i] = []float64{0, 0, 0.5, 1}[rng.IntN(4)]
			cols[5][i] = []float64{math.Copysign(0, -1), 0, -2.5, 3}[rng.IntN(4)]
			weight[i] = cols[2][i]
			groups["vip_top5"][i] = rng.IntN(20) == 0
			groups["lapsed"][i] = rng.IntN(3) == 0
		}
		w := weight
		if !tc.weighted {
			w = nil
		}
		wantPop, wantStats, err := profilesReference(context.Background(), features, cols, labels, tc.k, w, groups)
		if err != nil {
			t.Fatal(err)
		}
		ids := []string{"lapsed", "vip_top5"}
		for _, size := range []int{tc.n, 1, 7, 1000} {
			pass := func(yield func(ProfileChunk) error) error {
				for lo := 0; lo < tc.n; lo += size {
					hi := min(lo+size, tc.n)
					ch := ProfileChunk{Labels: labels[lo:hi], Groups: [][]bool{groups["lapsed"][lo:hi], groups["vip_top5"][lo:hi]}}
					for _, c := range cols {
						ch.Cols = append(ch.Cols, c[lo:hi])
					}
					if w != nil {
						ch.Weight = w[lo:hi]
					}
					if err := yield(ch); err != nil {
						return err
					}
				}
				return nil
			}
			pop, stats, err := StreamProfiles(context.Background(), features, ids, tc.k, pass)
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("n=%d k=%d chunks of %d", tc.n, tc.k, size)
			if size == tc.n { // one chunk: ChunkProfiles too, on 1 and 3 workers and GOMAXPROCS (0)
				for _, workers := range []int{0, 1, 3} {
					var whole ProfileChunk
					if err := pass(func(ch ProfileChunk) error { whole = ch; return nil }); err != nil {
						t.Fatal(err)
					}
					cpop, cstats, err := ChunkProfiles(context.Background(), features, ids, tc.k, whole, workers)
					if err != nil {
						t.Fatal(err)
					}
					samePopulation(t, fmt.Sprintf("%s ChunkProfiles on %d workers", name, workers), cpop, cstats, wantPop, wantStats)
				}
			}
			samePopulation(t, name, pop, stats, wantPop, wantStats)
			if size == 7 || size == 1000 { // the ranks found in rounds split over workers (job 2's), then one pass for the sums
				rounds := 20 // every round, or (chunks of 1000) the first, the rest left to StreamProfilesRanked
				if size == 1000 {
					rounds = 1
				}
				ranks := splitRanks(t, pass, len(features), tc.k, 3, rounds)
				rpop, rstats, err := StreamProfilesRanked(context.Background(), features, ids, tc.k, ranks, nil, pass)
				if err != nil {
					t.Fatal(err)
				}
				samePopulation(t, name+" ranked in split rounds", rpop, rstats, wantPop, wantStats)
				// The sums counted elsewhere too (job 2's: every other chunk
				// apart, merged in reverse after a trip through JSON): no
				// pass for them, none at all once the ranks are done.
				sums := partSums(t, features, len(ids), tc.k, pass)
				again := splitRanks(t, pass, len(features), tc.k, 3, rounds)
				done, passes := again.Done(), 0
				counted := func(yield func(ProfileChunk) error) error { passes++; return pass(yield) }
				spop, sstats, err := StreamProfilesRanked(context.Background(), features, ids, tc.k, again, sums, counted)
				if err != nil {
					t.Fatal(err)
				}
				samePopulation(t, name+" ranked, sums given", spop, sstats, wantPop, wantStats)
				if done && passes != 0 {
					t.Errorf("%s: ranks done and sums given: %d passes, want 0", name, passes)
				}
				for c := range stats {
					sameBits(t, fmt.Sprintf("%s ranked: cluster %d ties", name, c), rstats[c].Ties, stats[c].Ties)
				}
			}
		}
	}
}

// samePopulation reports the figures of pop and stats that are not those
// of wantPop and wantStats bit for bit.
func samePopulation(t *testing.T, name string, pop Population, stats []ClusterStats, wantPop Population, wantStats []ClusterStats) {
	t.Helper()
	sameBits(t, name+": population median", pop.Median, wantPop.Median)
	sameBits(t, name+": population share", pop.Share, wantPop.Share)
	if !maps.Equal(pop.Groups, wantPop.Groups) {
		t.Errorf("%s: population groups %v, want %v", name, pop.Groups, wantPop.Groups)
	}
	if len(stats) != len(wantStats) {
		t.Fatalf("%s: %d clusters, want %d", name, len(stats), len(wantStats))
	}
	for c := range stats {
		sameBits(t, fmt.Sprintf("%s: cluster %d median", name, c), stats[c].Median, wantStats[c].Median)
		sameBits(t, fmt.Sprintf("%s: cluster %d position", name, c), stats[c].Pos, wantStats[c].Pos)
		sameBits(t, fmt.Sprintf("%s: cluster %d ties", name, c), stats[c].Ties, wantStats[c].Ties)
		sameBits(t, fmt.Sprintf("%s: cluster %d share", name, c), stats[c].Share, wantStats[c].Share)
		if !maps.Equal(stats[c].Groups, wantStats[c].Groups) {
			t.Errorf("%s: cluster %d groups %v, want %v", name, c, stats[c].Groups, wantStats[c].Groups)
		}
	}
}

func sameBits(t *testing.T, what string, got, want []float64) {
	t.Helper()
	for j := range want {
		if math.Float64bits(got[j]) != math.Float64bits(want[j]) && !(math.IsNaN(got[j]) && math.IsNaN(want[j])) {
			t.Errorf("%s [%d] = %v, want %v", what, j, got[j], want[j])
		}
	}
}

// TestStreamProfilesErrors: a chunk of the wrong shape or a label out of
// range is an error, and so is the pass's own error.
func TestStreamProfilesErrors(t *testing.T) {
	one := func(ch ProfileChunk) func(func(ProfileChunk) error) error {
		return func(yield func(ProfileChunk) error) error { return yield(ch) }
	}
	for name, ch := range map[string]ProfileChunk{
		"short column":  {Labels: []int{0, 0}, Cols: [][]float64{{1}}},
		"label too big": {Labels: []int{2}, Cols: [][]float64{{1}}},
		"short group":   {Labels: []int{0}, Cols: [][]float64{{1}}, Groups: [][]bool{{}}},
	} {
		groups := []string(nil)
		if ch.Groups != nil {
			groups = []string{"g"}
		}
		if _, _, err := StreamProfiles(context.Background(), []string{"f"}, groups, 2, one(ch)); err == nil || !strings.HasPrefix(err.Error(), "report: profiles: ") {
			t.Errorf("%s: %v", name, err)
		}
	}
	boom := errors.New("boom")
	if _, _, err := StreamProfiles(context.Background(), []string{"f"}, nil, 1, func(func(ProfileChunk) error) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("the pass's error: %v", err)
	}
}

// partSums sums the chunks of pass in two ProfileSums, every other chunk
// in each, and returns them merged in reverse order after a trip through
// JSON, as job 2 sums shards.
func partSums(t *testing.T, features []string, groups, k int, pass func(yield func(ProfileChunk) error) error) *ProfileSums {
	t.Helper()
	parts := [2]*ProfileSums{NewProfileSums(features, groups, k), NewProfileSums(features, groups, k)}
	i := 0
	if err := pass(func(ch ProfileChunk) error { i++; return parts[i%2].Add(ch) }); err != nil {
		t.Fatal(err)
	}
	out := NewProfileSums(features, groups, k)
	for p := 1; p >= 0; p-- {
		b, err := json.Marshal(parts[p])
		if err != nil {
			t.Fatal(err)
		}
		var back ProfileSums
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if err := out.Merge(&back); err != nil {
			t.Fatal(err)
		}
	}
	if err := out.Merge(NewProfileSums(features, groups+1, k)); err == nil {
		t.Error("sums of another shape merged")
	}
	return out
}
