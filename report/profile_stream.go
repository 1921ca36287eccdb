package report

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/segment-tool/segment/internal/selectk"
)

// ProfileChunk is a run of consecutive clustered customers, as
// StreamProfiles reads them.
type ProfileChunk struct {
	Labels []int       // each customer's cluster, in [0, k)
	Cols   [][]float64 // Cols[j][i]: feature j of customer i
	Weight []float64   // each customer's spend; nil weighs them alike
	Groups [][]bool    // Groups[g][i]: whether customer i is in group g
}

// StreamProfiles computes what Profiles does over customers that need not
// fit in memory: pass runs over every customer once, calling yield with
// consecutive chunks of them, and must give the same customers in the same
// order each time it is called; it returns the first error of yield, or
// its own. groups names the groups of the chunks' Groups, in order.
// Memory holds no value per customer: the medians are found in a few
// passes (selectk.Passes: about three over a million customers), the
// quantile positions in one more, the spend shares and group shares in the
// first. Since the spend shares are summed in the customers' order and
// the medians are exact, the results are those Profiles gives the same
// customers in one chunk, bit for bit.
func StreamProfiles(ctx context.Context, features, groups []string, k int, pass func(yield func(ProfileChunk) error) error) (Population, []ClusterStats, error) {
	d := len(features)
	isMix := make([]bool, d)
	for j, name := range features {
		isMix[j] = strings.HasPrefix(name, "mix_")
	}
	// Series c·d+j is feature j over cluster c; k·d+j over everyone.
	ranks := selectk.NewPasses((k + 1) * d)
	size := make([]int64, k+1) // customers by cluster; size[k] all
	num, den := make([]float64, (k+1)*d), make([]float64, (k+1)*d)
	members := make([]int64, (k+1)*len(groups)) // by cluster and group; [k·g…] all
	first := func(ch ProfileChunk) error {
		if err := checkChunk(ch, d, len(groups), k); err != nil {
			return err
		}
		for i, c := range ch.Labels {
			size[c]++
			w := 1.0
			if ch.Weight != nil {
				w = ch.Weight[i]
			}
			for j, col := range ch.Cols {
				v := col[i]
				ranks.Add(c*d+j, v)
				ranks.Add(k*d+j, v)
				if isMix[j] {
					num[c*d+j] += v * w
					den[c*d+j] += w
					num[k*d+j] += v * w
					den[k*d+j] += w
				}
			}
			for g, in := range ch.Groups {
				if in[i] {
					members[c*len(groups)+g]++
				}
			}
		}
		size[k] += int64(len(ch.Labels))
		return ctx.Err()
	}
	if err := pass(first); err != nil {
		return Population{}, nil, err
	}
	if err := ranks.EndPass(); err != nil {
		return Population{}, nil, fmt.Errorf("report: profiles: %w", err)
	}

	median := ranks.WantMedians()
	refine := func(ch ProfileChunk) error {
		if err := checkChunk(ch, d, len(groups), k); err != nil {
			return err
		}
		for i, c := range ch.Labels {
			for j, col := range ch.Cols {
				ranks.Add(c*d+j, col[i])
				ranks.Add(k*d+j, col[i])
			}
		}
		return ctx.Err()
	}
	for !ranks.Done() {
		if err := pass(refine); err != nil {
			return Population{}, nil, err
		}
		if err := ranks.EndPass(); err != nil {
			return Population{}, nil, fmt.Errorf("report: profiles: %w", err)
		}
	}
	pop := Population{Features: features, Median: make([]float64, d), Share: make([]float64, d), Groups: map[string]float64{}}
	stats := make([]ClusterStats, k)
	for c := range stats {
		stats[c] = ClusterStats{Median: make([]float64, d), Pos: make([]float64, d), Share: make([]float64, d), Groups: map[string]float64{}}
	}
	share := func(s int) float64 {
		if !isMix[s%d] || den[s] <= 0 {
			return math.NaN()
		}
		return num[s] / den[s]
	}
	for j := range d {
		pop.Median[j], pop.Share[j] = median(k*d+j), share(k*d+j)
		for c := range stats {
			stats[c].Median[j], stats[c].Share[j] = median(c*d+j), share(c*d+j)
		}
	}
	for g, id := range groups {
		for c := range stats {
			if size[c] > 0 {
				stats[c].Groups[id] = float64(members[c*len(groups)+g]) / float64(size[c])
			}
		}
		if size[k] > 0 {
			var all int64
			for c := range k {
				all += members[c*len(groups)+g]
			}
			pop.Groups[id] = float64(all) / float64(size[k])
		}
	}
	if err := positions(ctx, stats, size[k], d, pass); err != nil {
		return Population{}, nil, err
	}
	return pop, stats, nil
}

// positions sets each cluster median's quantile position among all the
// customers (Pos: the share below it plus half the share equal to it) in
// one pass: each value is placed among the feature's distinct medians,
// sorted, by binary search.
func positions(ctx context.Context, stats []ClusterStats, n int64, d int, pass func(yield func(ProfileChunk) error) error) error {
	cuts := make([][]float64, d) // feature j's distinct cluster medians, ascending
	for j := range d {
		for _, st := range stats {
			if m := st.Median[j]; !math.IsNaN(m) {
				cuts[j] = append(cuts[j], m)
			}
		}
		slices.Sort(cuts[j])
		cuts[j] = slices.Compact(cuts[j])
	}
	// between[j][p]: values of feature j with p cuts below them and equal
	// to none; equal[j][p]: values equal to cut p.
	between, equal := make([][]int64, d), make([][]int64, d)
	for j := range d {
		between[j], equal[j] = make([]int64, len(cuts[j])+1), make([]int64, len(cuts[j]))
	}
	if n > 0 && slices.ContainsFunc(cuts, func(c []float64) bool { return len(c) > 0 }) {
		err := pass(func(ch ProfileChunk) error {
			for j, col := range ch.Cols {
				cj := cuts[j]
				if len(cj) == 0 {
					continue
				}
				for _, v := range col {
					if p, found := slices.BinarySearch(cj, v); found {
						equal[j][p]++
					} else {
						between[j][p]++
					}
				}
			}
			return ctx.Err()
		})
		if err != nil {
			return err
		}
	}
	for j := range d {
		for _, st := range stats {
			m := st.Median[j]
			if math.IsNaN(m) || n == 0 {
				st.Pos[j] = math.NaN()
				continue
			}
			// Below cut i: the values between cuts up to i, and those
			// equal to a cut before i.
			i, _ := slices.BinarySearch(cuts[j], m)
			var below int64
			for p := 0; p <= i; p++ {
				below += between[j][p]
			}
			for p := 0; p < i; p++ {
				below += equal[j][p]
			}
			st.Pos[j] = (float64(below) + float64(equal[j][i])/2) / float64(n)
		}
	}
	return nil
}

// checkChunk reports a chunk whose columns are not of one length, or a
// label out of [0, k).
func checkChunk(ch ProfileChunk, d, groups, k int) error {
	n := len(ch.Labels)
	if len(ch.Cols) != d || len(ch.Groups) != groups || ch.Weight != nil && len(ch.Weight) != n {
		return fmt.Errorf("report: profiles: a chunk of %d columns and %d groups, want %d and %d", len(ch.Cols), len(ch.Groups), d, groups)
	}
	for _, c := range ch.Cols {
		if len(c) != n {
			return fmt.Errorf("report: profiles: a column of %d values for %d labels", len(c), n)
		}
	}
	for _, g := range ch.Groups {
		if len(g) != n {
			return fmt.Errorf("report: profiles: a group of %d values for %d labels", len(g), n)
		}
	}
	for _, c := range ch.Labels {
		if c < 0 || c >= k {
			return fmt.Errorf("report: profiles: label %d out of [0, %d)", c, k)
		}
	}
	return nil
}
