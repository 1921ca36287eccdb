package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/translit"
	"github.com/segment-tool/segment/report"
)

// ClusterInfo describes one cluster in raw feature units.
type ClusterInfo struct {
	ID      int
	Key     string // the stable label: kept across refits (MatchPrevious)
	Name    string
	Size    int
	Revenue float64
	Mean    []float64 // raw means of the clustered columns (plots)
	Rel     []float64 // Mean / population mean − 1 (0 where the population mean is 0)
	Stats   report.ClusterStats

	RFMSegment string  // the most common RFM segment ("" without RFM)
	RFMShare   float64 // its share of the cluster
	Action     string  // recommended action
	New        bool    // no previous cluster matched it: review it
	// RuleName, when scoring with a saved model (segment assign), is the
	// name the naming rules give the cluster on these customers, where it
	// differs from the model's: the model's names describe the customers
	// it was fitted on. "" otherwise, and for a name clustering.names set.
	RuleName string
	// ComputedName is the name the naming rules gave the cluster, when
	// clustering.names gave it another (ApplyNames); "" otherwise.
	ComputedName string
	// FreshName is the name the naming rules give this run's numbers,
	// where the cluster kept its previous name instead, every word of
	// which still holds (keepNames); "" otherwise.
	FreshName string
	// actions are the actions the rules may recommend for the cluster
	// (report.ClusterActions; the first is Action as computed): a matched
	// cluster keeps its previous action while it is among them.
	actions []string
}

// Profiles are the clusters described against the clustered population.
type Profiles struct {
	Clusters   []ClusterInfo
	Population report.Population // the buyers, for naming
	PopMean    []float64         // population mean of each clustered column
	PopSD      []float64         // and its standard deviation (of the population, n)
	// RFMCounts are each cluster's customers by RFM segment, in the order
	// of features.RFMSegments; nil without RFM.
	RFMCounts [][]int
}

// Profile computes each cluster's raw means, medians and quantile
// positions against the buyers, its name (report.NameClusters), key,
// dominant RFM segment and action. Scoring with a saved model (o.Model)
// keeps its clusters' names, keys and actions.
// It returns ctx.Err() once ctx is done.
func Profile(ctx context.Context, b *Buyers, m *Matrix, c *Clustering, s *Segments, o *Options) (*Profiles, error) {
	return profile(ctx, b, m, c, s, o, nil)
}

// profile is Profile, with the medians, quantile positions and shares read
// from a scale-out run's assignment shards when shards is not nil.
func profile(ctx context.Context, b *Buyers, m *Matrix, c *Clustering, s *Segments, o *Options, shards *shardPasses) (*Profiles, error) {
	cols := m.Transform.Columns
	fit := c.Fit
	k := fit.K
	ids := profileGroups(s.Groups)
	var pass buyerPasses
	var whole buyerChunk // a local run's customers
	if shards != nil {
		pass = shards.buyers(cols, ids, s.All.Col(features.Monetary) != nil, s.RFM != nil)
	} else {
		whole = localBuyers(b, fit, s, cols, ids)
		pass = whole.passes()
	}
	// The clusters' sums and the population's spread are counted in the
	// first pass the profiles' statistics make over the shards (or a
	// local run's customers in memory, in a pass of its own): one read
	// fewer.
	// With job 2's sums (shards.sums), none of them: the passes left are
	// the medians' rounds job 2 did not make, if any.
	counter := newClusterCounter(k, len(cols))
	var given *report.ProfileSums
	if shards != nil && shards.sums != nil {
		if sc := shards.sums.cluster; sc.k != k || sc.d != len(cols) {
			return nil, fmt.Errorf("pipeline: profile: job 2's sums are of %d columns in %d clusters, want %d in %d", sc.d, sc.k, len(cols), k)
		}
		counter, given = shards.sums.cluster, shards.sums.profile
		if !counter.done() {
			counter.endPass()
		}
	}
	rides, finish := counter.riding(ctx, pass)
	var popStats report.Population
	var stats []report.ClusterStats
	var err error
	switch {
	case shards != nil && shards.ranks != nil: // job 2 found the medians and positions
		popStats, stats, err = report.StreamProfilesRanked(ctx, cols, ids, k, shards.ranks, given, rides.profileChunks())
	case shards != nil:
		popStats, stats, err = report.StreamProfilesRanked(ctx, cols, ids, k, report.NewProfileRanks(len(cols), k), given, rides.profileChunks())
	default:
		// The counter makes its pass over the customers in memory beside
		// the statistics' (neither reads what the other writes), but with
		// one worker: its sums are exact, so the schedule does not change
		// them.
		if o.Workers == 1 {
			popStats, stats, err = report.ChunkProfiles(ctx, cols, ids, k, whole.ProfileChunk, o.Workers)
			break
		}
		counted := make(chan error, 1)
		go func() { counted <- finish() }()
		popStats, stats, err = report.ChunkProfiles(ctx, cols, ids, k, whole.ProfileChunk, o.Workers)
		cerr := <-counted
		finish = func() error { return cerr }
	}
	if err == nil {
		err = finish()
	}
	if err != nil {
		return nil, err
	}
	tally := counter.t
	pop := tally.PopMean
	infos := make([]ClusterInfo, k)
	for c := range infos {
		size := tally.Clusters[c]
		if fit.Sizes != nil && fit.Sizes[c] != size { // a finish checks its sizes afterwards
			return nil, fmt.Errorf("pipeline: profile: cluster %d has %d customers, %d in the passes", c, fit.Sizes[c], size)
		}
		ci := ClusterInfo{ID: c, Size: size, Mean: make([]float64, len(cols)), Rel: make([]float64, len(cols)), Revenue: tally.Revenue[c]}
		for j := range cols {
			if size > 0 {
				ci.Mean[j] = tally.Sums[c][j] / float64(size)
			}
			if pop[j] != 0 {
				ci.Rel[j] = ci.Mean[j]/pop[j] - 1
			}
		}
		infos[c] = ci
	}
	for c := range infos {
		infos[c].Stats = stats[c]
	}
	popStats.Labels = categoryLabels(cols, s.All.Categories)
	names := report.NameClusters(popStats, stats)
	used := map[string]bool{}
	for c := range infos {
		infos[c].Name = names[c]
		infos[c].Key = uniqueKey(slug(names[c]), used)
	}
	dominantRFM(infos, popStats, tally.RFM, s.Groups)
	if m := o.Model; m != nil {
		for c := range infos {
			mc := m.Clusters[c]
			infos[c].RuleName = ruleName(popStats, stats[c], names[c], mc)
			infos[c].Name, infos[c].Key = mc.Name, mc.Key
			if mc.Action != "" {
				infos[c].Action = mc.Action
			}
		}
	}
	return &Profiles{Clusters: infos, Population: popStats, PopMean: pop, PopSD: tally.PopSD, RFMCounts: tally.RFM}, nil
}

// ruleName returns, for a cluster scored with a saved model's cluster mc
// (segment assign), fresh, the name the naming rules give it on these
// customers, where mc's name no longer holds on them (report.NameHolds);
// "" otherwise. mc's name is compared as the rules gave it at the fit, not
// as a team renamed it.
func ruleName(pop report.Population, st report.ClusterStats, fresh string, mc ModelCluster) string {
	if rule := cmp.Or(mc.ComputedName, mc.Name); fresh == rule || report.NameHolds(pop, st, rule) {
		return ""
	}
	return fresh
}

// categoryLabels returns, parallel to cols, the category as written of
// each mix column whose name cannot say it (report.Population.Labels): a
// category with letters beyond ASCII ("書籍" is mix_xcde2f5, "Bücher"
// mix_bucher), capitals or punctuation ("Women's Shoes" is
// mix_women_s_shoes, "GROCERY" mix_grocery), or one whose column took a
// suffix to differ from another's ("Other" is mix_other_2); "" where the
// column's words are the name. Nil when there is none.
func categoryLabels(cols, categories []string) []string {
	var labels []string
	for i, col := range features.MixColumns(categories) {
		cat := strings.TrimSpace(categories[i])
		if slug := features.Slug(cat); col == features.MixPrefix+slug && strings.ReplaceAll(slug, "_", " ") == cat {
			continue // the column's words are the name ("toys", "pet food")
		}
		if j := slices.Index(cols, col); j >= 0 {
			if labels == nil {
				labels = make([]string, len(cols))
			}
			labels[j] = cat
		}
	}
	return labels
}

// slug turns a cluster name into a key: its letters transliterated to
// ASCII (translit.Slug), lower-case ASCII letters and digits joined by
// single dashes.
func slug(s string) string { return translit.Slug(s, '-') }

// uniqueKey returns key, or key-2, key-3, … when used has it (names that
// differ only in case or punctuation share a slug), and marks it used.
func uniqueKey(key string, used map[string]bool) string {
	k := key
	for n := 2; used[k]; n++ {
		k = fmt.Sprintf("%s-%d", key, n)
	}
	used[k] = true
	return k
}

// dominantRFM sets each cluster's most common RFM segment (ties go to the
// more valuable segment) and its recommended action (report.ClusterAction).
func dominantRFM(infos []ClusterInfo, pop report.Population, counts [][]int, groups []features.Group) {
	groupActions := map[string]string{}
	for _, g := range groups {
		groupActions[g.ID] = g.Action
	}
	segs := features.RFMSegments()
	for c := range infos {
		if infos[c].Size == 0 {
			continue
		}
		var seg, segAction string
		if counts != nil {
			best := 0
			for j, n := range counts[c] {
				if n > counts[c][best] {
					best = j
				}
			}
			seg, segAction = segs[best].ID, segs[best].Action
			infos[c].RFMSegment = seg
			infos[c].RFMShare = float64(counts[c][best]) / float64(infos[c].Size)
		}
		infos[c].actions = report.ClusterActions(pop, infos[c].Stats, seg, segAction, groupActions)
		infos[c].Action = infos[c].actions[0]
	}
}

// UnusedNames returns the keys of clustering.names that no cluster has,
// sorted: a misspelt key renames nothing, which a scheduled run's log
// must say (WarnUnusedNames).
func UnusedNames(clusters []ClusterInfo, names map[string]string) []string {
	var out []string
	for key := range names {
		if !slices.ContainsFunc(clusters, func(c ClusterInfo) bool { return c.Key == key }) {
			out = append(out, key)
		}
	}
	slices.Sort(out)
	return out
}

// WarnUnusedNames logs the keys of clustering.names no cluster has, with
// the keys the clusters have.
func WarnUnusedNames(log *slog.Logger, clusters []ClusterInfo, names map[string]string) {
	unused := UnusedNames(clusters, names)
	if len(unused) == 0 {
		return
	}
	keys := make([]string, len(clusters))
	for i, c := range clusters {
		keys[i] = c.Key
	}
	log.Warn("clustering.names: no cluster has these keys, so they rename nothing: check their spelling against the clusters' keys",
		"unused", strings.Join(unused, ", "), "cluster_keys", strings.Join(keys, ", "))
}

// logRuleNames logs, when scoring with a saved model, how many of its
// clusters' names differ from those the naming rules give on these
// customers (ClusterInfo.RuleName; the report names them).
func logRuleNames(log *slog.Logger, clusters []ClusterInfo) {
	var keys []string
	for _, c := range clusters {
		if c.RuleName != "" {
			keys = append(keys, c.Key)
		}
	}
	if len(keys) > 0 {
		log.Info("the saved model's names of these clusters differ from those the naming rules give on these customers; the report gives both",
			"clusters", strings.Join(keys, ", "))
	}
}

// ApplyNames returns the clusters with the team names of clustering.names
// given by key. A computed name that would repeat a team name is told
// apart.
func ApplyNames(clusters []ClusterInfo, names map[string]string) []ClusterInfo {
	out := append([]ClusterInfo(nil), clusters...)
	if len(names) == 0 {
		return out
	}
	taken := map[string]bool{}
	for c := range out {
		if name, ok := names[out[c].Key]; ok {
			if name = strings.TrimSpace(name); name != out[c].Name {
				out[c].ComputedName = cmp.Or(out[c].ComputedName, out[c].Name)
			}
			out[c].Name, out[c].RuleName, out[c].FreshName = name, "", ""
			taken[out[c].Name] = true
		}
	}
	for c := range out {
		if _, ok := names[out[c].Key]; !ok && taken[out[c].Name] {
			if out[c].FreshName != "" { // a kept name a team gave another cluster: the rules' own first
				out[c].Name, out[c].FreshName = out[c].FreshName, ""
			}
			if taken[out[c].Name] {
				out[c].Name += ", as computed"
			}
		}
	}
	return out
}
