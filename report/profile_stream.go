package report

import (
	"context"
	"fmt"
	"math"
	"slices"
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
// passes (ProfileRanks: about three over a million customers), the
// quantile positions in one more, the spend shares and group shares in the
// first. Since the spend shares' sums and the medians are exact, the
// results are those Profiles gives the same customers in one chunk, bit
// for bit, however they are split into chunks.
func StreamProfiles(ctx context.Context, features, groups []string, k int, pass func(yield func(ProfileChunk) error) error) (Population, []ClusterStats, error) {
	return StreamProfilesRanked(ctx, features, groups, k, NewProfileRanks(len(features), k), nil, pass)
}

// StreamProfilesRanked is StreamProfiles continuing the search ranks
// over the same customers, whose rounds were begun or made elsewhere (the
// scale-out runner's job 2): the rounds it has left are run over pass, the
// shares summed in the first of them (or, when none is left, in a pass of
// their own). ranks must be of as many features and clusters, and count
// as many customers as pass gives.
//
// sums, when not nil, are the customers' sums counted elsewhere
// (ProfileSums: the scale-out runner's job 2, of these features, groups
// and clusters): they are not summed again, and with ranks done pass is
// not run at all.
func StreamProfilesRanked(ctx context.Context, features, groups []string, k int, ranks *ProfileRanks, sums *ProfileSums, pass func(yield func(ProfileChunk) error) error) (Population, []ClusterStats, error) {
	d := len(features)
	if ranks.d != d || ranks.k != k {
		return Population{}, nil, fmt.Errorf("report: profiles: the ranks given are of %d features in %d clusters, want %d in %d", ranks.d, ranks.k, d, k)
	}
	summed := sums != nil
	if summed && (sums.d != d || sums.k != k || sums.groups != len(groups)) {
		return Population{}, nil, fmt.Errorf("report: profiles: the sums given are of %d features, %d groups in %d clusters, want %d, %d in %d", sums.d, sums.groups, sums.k, d, len(groups), k)
	}
	if !summed {
		sums = NewProfileSums(features, len(groups), k)
	}
	for ; !summed || !ranks.Done(); summed = true {
		sum, search := !summed, !ranks.Done()
		err := pass(func(ch ProfileChunk) error {
			if err := checkChunk(ch, d, len(groups), k); err != nil {
				return err
			}
			if sum {
				if err := sums.Add(ch); err != nil {
					return err
				}
			}
			if search {
				if err := ranks.Add(ch.Labels, ch.Cols); err != nil {
					return err
				}
			}
			return ctx.Err()
		})
		if err != nil {
			return Population{}, nil, err
		}
		if search {
			if err := ranks.EndRound(); err != nil {
				return Population{}, nil, err
			}
		}
	}
	if d > 0 && sums.size[k] != ranks.n {
		return Population{}, nil, fmt.Errorf("report: profiles: the ranks given count %d customers, the pass %d", ranks.n, sums.size[k])
	}
	pop, stats := sums.stats(features, groups, ranks.median)
	ranks.setPositions(stats)
	return pop, stats, nil
}

// cutCounts counts a feature's values between and at its clusters'
// distinct medians (the cuts, ascending): between[p], the values with p
// cuts below them and equal to none; equal[p], those equal to cut p.
type cutCounts struct {
	cuts           []float64
	between, equal []int64
}

// newCutCounts returns the empty counts of a feature's cluster medians
// (NaN, an empty cluster's, is no cut).
func newCutCounts(medians []float64) cutCounts {
	var c cutCounts
	for _, m := range medians {
		if !math.IsNaN(m) {
			c.cuts = append(c.cuts, m)
		}
	}
	slices.Sort(c.cuts)
	c.cuts = slices.Compact(c.cuts)
	c.between, c.equal = make([]int64, len(c.cuts)+1), make([]int64, len(c.cuts))
	return c
}

// add counts the values of col.
func (c *cutCounts) add(col []float64) {
	if len(c.cuts) == 0 {
		return
	}
	for _, v := range col {
		if p, found := slices.BinarySearch(c.cuts, v); found {
			c.equal[p]++
		} else {
			c.between[p]++
		}
	}
}

// setPositions sets Pos[j] of every cluster from the counts of n values.
func (c *cutCounts) setPositions(stats []ClusterStats, j int, n int64) {
	for _, st := range stats {
		m := st.Median[j]
		if math.IsNaN(m) || n == 0 {
			st.Pos[j], st.Ties[j] = math.NaN(), math.NaN()
			continue
		}
		// Below cut i: the values between cuts up to i, and those equal
		// to a cut before i.
		i, _ := slices.BinarySearch(c.cuts, m)
		var below int64
		for p := 0; p <= i; p++ {
			below += c.between[p]
		}
		for p := 0; p < i; p++ {
			below += c.equal[p]
		}
		st.Pos[j] = (float64(below) + float64(c.equal[i])/2) / float64(n)
		st.Ties[j] = float64(c.equal[i]) / float64(n)
	}
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
