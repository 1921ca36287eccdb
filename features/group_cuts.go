package features

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// GroupCuts are the store-wide values the seed groups compare a customer
// with: the monetary a top20, vip_top5 or elite_top1 member must exceed,
// the largest order a big_order member must exceed (each +Inf without
// buyers), and the most common cities (city_ groups). SeedGroups computes
// them from its table; a runner that splits the customers over workers
// computes them over every customer (the Beam runner) and passes them to
// SeedGroupsWith, so that a customer's groups do not depend on the rows
// it is grouped with.
type GroupCuts struct {
	Top, VIP, Elite float64
	BigOrder        float64
	Cities          []string
}

// GroupCutsOf returns the group cuts of table t with profile p (nil for
// none) under thresholds th, as SeedGroups computes them.
func GroupCutsOf(t *Table, p *Profile, th Thresholds) GroupCuts {
	th = th.withDefaults()
	freq, mon, maxOrder := t.Col(Frequency), t.Col(Monetary), t.Col(MaxOrderValue)
	inf := math.Inf(1)
	g := GroupCuts{Top: inf, VIP: inf, Elite: inf, BigOrder: inf}
	if freq != nil && mon != nil {
		c := topCuts(mon, freq, th.TopShare, th.VIPShare, th.EliteShare)
		g.Top, g.VIP, g.Elite = c[0], c[1], c[2]
	}
	if freq != nil && maxOrder != nil {
		g.BigOrder = topCuts(bigOrderValues(maxOrder, mon), freq, th.BigOrderShare)[0]
	}
	if p != nil && p.City != nil {
		g.Cities = topCities(p.City, th.TopCities)
	}
	return g
}

// TopRank returns the 0-based rank, among n > 0 sorted values, of the
// value a member of the top share must exceed: Q(1 − share) = x_⌈(1−share)·n⌉
// (see SeedGroups).
func TopRank(n int, share float64) int {
	k := int(math.Ceil((1-share)*float64(n) - 1e-9)) // 1-based; the epsilon absorbs 0.95·100 = 95.00000000000001
	return min(max(k, 1), n) - 1
}

// GroupShares returns the top shares of th (defaults applied): top20,
// vip_top5, elite_top1 and big_order, and the number of city groups.
func (th Thresholds) GroupShares() (top, vip, elite, bigOrder float64, cities int) {
	th = th.withDefaults()
	return th.TopShare, th.VIPShare, th.EliteShare, th.BigOrderShare, th.TopCities
}

// RankCities returns the n cities of most customers (count), most first,
// ties by name, as the city_ groups take them.
func RankCities(count map[string]int, n int) []string {
	names := make([]string, 0, len(count))
	for c, k := range count {
		if c != "" && k > 0 {
			names = append(names, c)
		}
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(count[b], count[a]), cmp.Compare(a, b))
	})
	return names[:min(n, len(names))]
}

// SeedGroupsWith is SeedGroups with the store-wide cuts given instead of
// computed from t (nil: computed from t, as SeedGroups).
func SeedGroupsWith(ctx context.Context, t *Table, p *Profile, th Thresholds, cuts *GroupCuts) ([]Group, error) {
	return seedGroups(ctx, t, p, th, cuts)
}
