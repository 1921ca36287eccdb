package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// Stability is how this run's clusters relate to the previous run's.
type Stability struct {
	Prev       *Previous
	PrevOf     []int     // per current cluster: the matched previous cluster, or −1 (new)
	Dist2      []float64 // squared distance to the matched previous centroid
	MaxDist2   float64   // the "close match" threshold
	Vanished   []int     // previous clusters no current cluster matched
	ARI        float64   // adjusted Rand index of the cluster keys on customers in both runs
	Common     int       // customers in both runs
	KeyChanges int       // customers in both runs whose cluster key changed
	// InRun counts the previous run's customers with orders (not its
	// prospects) that this run has, clustered or not; Prev.Count − InRun
	// are missing from its data.
	InRun int
	// RefitMoves counts the customers of KeyChanges that the previous
	// run's model puts in their previous cluster (customerTally's), when
	// RefitKnown: that model could score them.
	RefitMoves int
	RefitKnown bool
}

// missing returns the previous run's customers this run's data lacks, and
// whether that is known (the previous run's customers were counted).
func (s *Stability) missing() (int, bool) {
	if s.Prev.Count == 0 {
		return 0, false
	}
	return max(s.Prev.Count-s.InRun, 0), true
}

// MatchPrevious matches this run's clusters with the previous run's and
// returns the clusters with their keys: the previous centroids are mapped
// back to raw feature values and into this run's clustering space, then
// paired by the Hungarian method on squared distances over the columns
// both runs cluster on (mix_other is left out when the runs' top
// categories differ, since it then means different things). A pair counts
// only when its squared distance is at most the mean squared distance of a
// customer to its own centroid in this run (inertia / n): the centroid
// moved less than a typical customer lies from it. Matched clusters take
// the previous key (their name describes this run's numbers); the others
// get a key no previous cluster used and are marked New. The keys are
// compared with the previous run's on the customers in both when the
// outputs are written (tallyCustomers: Common, KeyChanges, ARI). A
// matched cluster keeps its previous name while that name holds on this
// run's numbers (keepNames; pop describes the clustered customers).
func MatchPrevious(p *Previous, in *Tables, b *Buyers, m *Matrix, c *Clustering, clusters []ClusterInfo, pop report.Population) ([]ClusterInfo, *Stability) {
	out := append([]ClusterInfo(nil), clusters...)
	fit := c.Fit
	kPrev := p.Model.K
	s := &Stability{Prev: p, MaxDist2: fit.Inertia / float64(m.N)}
	if cm := c.match; cm != nil { // the match that numbered the clusters
		s.PrevOf, s.Dist2, s.MaxDist2 = cm.prevOf, cm.dist2, cm.maxDist2
	} else {
		s.PrevOf, s.Dist2 = matchCentroids(context.Background(), p, m, fit, in.Table.Categories, s.MaxDist2)
	}

	used := map[string]bool{}
	matched := make([]bool, kPrev)
	for c, pc := range s.PrevOf {
		if pc >= 0 {
			matched[pc] = true
			out[c].Key = p.Model.Clusters[pc].Key
			used[out[c].Key] = true
		}
	}
	for _, mc := range p.Model.Clusters {
		used[mc.Key] = true // a vanished cluster's key is not reused either
	}
	for c, pc := range s.PrevOf {
		if pc >= 0 {
			continue
		}
		key := out[c].Key
		for n := 2; used[key]; n++ {
			key = fmt.Sprintf("%s-%d", out[c].Key, n)
		}
		out[c].Key, out[c].New = key, true
		used[key] = true
	}
	for pc, ok := range matched {
		if !ok {
			s.Vanished = append(s.Vanished, pc)
		}
	}
	keepNames(p, pop, out, s.PrevOf)
	return out, s
}

// keepNames gives each cluster matched to a previous one (prevOf) that
// cluster's name where the naming rules now name it otherwise but every
// word of the previous name still holds on this run's numbers
// (report.NameHolds), no other cluster has that name and it does not hold
// on another cluster too (it would not tell them apart, where the rules
// had added a trait or a comparison to do so); FreshName keeps the rules'
// name. Likewise its previous action, while it is one the rules may
// recommend for it (keepAction). Without this a name and an action flip
// whenever two traits of nearly equal strength swap places, which a
// scheduled run's reviewers would read as a change of the customers and
// its campaigns would follow with new content. The previous name is the
// rules' name of that run (a team's name from clustering.names is applied
// afterwards, by key, ApplyNames).
func keepNames(p *Previous, pop report.Population, out []ClusterInfo, prevOf []int) {
	for c, pc := range prevOf {
		if pc >= 0 {
			keepAction(&out[c], p.Model.Clusters[pc])
		}
	}
	// One pass, whatever the clusters' order: a name another cluster has,
	// the rules' or kept, holds on that cluster too (a name with a
	// comparison never holds, so never moves), so nameTaken gives the same
	// answer before and after another cluster keeps its name.
	for c, pc := range prevOf {
		if pc < 0 {
			continue
		}
		mc := p.Model.Clusters[pc]
		prev := cmp.Or(mc.ComputedName, mc.Name)
		if prev == out[c].Name || !report.NameHolds(pop, out[c].Stats, prev) || nameTaken(pop, out, c, prev) {
			continue
		}
		out[c].FreshName, out[c].Name = out[c].Name, prev
	}
}

// nameTaken reports whether a cluster of out other than c has name, or
// would have it under report.NameHolds.
func nameTaken(pop report.Population, out []ClusterInfo, c int, name string) bool {
	for o := range out {
		if o != c && (out[o].Name == name || report.NameHolds(pop, out[o].Stats, name)) {
			return true
		}
	}
	return false
}

// keepAction gives cluster c the previous cluster mc's action where the
// rules may recommend it for c (report.ClusterActions), as keepNames does
// for a name.
func keepAction(c *ClusterInfo, mc ModelCluster) {
	if mc.Action != "" && mc.Action != c.Action && slices.Contains(c.actions, mc.Action) {
		c.Action = mc.Action
	}
}

// matchCentroids pairs the clusters of fit with the previous run's
// (MatchPrevious): per cluster of fit, the previous cluster it matched (−1:
// none) and the squared distance of their centroids over the columns both
// runs cluster on; cats are this run's mix categories.
func matchCentroids(ctx context.Context, p *Previous, m *Matrix, fit *cluster.Result, cats []string, maxDist2 float64) (prevOf []int, dist2 []float64) {
	k := fit.K
	shared := sharedColumns(m.Transform.Columns, p.Model.Transform.Columns, cats, p.Model.Categories)
	d := len(shared)
	if d == 0 { // nothing to compare on: every cluster is new
		prevOf, dist2 = make([]int, k), make([]float64, k)
		for c := range prevOf {
			prevOf[c], dist2[c] = -1, math.Inf(1)
		}
		return prevOf, dist2
	}
	project := func(point []float64) []float64 {
		v := make([]float64, d)
		for i, j := range shared {
			v[i] = point[j]
		}
		return v
	}
	prevFlat, curFlat := make([]float64, 0, p.Model.K*d), make([]float64, 0, k*d)
	for _, c := range p.Model.Centroids {
		prevFlat = append(prevFlat, project(m.Transform.Point(p.Model.Transform.Raw(c)))...)
	}
	for c := range k {
		curFlat = append(curFlat, project(fit.Centroid(c))...)
	}
	prevOf, dist2 = cluster.MatchCentroids(prevFlat, curFlat, p.Model.K, k, d, maxDist2)
	if slices.Contains(prevOf, -1) {
		if former, ok := formerCounts(ctx, p, m.IDs, fit); ok {
			matchByFormer(prevOf, dist2, former, fit.Sizes, func(c, pc int) float64 {
				return cluster.SqDist(curFlat[c*d:(c+1)*d], prevFlat[pc*d:(pc+1)*d])
			})
		}
	}
	return prevOf, dist2
}

// formerCounts returns, for each cluster c of fit and previous cluster
// pc, how many of c's customers (ids, in id order, row i labelled
// fit.Labels[i]) were in pc in the previous run: its assignments' keys
// (p.Customers when set). ok is false when they cannot be read (ctx done)
// or the ids are not in order: the run's later reading of them says why.
func formerCounts(ctx context.Context, p *Previous, ids []string, fit *cluster.Result) (counts [][]int, ok bool) {
	if len(ids) != len(fit.Labels) {
		return nil, false
	}
	of := make(map[string]int, len(p.Model.Clusters))
	for pc, mc := range p.Model.Clusters {
		of[mc.Key] = pc
	}
	counts = make([][]int, fit.K)
	for c := range counts {
		counts[c] = make([]int, p.Model.K)
	}
	add := func(i int, key string) {
		if pc, ok := of[key]; ok && pc < p.Model.K {
			counts[fit.Labels[i]][pc]++
		}
	}
	if p.Customers != nil {
		for i, id := range ids {
			if c, ok := p.Customers[id]; ok {
				add(i, c.Key)
			}
		}
		return counts, true
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			return nil, false
		}
	}
	i := 0
	err := p.scan(ctx, func(id string, c PreviousCustomer) error {
		for i < len(ids) && ids[i] < id {
			i++
		}
		if i < len(ids) && ids[i] == id {
			add(i, c.Key)
			i++
		}
		return nil
	})
	return counts, err == nil
}

// matchByFormer pairs the clusters the centroids left unmatched (prevOf
// −1) with the previous clusters they left unmatched, by their customers:
// cluster c takes previous cluster pc when more than half of c's customers
// were in pc (former[c][pc] of sizes[c]) and no cluster holds more of pc's
// customers than c (ties to the lower number). A cluster that split, its
// parts' centres both further from the previous centre than the distance
// match allows, keeps its key on its larger part instead of vanishing, so
// that the fewest customers lose their tag; a cluster mostly of new
// customers or of several previous clusters stays new, and so does one
// holding fewer of a previous cluster's customers than another cluster.
// dist2[c] becomes the squared distance of the pair's centres (dist).
func matchByFormer(prevOf []int, dist2 []float64, former [][]int, sizes []int, dist func(c, pc int) float64) {
	if len(former) == 0 {
		return
	}
	taken := make([]bool, len(former[0]))
	for _, pc := range prevOf {
		if pc >= 0 {
			taken[pc] = true
		}
	}
	holder := make([]int, len(taken)) // the cluster with the most of each previous cluster's customers
	for pc := range holder {
		for c := range former {
			if former[c][pc] > former[holder[pc]][pc] {
				holder[pc] = c
			}
		}
	}
	for c, pc := range prevOf {
		if pc >= 0 || c >= len(former) {
			continue
		}
		for q, n := range former[c] {
			if !taken[q] && holder[q] == c && 2*n > sizes[c] {
				taken[q] = true
				prevOf[c], dist2[c] = q, dist(c, q)
				break
			}
		}
	}
}

// sharedColumns returns the indexes of this run's clustered columns that
// the previous run clustered too, leaving out mix_other when the two runs'
// mix categories differ.
func sharedColumns(cur, prev, curCats, prevCats []string) []int {
	sameCats := slices.Equal(curCats, prevCats)
	var idx []int
	for j, name := range cur {
		if !slices.Contains(prev, name) || (name == features.MixOther && !sameCats) {
			continue
		}
		idx = append(idx, j)
	}
	return idx
}

// vanishedKeys lists the keys of the previous clusters no cluster matched.
func (s *Stability) vanishedKeys() []string {
	var keys []string
	for _, pc := range s.Vanished {
		keys = append(keys, s.Prev.Model.Clusters[pc].Key)
	}
	slices.Sort(keys)
	return keys
}

// warnFeaturesChanged warns when this run clusters on other features than
// the previous run did (a category entering the top categories, another
// clustering.use): kept keys may then describe other customers, and an
// assignments column that held one category's share holds another's.
func warnFeaturesChanged(log *slog.Logger, p *Previous, m *Matrix) {
	if p.Model.Transform == nil {
		return
	}
	cur, old := m.Transform.Columns, p.Model.Transform.Columns
	added := slices.DeleteFunc(slices.Clone(cur), func(c string) bool { return slices.Contains(old, c) })
	dropped := slices.DeleteFunc(slices.Clone(old), func(c string) bool { return slices.Contains(cur, c) })
	if len(added)+len(dropped) == 0 {
		return
	}
	log.Warn("the clustered features changed since the previous run: clusters were matched on the features both runs cluster on, and a kept key may describe other customers (load the assignments by column name)",
		"added", strings.Join(added, ","), "dropped", strings.Join(dropped, ","))
}
