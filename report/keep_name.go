package report

import "math/bits"

// NameHolds reports whether name, the name a cluster had in the previous
// run, still describes cluster c on this run's numbers: NameClusters'
// rules compose it, without a remark, from some of c's maxListed
// strongest traits now (so every word of it holds: each is a trait under
// the same bars, among those the cluster's description lists first), as
// many of them as the rules' own name has at least (a name
// keeps up with a trait the cluster gained), and it says c's recency word
// whenever the rules' own name would (a cluster that lapsed is told so,
// whatever it was called before).
//
// NameClusters ranks a cluster's traits by strength and names it after
// the strongest three, so two traits of nearly equal strength can swap
// places between two runs and rename a cluster whose customers did not
// change in kind ("Recent discount-driven category specialists" one
// month, "Recent small-basket category specialists" the next, both true
// both months). A scheduled run keeps a name while it holds
// (pipeline.MatchPrevious) and renames a cluster when a word of its name
// stops holding.
func NameHolds(p Population, c ClusterStats, name string) bool {
	ts := slippingFirst(traits(p, c))
	if len(ts) == 0 {
		return name == nameFor(nil, "")
	}
	candidates := ts[:min(maxListed, len(ts))]
	used := min(maxTraits, len(ts)) // the traits of the rules' own name
	required := -1                  // the recency trait among them
	for i, t := range ts[:used] {
		if p.Features[t.feature] == "recency_days" {
			required = i
		}
	}
	sub := make([]trait, 0, len(candidates))
	for mask := 1; mask < 1<<len(candidates); mask++ {
		if required >= 0 && mask&(1<<required) == 0 || bits.OnesCount(uint(mask)) < used {
			continue
		}
		sub = sub[:0]
		for i, t := range candidates {
			if mask&(1<<i) != 0 {
				sub = append(sub, t)
			}
		}
		if nameFor(sub, "") == name {
			return true
		}
	}
	return false
}
