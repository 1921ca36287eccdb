package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// defaultMinShare is clustering.min_share's default: no cluster holds
// fewer than 1 % of the clustered customers.
const defaultMinShare = 0.01

// excludedFeature is a feature of clustering.use left out of the
// clustering, with the reason.
type excludedFeature struct {
	Name   string `json:"feature"`
	Reason string `json:"reason"`
}

// featureNeeds names the order column each feature needs beyond the
// required ones; a feature whose column was not read is constant.
var featureNeeds = map[string]string{
	features.DiscountRatio:      "discount",
	features.CouponOrderShare:   "coupon",
	features.FirstOrderCoupon:   "coupon",
	features.CategoryMix:        "category",
	features.DistinctCategories: "category",
}

// informativeUse returns the features of use that carry information
// among the clustered customers, and the others with the reason: a feature
// whose input column was not read (not mapped, or absent from the file),
// or one that is near-constant — fewer than clustering.min_share of the
// clustered customers (at least one) differ from its most common value, so
// it could only set apart a group too small to be a segment. The category
// mix counts as one block: it is kept when any of its columns varies.
func (r *result) informativeUse(use []string) (keep []string, excluded []excludedFeature) {
	t := r.clustered
	n := t.N()
	limit := max(1, int(r.opts.MinShare*float64(n)))
	varies := func(col []float64) bool {
		sorted := slices.Clone(col)
		slices.Sort(sorted)
		mode, run := 0, 0
		for i := range sorted {
			if i > 0 && sorted[i] == sorted[i-1] {
				run++
			} else {
				run = 1
			}
			mode = max(mode, run)
		}
		return n-mode >= limit
	}
	for _, name := range use {
		cols := []string{name}
		if name == features.CategoryMix {
			cols = nil
			for _, c := range t.Names {
				if strings.HasPrefix(c, features.MixPrefix) {
					cols = append(cols, c)
				}
			}
		}
		informative, known := false, len(cols) > 0
		for _, c := range cols {
			col := t.Col(c)
			if col == nil {
				known = false
				break
			}
			informative = informative || varies(col)
		}
		switch {
		case !known:
			keep = append(keep, name) // FitTransform names the unknown feature
		case informative:
			keep = append(keep, name)
		case r.stats.Columns != nil && featureNeeds[name] != "" && !r.stats.Columns[featureNeeds[name]]:
			excluded = append(excluded, excludedFeature{name, fmt.Sprintf("needs the orders' %s column (orders.columns.%s), which is not mapped", featureNeeds[name], featureNeeds[name])})
		default:
			excluded = append(excluded, excludedFeature{name, fmt.Sprintf("the same value for all but fewer than %s of the clustered customers (clustering.min_share %s)", strconv.Itoa(limit), formatShare(r.opts.MinShare))})
		}
	}
	return keep, excluded
}

// describeExcluded lists excluded features for a message.
func describeExcluded(ex []excludedFeature) string {
	var parts []string
	for _, e := range ex {
		parts = append(parts, e.Name+": "+e.Reason)
	}
	return strings.Join(parts, "; ")
}

// formatShare prints a share as a percentage: 0.01 → "1 %".
func formatShare(s float64) string {
	return strconv.FormatFloat(100*s, 'f', -1, 64) + " %"
}

// fitAdmissible fits k-means with km.K clusters, and fewer when a cluster
// would hold fewer than minSize customers: k goes down one at a time until
// every cluster is large enough (k = 1 always is). r.kNote says why.
func (r *result) fitAdmissible(ctx context.Context, km cluster.KMeans, minSize int) (*cluster.Result, error) {
	n := r.clustered.N()
	asked := km.K
	for {
		fit, err := km.Fit(ctx, r.x, n, r.d, nil)
		if err != nil {
			return nil, err
		}
		if km.K == 1 || slices.Min(fit.Sizes) >= minSize {
			if km.K != asked {
				r.kNote = fmt.Sprintf("k = %d was asked for, but with more than %d clusters one holds fewer than %d customers (clustering.min_share %s), so k = %d is used.",
					asked, km.K, minSize, formatShare(r.opts.MinShare), km.K)
			}
			return fit, nil
		}
		km.K--
	}
}

// notClusteredCounts counts the customers left out of the clustering by
// reason, prospects included, in the order of features.NotClusteredReasons.
func (r *result) notClusteredCounts() []report.ReasonCount {
	count := map[string]int{features.NotClusteredProspect: r.seg.all.N() - r.table.N()}
	for _, why := range r.notClustered {
		if why != "" {
			count[why]++
		}
	}
	var out []report.ReasonCount
	for _, reason := range features.NotClusteredReasons {
		if n := count[reason.ID]; n > 0 {
			out = append(out, report.ReasonCount{ID: reason.ID, About: reason.About, Customers: n})
		}
	}
	return out
}

// clusteringSection says who was clustered and on what.
func (r *result) clusteringSection() *report.Clustering {
	c := &report.Clustering{
		Customers: r.seg.all.N(), Clustered: r.clustered.N(), NotClustered: r.notClusteredCounts(),
		Clipped: r.clipped, MinShare: r.opts.MinShare, KNote: r.kNote,
		MinSize: int(math.Ceil(r.opts.MinShare * float64(r.clustered.N()))),
	}
	if r.transform.Lo != nil {
		c.ClipShare = r.opts.MinShare / 2
	}
	for _, e := range r.excluded {
		c.Excluded = append(c.Excluded, report.ExcludedFeature{Name: e.Name, Reason: e.Reason})
	}
	return c
}
